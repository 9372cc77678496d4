"Parity of connmod's Louvain and consensus with bctpy and scikit-learn; planted recovery, edge cases and bad input (the closed forms are tested inline in 10_louvain and 11_consensus)."
import os
import numpy as np
import pytest
from connmod.engine.louvain import louvain, louvain_runs, louvain_reference, modularity_matrix, modularity_q, modularity_matrix_reference, best_single_move, relabel, seed_states, louvain_nb, move_tolerance, leiden_nb, leiden_theta
from connmod.fixtures import planted_partition
from connmod.engine.consensus import consensus_modularity, ari, nmi, null_threshold

bct = pytest.importorskip('bct')
NULLS = ['modularity', 'potts', 'negative_sym', 'negative_asym']


def signed(n, seed):
    "Signed symmetric matrix with a modular positive part (like a Fisher-z correlation matrix)."
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(4), n // 4)
    X = rng.normal(0, 0.3, (n, n)) + np.where(g[:, None] == g, 0.4, -0.1)
    X = (X + X.T) / 2; np.fill_diagonal(X, 0)
    return X


def graph_for(B, seed):
    if B == 'potts': return planted_partition([15, 15, 15, 15], 0.5, 0.08, weights=None, seed=seed)[0]
    if B == 'modularity': return planted_partition([15, 15, 15, 15], 0.5, 0.08, weights=(0.5, 1.5), seed=seed)[0]
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
    Bm = modularity_matrix(W, 1.3, B); tol = move_tolerance(Bm)
    for s in seed_states(11, 4):
        m, q = louvain_nb(Bm, s, tol, np.empty(Bm.size))
        np.testing.assert_array_equal(m, louvain_reference(Bm, s, tol))
        assert q == pytest.approx(modularity_q(W, m, 1.3, B), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize('B', NULLS)
def test_lone_call_is_the_plain_path(B):
    "`louvain` takes the tolerance and θ from building B, and the scale of W from its strengths: the same runs as B, then the kernel."
    X = np.random.default_rng(3).normal(size=(60, 60)); X = X + X.T; np.fill_diagonal(X, 0)   # no structure: the draws matter
    X = {'modularity': np.abs(X), 'potts': (X > 0.5) * 1.0}.get(B, X)
    for scale in (1.0, 1e-19, 2.0**-70, 2.0**70):      # ordinary, light (careful path), and rescaled by a power of two
        W = X * (1.0 if B == 'potts' else scale)
        Bm = modularity_matrix(W, 1.3, B); tol, theta = move_tolerance(Bm), leiden_theta(Bm)
        for s in range(3):
            state = seed_states(s)[0]
            np.testing.assert_array_equal(louvain(W, 1.3, B, seed=s)[0], louvain_nb(Bm, state, tol, np.empty(Bm.size))[0] + 1)
            np.testing.assert_array_equal(louvain(W, 1.3, B, seed=s, algorithm='leiden')[0],
                                          leiden_nb(Bm, state, tol, theta, np.empty(Bm.size))[0] + 1)


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
    W, g = planted_partition(sizes, p_in, p_out, weights=None, seed=sum(sizes))
    consensus, q_all, zr = consensus_modularity(W, repeats=100, seed=0)
    np.testing.assert_array_equal(consensus, relabel(g))
    assert q_all.shape == (100,) and zr.shape == (4950,)


def test_ari_nmi_vs_sklearn():
    metrics = pytest.importorskip('sklearn.metrics')
    rng = np.random.default_rng(3)
    for _ in range(10):
        x, y = rng.integers(0, 5, 100), rng.integers(0, 3, 100)
        y[:50] = x[:50]
        assert ari(x, y) == pytest.approx(metrics.adjusted_rand_score(x, y), abs=1e-12)
        assert nmi(x, y) == pytest.approx(metrics.normalized_mutual_info_score(x, y), abs=1e-12)


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
    W, g = planted_partition([30, 30, 30], 0.5, 0.08, weights=None, seed=3)
    runs, _ = louvain_runs(W, repeats=50, seed=0)
    assert null_threshold(runs, seed=1) < null_threshold(runs, seed=1, null_func=np.max)
    for f in (np.mean, np.max):
        np.testing.assert_array_equal(consensus_modularity(W, repeats=50, seed=2, null_func=f)[0], relabel(g))


def test_compile_notice_only_without_a_cached_copy(tmp_path, capsys, monkeypatch):
    "One line on stderr before a kernel with no cached copy is compiled; nothing once numba's cache holds it."
    import importlib, sys
    import connmod.engine.louvain as L
    L.first_seen_nb(np.array([0, 1]))                       # compiles (or loads) first_seen_nb
    (tmp_path/'kern_mod.py').write_text("from numba import njit\n@njit(cache=True)\ndef f(x): return x + 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(L, 'announced', set())
    mod = importlib.import_module('kern_mod')
    L.compile_notice([mod.f, L.first_seen_nb], {mod.f: 3, L.first_seen_nb: 7})   # first_seen_nb is loaded: it does not count
    assert capsys.readouterr().err == "compiling connmod's kernels once, ~3 s (numba caches them for later runs)\n"
    L.compile_notice([mod.f], {mod.f: 3})                 # said once
    assert capsys.readouterr().err == ''
    assert mod.f(1) == 2                                   # compiled, and saved in the cache
    monkeypatch.setattr(L, 'announced', set())
    del sys.modules['kern_mod']; mod = importlib.import_module('kern_mod')   # a fresh dispatcher, as in a new process
    L.compile_notice([mod.f], {mod.f: 3})
    assert capsys.readouterr().err == '' and mod.f(2) == 3


def test_every_announced_kernel_has_a_compile_time():
    "Each list of kernels a public call announces names only kernels with a compile time (else the notice would fail)."
    import connmod.engine.louvain as L
    from connmod.engine.consensus import CONSENSUS_KERNELS
    from connmod.engine import multilayer as ML
    for kernels in (L.RUNS_KERNELS, CONSENSUS_KERNELS, ML._RUNS_KERNELS):
        assert kernels and all(k in L.COMPILE_SECONDS for k in kernels)


def test_quick_and_careful_checks_agree():
    "W symmetric only within tolerance takes the careful path and gets the same B; bad W raises the precise error."
    W = graph_for('negative_asym', 2)
    Wa = W + 1e-10 * np.triu(np.abs(W), 1)                 # |W - Wᵀ| adds up to more than 1e-8, each entry is tiny
    np.testing.assert_allclose(modularity_matrix(Wa, 1.2, 'negative_asym'),
                               modularity_matrix_reference(Wa, 1.2, 'negative_asym'), rtol=1e-12, atol=1e-17)
    with pytest.raises(ValueError, match='diagonal'): louvain(np.where(np.eye(len(W), dtype=bool), np.inf, W), B='negative_asym')
    with pytest.raises(ValueError, match='no weight'): louvain(np.zeros((5, 5)))
    with pytest.raises(ValueError, match='non-negative'): modularity_matrix(W, B='potts')
