#!/usr/bin/env python3
"""CLK matching throughput on one core: mamar's Dice kernels and the anonlink package's
(`dice_coefficient_accelerated`, C++ with hardware popcount) on the same encodings, in the
same run.

Usage (from the repository root; the virtual environment is not part of the repository):

    python3 -m venv /work/venv-linkage
    /work/venv-linkage/bin/pip install anonlink==0.15.3
    cargo build --release -p mamar-linkage --example linkage_bench
    /work/venv-linkage/bin/python crates/mamar-linkage/scripts/compare_anonlink.py \\
        --records 100000 --queries 2000 --runs 5 --work /tmp/clk-compare

Both sides run pinned to CPU 0. `linkage_bench clk-export` writes the encodings of two
generated lists (1024-bit CLKs, the default scheme, about RECORDS records each) as hex;
anonlink compares the first QUERIES encodings of list A with every encoding of list B at
threshold 0.8, RUNS times; `linkage_bench clk-throughput` does the same with each of mamar's
kernels. The number of pairs found at 0.8 is printed for both, so that the two are seen to
compute the same thing.
"""

import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BENCH = os.path.join(TARGET, "release", "examples", "linkage_bench")


def load(path):
    from bitarray import bitarray

    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            bits = bitarray()
            bits.frombytes(bytes.fromhex(line.strip()))
            out.append(bits)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--work", default="/tmp/clk-compare")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    subprocess.run([BENCH, "clk-export", str(args.records), args.work], check=True)
    a = load(os.path.join(args.work, "clk_a.hex"))
    b = load(os.path.join(args.work, "clk_b.hex"))
    print(f"encodings: {len(a)} and {len(b)}, {len(a[0])} bits; load average {os.getloadavg()[0]:.2f}")

    from anonlink.similarities import dice_coefficient_accelerated

    os.sched_setaffinity(0, {0})
    queries = a[: args.queries]
    rates, found = [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        scores, _ = dice_coefficient_accelerated([queries, b], args.threshold)
        elapsed = time.perf_counter() - started
        rates.append(len(queries) * len(b) / elapsed / 1e6)
        found = len(scores)
    print(
        f"anonlink {__import__('anonlink').__version__} dice_coefficient_accelerated: median "
        f"{statistics.median(rates):.1f} million comparisons/s (runs: {[round(r) for r in rates]}) "
        f"[{found} pairs >= {args.threshold} per run]"
    )

    print(f"load average {os.getloadavg()[0]:.2f}")
    subprocess.run(
        ["taskset", "-c", "0", BENCH, "clk-throughput", str(args.records), str(args.runs), str(args.queries)],
        check=True,
    )


if __name__ == "__main__":
    main()
