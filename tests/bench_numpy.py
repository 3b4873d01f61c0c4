#!/usr/bin/env python3
"""bench_numpy.py: the reference chain (tests/models/chain6) simulated with NumPy, vectorized over
replications, as an analyst would write it without neasim: the peer of `make bench`.

    bench_numpy.py RUNS

The direct method on every replication at once: an exponential holding time at the total rate
0.6 a year, a uniform for the direction; the state at every monthly report date over 10 years from
2026-01-01 (difference arrays over the report index, as the engine keeps them). Prints one line
of key=value figures.
"""
import datetime
import sys
import time

import numpy as np

STATES, FAR, RATE, YEARS = 6, 3, 0.6, 10


def report_days():
    start = datetime.date(2026, 1, 1)
    days = []
    for k in range(12 * YEARS + 1):
        y, m = divmod(k, 12)
        days.append((datetime.date(2026 + y, 1 + m, 1) - start).days)
    return np.array(days, dtype=float)


def main():
    runs = int(sys.argv[1])
    rt = report_days()
    n, t_end = len(rt), rt[-1]
    rng = np.random.default_rng(1)
    occ = np.zeros((STATES, n + 1), dtype=np.int64)
    t0 = time.perf_counter()
    s = np.zeros(runs, dtype=np.int64)
    t = np.zeros(runs)
    seg = np.zeros(runs, dtype=np.int64)
    live = np.arange(runs)
    jumps = 0
    while live.size:
        t[live] += rng.exponential(365.25 / RATE, live.size)
        over = t[live] > t_end
        done = live[over]
        np.add.at(occ, (s[done], seg[done]), 1)
        np.add.at(occ, (s[done], n), -1)
        live = live[~over]
        i = np.searchsorted(rt, t[live], side="left")
        np.add.at(occ, (s[live], seg[live]), 1)
        np.add.at(occ, (s[live], i), -1)
        seg[live] = i
        step = np.where(rng.random(live.size) < 0.5, 1, STATES - 1)
        s[live] = (s[live] + step) % STATES
        jumps += live.size
    wall = time.perf_counter() - t0
    p_far = occ[FAR, :n].sum() / runs
    print(f"model=chain6 runs={runs} wall_s={wall:.3f} reps_per_s={runs / wall:.0f} "
          f"jumps_per_rep={jumps / runs:.2f} p_far_at_end={p_far:.4f}")


if __name__ == "__main__":
    main()
