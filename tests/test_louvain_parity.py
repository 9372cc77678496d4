"Parity of connmod's Louvain and consensus with bctpy and with closed forms; edge cases and bad input."
import os
from itertools import combinations
import numpy as np
import pytest
from connmod.engine.louvain import louvain, louvain_runs, louvain_reference, modularity_matrix, modularity_q, modularity_matrix_reference, best_single_move, relabel, seed_states, _louvain_nb, _tol
from connmod.engine.consensus import consensus_modularity, zrand, zrand_all, agreement_matrix, match_labels, ari, nmi, null_threshold

bct = pytest.importorskip('bct')
NULLS = ['modularity', 'potts', 'negative_sym', 'negative_asym']


def planted(sizes, p_in, p_out, seed, weighted=False):
    "Undirected planted-partition graph and its labels."
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(len(sizes)), sizes)
    P = np.where(g[:, None] == g, p_in, p_out)
    W = (rng.random(P.shape) < P).astype(float)
    if weighted: W *= rng.uniform(0.5, 1.5, W.shape)
    W = np.triu(W, 1)
    return W + W.T, g + 1


def signed(n, seed):
    "Signed symmetric matrix with a modular positive part (like a Fisher-z correlation matrix)."
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(4), n // 4)
    X = rng.normal(0, 0.3, (n, n)) + np.where(g[:, None] == g, 0.4, -0.1)
    X = (X + X.T) / 2; np.fill_diagonal(X, 0)
    return X


def graph_for(B, seed):
    if B == 'potts': return planted([15, 15, 15, 15], 0.5, 0.08, seed)[0]
    if B == 'modularity': return planted([15, 15, 15, 15], 0.5, 0.08, seed, weighted=True)[0]
    return signed(60, seed)


@pytest.fixture(scope='module')
def hansen_ts():
    if not os.environ.get('CONNMOD_DATA'): pytest.skip('CONNMOD_DATA not set')
    from connmod.modes.datasets import load_modes
    from connmod.matrices import fisher_z
    return fisher_z(load_modes()['ts'])


@pytest.mark.parametrize('B', NULLS)
def test_same_quality_function_as_bctpy(B):
    "bctpy's Q of its own partition equals connmod's Q of that partition: same B definitions, γ on both signs."
    for gamma in (0.5, 1.0, 2.5):
        W = graph_for(B, 1)
        ci, q = bct.community_louvain(W, gamma=gamma, B=B, seed=3)
        assert modularity_q(W, ci, gamma, B) == pytest.approx(q, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize('B', NULLS)
def test_q_distribution_vs_bctpy_small(B):
    for seed in range(3):
        W = graph_for(B, seed)
        for gamma in (0.7, 1.5):
            q_bct = np.array([bct.community_louvain(W, gamma=gamma, B=B, seed=s)[1] for s in range(50)])
            _, q_ours = louvain_runs(W, gamma, B, repeats=50, seed=seed)
            se = np.sqrt((q_bct.var() + q_ours.var()) / 50)   # standard error of the difference of the means
            assert q_ours.mean() >= q_bct.mean() - max(0.005 * abs(q_bct.mean()), 3 * se)


def test_q_distribution_vs_bctpy_hansen(hansen_ts):
    for gamma in (0.7, 2.0):
        q_bct = np.array([bct.community_louvain(hansen_ts, gamma=gamma, B='negative_asym', seed=s)[1] for s in range(15)])
        _, q_ours = louvain_runs(hansen_ts, gamma, 'negative_asym', repeats=50, seed=0)
        assert q_ours.mean() >= q_bct.mean() * (1 - 0.005)


@pytest.mark.parametrize('B', NULLS)
def test_kernel_matches_reference(B):
    W = graph_for(B, 7)
    Bm = modularity_matrix(W, 1.3, B); tol = _tol(Bm)
    for s in seed_states(11, 4):
        m, q = _louvain_nb(Bm, s, tol, np.empty(Bm.size))
        np.testing.assert_array_equal(m, louvain_reference(Bm, s, tol))
        assert q == pytest.approx(modularity_q(W, m, 1.3, B), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize('B', NULLS)
def test_local_optimum_and_q(B):
    for seed in range(4):
        W = graph_for(B, seed)
        for gamma in (0.3, 1.0, 3.0):
            labels, q = louvain(W, gamma, B, seed=seed)
            np.testing.assert_array_equal(labels, relabel(labels))
            assert labels.min() == 1
            assert q == pytest.approx(modularity_q(W, labels, gamma, B), rel=1e-12, abs=1e-14)  # trace vs sum
            assert best_single_move(W, labels, gamma, B) <= 1e-9 * np.abs(modularity_matrix(W, gamma, B)).max()


def test_seeding():
    W = signed(80, 0)
    a = louvain(W, 1.0, 'negative_asym', seed=12)
    b = louvain(W, 1.0, 'negative_asym', seed=np.random.default_rng(12))
    c = louvain(W, 1.0, 'negative_asym', seed=np.random.SeedSequence(12))
    np.testing.assert_array_equal(a[0], b[0]); np.testing.assert_array_equal(a[0], c[0])
    runs1, q1 = louvain_runs(W, 1.0, 'negative_asym', 30, seed=5)
    runs2, q2 = louvain_runs(W, 1.0, 'negative_asym', 30, seed=5)
    np.testing.assert_array_equal(runs1, runs2); np.testing.assert_array_equal(q1, q2)
    assert louvain(W, 1.0, 'negative_asym')[0].shape == (80,)   # seed=None works


def test_user_given_B_matrix():
    W = graph_for('modularity', 3)
    Bm = modularity_matrix(W, 1.2)
    l1, q1 = louvain(W, B=Bm, seed=4)
    l2, q2 = louvain(W, 1.2, seed=4)
    np.testing.assert_array_equal(l1, l2); assert q1 == pytest.approx(q2)


@pytest.mark.parametrize('sizes,p_in,p_out', [([30, 30, 30, 30], 0.6, 0.1), ([20, 40, 60], 0.5, 0.05),
                                              ([50, 50], 0.3, 0.05)])
def test_planted_partition_recovered_exactly(sizes, p_in, p_out):
    W, g = planted(sizes, p_in, p_out, seed=sum(sizes))
    consensus, q_all, zr = consensus_modularity(W, repeats=100, seed=0)
    np.testing.assert_array_equal(consensus, relabel(g))
    assert q_all.shape == (100,) and zr.shape == (4950,)


def zrand_closed_form(x, y):
    "Traud et al. 2011 z-Rand, counted over all pairs i < j."
    n = len(x); same_x = np.array([x[i] == x[j] for i, j in combinations(range(n), 2)])
    same_y = np.array([y[i] == y[j] for i, j in combinations(range(n), 2)])
    M, M1, M2, w11 = len(same_x), same_x.sum(), same_y.sum(), (same_x & same_y).sum()
    nx, ny = np.unique(x, return_counts=True)[1], np.unique(y, return_counts=True)[1]
    C1 = n * (n**2 - 3*n - 2) - 8 * (n + 1) * M1 + 4 * (nx.astype(float) ** 3).sum()
    C2 = n * (n**2 - 3*n - 2) - 8 * (n + 1) * M2 + 4 * (ny.astype(float) ** 3).sum()
    a, b = 4 * M1 - 2 * M, 4 * M2 - 2 * M
    var = (M / 16 - a**2 * b**2 / (256 * M**2) + C1 * C2 / (16 * n * (n-1) * (n-2))
           + (a**2 - 4*C1 - 4*M) * (b**2 - 4*C2 - 4*M) / (64 * n * (n-1) * (n-2) * (n-3)))
    return (w11 - M1 * M2 / M) / np.sqrt(var)


def test_zrand_closed_form_random_pairs():
    rng = np.random.default_rng(1)
    for _ in range(20):
        n = int(rng.integers(10, 60))
        x, y = rng.integers(0, rng.integers(2, 6), n), rng.integers(0, rng.integers(2, 6), n)
        if len(np.unique(x)) < 2 or len(np.unique(y)) < 2: continue
        assert zrand(x, y) == pytest.approx(zrand_closed_form(x, y), rel=1e-9)


def test_zrand_self_and_errors():
    x = np.repeat(np.arange(5), 40)
    z = zrand(x, x)
    assert np.isfinite(z) and z > 100
    with pytest.raises(ValueError, match='single community'): zrand(x, np.zeros(200))
    with pytest.raises(ValueError, match='same nodes'): zrand(x, x[:-1])


def test_zrand_all_matches_pairwise_and_nan():
    rng = np.random.default_rng(2)
    A = rng.integers(0, 4, (60, 15)); A[:, 0] = 7
    zz = zrand_all(A)
    assert zz.shape == (105,)
    for z, (i, j) in zip(zz, combinations(range(15), 2)):
        if i == 0: assert np.isnan(z)
        else: assert z == pytest.approx(zrand(A[:, i], A[:, j]), rel=1e-10)


def test_ari_nmi_vs_sklearn():
    metrics = pytest.importorskip('sklearn.metrics')
    rng = np.random.default_rng(3)
    for _ in range(10):
        x, y = rng.integers(0, 5, 100), rng.integers(0, 3, 100)
        y[:50] = x[:50]
        assert ari(x, y) == pytest.approx(metrics.adjusted_rand_score(x, y), abs=1e-12)
        assert nmi(x, y) == pytest.approx(metrics.normalized_mutual_info_score(x, y), abs=1e-12)


def test_agreement_vs_bct_definition():
    rng = np.random.default_rng(4)
    A = rng.integers(0, 3, (30, 12))
    D = agreement_matrix(A)
    expected = np.mean([a[:, None] == a[None, :] for a in A.T], axis=0)
    np.testing.assert_allclose(D, expected)
    assert 0 < null_threshold(A, seed=0) <= 1


def test_match_labels():
    target = np.array([3, 3, 3, 1, 1, 2, 2, 2])
    source = np.array([9, 9, 9, 9, 5, 0, 0, 0])
    np.testing.assert_array_equal(match_labels(source, target), [3, 3, 3, 3, 1, 2, 2, 2])
    out = match_labels(np.arange(8) // 2, target)       # 4 communities onto 3: one gets a new label
    assert ari(out, np.arange(8) // 2) == 1.0 and sorted(set(out)) == [1, 2, 3, 4]
    assert out[0] == 3 and out[7] == 2


@pytest.mark.parametrize('call,match', [
    (lambda W: louvain(np.ones((3, 4))), 'square'),
    (lambda W: louvain(W + np.triu(W)), 'symmetric'),
    (lambda W: louvain(np.where(np.eye(len(W), k=1, dtype=bool), np.nan, W)), 'non-finite'),
    (lambda W: louvain(W, gamma=0), 'gamma'),
    (lambda W: louvain(W, gamma=-2), 'gamma'),
    (lambda W: louvain(W, gamma=np.nan), 'gamma'),
    (lambda W: louvain(W, B='newman'), 'unknown B'),
    (lambda W: louvain(W - 0.5, B='modularity'), 'non-negative'),
    (lambda W: consensus_modularity(W, repeats=0), 'repeats'),
    (lambda W: consensus_modularity(W, repeats=2.5), 'repeats'),
    (lambda W: consensus_modularity(W, B='x'), 'unknown B'),
    (lambda W: consensus_modularity(W, gamma=0), 'gamma'),
])
def test_bad_input(call, match):
    W = graph_for('modularity', 0)
    with pytest.raises(ValueError, match=match): call(W)


def test_null_func_choices():
    "The mean null threshold (netneurotools) is below the max (Bassett et al. 2013); both give exact planted recovery."
    W, g = planted([30, 30, 30], 0.5, 0.08, seed=3)
    runs, _ = louvain_runs(W, repeats=50, seed=0)
    assert null_threshold(runs, seed=1) < null_threshold(runs, seed=1, null_func=np.max)
    for f in (np.mean, np.max):
        np.testing.assert_array_equal(consensus_modularity(W, repeats=50, seed=2, null_func=f)[0], relabel(g))


def test_compile_notice_only_without_a_cached_copy(tmp_path, capsys, monkeypatch):
    "One line on stderr before a kernel with no cached copy is compiled; nothing once numba's cache holds it."
    import importlib, sys
    import connmod.engine.louvain as L
    L.modularity_q(np.ones((3, 3)) - np.eye(3), [1, 1, 2])   # compiles (or loads) L._q
    (tmp_path/'kern_mod.py').write_text("from numba import njit\n@njit(cache=True)\ndef f(x): return x + 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(L, '_announced', set())
    mod = importlib.import_module('kern_mod')
    L._compile_notice({mod.f: 3, L._q: 7})                # _q is loaded already: it does not count
    assert capsys.readouterr().err == "compiling connmod's kernels once, ~3 s (numba caches them for later runs)\n"
    L._compile_notice({mod.f: 3})                          # said once
    assert capsys.readouterr().err == ''
    assert mod.f(1) == 2                                   # compiled, and saved in the cache
    monkeypatch.setattr(L, '_announced', set())
    del sys.modules['kern_mod']; mod = importlib.import_module('kern_mod')   # a fresh dispatcher, as in a new process
    L._compile_notice({mod.f: 3})
    assert capsys.readouterr().err == '' and mod.f(2) == 3


def test_quick_and_careful_checks_agree():
    "W symmetric only within tolerance takes the careful path and gets the same B; bad W raises the precise error."
    W = graph_for('negative_asym', 2)
    Wa = W + 1e-10 * np.triu(np.abs(W), 1)                 # |W - Wᵀ| adds up to more than 1e-8, each entry is tiny
    np.testing.assert_allclose(modularity_matrix(Wa, 1.2, 'negative_asym'),
                               modularity_matrix_reference(Wa, 1.2, 'negative_asym'), rtol=1e-12, atol=1e-17)
    with pytest.raises(ValueError, match='diagonal'): louvain(np.where(np.eye(len(W), dtype=bool), np.inf, W), B='negative_asym')
    with pytest.raises(ValueError, match='no weight'): louvain(np.zeros((5, 5)))
    with pytest.raises(ValueError, match='non-negative'): modularity_matrix(W, B='potts')
