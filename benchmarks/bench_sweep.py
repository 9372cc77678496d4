"""Benchmark: the full Hansen sweep (7 modes × 60 γ × 250 Louvain runs, z-Rand of every pair) with connmod,
against the peer's cost estimated from its measured time per consensus call.

    python benchmarks/bench_sweep.py [--n_jobs 2] [--repeats 250] [--gammas 60] [--peer_seconds 22.4] [--algorithm leiden]

Also checks that time grows linearly in the number of γ values and in repeats, and that the parent's
memory does not grow with the number of tasks beyond the results it returns. `--algorithm leiden` runs the same
sweep with Leiden (the 240 s target is set for Louvain, the default).
"""
import argparse, os, resource, tempfile, time
from connmod.modes.datasets import load_modes, GAMMAS
from connmod.matrices import fisher_z
from connmod.engine.sweep import sweep


def timed(**kw):
    t = time.perf_counter(); res = sweep(progress=False, **kw); return time.perf_counter() - t, res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n_jobs', type=int, default=os.cpu_count())
    ap.add_argument('--repeats', type=int, default=250)
    ap.add_argument('--gammas', type=int, default=60, help='how many of the 60 published γ values')
    ap.add_argument('--peer_seconds', type=float, default=22.4,
                    help='netneurotools 0.3.0 consensus_modularity, seconds per call (22.4 s measured by bench_consensus.py on '
                         'gc on the 2-core CI machine class, 2026-11-25; 127 s has been reported on other machines)')
    ap.add_argument('--skip_scaling', action='store_true')
    ap.add_argument('--algorithm', default='louvain', choices=['louvain', 'leiden'])
    a = ap.parse_args()
    modes = {k: fisher_z(W) for k, W in load_modes().items()}

    # warm-up: JIT compilation in this process and in the workers is not part of the sweep's cost
    sweep({'mc': modes['mc']}, [1.0], repeats=4, n_jobs=a.n_jobs, progress=False, algorithm=a.algorithm)

    if not a.skip_scaling:
        print('scaling (one mode, in-process, no pool start-up): time should double with γ values and with repeats')
        base = None
        for g, r in [(10, 125), (20, 125), (10, 250)]:
            t, _ = timed(modes={'gc': modes['gc']}, gammas=GAMMAS[10:10 + g], repeats=r, n_jobs=1, algorithm=a.algorithm)
            base = base or t
            print(f'  {g:2d} γ × {r} repeats: {t:6.2f} s  ({t / base:4.2f} × the first)')

    gammas = GAMMAS[:a.gammas]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as d:
        t, res = timed(modes=modes, gammas=gammas, repeats=a.repeats, n_jobs=a.n_jobs, out_dir=d, algorithm=a.algorithm)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n_tasks = len(modes) * len(gammas)
    peer = n_tasks * a.peer_seconds
    result_mb = sum(v.nbytes for r in res.values() for v in r.values()) / 2**20
    print(f'full sweep: {len(modes)} modes × {len(gammas)} γ × {a.repeats} repeats = {n_tasks} consensus calls, '
          f'{a.n_jobs} workers, {a.algorithm}')
    print(f'  connmod: {t:8.1f} s  ({t / n_tasks:.3f} s per call)')
    print(f'  peer (netneurotools 0.3.0, {a.peer_seconds:g} s per call, 1 process): {peer:8.0f} s = {peer / 3600:.1f} h (estimated)')
    full = len(gammas) == 60 and a.repeats == 250
    verdict = ("met" if t <= 240 else "MISSED") if full else "not judged (not the full 60 γ × 250 grid)"
    print(f'  speed-up: {peer / t:,.0f} ×   target: full sweep ≤ 240 s -> {verdict}')
    print(f'  parent max RSS grew by {(rss1 - rss0) / 1024:.0f} MB for {result_mb:.0f} MB of results')


if __name__ == '__main__':
    main()
