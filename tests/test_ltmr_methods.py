"""Property batteries of the LTMR methods over many matrices (thresholding, reinforcement, normalized cuts, Dice matching,
synthetic data), the parity of ncut with scikit-learn, and the bad-input battery. Single-function examples are inline in
nbs/30_threshold … 33_synthetic."""
import itertools
import numpy as np
import pytest
from connmod.fixtures import planted_partition
from connmod.ltmr.threshold import global_threshold, local_threshold, mst_knn, fingerprint_similarity, reinforce, n_edges, row_normalise
from connmod.ltmr.spectral import ncut, n_subnetworks_laplacian
from connmod.ltmr.evaluate import dice_accuracy, dice_matrix, wilcoxon_compare, extract_subnetworks, method_graph, METHODS
from connmod.ltmr.synthetic import make_synthetic

THRESHOLDS = [global_threshold, local_threshold, mst_knn,
              lambda W, d, **kw: mst_knn(W, d, knn='node', **kw), lambda W, d, **kw: mst_knn(W, d, knn='global', **kw)]
DENSITIES = [1e-3, .01, .02, .05, .1, .137, .25, .5, .77, .99, 1.]


def random_matrices():
    rng = np.random.default_rng(42)
    for n in (5, 13, 40, 100):
        X = rng.uniform(-.3, 1, (n, n)); yield (X + X.T) / 2                     # distinct weights, signed
        X = rng.integers(0, 4, (n, n)).astype(float); yield np.triu(X, 1) + np.triu(X, 1).T   # heavy ties, zeros
    yield make_synthetic(seed=0)['W']                                            # many exact zeros


@pytest.mark.parametrize("f", THRESHOLDS)
def test_exact_density_symmetric_masked(f):
    for W in random_matrices():
        n = len(W)
        for d in DENSITIES:
            K = n_edges(n, d)
            if K < 1:
                with pytest.raises(ValueError, match='keeps no edge'): f(W, d)
                continue
            Wh, A = f(W, d, return_mask=True)
            assert A.dtype == bool and (A == A.T).all() and not A.diagonal().any()
            assert A.sum() // 2 == K, (n, d)
            assert np.array_equal(Wh, Wh.T)
            assert np.array_equal(Wh, np.where(A, W, 0) * (1 - np.eye(n)))


def test_lt_is_union_of_row_thresholds_and_covers_every_node():
    rng = np.random.default_rng(1)
    for n in (10, 30, 60):
        X = rng.random((n, n)); W = (X + X.T) / 2
        N = row_normalise(W); M = np.maximum(N, N.T)
        ones = int((np.triu(M, 1) == 1).sum())
        for d in np.linspace(.02, .9, 15):
            K = n_edges(n, d)
            _, A = local_threshold(W, d, return_mask=True)
            kept = M[A & np.triu(np.ones((n, n), bool), 1)]
            dropped = M[~A & np.triu(np.ones((n, n), bool), 1)]
            assert dropped.size == 0 or kept.min() >= dropped.max()      # a global threshold on max(N, N^T)
            if K >= ones: assert A.any(0).all()                          # every node keeps its strongest edge


def test_fingerprint_similarity_properties():
    rng = np.random.default_rng(4)
    for n, p in [(10, .1), (30, .2), (60, .05), (60, .5)]:
        A = np.triu(rng.random((n, n)) < p, 1); A = A | A.T
        for self_loops in (False, True):
            S = fingerprint_similarity(A, self_loops)
            assert np.allclose(S, S.T) and S.min() >= 0 and S.max() <= 1 + 1e-12
            deg = A.sum(1)
            assert np.allclose(np.diag(S)[deg > 0], 1)
            assert np.allclose(np.diag(S)[deg == 0], 1 if self_loops else 0)
            W = rng.random((n, n)) * A; W = (W + W.T) / 2
            R = reinforce(W, A, self_loops)
            assert np.allclose(R, R.T) and (R <= W + 1e-12).all() and not R[~A].any()
        S = fingerprint_similarity(A)
        B = A.astype(int)
        for i, j in itertools.islice(itertools.combinations(range(n), 2), 50):   # the formula, pair by pair
            m = min(B[i].sum(), B[j].sum())
            assert np.isclose(S[i, j], (B[i] & B[j]).sum() / m if m else 0)


@pytest.mark.parametrize("seed", range(5))
def test_ncut_recovers_planted_blocks(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 15, rng.integers(2, 8))
    W, z = planted_partition(sizes, .8, .03, seed=seed)
    lab = ncut(W, len(sizes), seed=seed)
    assert dice_accuracy(lab, z) == 1.0
    labs = ncut(W, [2, len(sizes)], seed=seed)
    assert labs.shape == (2, len(z)) and len(np.unique(labs[0])) == 2 and dice_accuracy(labs[1], z) == 1.0


def test_ncut_matches_sklearn_discretize():
    sk = pytest.importorskip('sklearn.cluster')
    agree = []
    for seed in range(5):
        W, z = planted_partition([12, 15, 18, 10], .5, .08, seed=seed)
        ours = ncut(W, 4, seed=0, regularise='epsilon', offset=1e-9)
        theirs = sk.SpectralClustering(4, affinity='precomputed', assign_labels='discretize', random_state=0).fit_predict(W)
        agree.append(dice_accuracy(ours, theirs))
        assert dice_accuracy(ours, z) > .9
    assert np.mean(agree) > .95


def test_dice_permutation_invariance_and_hungarian_optimality():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(5, 12))
        a, b = rng.integers(0, rng.integers(1, 5), n), rng.integers(0, rng.integers(1, 5), n)
        assert dice_accuracy(a, a) == 1.0
        perm = rng.permutation(10)
        for avg in ('matched', 'truth', 'max'):
            assert np.isclose(dice_accuracy(perm[a], b, avg), dice_accuracy(a, b, avg))
            assert np.isclose(dice_accuracy(a, perm[b] + 100, avg), dice_accuracy(a, b, avg))
        D = dice_matrix(a, b); K, N = D.shape
        if K <= N: best = max(sum(D[i, p[i]] for i in range(K)) for p in itertools.permutations(range(N), K))
        else: best = max(sum(D[p[j], j] for j in range(N)) for p in itertools.permutations(range(K), N))
        assert np.isclose(dice_accuracy(a, b) * min(K, N), best)
        assert np.isclose(dice_accuracy(a, b, 'truth') * N, best) and np.isclose(dice_accuracy(a, b, 'max') * max(K, N), best)


def test_synthetic_reproducible_and_wired():
    a, b = make_synthetic(seed=7), make_synthetic(seed=np.random.default_rng(7))
    for k in a:
        if a[k] is not None: assert np.array_equal(a[k], b[k]), k
    c = make_synthetic(seed=7, n_samples=300)
    assert c['N'] == a['N'] and not np.allclose(c['W'], a['W'])
    s, r = make_synthetic(seed=7, snr_db=(10, 10), estimate='correlation'), make_synthetic(seed=7, estimate='correlation')
    same = (s['labels'][:, None] == s['labels'][None, :]) & ~np.eye(100, dtype=bool)
    assert s['W'][same].mean() > 2 * r['W'][same].mean()                        # less noise: stronger correlations ...
    sc = make_synthetic(seed=7, snr_db=(10, 10))
    assert abs(sc['W'][same].mean() - a['W'][same].mean()) < .05               # ... but the same covariances (the signal's)
    assert np.diag(a['W']).mean() > 2 * np.diag(sc['W']).mean()                 # noise lives on the diagonal
    nb = make_synthetic(seed=7, bias_fraction=(0, 0))
    assert len(nb['biased']) == 0
    for seed in range(20):
        d = make_synthetic(seed=seed)
        assert d['sizes'].sum() == 100 and d['sizes'].min() >= 2 and 10 <= d['N'] <= 20
        assert 20 <= len(d['biased']) <= 30 and .3 <= d['z'] <= .4


def test_synthetic_covariance_is_scaled_correlation():
    "The default reading is the sample covariance: the correlation reading scaled by outer(sd, sd), same draws, same bias."
    for seed in range(5):
        v, r = make_synthetic(seed=seed), make_synthetic(seed=seed, estimate='correlation')
        assert v['estimate'] == 'covariance' and np.array_equal(v['biased'], r['biased']) and np.array_equal(v['sd'], r['sd'])
        assert np.allclose(v['W'], r['W'] * np.outer(v['sd'], v['sd']), rtol=1e-12, atol=0)
        for f in (global_threshold, local_threshold, mst_knn):        # scale-free: identical masks under a common scale ...
            shared = []
            for d in (.005, .02, .1, .3):
                _, A = f(r['W'], d, return_mask=True)
                assert np.array_equal(f(2.5 * r['W'], d, return_mask=True)[1], A)
                _, B = f(v['W'], d, return_mask=True)                 # ... not under the per-node scale sd_i sd_j:
                shared.append((A & B).sum() / A.sum())                # near-ties flip, mostly at the lowest densities
            assert np.mean(shared) > .9 and min(shared[2:]) > .97, (seed, f.__name__, shared)
    Wv, Wr = (reinforce(*local_threshold(x['W'], .1, return_mask=True)) for x in (v, r))
    assert n_subnetworks_laplacian(Wv) < n_subnetworks_laplacian(Wr)       # the paper's m rule is not scale-free
    assert n_subnetworks_laplacian(Wv, scale='relative') == n_subnetworks_laplacian(Wv / 3, scale='relative')


def test_pipeline_every_method_runs():
    d = make_synthetic(seed=3)
    for k in METHODS:
        lab = extract_subnetworks(d['W'], .1, k, m=d['N'], seed=0)
        assert lab.shape == (100,) and dice_accuracy(lab, d['labels']) == 1.0       # m = N: every method finds the blocks
        W = np.maximum(method_graph(d['W'], .1, k), 0)                              # m by the paper's rule on the cut graph
        lab = extract_subnetworks(d['W'], .1, k, m='laplacian', seed=0)
        assert lab.shape == (100,) and np.array_equal(lab, ncut(W, n_subnetworks_laplacian(W), seed=0))


BAD = [(lambda: global_threshold(np.eye(5), 0), 'density'), (lambda: local_threshold(np.eye(5), 1.01), 'density'),
       (lambda: mst_knn(np.eye(5), -.1), 'density'), (lambda: global_threshold(np.eye(5), np.nan), 'density'),
       (lambda: local_threshold(np.triu(np.ones((5, 5))), .5), 'symmetric'),
       (lambda: mst_knn(np.where(np.eye(5) == 0, np.nan, 1), .5), 'non-finite'),
       (lambda: global_threshold(np.ones((5, 4)), .5), 'square'),
       (lambda: mst_knn(np.eye(5), .5, below_tree='x'), 'below_tree'),
       (lambda: fingerprint_similarity(np.triu(np.ones((4, 4)))), 'symmetric'),
       (lambda: ncut(np.ones((5, 5)), 0), 'between 1 and'), (lambda: ncut(np.ones((5, 5)), 6), 'between 1 and'),
       (lambda: ncut(np.ones((5, 5)), 2, n_init=0), 'n_init'), (lambda: ncut(np.ones((5, 5)), 2, n_init=0, regularise='singleton'), 'n_init'),
       (lambda: ncut(np.ones((5, 5)), 2, regularise='x'), 'regularise'),
       (lambda: ncut(np.ones((5, 5)), [2, 9]), 'between 1 and'), (lambda: ncut(-np.ones((5, 5)), 2), 'nonnegative'),
       (lambda: n_subnetworks_laplacian(np.ones((5, 5)), graph='x'), 'graph'),
       (lambda: dice_accuracy([0, 1], [0, 1, 1]), 'same length'), (lambda: dice_accuracy([], []), 'non-empty'),
       (lambda: wilcoxon_compare([1, 2], [1, 2], unit='x'), 'unit'),
       (lambda: make_synthetic(bias_fraction=(.2, 1.5)), 'bias_fraction'), (lambda: make_synthetic(n_samples=2), 'n_samples'),
       (lambda: make_synthetic(0, n=100.5), 'n must be an integer'), (lambda: make_synthetic(estimate='cov'), 'estimate'),
       (lambda: make_synthetic(0, n=30, n_subnetworks=(12, 12), min_size=0, size_jitter=(-5, -5)), 'min_size'),
       (lambda: ncut(np.ones((5, 5)), 2, offset_scale='max'), 'offset_scale'),
       (lambda: n_subnetworks_laplacian(np.ones((5, 5)), scale='max'), 'scale')]


@pytest.mark.parametrize("call,msg", BAD)
def test_bad_input_raises_valueerror(call, msg):
    with pytest.raises(ValueError, match=msg): call()
