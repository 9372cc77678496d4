"""Subnetworks of a user's matrix from the command line (`connmod-ltmr`), and the LTMR grids on a Dask cluster giving
exactly the local results."""
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from connmod.report.run import check_summary
from connmod.ltmr.grids import run_synthetic, run_runs, real_partitions
from connmod.report.ltmr import load_real

EXE = Path(sys.executable).parent/'connmod-ltmr'


def connmod_ltmr(tmp_path, *args):
    "`connmod-ltmr ARGS` (through the installed script when the package's entry points include it)."
    if EXE.exists(): cmd = [str(EXE)]
    else:
        launcher = tmp_path/'connmod-ltmr'  # the console script's body (and name): the command parses sys.argv
        launcher.write_text('from connmod.cli import ltmr_cmd\nltmr_cmd()\n')
        cmd = [sys.executable, str(launcher)]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def user_matrix(tmp_path_factory):
    "The HCP group FC at Schaefer-100 from brainspace, saved as a lab would: a .mat file holding two variables."
    import scipy.io
    from brainspace.datasets import load_group_fc
    d = tmp_path_factory.mktemp('mine')
    fc = load_group_fc('schaefer', 100)
    scipy.io.savemat(d/'group.mat', dict(fc=fc, other=np.eye(3)))
    return d/'group.mat', fc


def test_connmod_ltmr_writes_labels_per_method_and_density(user_matrix, tmp_path):
    path, fc = user_matrix
    out = tmp_path/'sub'
    r = connmod_ltmr(tmp_path, '--matrix', path, '--variable', 'fc', '--densities', '0.1,0.2', '--methods', 'LTMR,GT',
                     '--out_dir', out, '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    s = check_summary(json.loads((out/'summary.json').read_text()))
    assert s['report'] == 'ltmr-extract' and s['parameters']['methods'] == ['LTMR', 'GT']
    assert s['inputs']['files']['group']['sha256'] and s['inputs']['variable'] == 'fc'
    header, *rows = (out/'labels.csv').read_text().splitlines()
    assert header.split(',') == ['parcel', 'LTMR@0.1', 'GT@0.1', 'LTMR@0.2', 'GT@0.2'] and len(rows) == 100
    table = np.array([[int(x) for x in row.split(',')] for row in rows])
    z = np.load(out/'labels.npz')
    assert z['labels'].shape == (2, 2, 100) and np.array_equal(table[:, 1:].T, z['labels'].reshape(4, 100))
    for j, d in enumerate(('0.1', '0.2')):
        for k, meth in enumerate(('LTMR', 'GT')):
            lab = z['labels'][j, k]
            assert lab.min() == 1 and len(np.unique(lab)) == s['m'][meth][d] == int(z['m'][j, k])
    # the labels are those of the library function the ltmr-real report uses, on the same prepared matrix
    W = np.maximum(fc, 0); W = (W + W.T) / 2; np.fill_diagonal(W, 1)
    m, lab = real_partitions(W, (0.1, 0.2), ('LTMR', 'GT'), ('laplacian',), None, 0)
    assert np.array_equal(lab[0] + 1 - lab[0].min(-1, keepdims=True), z['labels'])
    for f in ('fig1_subnetworks.png', 'fig2_ordered_matrix.png', 'report.html'): assert (out/f).stat().st_size > 5000
    assert 'subnetworks at density 0.1' in s['answer'] or 'subnetwork at density 0.1' in s['answer']


def test_connmod_ltmr_refuses_bad_input_before_writing(user_matrix, tmp_path):
    path, _ = user_matrix
    for args, message in (([], 'pass variable='), (['--variable', 'fc', '--methods', 'XYZ'], 'methods: unknown'),
                          (['--variable', 'fc', '--densities', '0,0.2'], 'densities')):
        r = connmod_ltmr(tmp_path, '--matrix', path, *args, '--out_dir', tmp_path/'never', '--quiet')
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr[-1500:])
        assert r.stderr.startswith('connmod-ltmr: error: ') and r.stderr.count('\n') == 1, r.stderr  # one line, no traceback
    assert not (tmp_path/'never').exists() and not list(tmp_path.glob('.never*'))


def test_extract_several_rules(tmp_path):
    "ltmr-extract with several m rules: the first rule's labels are `labels`, as with that rule alone; the others are named."
    from connmod.report.run import run_report
    one = run_report('ltmr-extract', tmp_path/'one', dict(densities=[0.2], methods=['LTMR']), progress=False)
    two = run_report('ltmr-extract', tmp_path/'two', dict(densities=[0.2], methods=['LTMR'], m_rules=['laplacian', 'true'], n_subnetworks=7),
                     progress=False)
    z1, z2 = np.load(one/'labels.npz'), np.load(two/'labels.npz')
    assert np.array_equal(z1['labels'], z2['labels']) and list(z2['m_rules']) == ['laplacian', 'true']
    assert z2['labels_true'].shape == (1, 1, 100) and len(np.unique(z2['labels_true'])) == int(z2['m_true'][0, 0]) == 7
    s = json.loads((two/'summary.json').read_text())
    assert s['m'] == s['m_by_rule']['laplacian'] and s['m_by_rule']['true'] == {'LTMR': {'0.2': 7}}
    assert (two/'labels.csv').read_text().splitlines()[0] == 'parcel,LTMR@0.2/laplacian,LTMR@0.2/true' and 'by the true rule: LTMR: 7 subnetworks' in s['answer']


def test_ltmr_grids_on_a_dask_cluster_equal_the_local_run():
    distributed = pytest.importorskip('distributed')
    local = run_synthetic(3, (.1, .2), m_rules=('laplacian', 'true'), seed=5, n_jobs=1)
    W, truth, _ = load_real('schaefer100-holdout')
    local_real = real_partitions(W, (.1, .2), m_rules=('laplacian',), seed=5)
    runs = [(None, None), (dict(estimate='correlation'), dict(self_loops=True))]
    local_runs = run_runs(runs, 2, (.15,), seed=5, n_jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = run_synthetic(3, (.1, .2), m_rules=('laplacian', 'true'), seed=5, backend='dask', scheduler=client)
        dask_real = real_partitions(W, (.1, .2), m_rules=('laplacian',), seed=5, backend='dask',
                                    scheduler=cluster.scheduler_address)
        dask_runs = run_runs(runs, 2, (.15,), seed=5, backend='dask', scheduler=client)
    for k in ('dc', 'm', 'N'):
        assert np.array_equal(local[k], dask[k]), k
        assert np.array_equal(local_runs[k], dask_runs[k]), k
    for a, b in zip(local_real, dask_real): assert np.array_equal(a, b)
    with pytest.raises(ValueError, match='scheduler='): run_synthetic(2, backend='dask')
