#!/usr/bin/python3
"""Runs the CUBA network of `firstspike bench cuba` in Brian2's C++ standalone mode.

The network is the one firstspike's bench.CUBA builds (Brette et al. 2007, Benchmark 2):
4000 LIF neurons, 3200 excitatory and 800 inhibitory, connection probability 0.02 without
self-connections, tau_m 20 ms, tau_e 5 ms, tau_i 10 ms, Vt -50 mV, Vr -60 mV, El -49 mV,
refractory period 5 ms, dv/dt = (ge + gi - (v - El))/tau_m, a spike adds we = 1.62 mV to ge
or wi = -9 mV to gi, initial v uniform in [Vr, Vt]. With --jump it is Benchmark 4's variant:
no synaptic currents, a spike makes the target's v jump by +0.25 or -2.25 mV, and jumps that
arrive while the target is refractory are discarded, as firstspike does.

Brian2 integrates it clock-driven (method "exact" between steps, dt = 0.1 ms by default);
firstspike simulates it event by event without a time grid. The two draw their random
connectivity and initial potentials differently, so spike counts agree statistically, not
exactly.

The project is compiled once (not timed) and its binary then run --repeat times. Each run
reports:
  run_s         the time Brian2 itself records for the simulation loop
                (Network::_last_run_time, results/last_run_info.txt). Without OpenMP,
                Brian2 2.5 measures it with std::clock(), i.e. the CPU time of the process
                during the loop: excluding compilation, synapse creation and
                initialisation, the same span as firstspike's cpu_s.
  loop_wall_s   the wall time of the same loop (monotonic clock read around run() in the
                generated main.cpp), comparable with firstspike's wall_s;
  binary_wall_s the wall time of the whole binary (synapse creation, initialisation,
                the loop, writing the results);
  binary_cpu_s  the CPU time of the whole binary (user + system).
The last line of stdout is one JSON object with the medians and every run; progress goes
to stderr.

Usage: /usr/bin/python3 cuba_brian2.py [--duration 10] [--repeat 3] [--jump] [--seed 1]
                                       [--dt 0.1] [--dir DIR] [--cflags FLAGS]
Needs Debian's python3-brian (Brian2 2.5.1) and g++.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import warnings


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10.0,
                   help="biological time to simulate, s (default 10)")
    p.add_argument("--repeat", type=int, default=3,
                   help="runs of the compiled binary (default 3)")
    p.add_argument("--jump", action="store_true",
                   help="voltage-jump synapses (Benchmark 4, firstspike's cuba-jump)")
    p.add_argument("--seed", type=int, default=1, help="Brian2 random seed (default 1)")
    p.add_argument("--dt", type=float, default=0.1, help="time step, ms (default 0.1)")
    p.add_argument("--dir", default=None,
                   help="project directory (default: a new temporary directory)")
    p.add_argument("--cflags", default=None,
                   help="compiler flags instead of Brian2's default (which has -march=native); "
                        "valgrind 3.19 cannot run AVX-512 code, so count instructions with "
                        "e.g. --cflags='-w -O3 -ffast-math -fno-finite-math-only "
                        "-march=x86-64-v3 -std=c++11'")
    a = p.parse_args()
    if not a.duration > 0:
        p.error(f"--duration {a.duration}: must be > 0")
    if a.repeat < 1:
        p.error(f"--repeat {a.repeat}: must be >= 1")
    if not a.dt > 0:
        p.error(f"--dt {a.dt}: must be > 0")
    return a


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main():
    a = parse_args()
    # Debian's pythran warns about NumPy aliases on import; it concerns nothing here.
    warnings.filterwarnings("ignore", category=FutureWarning)
    import numpy as np
    import brian2
    from brian2 import (NeuronGroup, Synapses, SpikeMonitor, defaultclock, device, mV, ms,
                        prefs, run, second, seed, set_device)

    directory = a.dir or tempfile.mkdtemp(prefix="cuba_brian2-")
    set_device("cpp_standalone", directory=directory, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0  # one thread, no OpenMP
    prefs.logging.console_log_level = "WARNING"
    if a.cflags is not None:
        prefs.codegen.cpp.extra_compile_args_gcc = a.cflags.split()
    seed(a.seed)
    defaultclock.dt = a.dt * ms

    n_exc, n_inh, p_connect = 3200, 800, 0.02
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    refractory = 5 * ms
    if a.jump:
        eqs = "dv/dt = -(v - El)/taum : volt (unless refractory)"
        on_exc = "v += 0.25*mV*int(not_refractory)"
        on_inh = "v += -2.25*mV*int(not_refractory)"
    else:
        eqs = """
        dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """
        we = 1.62 * mV
        wi = -9 * mV
        on_exc = "ge += we"
        on_inh = "gi += wi"
    P = NeuronGroup(n_exc + n_inh, eqs, threshold="v > Vt", reset="v = Vr",
                    refractory=refractory, method="exact")
    P.v = "Vr + rand()*(Vt - Vr)"
    if not a.jump:
        P.ge = 0 * mV
        P.gi = 0 * mV
    Ce = Synapses(P, P, on_pre=on_exc)
    Ci = Synapses(P, P, on_pre=on_inh)
    Ce.connect(condition=f"i < {n_exc} and i != j", p=p_connect)
    Ci.connect(condition=f"i >= {n_exc} and i != j", p=p_connect)
    spikes = SpikeMonitor(P, record=False)
    # Brian2 times the loop by CPU clock only; a monotonic wall clock around run() adds the
    # loop's wall time (it also spans Brian2's short before-run preparation of the queues).
    device.insert_code("main", "struct timespec fs_t0, fs_t1; clock_gettime(CLOCK_MONOTONIC, &fs_t0);")
    run(a.duration * second)
    device.insert_code("main", r"""clock_gettime(CLOCK_MONOTONIC, &fs_t1);
{
    std::ofstream f("results/loop_wall_s.txt");
    f.precision(9);
    f << (double)(fs_t1.tv_sec - fs_t0.tv_sec) + 1e-9*(double)(fs_t1.tv_nsec - fs_t0.tv_nsec) << std::endl;
}""")

    log(f"cuba_brian2: compiling in {directory}")
    t0 = time.time()
    device.build(directory=directory, compile=True, run=False, with_output=False)
    compile_s = time.time() - t0

    runs, loop_walls, walls, cpus = [], [], [], []
    for k in range(a.repeat):
        cpu0, wall0 = children_cpu(), time.time()
        device.run(directory, with_output=False, run_args=[])
        walls.append(time.time() - wall0)
        cpus.append(children_cpu() - cpu0)
        runs.append(float(device._last_run_time))
        with open(os.path.join(directory, "results", "loop_wall_s.txt")) as f:
            loop_walls.append(float(f.read()))
        log(f"cuba_brian2: run {k + 1}/{a.repeat}: loop cpu {runs[-1]:.3f} s, "
            f"loop wall {loop_walls[-1]:.3f} s, binary wall {walls[-1]:.3f} s, "
            f"binary cpu {cpus[-1]:.3f} s")

    n = n_exc + n_inh
    counts = np.asarray(spikes.count[:], dtype=np.int64)
    out_degree = (np.bincount(np.asarray(Ce.i[:]), minlength=n)
                  + np.bincount(np.asarray(Ci.i[:]), minlength=n))
    n_spikes = int(counts.sum())
    result = {
        "tool": "brian2",
        "brian2_version": brian2.__version__,
        "python": platform.python_version(),
        "scenario": "cuba-jump" if a.jump else "cuba",
        "device": "cpp_standalone",
        "cflags": " ".join(prefs.codegen.cpp.extra_compile_args_gcc),
        "dt_ms": a.dt,
        "neurons": n,
        "synapses": int(len(Ce) + len(Ci)),
        "duration_ms": a.duration * 1000,
        "seed": a.seed,
        "spikes": n_spikes,
        "synaptic_events": int((counts * out_degree).sum()),
        "rate_hz": n_spikes / n / a.duration,
        "compile_s": compile_s,
        "run_s": statistics.median(runs),
        "run_min_s": min(runs),
        "runs_s": runs,
        "loop_wall_s": statistics.median(loop_walls),
        "loop_wall_min_s": min(loop_walls),
        "loop_walls_s": loop_walls,
        "binary_wall_s": statistics.median(walls),
        "binary_walls_s": walls,
        "binary_cpu_s": statistics.median(cpus),
        "binary_cpus_s": cpus,
        "directory": os.path.abspath(directory),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
