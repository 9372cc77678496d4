"""Benchmark: the LTMR synthetic grid (100 configurations × 50 densities × 5 methods, m by the paper's Laplacian
rule; target ≤ 5 min on 2 cores) and the sensitivity grid (every variant × 20 configurations × 50 densities ×
5 methods, each graph cut for all m rules and scored with all Dice denominators; target ≤ 10 min).

    python benchmarks/bench_ltmr.py [--jobs 2] [--configurations 100] [--sensitivity-configurations 20] [--skip-sensitivity]

Prints the times and the main table (mean ± SD Dice, Wilcoxon p vs LTMR paired by configuration) beside the paper.
"""
import argparse, os, time
import numpy as np
from connmod.evaluate import METHODS
from connmod.ltmr import (run_synthetic, summarise, sensitivity_cells, claim_sentence, table_markdown, SYNTHETIC_DENSITIES,
                          M_RULES, AVERAGES, SENSITIVITY_VARIANTS, PAPER_SYNTHETIC)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--jobs', type=int, default=os.cpu_count())
    ap.add_argument('--configurations', type=int, default=100)
    ap.add_argument('--sensitivity-configurations', type=int, default=20)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--skip-sensitivity', action='store_true')
    a = ap.parse_args()
    run_synthetic(a.jobs, (.1,), n_jobs=a.jobs)                      # warm-up: start the worker processes

    t = time.perf_counter()
    g = run_synthetic(a.configurations, SYNTHETIC_DENSITIES, METHODS, ('laplacian',), ('matched',), a.seed, a.jobs)
    t = time.perf_counter() - t
    print(f"synthetic grid: {a.configurations} configurations × {len(SYNTHETIC_DENSITIES)} densities × {len(METHODS)} methods, "
          f"{a.jobs} workers: {t:.1f} s  (target ≤ 300 s -> {'met' if t <= 300 else 'MISSED'})")
    rows = summarise(g['dc'][:, 0, 0], METHODS, paper=PAPER_SYNTHETIC)
    print(table_markdown(rows, dict(method='method', mean_dc='mean DC', sd_dc='SD', p_vs_ltmr='p vs LTMR',
                                    paper_dc='paper DC', paper_p='paper p')))
    print(' ', claim_sentence(rows))

    if a.skip_sensitivity: return
    t0, dcs = time.perf_counter(), []
    for v, spec in SENSITIVITY_VARIANTS.items():
        t = time.perf_counter()
        dcs.append(run_synthetic(a.sensitivity_configurations, SYNTHETIC_DENSITIES, METHODS, tuple(M_RULES), AVERAGES, a.seed,
                                 a.jobs, spec.get('data'), spec.get('method'))['dc'])
        print(f"  variant {v:15} {time.perf_counter() - t:6.1f} s")
    t = time.perf_counter() - t0
    cells = sensitivity_cells(np.stack(dcs), list(SENSITIVITY_VARIANTS), list(M_RULES), AVERAGES)
    print(f"sensitivity grid: {len(SENSITIVITY_VARIANTS)} variants × {a.sensitivity_configurations} configurations × "
          f"{len(SYNTHETIC_DENSITIES)} densities × {len(METHODS)} methods ({len(M_RULES)} m rules × {len(AVERAGES)} Dice "
          f"denominators = {len(cells)} cells): {t:.1f} s  (target ≤ 600 s -> {'met' if t <= 600 else 'MISSED'})")
    held = [c for c in cells if c['paper_claim']]
    print(f"  the paper's claim (LTMR > LT > GT, p < 0.05) held in {len(held)} of {len(cells)} cells")


if __name__ == '__main__':
    main()
