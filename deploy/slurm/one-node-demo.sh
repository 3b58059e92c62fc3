#!/usr/bin/env bash
# Runs an experiment as a Slurm job array on a one-node cluster started on this machine (Debian's
# slurm-wlm and munge; installed if missing, needs root), merges the shards, runs the same
# experiment unsharded, and compares the two run folders byte for byte.
#
# usage: deploy/slurm/one-node-demo.sh [CONFIG] [SHARDS] [WORK_DIR]
#   defaults: configs/lstm_walk_forward.toml, 3, /tmp/alphaseq-slurm
# Run from the repository root after `cargo build --release`.
set -euo pipefail
config=${1:-configs/lstm_walk_forward.toml}
shards=${2:-3}
work=${3:-/tmp/alphaseq-slurm}
repo=$(pwd)
bin=$repo/target/release/alphaseq
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v slurmctld >/dev/null || apt-get install -y -q slurm-wlm munge >/dev/null

# --- a one-node cluster: munge, slurmctld, slurmd -------------------------------------------
mkdir -p "$work" /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=alphaseq
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
[ -s /etc/munge/munge.key ] || (dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null)
chown munge:munge /etc/munge/munge.key /run/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed' && break; sleep 1; done
sinfo

# --- the job array, then the merge ----------------------------------------------------------
sharded=$work/sharded
rm -rf "$sharded" "$work/unsharded"
started=$(date +%s)
array=$(ALPHASEQ=$bin sbatch --parsable --chdir="$repo" --output="$work/shard-%a.out" \
    --array=0-$((shards - 1)) deploy/slurm/alphaseq-shards.sbatch "$config" "$sharded" "$shards")
echo "submitted array job $array ($shards tasks)"
while squeue -h -j "$array" 2>/dev/null | grep -q .; do sleep 2; done
sacct_state=$(scontrol show job "$array" 2>/dev/null | grep -o 'JobState=[A-Z]*' | sort -u | tr '\n' ' ' || true)
echo "array finished in $(( $(date +%s) - started )) s ${sacct_state}"
cat "$work"/shard-*.out | grep -E '^shard' || true
"$bin" merge "$sharded"

# --- the same run unsharded, and the comparison ---------------------------------------------
started=$(date +%s)
"$bin" run "$config" --out "$work/unsharded" >/dev/null 2>&1
echo "unsharded run: $(( $(date +%s) - started )) s"
status=0
for f in metrics.json predictions.csv equity.csv positions.csv stress.csv report.html; do
    if cmp -s "$sharded/$f" "$work/unsharded/$f"; then echo "same: $f"; else echo "DIFFERS: $f"; status=1; fi
done
exit $status
