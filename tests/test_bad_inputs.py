"""Bad inputs at the public boundary: each must raise a `ValueError` or `TypeError` whose message names the
offending argument, quickly, and never return a result. The matrices are tiny so the whole battery stays cheap."""
import re, subprocess, sys
from pathlib import Path
import numpy as np
import pytest

from connmod.engine import louvain as lv, consensus as cs
from connmod.ltmr import spectral as sp, threshold as th, evaluate as ev
from connmod.modes import datasets as ds, compare as cp
from connmod.ltmr import synthetic as sy
from connmod import matrices as mx, checks as ck
from connmod.engine import multilayer as ml
from connmod.modes import multilayer as mml
from connmod.modes import parcellations as pc, plotting as pl, surface as sf
from connmod.report import run as rp, hansen as rh

# A 12-node graph of three planted blocks, its signed twin, and partitions of it.
_blocks = np.repeat([0, 1, 2], 4)
W = np.where(_blocks[:, None] == _blocks[None, :], 1.0, 0.1); np.fill_diagonal(W, 0)
Z = W - 0.3; np.fill_diagonal(Z, 0)
L = _blocks + 1
L2 = np.array([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3])
RUNS = np.column_stack([L, L2, L])
NAN_L = L.astype(float); NAN_L[[2, 5]] = np.nan
NAN_W = W.copy(); NAN_W[0, 1] = NAN_W[1, 0] = np.nan
D = cs.agreement_matrix(RUNS)
C = np.corrcoef(np.random.default_rng(0).normal(size=(12, 40)))   # a 12 × 12 correlation matrix
LAYERS = [Z, Z.copy()]

BAD_SEEDS = [1.5, -1, 'abc', True, [1, -2]]
BAD_GAMMAS = [0, -1, np.nan, np.inf, 'abc', None, True]
BAD_COUNTS = [0, -3, 2.5, '5', None, np.nan]
BAD_DENSITIES = [0, -0.1, 1.5, np.nan, 'half', None, '0.5']

def names(message, name)->bool:
    "Whether `message` mentions the argument `name` as a word of its own (`m` in 'm must be', not in 'time')."
    return re.search(rf'(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])', message) is not None

CASES = []
def case(id, name, call):
    "Register `call` (no arguments): it must fail with a message that names `name`."
    CASES.append(pytest.param(call, name, id=id))

# --- louvain -------------------------------------------------------------------------------------------------
for g in BAD_GAMMAS:
    case(f'louvain-gamma-{g!r}', 'gamma', lambda g=g: lv.louvain(W, gamma=g, seed=0))
    case(f'modularity_matrix-gamma-{g!r}', 'gamma', lambda g=g: lv.modularity_matrix(W, g))
for s in BAD_SEEDS:
    case(f'louvain-seed-{s!r}', 'seed', lambda s=s: lv.louvain(W, seed=s))
    case(f'louvain_runs-seed-{s!r}', 'seed', lambda s=s: lv.louvain_runs(W, repeats=2, seed=s))
    case(f'seed_states-seed-{s!r}', 'seed', lambda s=s: lv.seed_states(s))
for r in BAD_COUNTS:
    case(f'louvain_runs-repeats-{r!r}', 'repeats', lambda r=r: lv.louvain_runs(W, repeats=r, seed=0))
for B in ['newman', '', None, 3]:
    case(f'louvain-B-{B!r}', 'B', lambda B=B: lv.louvain(W, B=B, seed=0))
    case(f'modularity_q-B-{B!r}', 'B', lambda B=B: lv.modularity_q(W, L, B=B))
for a in ['leidn', None, 3, '']:
    case(f'louvain-algorithm-{a!r}', 'algorithm', lambda a=a: lv.louvain(W, algorithm=a, seed=0))
    case(f'louvain_runs-algorithm-{a!r}', 'algorithm', lambda a=a: lv.louvain_runs(W, repeats=2, algorithm=a))
for wid, bad in [('nan', NAN_W), ('nonsquare', np.ones((3, 4))), ('1d', np.ones(5)), ('2x2', np.ones((2, 2))),
                 ('asym', W + np.triu(W)), ('strings', [['a'] * 3] * 3), ('zeros', np.zeros((5, 5))),
                 ('inf', np.where(np.eye(12, dtype=bool), 0, np.inf))]:
    case(f'louvain-W-{wid}', 'W', lambda bad=bad: lv.louvain(bad, seed=0))
    case(f'modularity_matrix-W-{wid}', 'W', lambda bad=bad: lv.modularity_matrix(bad))
case('louvain-W-negative-modularity', 'B', lambda: lv.louvain(Z, seed=0))
case('modularity_matrix-out-shape', 'out', lambda: lv.modularity_matrix(W, out=np.empty((3, 3))))
case('modularity_matrix-B-shape', 'B', lambda: lv.modularity_matrix(W, B=np.ones((3, 3))))
case('modularity_matrix-B-nan', 'B', lambda: lv.modularity_matrix(W, B=np.full((12, 12), np.nan)))
case('potts-W-weighted', 'W', lambda: lv.louvain(W * 0.5, B='potts', seed=0))
case('modularity_q-labels-nan', 'labels', lambda: lv.modularity_q(W, NAN_L))
case('modularity_q-labels-length', 'labels', lambda: lv.modularity_q(W, L[:5]))
case('modularity_q-gamma-str', 'gamma', lambda: lv.modularity_q(W, L, gamma='1'))
case('best_single_move-labels-nan', 'labels', lambda: lv.best_single_move(W, NAN_L))
case('best_single_move-labels-length', 'labels', lambda: lv.best_single_move(W, L[:-1]))
case('relabel-labels-nan', 'labels', lambda: lv.relabel([1.0, np.nan, 2.0]))
case('check_algorithm-list', 'algorithm', lambda: lv.check_algorithm(['louvain']))

# --- consensus -----------------------------------------------------------------------------------------------
for f in ('ari', 'nmi', 'zrand', 'contingency'):
    fn = getattr(cs, f)
    case(f'{f}-x-nan', 'x', lambda fn=fn: fn(NAN_L, L))
    case(f'{f}-y-nan', 'y', lambda fn=fn: fn(L, NAN_L))
    case(f'{f}-y-none', 'y', lambda fn=fn: fn(L, np.array([1, None] * 6, dtype=object)))
    case(f'{f}-x-2d', 'x', lambda fn=fn: fn(RUNS, L))
    case(f'{f}-y-short', 'y', lambda fn=fn: fn(L, L[:6]))
    case(f'{f}-x-tiny', 'x', lambda fn=fn: fn([1, 2], [1, 2]))
case('zrand-x-one-community', 'partition', lambda: cs.zrand(np.ones(12), L))
case('match_labels-source-nan', 'source', lambda: cs.match_labels(NAN_L, L))
for f in ('agreement_matrix', 'zrand_all', 'null_threshold'):
    fn = getattr(cs, f)
    case(f'{f}-assignments-nan', 'assignments', lambda fn=fn: fn(np.where(RUNS == 2, np.nan, RUNS)))
    case(f'{f}-assignments-3d', 'assignments', lambda fn=fn: fn(RUNS[:, :, None]))
    case(f'{f}-assignments-2nodes', 'assignments', lambda fn=fn: fn(RUNS[:2]))
for nf in ['mean', 'max', 3, None]:
    case(f'null_threshold-null_func-{nf!r}', 'null_func', lambda nf=nf: cs.null_threshold(RUNS, seed=0, null_func=nf))
    case(f'consensus_modularity-null_func-{nf!r}', 'null_func',
         lambda nf=nf: cs.consensus_modularity(W, repeats=3, seed=0, null_func=nf))
for s in BAD_SEEDS:
    case(f'null_threshold-seed-{s!r}', 'seed', lambda s=s: cs.null_threshold(RUNS, seed=s, null_func=np.max))
    case(f'consensus_partition-seed-{s!r}', 'seed', lambda s=s: cs.consensus_partition(D, 0.5, seed=s))
    case(f'consensus_modularity-seed-{s!r}', 'seed', lambda s=s: cs.consensus_modularity(W, repeats=3, seed=s))
for t in [np.nan, np.inf, 'half', None, True]:
    case(f'consensus_partition-tau-{t!r}', 'tau', lambda t=t: cs.consensus_partition(D, t, seed=0))
_D_nan = D.copy(); _D_nan[0, 3] = _D_nan[3, 0] = np.nan
_D_diag = D.copy(); _D_diag[0, 0] = np.nan
for did, bad in [('nan', _D_nan), ('nan-diagonal', _D_diag), ('negative', -D), ('nonsquare', D[:, :5]), ('2x2', D[:2, :2])]:
    case(f'consensus_partition-D-{did}', 'D', lambda bad=bad: cs.consensus_partition(bad, 0.5, seed=0))
for r in BAD_COUNTS:
    case(f'consensus_partition-repeats-{r!r}', 'repeats', lambda r=r: cs.consensus_partition(D, 0.5, repeats=r, seed=0))
    case(f'consensus_partition-max_rounds-{r!r}', 'max_rounds', lambda r=r: cs.consensus_partition(D, 0.5, max_rounds=r))
    case(f'consensus_modularity-repeats-{r!r}', 'repeats', lambda r=r: cs.consensus_modularity(W, repeats=r, seed=0))
    case(f'consensus_modularity-recluster_repeats-{r!r}', 'recluster_repeats',
         lambda r=r: cs.consensus_modularity(W, repeats=3, recluster_repeats=r, seed=0))
for g in BAD_GAMMAS:
    case(f'consensus_modularity-gamma-{g!r}', 'gamma', lambda g=g: cs.consensus_modularity(W, gamma=g, repeats=3, seed=0))
case('consensus_modularity-algorithm', 'algorithm', lambda: cs.consensus_modularity(W, repeats=3, algorithm='leidn'))
case('consensus_partition-algorithm', 'algorithm', lambda: cs.consensus_partition(D, 0.5, algorithm='leidn'))

# --- spectral ------------------------------------------------------------------------------------------------
for t in [np.nan, -1, 0, 'one', None]:
    case(f'n_subnetworks_laplacian-threshold-{t!r}', 'threshold', lambda t=t: sp.n_subnetworks_laplacian(W, threshold=t))
for k, v in [('laplacian', 'sym'), ('graph', 'bin'), ('isolated', 'keep'), ('scale', 'log')]:
    case(f'laplacian_spectrum-{k}', k, lambda k=k, v=v: sp.laplacian_spectrum(W, **{k: v}))
    case(f'n_subnetworks_laplacian-{k}', k, lambda k=k, v=v: sp.n_subnetworks_laplacian(W, **{k: v}))
case('laplacian_spectrum-laplacian-array', 'laplacian', lambda: sp.laplacian_spectrum(W, laplacian=np.array(['a', 'b'])))
for m in [0, 13, 2.5, '3', None, True]:
    case(f'ncut-m-{m!r}', 'm', lambda m=m: sp.ncut(W, m, seed=0))
for r in BAD_COUNTS:
    case(f'ncut-n_init-{r!r}', 'n_init', lambda r=r: sp.ncut(W, 3, seed=0, n_init=r))
for s in BAD_SEEDS:
    case(f'ncut-seed-{s!r}', 'seed', lambda s=s: sp.ncut(W, 3, seed=s))
case('ncut-seed_per_m-seed', 'seed', lambda: sp.ncut(W, [2, 3], seed=None, seed_per_m=True))
case('ncut-regularise', 'regularise', lambda: sp.ncut(W, 3, seed=0, regularise='tikhonov'))
case('ncut-offset', 'offset', lambda: sp.ncut(W, 3, seed=0, offset=-1))
case('ncut-offset_scale', 'offset_scale', lambda: sp.ncut(W, 3, seed=0, offset_scale='log'))
case('ncut-W-negative', 'W', lambda: sp.ncut(Z, 3, seed=0))
case('ncut_embedding-regularise', 'regularise', lambda: sp.ncut_embedding(W, regularise='x'))
case('n_subnetworks_modularity-isolated', 'isolated', lambda: sp.n_subnetworks_modularity(W, isolated='keep'))
case('n_subnetworks_modularity-gamma', 'gamma', lambda: sp.n_subnetworks_modularity(W, gamma=-1))
case('n_subnetworks_modularity-seed', 'seed', lambda: sp.n_subnetworks_modularity(W, seed=1.5))
case('n_subnetworks_modularity-W-nan', 'W', lambda: sp.n_subnetworks_modularity(NAN_W))

# --- threshold -----------------------------------------------------------------------------------------------
for d in BAD_DENSITIES:
    for f in ('global_threshold', 'local_threshold', 'mst_knn'):
        case(f'{f}-density-{d!r}', 'density', lambda f=f, d=d: getattr(th, f)(C, d))
    if d != 0: case(f'n_edges-density-{d!r}', 'density', lambda d=d: th.n_edges(12, d))   # 0 edges at density 0 is fine
for n in [-1, 2.5, 'ten']:
    case(f'n_edges-n-{n!r}', 'n', lambda n=n: th.n_edges(n, 0.5))
case('mst_knn-knn', 'knn', lambda: th.mst_knn(C, 0.3, knn='all'))
case('mst_knn-below_tree', 'below_tree', lambda: th.mst_knn(C, 0.05, below_tree='pad'))
case('global_threshold-W-nan', 'W', lambda: th.global_threshold(NAN_W, 0.3))
case('local_threshold-W-nonsquare', 'W', lambda: th.local_threshold(C[:, :5], 0.3))
case('reinforce-W_hat-nan', 'W_hat', lambda: th.reinforce(NAN_W))

# --- evaluate ------------------------------------------------------------------------------------------------
case('dice_accuracy-average', 'average', lambda: ev.dice_accuracy(L, L2, average='mean'))
case('dice_accuracy-labels-nan', 'labels', lambda: ev.dice_accuracy(NAN_L, L))
case('dice_accuracy-truth-nan', 'truth', lambda: ev.dice_accuracy(L, NAN_L))
case('dice_accuracy-labels-none', 'labels', lambda: ev.dice_accuracy(np.array([1, None] * 6), L))
case('dice_matrix-truth-length', 'truth', lambda: ev.dice_matrix(L, L[:5]))
case('dice_matrix-labels-2d', 'labels', lambda: ev.dice_matrix(RUNS, L))
case('wilcoxon_compare-unit', 'unit', lambda: ev.wilcoxon_compare(np.arange(8.), np.arange(8.) + 1, unit='x'))
case('wilcoxon_compare-alternative', 'alternative', lambda: ev.wilcoxon_compare(np.arange(8.), np.arange(8.) + 1, alternative='up'))
case('estimate_m-rule', 'rule', lambda: ev.estimate_m(W, rule='guess'))
case('method_graph-method', 'method', lambda: ev.method_graph(C, 0.3, method='LTMX'))
for d in BAD_DENSITIES[:4]:
    case(f'method_graph-density-{d!r}', 'density', lambda d=d: ev.method_graph(C, d))
    case(f'extract_subnetworks-density-{d!r}', 'density', lambda d=d: ev.extract_subnetworks(C, d, seed=0))
case('extract_subnetworks-method', 'method', lambda: ev.extract_subnetworks(C, 0.3, method='LTMX', seed=0))
case('extract_subnetworks-negative', 'negative', lambda: ev.extract_subnetworks(C, 0.3, negative='keep', seed=0))
case('extract_subnetworks-m', 'm', lambda: ev.extract_subnetworks(C, 0.3, m='guess', seed=0))

# --- datasets ------------------------------------------------------------------------------------------------
case('fisher_z-W-unit', 'W', lambda: mx.fisher_z(np.ones((4, 4))))
case('fisher_z-W-nan', 'W', lambda: mx.fisher_z(NAN_W / 10))
case('load_schaefer_networks-n_parcels', 'n_parcels', lambda: ds.load_schaefer_networks(200))
for f in ('load_modes', 'load_published_communities'):      # a typo must not create a folder and start a download
    case(f'{f}-data_dir-missing', 'data_dir', lambda f=f: getattr(ds, f)('/nonexistent/connmod-typo'))
case('load_schaefer_networks-data_dir-missing', 'data_dir', lambda: ds.load_schaefer_networks(400, '/nonexistent/connmod-typo'))
for x in ['x', None, np.nan]:
    case(f'check_number-{x!r}', 'gamma', lambda x=x: ck.check_number(x, 'gamma', 0, lo_open=True))
case('check_connectivity-name', 'M', lambda: ck.check_connectivity(np.ones((2, 3)), 'M'))

# --- synthetic -----------------------------------------------------------------------------------------------
for n in [100.5, 0, -5, 'x']:
    case(f'make_synthetic-n-{n!r}', 'n', lambda n=n: sy.make_synthetic(0, n=n))
case('make_synthetic-size_jitter', 'min_size', lambda: sy.make_synthetic(0, n=30, n_subnetworks=(12, 12), min_size=0, size_jitter=(-5, -5)))
case('make_synthetic-within', 'within', lambda: sy.make_synthetic(0, n=30, n_subnetworks=(3, 3), within='dense'))
for s_ in BAD_SEEDS:
    case(f'make_synthetic-seed-{s_!r}', 'seed', lambda s_=s_: sy.make_synthetic(seed=s_, n=30, n_subnetworks=(3, 3)))
case('sample_estimate-estimate', 'estimate', lambda: sy.sample_estimate(np.ones((5, 4)), estimate='median'))

# --- compare -------------------------------------------------------------------------------------------------
case('partition_similarity-metric', 'metric', lambda: cp.partition_similarity(RUNS, metric='jaccard'))
case('parse_modes-spec', 'mode', lambda: rh.parse_modes('gc,xx'))
case('stable_gamma-min_k', 'min_k', lambda: cp.stable_gamma(RUNS, min_k=0))
case('spin_test-perms-transposed', 'perms', lambda: cp.spin_test(L, L, np.tile(np.arange(12), (3, 1))))
case('spin_permutations-n_spins', 'n_spins', lambda: cp.spin_permutations(np.zeros((4, 3)), np.array([0, 0, 1, 1]), n_spins=0))
for pv in [1.5, -0.1]:
    case(f'format_p-p-{pv!r}', 'p', lambda pv=pv: cp.format_p(pv))
case('stable_gamma-assignments-nan', 'assignments', lambda: cp.stable_gamma(np.column_stack([NAN_L, NAN_L])))
case('partition_similarity-partitions-nan', 'partitions', lambda: cp.partition_similarity([NAN_L, L]))
case('spin_permutations-method', 'method', lambda: cp.spin_permutations(np.zeros((4, 3)), np.array([0, 0, 1, 1]), n_spins=2, method='x'))

# --- plotting, surface, parcellations, report ------------------------------------------------------------------
for k in [0, -1, 2.5, 'x']:
    case(f'community_cmap-k-{k!r}', 'k', lambda k=k: pl.community_cmap(k))
    case(f'category_colours-k-{k!r}', 'k', lambda k=k: sf.category_colours(k))
case('n_communities-assignments-nan', 'assignments', lambda: pl.n_communities(np.column_stack([NAN_L, L])))
case('n_communities-assignments-1d', 'assignments', lambda: pl.n_communities(L))
case('plot_surface-values', 'values', lambda: sf.plot_surface(np.ones(5)))
case('parcels_to_vertices-labels', 'labels', lambda: sf.parcels_to_vertices(np.ones(3), np.array([1, 2, 5])))
for spec in ['schaefer150', '/nonexistent/labels.gii', 3]:
    case(f'load_parcellation-{spec!r}', 'parcellation', lambda spec=spec: pc.load_parcellation(spec))
case('report_notebook-name', 'report', lambda: rp.report_notebook('nope'))
case('check_params-unknown', 'zzz', lambda: rp.check_params('hansen', {'zzz': 1}))
case('check_params-n_spins', 'n_spins', lambda: rp.check_params('hansen', {'n_spins': 0}))
case('run_report-name', 'report', lambda: rp.run_report('nope', '/nonexistent-parent/never'))

# --- matrices ------------------------------------------------------------------------------------------------
case('read_matrix-path-missing', 'path', lambda: mx.read_matrix('/nonexistent/m.npy'))
case('read_matrices-transform', 'transform', lambda: mx.read_matrices({'a': W}, transform='log'))

# --- multilayer ----------------------------------------------------------------------------------------------
for o in [-0.1, np.nan, 'x', None]:
    case(f'check_omega-{o!r}', 'omega', lambda o=o: ml.check_omega(o))
    case(f'multilayer_louvain-omega-{o!r}', 'omega', lambda o=o: ml.multilayer_louvain(LAYERS, omega=o, seed=0))
case('multilayer_louvain-layers-one', 'layers', lambda: ml.multilayer_louvain([Z], seed=0))
case('multilayer_louvain-layers-shapes', 'layers', lambda: ml.multilayer_louvain([Z, Z[:5, :5]], seed=0))
case('multilayer_louvain-seed', 'seed', lambda: ml.multilayer_louvain(LAYERS, seed=1.5))
case('multilayer_louvain-gamma', 'gamma', lambda: ml.multilayer_louvain(LAYERS, gamma=-1, seed=0))
case('multilayer_runs-repeats', 'repeats', lambda: ml.multilayer_runs(LAYERS, repeats=0, seed=0))
case('multilayer_consensus-null_func', 'null_func', lambda: ml.multilayer_consensus(LAYERS, repeats=3, seed=0, null_func='mean'))
case('check_grid-empty', 'gammas', lambda: mml.check_grid([], 'gammas', True))
NAN_LAYER_L = np.vstack([L, L]).astype(float); NAN_LAYER_L[0, 3] = np.nan
case('multilayer_q-labels-nan', 'labels', lambda: ml.multilayer_q(LAYERS, NAN_LAYER_L))
case('cross_modal_consistency-labels-nan', 'labels', lambda: mml.cross_modal_consistency(NAN_LAYER_L))
case('multimodal_partition-labels-nan', 'labels', lambda: mml.multimodal_partition(NAN_LAYER_L))
for k in [0, -1, 2.5]:
    case(f'planted_layers-n_layers-{k!r}', 'n_layers', lambda k=k: ml.planted_layers(n_layers=k))
case('planted_layers-n_with', 'n_with', lambda: ml.planted_layers(n_layers=2, n_with=3))
case('planted_layers-seed', 'seed', lambda: ml.planted_layers(seed=1.5))


@pytest.mark.timeout(20)
@pytest.mark.parametrize('call,name', CASES)
def test_bad_input(call, name):
    "Each invalid input raises ValueError/TypeError naming the argument; none returns a result."
    with pytest.raises((ValueError, TypeError)) as e: call()
    assert names(str(e.value), name), f"message does not name {name!r}: {e.value}"


# --- console scripts: invalid values that fail before any work -----------------------------------------------
_SWEEP = ['--modes', 'gc', '--gammas', '1', '--repeats', '3', '--out_dir', 'never']
_LTMR = ['--matrix', 'm.npy', '--out_dir', 'never']
CLI = [('connmod-sweep', _SWEEP + ['--repeats', '0'], 'repeats'),
       ('connmod-sweep', _SWEEP + ['--modes', 'xx'], 'mode'),
       ('connmod-sweep', _SWEEP + ['--B', 'foo'], 'B'),
       ('connmod-sweep', _SWEEP + ['--seed', '-1'], 'seed'),
       ('connmod-sweep', _SWEEP + ['--algorithm', 'leidn'], 'algorithm'),
       ('connmod-sweep', ['--matrix', 'm.npy', '--gammas', '1', '--out_dir', 'never', '--transform', 'log'], 'transform'),
       ('connmod-sweep', _SWEEP + ['--data_dir', 'typo'], 'data_dir'),
       ('connmod-report', ['no-such-report', '--out_dir', 'never'], 'report'),
       ('connmod-report', ['hansen', '--out_dir', 'never', '--gammas', '[1,2]'], 'recompute'),
       ('connmod-report', ['hansen', '--out_dir', 'never', '--n_spins', '0'], 'n_spins'),
       ('connmod-report', ['hansen', '--out_dir', 'never', '--algorithm', 'leidn'], 'algorithm'),
       ('connmod-report', ['hansen', '--out_dir', 'never', '--no_such_parameter', '1'], 'no_such_parameter'),
       ('connmod-ltmr', _LTMR + ['--densities', '2'], 'densities'),
       ('connmod-ltmr', _LTMR + ['--m_rules', 'guess'], 'm_rules'),
       ('connmod-ltmr', _LTMR + ['--transform', 'log'], 'transform'),
       ('connmod-ltmr', _LTMR + ['--seed', '-1'], 'seed'),
       ('connmod-ltmr', _LTMR + ['--methods', 'LTMX'], 'methods'),
       ('connmod-sweep', _SWEEP + ['--gammas', '1:0:0.1'], 'gammas'),
       ('connmod-sweep', _SWEEP + ['--n_jobs', '0'], 'n_jobs'),
       ('connmod-ltmr', _LTMR + ['--n_jobs', '0'], 'n_jobs')]


@pytest.mark.timeout(60)
@pytest.mark.parametrize('script,args,name', CLI, ids=[f'{s}-{a[-2].lstrip("-")}-{a[-1]}' for s, a, _ in CLI])
def test_bad_cli_value(script, args, name, tmp_path):
    "A console script given an invalid value exits non-zero, names the argument, and creates no output folder."
    np.save(tmp_path/'m.npy', C)
    r = subprocess.run([str(Path(sys.executable).parent/script), *args], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert names(r.stderr, name), r.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m.npy']   # no output folder, no data folder
