#!/usr/bin/env bash
# tests/slurm-cluster.sh: a private single-node Slurm cluster on localhost, from Debian's packages
# (slurm-wlm, munge), for tests/cli_slurm.sh and for trying scripts/slurm/ by hand.
#
#   eval "$(bash tests/slurm-cluster.sh start DIR)"   # DIR: a new or empty folder; sets SLURM_CONF
#   sbatch ...; squeue; ...
#   bash tests/slurm-cluster.sh stop DIR              # cancels its jobs, stops what start started
#
# Everything lives in DIR: its own slurm.conf (this machine's short hostname, CPUs and memory,
# the partition `nsm`), its own munge key, socket and daemon, the controller's state, slurmd's
# spool, logs and pid files. Ports are picked free at start (never Slurm's default 6817/6818), so
# it does not clash with a cluster the machine already runs; the system's /etc/slurm and
# /etc/munge are neither read nor written. The daemons run as root (slurmd must, to start jobs),
# so start needs root: without it, or without the packages, it says why on stderr and exits 77,
# the exit code run-tests.sh counts as skipped. stop kills only the processes whose ids the pid
# files in DIR name.
set -u

say() { echo "slurm-cluster: $*" >&2; }

# A TCP port nothing listens on, from a range away from the usual services.
free_port() {
    local p tries
    for tries in $(seq 1 200); do
        p=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"; return 0
        fi
    done
    return 1
}

# Why this machine cannot run the cluster (empty when it can).
why_not() {
    local t
    for t in munged munge slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
        command -v "$t" >/dev/null 2>&1 || { echo "'$t' is not installed (Debian: slurm-wlm munge)"; return; }
    done
    [ "$(id -u)" -eq 0 ] || echo "not root: slurmd and a private munged must run as root (try sudo)"
}

write_conf() {
    local dir=$1 host=$2 cpus=$3 mem=$4 ctl=$5 sd=$6 srun=$7
    cat >"$dir/slurm.conf" <<EOF
# Written by tests/slurm-cluster.sh: a private one-node cluster; remove with its stop command.
ClusterName=neasimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl
SlurmdPort=$sd
SrunPortRange=$srun-$((srun + 99))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/pid/slurmctld.pid
SlurmdPidFile=$dir/pid/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# no cgroups: the test needs no confinement, and a container often has no writable cgroup tree
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=nsm Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
    local dir=$1
    # munged checks permissions: its socket folder must be traversable by all, its key private.
    mkdir -p "$dir/munge" "$dir/munge-private"
    chmod 755 "$dir" "$dir/munge"
    chmod 700 "$dir/munge-private"
    dd if=/dev/urandom of="$dir/munge-private/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge-private/munge.key"
    munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge-private/munge.key" \
        --pid-file="$dir/pid/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/munge-private/munged.seed" || return 1
    munge -n -S "$dir/munge/munge.socket" | unmunge -S "$dir/munge/munge.socket" >/dev/null
}

# Wait up to $2 seconds for the node to accept jobs.
wait_idle() {
    local dir=$1 limit=$2 state t
    for t in $(seq 1 "$limit"); do
        state=$(SLURM_CONF=$dir/slurm.conf sinfo -h -o %T 2>/dev/null)
        case "$state" in idle*|mixed*|allocated*) return 0 ;; esac
        sleep 1
    done
    say "the node is '$state' after ${limit}s"
    return 1
}

start() {
    local dir=$1 reason host cpus mem ctl sd srun
    reason=$(why_not)
    if [ -n "$reason" ]; then
        say "cannot start a Slurm cluster: $reason"; exit 77
    fi
    mkdir -p "$dir" || exit 1
    dir=$(realpath "$dir")
    if [ -e "$dir/slurm.conf" ]; then
        say "$dir already holds a cluster: stop it first (bash $0 stop $dir)"; exit 1
    fi
    mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/pid"
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(awk '/^MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
    ctl=$(free_port) && sd=$(free_port) && srun=$(free_port) || { say "no free port"; exit 77; }
    [ "$sd" != "$ctl" ] || sd=$((ctl + 1))
    write_conf "$dir" "$host" "$cpus" "$mem" "$ctl" "$sd" "$srun"
    if ! start_munge "$dir"; then
        say "munged did not start (log: $dir/log/munged.log):"; tail -3 "$dir/log/munged.log" >&2
        stop "$dir"; exit 77
    fi
    export SLURM_CONF=$dir/slurm.conf
    # -c: a fresh controller, no saved state; -i: ignore the missing state files that go with it
    if ! slurmctld -c -i || ! slurmd -N "$host" || ! wait_idle "$dir" 60; then
        say "the cluster did not come up; its logs:"
        tail -n 5 "$dir"/log/slurm*.log >&2
        stop "$dir"; exit 77
    fi
    say "up: node $host ($cpus CPUs, ${mem} MB), controller on port $ctl, in $dir"
    echo "export SLURM_CONF=$dir/slurm.conf"
}

# Kill the process a pid file names, if it is still the daemon it says, and wait for it.
stop_pid() {
    local file=$1 name=$2 pid t
    [ -s "$file" ] || return 0
    pid=$(cat "$file")
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
        kill "$pid" 2>/dev/null
        for t in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$file"
}

stop() {
    local dir=$1 t
    [ -d "$dir" ] || return 0
    dir=$(realpath "$dir")
    if [ -f "$dir/slurm.conf" ] && [ -s "$dir/pid/slurmctld.pid" ]; then
        export SLURM_CONF=$dir/slurm.conf
        scancel --full --quiet --partition=nsm 2>/dev/null
        for t in $(seq 1 30); do
            [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
            sleep 0.5
        done
    fi
    stop_pid "$dir/pid/slurmd.pid" slurmd
    stop_pid "$dir/pid/slurmctld.pid" slurmctld
    stop_pid "$dir/pid/munged.pid" munged
}

case "${1:-}" in
    start) [ $# -eq 2 ] || { say "usage: $0 start DIR"; exit 64; }; start "$2" ;;
    stop) [ $# -eq 2 ] || { say "usage: $0 stop DIR"; exit 64; }; stop "$2" ;;
    *) say "usage: $0 start DIR | stop DIR"; exit 64 ;;
esac
