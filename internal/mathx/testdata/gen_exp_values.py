#!/usr/bin/env python3
"""Generates exp_values.txt: reference values of e^x (mpmath, 50 significant digits, printed to
40) at binary64 arguments x spread over [−745, 709.78], denser where the first-spike kernels
call Exp ([−5, 300]), plus the ends of the table's intervals and the ranges next to overflow and
in the subnormal results. Run from this directory:

    python3 gen_exp_values.py > exp_values.txt
"""
import random

from mpmath import mp, mpf, exp, nstr

mp.dps = 50


def main():
    rnd = random.Random(20260914)
    xs = set()
    for _ in range(1500):
        xs.add(rnd.uniform(-5, 300))
    for _ in range(1000):
        xs.add(rnd.uniform(-708, 709))
    for _ in range(500):
        xs.add(rnd.uniform(-0.05, 0.05))
    for _ in range(500):
        xs.add(rnd.uniform(-1, 3))
    for _ in range(200):
        xs.add(rnd.uniform(-745.13, -708))
        xs.add(rnd.uniform(709, 709.78))
    # Halfway between table points: |r| at its largest.
    step = float(mp.ln(2) / 128)
    for k in range(-300, 300):
        xs.add((k + 0.5) * step)
    for x in (-745.0, -744.4, -708.5, -708.0, 709.0, 709.5, 709.78, 0.0, 1e-300, -1e-300, 2.0**-30, 1.0, -1.0):
        xs.add(x)
    print("# x (binary64, repr) and e^x to 40 significant digits; mpmath at 50 digits")
    for x in sorted(xs):
        print("%r %s" % (x, nstr(exp(mpf(x)), 40)))


if __name__ == "__main__":
    main()
