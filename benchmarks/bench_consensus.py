"""Benchmark connmod's Louvain and consensus modularity against the peers, on the seven Hansen modes, in one run.

    CONNMOD_DATA=/path/to/hansen_manynetworks python benchmarks/bench_consensus.py [--seeds 50]

Prints: per-run Louvain time vs bctpy's `community_louvain` (target >= 40x), mean Q over `--seeds` seeds vs
bctpy at gamma in {0.5, 1, 2, 4} with B='negative_asym' (target: connmod >= bctpy - 0.5 %), the time of one
consensus call (250 runs + all-pairs z-Rand; target <= 0.5 s) and, at the representative gamma of each mode,
the consensus number of communities and ARI against the published partition; then one consensus call on a
random 1000-node modular matrix (target <= 5 s). netneurotools is run where it is installed (it needs
numpy < 2.3); otherwise that column is skipped.
"""
import argparse, sys, time
import numpy as np

t0 = time.perf_counter()
from connmod.louvain import louvain, louvain_runs
from connmod.consensus import consensus_modularity, ari
from connmod.datasets import load_modes, load_published_communities, fisher_z, GAMMAS, REPRESENTATIVE_GAMMA_COLUMNS
t_import = time.perf_counter() - t0

try:
    import bct
except ImportError:
    sys.exit("bctpy is needed for this benchmark (pip install bctpy)")
try:
    from netneurotools.modularity import consensus_modularity as nnt_consensus
except Exception as e:  # not installed, or fails to import on this numpy
    nnt_consensus, nnt_reason = None, f"{type(e).__name__}: {e}"


def timed(f, *a, **k):
    t = time.perf_counter(); out = f(*a, **k)
    return out, time.perf_counter() - t


def main(seeds=50, gammas=(0.5, 1.0, 2.0, 4.0), repeats=250):
    W_small = np.abs(np.random.default_rng(0).normal(size=(20, 20))); W_small = W_small + W_small.T
    _, t_first = timed(louvain, W_small, seed=0)
    _, t_first_runs = timed(louvain_runs, W_small, repeats=2, seed=0)
    _, t_first_cons = timed(consensus_modularity, W_small, repeats=4, seed=0)
    print(f"import connmod.louvain/consensus: {t_import:.2f} s; first calls (JIT compile, or load of the numba "
          f"cache): louvain {t_first:.2f} s, louvain_runs {t_first_runs:.2f} s, consensus {t_first_cons:.2f} s\n")

    modes = {k: fisher_z(A) for k, A in load_modes().items()}
    published = load_published_communities()

    print(f"== Louvain, B='negative_asym', {seeds} seeds per (mode, gamma) ==")
    print(f"{'mode':4} {'gamma':>5} {'Q bctpy':>9} {'Q connmod':>9} {'diff %':>7} {'ms bctpy':>8} "
          f"{'ms call':>8} {'ms batch':>8} {'x call':>7} {'x batch':>7}")
    worst, n_below, t_bct_all, t_call_all, t_batch_all = np.inf, 0, [], [], []
    for k, Z in modes.items():
        for g in gammas:
            q_b, t_b = [], []
            for s in range(seeds):
                (ci, q), t = timed(bct.community_louvain, Z, gamma=g, B='negative_asym', seed=s)
                q_b.append(q); t_b.append(t)
            q_c, t_c = [], []
            for s in range(seeds):
                (_, q), t = timed(louvain, Z, g, 'negative_asym', seed=s)
                q_c.append(q); t_c.append(t)
            (_, q_batch), t_batch = timed(louvain_runs, Z, g, 'negative_asym', seeds, seed=0)
            mb, mc = np.mean(q_b), np.mean(q_c)
            diff = 100 * (mc - mb) / abs(mb)
            worst = min(worst, diff); n_below += diff < -0.5
            tb, tc, tbatch = np.median(t_b), np.median(t_c), t_batch / seeds
            t_bct_all.append(tb); t_call_all.append(tc); t_batch_all.append(tbatch)
            print(f"{k:4} {g:5.1f} {mb:9.4f} {mc:9.4f} {diff:+7.2f} {1e3 * tb:8.2f} {1e3 * tc:8.3f} "
                  f"{1e3 * tbatch:8.3f} {tb / tc:7.1f} {tb / tbatch:7.1f}")
    tb, tc, tbatch = np.median(t_bct_all), np.median(t_call_all), np.median(t_batch_all)
    print(f"\nmedian per run: bctpy {1e3 * tb:.1f} ms; connmod one `louvain` call {1e3 * tc:.3f} ms "
          f"({tb / tc:.0f}x); connmod in a batch (`louvain_runs`, all cores) {1e3 * tbatch:.3f} ms "
          f"({tb / tbatch:.0f}x)   [target >= 40x]")
    print(f"total time over all (mode, gamma) cases, per run: bctpy {1e3 * np.mean(t_bct_all):.1f} ms, connmod call "
          f"{1e3 * np.mean(t_call_all):.3f} ms ({np.mean(t_bct_all) / np.mean(t_call_all):.0f}x), batch "
          f"{1e3 * np.mean(t_batch_all):.3f} ms ({np.mean(t_bct_all) / np.mean(t_batch_all):.0f}x)")
    print(f"worst mean-Q difference connmod vs bctpy: {worst:+.2f} %; cases below -0.5 %: {n_below} of "
          f"{len(t_bct_all)}   [target >= -0.5 %]\n")

    print(f"== consensus_modularity, B='negative_asym', repeats={repeats}, at the representative gamma ==")
    print(f"{'mode':4} {'gamma':>5} {'seconds':>8} {'k':>3} {'k pub':>5} {'ARI pub':>7}   k / ARI over seeds 1-4"
          f"   k / ARI with null_func=np.max (Bassett et al.), seed 0")
    times = []
    for k, col in REPRESENTATIVE_GAMMA_COLUMNS.items():
        g = GAMMAS[col]; pub = published[k][:, col]
        (cons, q_all, zr), t = timed(consensus_modularity, modes[k], g, 'negative_asym', repeats, seed=0)
        times.append(t)
        others = [consensus_modularity(modes[k], g, 'negative_asym', repeats, seed=s)[0] for s in range(1, 5)]
        spread = ' '.join(f"{o.max()}/{ari(o, pub):.2f}" for o in others)
        strict = consensus_modularity(modes[k], g, 'negative_asym', repeats, seed=0, null_func=np.max)[0]
        print(f"{k:4} {g:5.1f} {t:8.3f} {cons.max():3d} {pub.max():5d} {ari(cons, pub):7.3f}   {spread}"
              f"   {strict.max()}/{ari(strict, pub):.2f}")
        assert len(q_all) == repeats and len(zr) == repeats * (repeats - 1) // 2
    print(f"consensus call: median {np.median(times):.3f} s, max {max(times):.3f} s   [target <= 0.5 s]")

    if nnt_consensus is None:
        print(f"\nnetneurotools: skipped ({nnt_reason})")
    else:
        k, col = 'gc', REPRESENTATIVE_GAMMA_COLUMNS['gc']
        (out, t_nnt) = timed(nnt_consensus, modes[k], GAMMAS[col], 'negative_asym', repeats, seed=0)
        (_, t_ours) = timed(consensus_modularity, modes[k], GAMMAS[col], 'negative_asym', repeats, seed=0)
        print(f"\nnetneurotools consensus_modularity on gc: {t_nnt:.1f} s vs connmod {t_ours:.3f} s "
              f"({t_nnt / t_ours:.0f}x)   [target >= 250x]")

    n, n_mod = 1000, 8
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(n_mod), n // n_mod)
    X = rng.normal(0, 0.3, (n, n)) + np.where(g[:, None] == g, 0.3, -0.05)
    X = (X + X.T) / 2; np.fill_diagonal(X, 0)
    (cons, q_all, zr), t = timed(consensus_modularity, X, 1.0, 'negative_asym', repeats, seed=0)
    print(f"\nn = {n} random modular matrix ({n_mod} planted modules): one consensus call {t:.2f} s "
          f"[target <= 5 s]; k = {cons.max()}, ARI with the planted modules {ari(cons, g):.3f}")


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--seeds', type=int, default=50, help='Louvain seeds per (mode, gamma)')
    main(p.parse_args().seeds)
