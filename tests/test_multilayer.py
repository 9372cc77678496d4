"Multilayer modularity: the engine's guarantees on small graphs, the reference kernel run for run, and bad input."
import numpy as np
import pytest
from connmod.engine.louvain import best_single_move, modularity_matrix, seed_states
from connmod.engine.consensus import ari
from connmod.engine.multilayer import supra_modularity, supra_matrix, multilayer_q, multilayer_louvain, multilayer_runs, multilayer_consensus, multilayer_louvain_reference, multilayer_leiden_reference, planted_layers, cross_modal_consistency, consistency_null, spin_layers, multilayer_grid, _multilayer_louvain_nb, _multilayer_leiden_nb, _scratch_nb, _tol, _theta_layers
from connmod.report.multilayer import check_multilayer_params


def random_layers(L, n, seed):
    X = np.random.default_rng(seed).normal(size=(L, n, n)); X = X + X.transpose(0, 2, 1)
    for x in X: np.fill_diagonal(x, 0)
    return X


@pytest.mark.parametrize('B', ['negative_asym', 'negative_sym'])
def test_fast_equals_reference_run_for_run(B):
    "Per-layer γ, other null models, planted and random layers: both compiled engines repeat their references exactly."
    cases = [(random_layers(3, 17, 1), [0.5, 1.0, 2.0]), (planted_layers(3, 3, 6, 1, noise=0.4, seed=2)[0], 1.0)]
    for X, gamma in cases:
        L, n = len(X), len(X[0])
        for omega in (0.0, 0.02, 0.2, 2.0):
            Bs, c = supra_modularity(X, gamma, omega, B); tol, theta = _tol(Bs, c), _theta_layers(Bs, c)
            for st in seed_states(7, 3):
                np.testing.assert_array_equal(multilayer_louvain_reference(Bs, c, st, tol),
                                              _multilayer_louvain_nb(Bs, c, st, tol, _scratch_nb(L, n))[0])
                np.testing.assert_array_equal(multilayer_leiden_reference(Bs, c, st, tol, theta),
                                              _multilayer_leiden_nb(Bs, c, st, tol, theta, _scratch_nb(L, n))[0])


@pytest.mark.parametrize('algorithm', ['louvain', 'leiden'])
def test_omega_zero_decouples_the_layers(algorithm):
    X = random_layers(5, 40, 3)
    runs, q = multilayer_runs(X, 1.5, 0.0, repeats=8, seed=0, algorithm=algorithm)
    for r in range(8):
        g = runs[:, :, r]
        assert cross_modal_consistency(g).max() == 0                       # no module spans two layers
        for s in range(5): assert best_single_move(X[s], g[s], 1.5, 'negative_asym') <= 1e-12
        np.testing.assert_allclose(q[r], np.mean([modularity_matrix(X[s], 1.5, 'negative_asym')[g[s][:, None] == g[s]].sum()
                                                  for s in range(5)]))


@pytest.mark.parametrize('algorithm', ['louvain', 'leiden'])
def test_large_omega_merges_and_every_run_is_a_local_optimum(algorithm):
    X = random_layers(4, 30, 4)
    runs, _ = multilayer_runs(X, 1.0, 20.0, repeats=5, seed=1, algorithm=algorithm)
    for r in range(5): assert (runs[:, :, r] == runs[0, :, r]).all()
    S = supra_matrix(*supra_modularity(X, 1.0, 0.3))
    runs, _ = multilayer_runs(X, 1.0, 0.3, repeats=5, seed=2, algorithm=algorithm)
    for r in range(5): assert best_single_move(S, runs[:, :, r].ravel(), B=S) <= 1e-12


def test_scaling_one_mode_changes_nothing():
    X, truth = planted_layers(n_layers=5, seed=3)
    Y = X.copy(); Y[3] *= 10; Y[0] *= 0.01
    for seed in range(4):
        a, qa = multilayer_louvain(X, 1.0, 0.05, seed=seed); b, qb = multilayer_louvain(Y, 1.0, 0.05, seed=seed)
        np.testing.assert_array_equal(a, b); assert np.isclose(qa, qb)


def test_planted_shared_and_layer_specific_modules_are_recovered():
    for seed in (0, 5):
        X, truth = planted_layers(n_layers=4, n_modules=4, size=20, n_with=2, seed=seed)
        cons, _, _ = multilayer_consensus(X, 1.0, 0.02, repeats=30, seed=seed)
        assert ari(cons.ravel(), truth.ravel()) >= 0.9
        assert min(ari(cons[s], truth[s]) for s in range(4)) >= 0.9
        c = cross_modal_consistency(cons)
        assert c[:80].min() == 1 and c[80:].max() < 1                       # shared modules shared, the other not


@pytest.mark.parametrize('call, name', [
    (lambda X: supra_modularity([X[0], X[1][:8, :8]]), 'layers'),
    (lambda X: supra_modularity(X[:1]), 'layers'),
    (lambda X: supra_modularity([]), 'layers'),
    (lambda X: multilayer_louvain(X, omega=-1), 'omega'),
    (lambda X: multilayer_louvain(X, omega=np.nan), 'omega'),
    (lambda X: multilayer_louvain(X, omega=np.inf), 'omega'),
    (lambda X: multilayer_runs(X, omega=None), 'omega'),
    (lambda X: multilayer_q(X, np.ones((3, 9), int)), 'labels'),
    (lambda X: multilayer_q(X, np.ones((2, 10), int)), 'labels'),
    (lambda X: spin_layers(X, np.tile(np.arange(9), (2, 1))), 'perms'),
    (lambda X: consistency_null(X, np.tile(np.arange(10), (4, 1, 1))), 'perms'),
    (lambda X: multilayer_louvain(X, gamma=[1, 2]), 'gamma'),
    (lambda X: multilayer_runs(X, algorithm='genlouvain'), 'algorithm'),
    (lambda X: multilayer_grid(X, [1.0], [0.1, np.nan]), 'omegas'),
    (lambda X: cross_modal_consistency(np.ones(10, int)), 'labels'),
    (lambda X: check_multilayer_params(omegas=[0, -0.01]), 'omegas'),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call(random_layers(3, 10, 0))
