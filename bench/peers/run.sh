#!/usr/bin/env bash
# Runs the CUBA benchmarks in firstspike and in Brian2 (C++ standalone) on this machine and
# prints the machine, the commands, every JSON result and a side-by-side table: everything
# docs/benchmarks.md records.
#
# Usage: bench/peers/run.sh            (from anywhere inside the repository)
# Environment:
#   REPEAT     runs per tool and scenario (default 5); medians are reported
#   DURATION   biological time in s (default 10)
#   SCENARIOS  "cuba cuba-jump" (default) or either one
#   OUT        directory for the raw outputs and the Brian2 projects (default: a new
#              temporary directory; it is kept, and printed at the end)
#   COMMIT     what to print as the commit when the tree is not a git checkout
#   CALLGRIND  1: also count the instructions of each simulation loop with valgrind's
#              callgrind (firstspike's events.(*Engine).Run, Brian2's Network::run), a
#              measure that does not depend on the machine's load. Brian2 is then compiled
#              a second time with -march=x86-64-v3 instead of -march=native, because
#              valgrind 3.19 cannot run AVX-512 code. Takes several minutes per scenario.
#
# Installs Debian's python3-brian and g++ with apt-get if they are missing, for the system
# Python /usr/bin/python3 (not a pyenv or virtualenv one). Brian2 compiles each network once
# (a minute or two, not timed); the timed runs reuse the binary.
set -euo pipefail
set -f # no pathname expansion: commands below hold '*' in valgrind patterns

REPEAT=${REPEAT:-5}
DURATION=${DURATION:-10}
SCENARIOS=${SCENARIOS:-"cuba cuba-jump"}
PY=/usr/bin/python3

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/firstspike-peers.XXXXXX")}
mkdir -p "$OUT"

if ! "$PY" -c 'import brian2' 2>/dev/null || ! command -v g++ >/dev/null 2>&1; then
	echo "installing python3-brian and g++ with apt-get" >&2
	sudo=
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	$sudo apt-get update >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y python3-brian g++ >&2
fi

echo "## machine"
echo "date:       $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:        $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "cores:      $(nproc) online ($(grep -c '^processor' /proc/cpuinfo) in /proc/cpuinfo)"
echo "memory:     $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel:     $(uname -sr)"
echo "go:         $(go version)"
echo "brian2:     $("$PY" -W ignore -c 'import brian2; print(brian2.__version__)') (python $("$PY" -c 'import platform; print(platform.python_version())'))"
echo "g++:        $(g++ --version | head -n 1)"
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
	git diff --quiet HEAD -- || commit="$commit (with local changes)"
else
	commit="${COMMIT:-unknown (not a git checkout; set COMMIT to name it)}"
fi
echo "commit:     $commit"
echo "load:       $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) before the runs"
echo

for s in $SCENARIOS; do
	case $s in
	cuba) jump= ;;
	cuba-jump) jump=--jump ;;
	*) echo "run.sh: unknown scenario $s (want cuba or cuba-jump)" >&2; exit 2 ;;
	esac
	echo "## $s: firstspike"
	cmd="go run ./cmd/firstspike bench $s --duration ${DURATION}s --repeat $REPEAT --json"
	echo "\$ $cmd"
	$cmd | tee "$OUT/firstspike-$s.txt"
	tail -n 1 "$OUT/firstspike-$s.txt" >"$OUT/firstspike-$s.json"
	echo
	echo "## $s: Brian2"
	cmd="$PY bench/peers/cuba_brian2.py $jump --duration $DURATION --repeat $REPEAT --dir $OUT/brian2-$s"
	echo "\$ $cmd"
	$cmd | tee "$OUT/brian2-$s.json"
	echo
done
echo "load:       $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) after the runs"
echo

# instructions prints the instructions callgrind collected, from its log on stdin.
instructions() { sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' | tail -n 1; }

if [ "${CALLGRIND:-0}" = 1 ]; then
	echo "## instruction counts (valgrind --tool=callgrind, simulation loop only)"
	go build -o "$OUT/firstspike" ./cmd/firstspike
	v3flags="-w -O3 -ffast-math -fno-finite-math-only -march=x86-64-v3 -std=c++11"
	for s in $SCENARIOS; do
		jump=
		if [ "$s" = cuba-jump ]; then jump=--jump; fi
		cmd="valgrind --tool=callgrind --callgrind-out-file=$OUT/callgrind.firstspike-$s.out --toggle-collect=*events.(*Engine).Run $OUT/firstspike bench $s --duration ${DURATION}s"
		echo "\$ GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 $cmd"
		GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 $cmd >"$OUT/callgrind.firstspike-$s.log" 2>&1
		instructions <"$OUT/callgrind.firstspike-$s.log" >"$OUT/firstspike-$s.ir"
		echo "firstspike $s: $(cat "$OUT/firstspike-$s.ir") instructions"
		"$PY" bench/peers/cuba_brian2.py $jump --duration "$DURATION" --repeat 1 \
			--dir "$OUT/brian2-v3-$s" --cflags "$v3flags" >"$OUT/brian2-v3-$s.json" 2>/dev/null
		echo "\$ (cd $OUT/brian2-v3-$s && valgrind --tool=callgrind --toggle-collect='Network::run*' ./main)   # built with $v3flags"
		(cd "$OUT/brian2-v3-$s" && valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.brian2-$s.out" \
			--toggle-collect='Network::run*' ./main) >"$OUT/callgrind.brian2-$s.log" 2>&1
		instructions <"$OUT/callgrind.brian2-$s.log" >"$OUT/brian2-$s.ir"
		echo "Brian2 $s: $(cat "$OUT/brian2-$s.ir") instructions"
	done
	echo
fi

"$PY" - "$OUT" $SCENARIOS <<'EOF'
import json, sys
out, scenarios = sys.argv[1], sys.argv[2:]
rows = [("scenario", "tool", "spikes", "rate Hz", "syn. events",
         "loop wall s", "min", "loop cpu s", "build/setup s")]
for s in scenarios:
    f = json.load(open(f"{out}/firstspike-{s}.json"))
    b = json.load(open(f"{out}/brian2-{s}.json"))
    rows.append((s, "firstspike (exact)", f["spikes"], f"{f['rate_hz']:.3f}", f["synaptic_events"],
                 f"{f['wall_s']:.3f}", f"{f['wall_min_s']:.3f}", f"{f['cpu_s']:.3f}",
                 f"{f['build_s']:.3f}"))
    rows.append((s, f"Brian2 {b['brian2_version']} (dt {b['dt_ms']:g} ms)", b["spikes"],
                 f"{b['rate_hz']:.3f}", b["synaptic_events"], f"{b['loop_wall_s']:.3f}",
                 f"{b['loop_wall_min_s']:.3f}", f"{b['run_s']:.3f}",
                 f"{b['binary_wall_s'] - b['loop_wall_s']:.3f}"))
def ir(tool, s):
    try:
        return int(open(f"{out}/{tool}-{s}.ir").read())
    except (OSError, ValueError):
        return None
counted = all(ir(t, s) is not None for t in ("firstspike", "brian2") for s in scenarios)
if counted:
    rows[0] += ("instructions", "per syn. event")
    for k, r in enumerate(rows[1:], 1):
        n = ir("firstspike" if r[1].startswith("firstspike") else "brian2", r[0])
        rows[k] = r + (f"{n / 1e9:.3f} G", f"{n / r[4]:.0f}")
print("## side by side (medians of the runs; loop = the simulation alone, compilation and")
print("## network building excluded; Brian2's loop cpu is its own Network::_last_run_time)")
print()
w = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
for k, r in enumerate(rows):
    print("| " + " | ".join(str(c).ljust(w[i]) if i < 2 else str(c).rjust(w[i])
                            for i, c in enumerate(r)) + " |")
    if k == 0:
        print("|" + "|".join("-" * (x + 2) for x in w) + "|")
EOF
echo
echo "raw outputs in $OUT"
