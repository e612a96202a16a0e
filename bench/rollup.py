"""The statistics roll-up at city scale alone (1,000,000 problems; `BENCH_TICKETS` to change): rebuilt whole,
then kept current by the sweep with a thousand changes (budget ≤ 1 s at 1 M) — the part of `bench/tickets.py`
that measures it, to run by itself (`make bench ONLY=rollup`)."""

import time


def run(report):
    from bench.tickets import _rollup_incremental, ensure_ledger
    from yingshang.tickets import services

    ensure_ledger(report)
    for _ in range(2):
        t = time.perf_counter()
        rebuilt = services.statistics_refresh(full=True)
        report.figure(f"statistics roll-up rebuilt whole ({rebuilt['day_cells']} day cells, {rebuilt['cells']} "
                      "month cells, and each problem's own counts)", time.perf_counter() - t, "s")
    _rollup_incremental(report)
