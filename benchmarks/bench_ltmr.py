"""Benchmark: the LTMR synthetic grid (both readings, covariance and correlation, × 100 configurations × 50 densities ×
5 methods, m by the paper's Laplacian rule and the true m; target ≤ 5 min on 2 cores) and the factorial audit of the
sensitivity report (the half-fraction design, 32 runs × 16 configurations × 17 densities × 5 methods, every m rule and
Dice denominator inside; target ≤ 10 min).

    python benchmarks/bench_ltmr.py [--n_jobs 2] [--configurations 100] [--sensitivity_configurations 16] [--skip_sensitivity]

Prints the times, the machine load, and the tables beside the paper with the claim test.
"""
import argparse, os, time
import numpy as np
from connmod.ltmr.evaluate import METHODS
from connmod.ltmr.grids import run_runs, summarise, claim_sentence, table_markdown, factorial_design, run_options, audit_cells, PAPER_SYNTHETIC
from connmod.report.ltmr import SYNTHETIC_FULL, SENSITIVITY_FULL


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n_jobs', type=int, default=os.cpu_count())
    ap.add_argument('--configurations', type=int, default=SYNTHETIC_FULL['configurations'])
    ap.add_argument('--sensitivity_configurations', type=int, default=SENSITIVITY_FULL['configurations'])
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--skip_sensitivity', action='store_true')
    a = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    run_runs([(None, None)], a.n_jobs, (.1,), n_jobs=a.n_jobs)                # warm-up: start the worker processes

    t = time.perf_counter()
    dens = SYNTHETIC_FULL['densities']
    g = run_runs([(dict(estimate=e), None) for e in ('covariance', 'correlation')], a.configurations, dens, METHODS,
                 ('laplacian', 'true'), ('matched',), a.seed, a.n_jobs)
    t = time.perf_counter() - t
    print(f"synthetic grid: 2 readings × {a.configurations} configurations × {len(dens)} densities × {len(METHODS)} methods, "
          f"{a.n_jobs} workers: {t:.1f} s  (target ≤ 300 s -> {'met' if t <= 300 else 'MISSED'}); load {os.getloadavg()[0]:.2f}")
    for i, e in enumerate(('covariance', 'correlation')):
        rows = summarise(g['dc'][i, :, 0, 0], METHODS, paper=PAPER_SYNTHETIC)
        print(table_markdown(rows, dict(method='method', mean_dc='mean DC', sd_dc='SD', p_vs_ltmr='p vs LTMR',
                                        paper_dc='paper DC', paper_p='paper p')))
        print(' ', claim_sentence(rows, f'the {e} reading'))

    if a.skip_sensitivity: return
    runs = factorial_design(SENSITIVITY_FULL['design'])
    sd, rules, avgs = SENSITIVITY_FULL['densities'], SENSITIVITY_FULL['m_rules'], SENSITIVITY_FULL['averages']
    t = time.perf_counter()
    s = run_runs([run_options(r) for r in runs], a.sensitivity_configurations, sd, METHODS, rules, avgs, a.seed, a.n_jobs)
    t = time.perf_counter() - t
    cells = audit_cells(s['dc'], runs, rules, avgs, m=s['m'])
    print(f"factorial audit: {len(runs)} runs × {a.sensitivity_configurations} configurations × {len(sd)} densities × "
          f"{len(METHODS)} methods ({len(rules)} m rules × {len(avgs)} Dice denominators = {len(cells)} cells): {t:.1f} s  "
          f"(synthetic part of the ≤ 600 s target -> {'met' if t <= 600 else 'MISSED'}); load {os.getloadavg()[0]:.2f}")
    print(f"  order holds in {sum(bool(c['order_holds']) for c in cells)}, reproduced in "
          f"{sum(bool(c['reproduced']) for c in cells)} of {len(cells)} cells; smallest level distance "
          f"{min(c['level_distance'] for c in cells):.3f}")


if __name__ == '__main__':
    main()
