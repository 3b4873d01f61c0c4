#!/usr/bin/env bash
# fuzz_part_seeds.sh NEASIM OUTDIR: the seed inputs of tests/fuzz_part.c, made by a real neasim
# from tests/fixtures/fuzz-seeds/part: a part of every kind a command writes (run, run --routes
# --signposts, run --outer, compare, compare --outer, sweep; shard 1 and 2 of 2), each behind the
# target's how-to-read bytes (tests/fuzz_part.c's header): a flag (memory or file) and the reads
# its command makes, in order. Made fresh each time rather than kept in the repository, so that
# they follow the format (NSM_PART_FORMAT) and the model as they change. Run from the project
# root; `make fuzz` runs it, and tests/cli_shards.sh replays its seeds, each of which must be
# read whole.
set -euo pipefail
neasim=$1
out=$2
model=tests/fixtures/fuzz-seeds/part
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seed NAME READS... -- COMMAND ARGS: the part of `neasim COMMAND MODEL ARGS --out PART`, behind
# byte 0 (from memory) and one seed more behind byte 1 (from a file). READS are the read codes;
# `reals` stands for 4 + 8 x (the REAL section's values a head item), computed from the part.
seed() {
    local name=$1
    shift
    local reads=()
    while [ "$1" != -- ]; do
        reads+=("$1")
        shift
    done
    shift
    local cmd=$1
    shift
    "$neasim" "$cmd" "$model" "$@" --out "$tmp/$name.part" --quiet
    python3 - "$tmp/$name.part" "$out/$name" "${reads[@]}" <<'EOF'
import struct, sys
part, dest, reads = sys.argv[1], sys.argv[2], sys.argv[3:]
b = open(part, "rb").read()
at, count, reals = 24, None, []
while at < len(b) - 32:
    tag, _, n = struct.unpack_from("<4sIQ", b, at)
    body = b[at + 16 : at + 16 + n]
    if tag == b"HEAD":
        pos = 0
        for _ in range(5):  # kind, version, checksum, scenario, options
            (k,) = struct.unpack_from("<Q", body, pos)
            pos += 8 + k
        _seed, _shard, _n, _first, count = struct.unpack_from("<QIIQQ", body, pos)
    elif tag == b"REAL":
        (values,) = struct.unpack_from("<Q", body, 0)
        reals.append(values // count)
    at += 16 + n
codes = []
for r in reads:
    if r == "reals":
        k = reals.pop(0)
        assert 0 < k < 32, "a REAL section of %d values an item: more than a read code holds" % k
        codes.append(4 + 8 * k)
    else:
        codes.append(int(r))
codes += [0] * (8 - len(codes))
for flag, suffix in ((0, "-memory"), (1, "-file")):
    open(dest + suffix, "wb").write(bytes([flag] + codes) + b)
EOF
}

for s in 1 2; do
    seed "run-$s" 1 -- run --runs 10 --shard "$s/2"
    seed "story-$s" 1 3 -- run --runs 10 --routes --signposts --watch 1 --shard "$s/2"
    seed "outer-$s" reals 1 -- run --outer 3 --runs 5 --shard "$s/2"
    seed "compare-$s" 1 1 2 7 -- compare --levers all --runs 10 --shard "$s/2"
    seed "compare-outer-$s" reals reals reals 1 1 2 7 -- \
        compare --levers all --outer 2 --runs 4 --shard "$s/2"
    seed "sweep-$s" 6 -- sweep --oat --runs 2 --shard "$s/2"
done
