#!/usr/bin/env bash
# Alternating A/B of shell commands: median wall time and median CPU (perf stat task-clock of the
# command and its children, e.g. git) per command. CPU is what to compare on a loaded machine.
#   bench/cpu-ab.sh RUNS DIR "cmd a" "cmd b" ...      (needs perf: apt-get install linux-perf)
runs=$1; cwd=$2; shift 2
cd "$cwd"
out=$(mktemp)
declare -A W C
for ((r=0;r<runs;r++)); do
  i=0
  for cmd in "$@"; do
    s=$(date +%s%N)
    perf stat -x, -e task-clock -o "$out" bash -c "exec $cmd" >/dev/null 2>&1
    e=$(date +%s%N)
    W[$i]+="$(( (e-s)/100000 )) "
    C[$i]+="$(awk -F, '/task-clock/{printf "%d", $1*10}' "$out") "
    i=$((i+1))
  done
done
i=0
for cmd in "$@"; do
  mw=$(echo ${W[$i]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{printf "%.1f", a[int((NR+1)/2)]/10}')
  mc=$(echo ${C[$i]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{printf "%.1f", a[int((NR+1)/2)]/10}')
  printf '%8s ms wall %8s ms cpu   %s\n' "$mw" "$mc" "$cmd"
  i=$((i+1))
done
