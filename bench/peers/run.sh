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
#
# Installs Debian's python3-brian and g++ with apt-get if they are missing, for the system
# Python /usr/bin/python3 (not a pyenv or virtualenv one). Brian2 compiles each network once
# (a minute or two, not timed); the timed runs reuse the binary.
set -euo pipefail

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
echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with local changes)')"
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
