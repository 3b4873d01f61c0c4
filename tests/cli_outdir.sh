#!/usr/bin/env bash
# tests/cli_outdir.sh: results folders (bad --out targets, DIR/, '.', the umask), stopping on a
# signal and the leftovers of a killed run, and the manifest's re-runnable command.
# Usage: bash tests/cli_outdir.sh BUILD_DIR   (from the project root)
source "$(dirname "$0")/cli-lib.sh"
# an immutable folder (chattr +i) survives rm -rf: make it mutable again first
trap 'chattr -R -i "$work" 2>/dev/null; rm -rf "$work"' EXIT

# state DIR: every name, type, size, mode and content under DIR (hidden entries included).
state() {
    (cd "$1" && find . -printf '%p %y %s %m\n' | sort && find . -type f -print0 | sort -z |
        xargs -0r md5sum)
}
ok() { pass=$((pass + 1)); }
bad_case() { echo "FAIL $1"; fail=$((fail + 1)); }
unchanged() { # unchanged NAME DIR BEFORE
    if [ "$(state "$2")" = "$3" ]; then ok; else bad_case "$1: something changed on disk in $2"; fi
}
leftovers() { find "$1" -name '.*.tmp-*' | wc -l; }

# One quick invocation per command, from any folder; "$@" adds --out and anything else.
models=$PWD/tests/models
run_cmd() { "$NEASIM" run "$models/two_state" --runs 10 --quiet "$@"; }
cmp_cmd() { "$NEASIM" compare "$models/paths" --levers push_f --runs 10 --quiet "$@"; }
swp_cmd() { "$NEASIM" sweep "$models/uncertain" --lhs 2 --runs 10 --quiet "$@"; }
in_dir() { local d=$1; shift; (cd "$d" && "$@"); }

# expect_out NAME EXIT PATTERN CMD ARGS...: like expect, for one of the *_cmd functions.
expect_out() {
    local name=$1 code=$2 pattern=$3 out rc
    shift 3
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit $rc, expected $code"; echo "$out" | head -5 | sed 's/^/    /'
        fail=$((fail + 1)); return
    fi
    if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output does not match /$pattern/"; echo "$out" | head -5 | sed 's/^/    /'
        fail=$((fail + 1)); return
    fi
    ok
}

# --- bad --out targets: a clear message, exit 73, nothing on disk changed -----------------------
immutable=0
mkdir -p "$work/ro-probe" && chattr +i "$work/ro-probe" 2>/dev/null &&
    ! touch "$work/ro-probe/x" 2>/dev/null && immutable=1
chattr -i "$work/ro-probe" 2>/dev/null
[ "$immutable" = 1 ] || skip_part "the read-only parent cases" "chattr +i is not available here"

for c in run cmp swp; do
    d="$work/bad-$c"
    mkdir -p "$d/precious" "$d/ro"
    echo data > "$d/afile"
    echo keep > "$d/precious/notes.txt"
    before=$(state "$d")
    expect_out "$c --out FILE" 73 "afile exists and is not a folder" ${c}_cmd --out "$d/afile"
    unchanged "$c --out FILE" "$d" "$before"
    expect_out "$c --out FILE/sub" 73 "afile.*(not a folder|Not a directory)" ${c}_cmd --out "$d/afile/sub"
    unchanged "$c --out FILE/sub" "$d" "$before"
    expect_out "$c --out FILE/a/b" 73 "(not a folder|Not a directory)" ${c}_cmd --out "$d/afile/a/b"
    unchanged "$c --out FILE/a/b" "$d" "$before"
    expect_out "$c foreign folder" 73 "precious exists and is not a neasim results folder" \
        ${c}_cmd --out "$d/precious"
    unchanged "$c foreign folder" "$d" "$before"
    if [ "$immutable" = 1 ]; then
        chattr +i "$d/ro"
        expect_out "$c read-only parent" 73 "ro.*(Operation not permitted|Permission denied|Read-only)" \
            ${c}_cmd --out "$d/ro/res"
        chattr -i "$d/ro"
        unchanged "$c read-only parent" "$d" "$before"
    fi
done

# --- a results folder is replaced whole: only when it holds nothing but what neasim writes -------
# A file the user put into one (notes) is never lost: the run is refused, the folder unchanged.
# figures/, brief.html and brief.pdf (make figures, make brief) are neasim's and go with the results.
for c in run cmp swp; do
    d="$work/own-$c"
    ${c}_cmd --out "$d/res"
    echo "my notes" > "$d/res/notes.txt"
    before=$(state "$d")
    expect_out "$c: a results folder holding a user's file" 73 \
        "res holds notes.txt, which neasim did not write, and a folder is replaced whole: move it out of the folder, or choose another --out" \
        ${c}_cmd --out "$d/res"
    unchanged "$c: a results folder holding a user's file" "$d" "$before"
    rm "$d/res/notes.txt"
    mkdir "$d/res/figures" && echo png > "$d/res/figures/a.png" && echo html > "$d/res/brief.html"
    echo pdf > "$d/res/brief.pdf"
    echo junk > "$d/res/.DS_Store" # a file manager's, hidden: not a user's work
    expect_out "$c: figures/, brief.html and brief.pdf are replaced with the results" 0 "" ${c}_cmd --out "$d/res"
    check_that "$c: the figures of the old results are gone with them" test ! -e "$d/res/figures"
done
# A resolved scenario (check --resolved) and a results folder never replace each other: a run
# into the scenario it reads would delete it.
"$NEASIM" check tests/models/two_state --resolved "$work/flat" >/dev/null
before=$(state "$work/flat")
expect_out "run into the resolved scenario it reads is refused" 73 \
    "flat holds a scenario \(scenario.csv, from check --resolved\); neasim never writes results over a scenario: choose another --out" \
    "$NEASIM" run "$work/flat" --runs 10 --quiet --out "$work/flat"
unchanged "run into the resolved scenario it reads" "$work/flat" "$before"
expect_out "check --resolved again replaces the earlier resolved scenario" 0 "" \
    "$NEASIM" check tests/models/two_state --resolved "$work/flat"
run_cmd --out "$work/res-for-check"
before=$(state "$work/res-for-check")
expect_out "check --resolved into a results folder is refused, naming --resolved" 73 \
    "res-for-check holds neasim results, not a resolved scenario; refusing to replace them: choose another --resolved" \
    "$NEASIM" check tests/models/two_state --resolved "$work/res-for-check"
unchanged "check --resolved into a results folder" "$work/res-for-check" "$before"

# --out followed by an option: getopt would take the option for the folder's name
expect_out "--out -q is refused: the folder is missing" 64 \
    "--out needs a folder, and '-q' looks like an option: give the folder after --out \(./-q for a folder of that name\)" \
    "$NEASIM" run tests/models/two_state --runs 10 --out -q
check_that "no folder named -q was made" test ! -e ./-q

# --- DIR/ is DIR; '.', '..' and the folder you stand in are refused ---------------------------
for c in run cmp swp; do
    d="$work/slash-$c"
    mkdir -p "$d"
    expect_out "$c --out DIR/" 0 "" ${c}_cmd --out "$d/res/"
    check_that "$c --out DIR/ wrote DIR" test -s "$d/res/manifest.csv"
    check_that "$c --out DIR/ left nothing beside DIR" test "$(ls -A "$d")" = res
    expect_out "$c --out DIR// again replaces it" 0 "" ${c}_cmd --out "$d/res//"
    check_that "$c --out DIR// left nothing beside DIR" test "$(ls -A "$d")" = res
    before=$(state "$d")
    for o in . ./ .. "$d" "$d/." "res/.." "/"; do
        expect_out "$c --out '$o' (in DIR)" 64 "must name a folder of its own|current folder or holds it" \
            in_dir "$d" ${c}_cmd --out "$o"
    done
    unchanged "$c --out . and the like" "$d" "$before"
done

# --- umask: every results folder is created as any new folder would be -----------------------
for c in run cmp swp; do
    for u in 022 077; do
        want=$(printf '%o' $((0777 & ~8#$u)))
        (umask $u && ${c}_cmd --out "$work/umask-$c-$u") >/dev/null 2>&1
        got=$(stat -c %a "$work/umask-$c-$u" 2>/dev/null)
        check_that "$c umask $u: folder mode $got, expected $want" test "$got" = "$want"
    done
done

# --- signals: SIGTERM, SIGHUP and SIGINT stop, remove the staging folder, exit 128 + N ---------
long_run() { # long_run [PREFIX...]: a run of minutes into $dest, in the background; sets $pid
    "$@" "$NEASIM" run scenarios/baseline --runs 100000000 --threads 1 --quiet --out "$dest" \
        >/dev/null 2>"$work/long.err" &
    pid=$!
}
wait_staging() { # wait until the staging folder of $dest exists (at most 10 s)
    for _ in $(seq 100); do
        [ "$(leftovers "$(dirname "$dest")")" -gt 0 ] && return 0
        sleep 0.1
    done
    return 1
}
for s in TERM:143 HUP:129 INT:130; do
    sig=${s%:*} want=${s#*:}
    mkdir -p "$work/sig-$sig"; dest="$work/sig-$sig/res"
    # a background job of a script starts with SIGINT ignored: give it the default back
    long_run env --default-signal=INT
    if wait_staging; then
        sleep 0.3; kill -s "$sig" "$pid"
        wait "$pid"; rc=$?
        check_that "SIG$sig: exit $rc, expected $want" test "$rc" -eq "$want"
        check_that "SIG$sig: staging folder removed" test "$(leftovers "$work/sig-$sig")" -eq 0
        check_that "SIG$sig: no results folder" test ! -e "$dest"
        check_that "SIG$sig: says why" grep -q "SIG$sig.*nothing was written" "$work/long.err"
    else
        kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        bad_case "SIG$sig: the run never created its staging folder"
    fi
done

# a stopped sweep keeps its finished points for --resume, and says so with the signal's exit code
mkdir -p "$work/sig-sweep"; dest="$work/sig-sweep/res"
"$NEASIM" sweep tests/models/uncertain --lhs 2000 --runs 20000 --threads 1 --quiet --out "$dest" \
    >/dev/null 2>"$work/sweep.err" &
pid=$!
for _ in $(seq 100); do [ -n "$(ls "$dest.partial/points" 2>/dev/null)" ] && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid"; rc=$?
check_that "sweep SIGTERM: exit $rc, expected 143" test "$rc" -eq 143
check_that "sweep SIGTERM: says how to go on" grep -q "stopped by SIGTERM after .*--resume" "$work/sweep.err"
check_that "sweep SIGTERM: no results folder yet" test ! -e "$dest"

# --- SIGKILL cannot be caught: the next run into the same place removes the leftover -----------
mkdir -p "$work/kill"; dest="$work/kill/res"
long_run
if wait_staging; then
    sleep 0.3; kill -9 "$pid"; wait "$pid" 2>/dev/null
    left=$(find "$work/kill" -maxdepth 1 -name '.res.tmp-*')
    check_that "SIGKILL leaves a marked staging folder" grep -q "^pid $pid\$" "$left/.neasim-staging"
    expect_out "a later run removes it" 0 "removed: the staging folder of an earlier run \\(pid $pid\\)" \
        "$NEASIM" run tests/models/two_state --runs 10 --out "$dest"
    check_that "SIGKILL leftover gone" test "$(leftovers "$work/kill")" -eq 0
    check_that "SIGKILL then run: results in place" test -s "$dest/manifest.csv"
else
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    bad_case "SIGKILL: the run never created its staging folder"
fi

# --- staging folders that are not provably stale are left alone, and reported -----------------
d="$work/stale"; mkdir -p "$d/.res.tmp-AbC123" "$d/.res.tmp-live01" "$d/.res.tmp-other1" \
    "$d/.res.tmp-dead01" "$d/.res.tmp-toolong7" "$d/.other.tmp-dead02"
echo mine > "$d/.res.tmp-AbC123/notes.txt" # no marker: never deleted
host=$(cat /proc/sys/kernel/hostname)
boot=$(cat /proc/sys/kernel/random/boot_id)
start=$(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$$/stat) # this shell: alive
printf 'neasim staging folder\npid %s\nstart %s\nboot %s\nhost %s\n' $$ "$start" "$boot" "$host" \
    > "$d/.res.tmp-live01/.neasim-staging"
printf 'neasim staging folder\npid %s\nstart 1\nboot %s\nhost elsewhere.example\n' $$ "$boot" \
    > "$d/.res.tmp-other1/.neasim-staging"
sleep 0 & dead=$!; wait $dead
for f in .res.tmp-dead01 .res.tmp-toolong7 .other.tmp-dead02; do
    printf 'neasim staging folder\npid %s\nstart 1\nboot %s\nhost %s\n' $dead "$boot" "$host" \
        > "$d/$f/.neasim-staging"
done
out=$("$NEASIM" run tests/models/two_state --runs 10 --out "$d/res" 2>&1)
check_that "stale: run succeeds" test -s "$d/res/manifest.csv"
check_that "stale: a folder without the marker is kept" test -s "$d/.res.tmp-AbC123/notes.txt"
check_that "stale: ... and reported" grep -q "res.tmp-AbC123: warning: .*without its marker" <<<"$out"
check_that "stale: a live writer's folder is kept" test -d "$d/.res.tmp-live01"
check_that "stale: another host's folder is kept" test -d "$d/.res.tmp-other1"
check_that "stale: ... and reported" grep -q "res.tmp-other1: warning: .*host elsewhere.example.*may still be running" <<<"$out"
check_that "stale: a dead writer's folder is removed" test ! -e "$d/.res.tmp-dead01"
check_that "stale: other names are not touched" test -d "$d/.res.tmp-toolong7" -a -d "$d/.other.tmp-dead02"
out=$("$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$d/res" 2>&1)
check_that "stale: --quiet reports nothing" test -z "$out"

# --- SIGXFSZ: a file-size limit fails the write cleanly ----------------------------------------
mkdir -p "$work/fsize"
out=$(ulimit -f 4 && "$NEASIM" run tests/models/paths --runs 10 --quiet --out "$work/fsize/res" 2>&1)
rc=$?
check_that "file-size limit: exit $rc, expected 73" test "$rc" -eq 73
check_that "file-size limit: says why" grep -q "File too large" <<<"$out"
check_that "file-size limit: nothing left" test -z "$(ls -A "$work/fsize")"

# --- out of memory: a clear message, exit 70, the earlier results kept -------------------------
# compare --outer keeps every draw's probabilities (2 x 8 bytes x draws x arms x outcomes x dates:
# 6.5 GB here) beyond a 1.5 GB address space: it once crashed (a NULL read) instead of saying so.
# A sanitizer build reserves terabytes of address space for its shadow memory and cannot run
# under such a limit: skipped there, loudly.
if ldd "$NEASIM" 2>/dev/null | grep -q libasan; then
    skip_part "out of memory under ulimit -v" "a sanitizer build cannot run under it; make test runs it"
else
    mkdir -p "$work/oom"
    "$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$work/oom/res" >/dev/null 2>&1
    before=$(cat "$work/oom/res/outcomes.csv")
    for shard in "" "--shard 1/1"; do # a shard's part is a file: its own name, not to be left
        dest=$work/oom/res
        [ -n "$shard" ] && dest=$work/oom/part-1
        # shellcheck disable=SC2086 # $shard is two words or none
        out=$(ulimit -v 1500000 && "$NEASIM" compare scenarios/baseline --levers all --outer 1000000 \
              --runs 1 --threads 1 $shard --out "$dest" 2>&1)
        rc=$?
        check_that "out of memory${shard:+ ($shard)}: exit $rc, expected 70" test "$rc" -eq 70
        check_that "out of memory${shard:+ ($shard)}: says what to do" \
            grep -q "out of memory: --outer 1000000 keeps .* (6.5 GB): use fewer draws" <<<"$out"
        check_that "out of memory${shard:+ ($shard)}: the earlier results kept" \
            test "$(cat "$work/oom/res/outcomes.csv")" = "$before"
        check_that "out of memory${shard:+ ($shard)}: nothing left beside them" \
            test "$(ls -A "$work/oom")" = res
    done
fi

# --- the files are on disk before the folder is renamed into place -----------------------------
if command -v strace >/dev/null; then
    strace -f -o "$work/strace.txt" -e trace=fsync,rename,renameat2 \
        "$NEASIM" run tests/models/two_state --runs 10 --quiet --out "$work/synced" >/dev/null 2>&1
    n=$(awk '/rename/ { exit } /fsync/ { n++ } END { print n + 0 }' "$work/strace.txt")
    check_that "fsync before rename: $n fsyncs (want >= 6: five tables and the folder)" test "$n" -ge 6
    # a sweep's hundreds of point files: one syncfs rather than an fsync each
    strace -f -o "$work/strace.txt" -e trace=fsync,syncfs,rename,renameat2 "$NEASIM" sweep \
        tests/models/uncertain --lhs 100 --runs 10 --quiet --out "$work/synced-sweep" >/dev/null 2>&1
    n=$(awk '/rename\("[^"]*synced-sweep.partial", / { exit } /syncfs\(/ { n++ } END { print n + 0 }' "$work/strace.txt")
    check_that "sweep: syncfs before rename" test "$n" -ge 1
else
    skip_part "the fsync ordering" "strace is not installed (make deps)"
fi

# --- manifest: `command` is the exact command line; re-run it and get the same tables ----------
# manifest_value DIR KEY: a value of manifest.csv, CSV quotes removed (one-line values).
manifest_value() {
    local v
    v=$(tr -d '\r' < "$1/manifest.csv" | sed -n "s/^$2,//p")
    if [ "${v:0:1}" = '"' ]; then v=${v:1:${#v}-2}; v=${v//\"\"/\"}; fi
    printf '%s' "$v"
}
rerun() { # rerun NAME DIR: run DIR's command again with another --out; tables byte-identical
    local name=$1 dir=$2 cmd cwd f same=1
    cmd=$(manifest_value "$dir" command)
    cwd=$(manifest_value "$dir" working_directory)
    (cd "$cwd" && bash -c "$cmd --out $(printf %q "$dir-again")") >/dev/null 2>&1 ||
        { bad_case "$name: the manifest's command fails: $cmd"; return; }
    for f in "$dir"/*.csv; do
        [ "$(basename "$f")" = manifest.csv ] && continue
        cmp -s "$f" "$dir-again/$(basename "$f")" || { same=0; echo "    differs: $f"; }
    done
    check_that "$name: re-run from the manifest is byte-identical" test "$same" = 1
}
mkdir -p "$work/it's here"
"$NEASIM" run tests/models/uncertain --runs 300 --seed 5 --quiet --out "$work/it's here/run" \
    --horizons 1,2 --outer 3 >/dev/null 2>&1
check_that "manifest command names the subcommand" \
    grep -q "^command,.*neasim run tests/models/uncertain --runs 300" "$work/it's here/run/manifest.csv"
check_that "manifest command quotes for the shell" \
    grep -qF "'$work/it'\\''s here/run'" "$work/it's here/run/manifest.csv"
rerun "run" "$work/it's here/run"
"$NEASIM" compare tests/models/paths --levers 'push_f,calm_h,push_f+calm_h' --runs 300 --seed 5 \
    --quiet --out "$work/it's here/cmp" >/dev/null 2>&1
rerun "compare" "$work/it's here/cmp"
"$NEASIM" sweep tests/models/uncertain --lhs 3 --runs 100 --seed 5 --quiet \
    --out "$work/it's here/swp" >/dev/null 2>&1
rerun "sweep" "$work/it's here/swp"

cli_done outdir
