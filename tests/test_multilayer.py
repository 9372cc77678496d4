"Multilayer modularity: the compiled engines against their references run for run, planted recovery, and bad input (the engine's guarantees at ω = 0, at large ω and under scaling are tested inline in 12_multilayer)."
import numpy as np
import pytest
from connmod.engine.louvain import seed_states
from connmod.engine.consensus import ari
from connmod.engine.multilayer import supra_modularity, multilayer_q, multilayer_louvain, multilayer_runs, multilayer_consensus, multilayer_louvain_reference, multilayer_leiden_reference, planted_layers, multilayer_louvain_nb, multilayer_leiden_nb, multilayer_scratch_nb, supra_tolerance, supra_theta
from connmod.modes.multilayer import cross_modal_consistency, consistency_null, spin_layers, multilayer_grid
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
            Bs, c = supra_modularity(X, gamma, omega, B); tol, theta = supra_tolerance(Bs, c), supra_theta(Bs, c)
            for st in seed_states(7, 3):
                np.testing.assert_array_equal(multilayer_louvain_reference(Bs, c, st, tol),
                                              multilayer_louvain_nb(Bs, c, st, tol, multilayer_scratch_nb(L, n))[0])
                np.testing.assert_array_equal(multilayer_leiden_reference(Bs, c, st, tol, theta),
                                              multilayer_leiden_nb(Bs, c, st, tol, theta, multilayer_scratch_nb(L, n))[0])


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
    with pytest.raises((ValueError, TypeError), match=name):
        call(random_layers(3, 10, 0))
