"""The modes report on a user's own matrices: three HCP group matrices at Schaefer-200 from the data packaged with
brainspace, written to the formats labs keep them in (CSV with parcel names, .npy, .mat), run through
`connmod-report hansen --matrices ...` with the spin test and the surfaces; the same matrices without a parcellation;
and bad inputs refused before anything is written."""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import scipy.io
from connmod.report.run import run_report, check_summary
from connmod.modes.parcellations import schaefer, centroids
from matplotlib.image import imread

EXE = Path(sys.executable).parent/'connmod-report'


def printed(out:Path)->str:
    "What the report's code cells printed (the page shows it under each folded cell)."
    nb = json.loads((out/'report.ipynb').read_text())
    return ''.join(''.join(o.get('text', '')) for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))


QUICK = dict(gammas=[0.5, 1.0, 1.5, 2.0], repeats=10, n_spins=20)


@pytest.fixture(scope='module')
def user_files(tmp_path_factory):
    "A lab's folder: two group FC matrices (main and hold-out HCP groups) and a spatial-proximity matrix, Schaefer-200."
    from brainspace.datasets import load_group_fc
    d = tmp_path_factory.mktemp('mine')/'matrices'; d.mkdir()
    main, holdout = load_group_fc('schaefer', 200), load_group_fc('schaefer', 200, group='holdout')
    names = [f'parcel{i}' for i in range(1, 201)]
    with open(d/'fc_main.csv', 'w') as f:  # a header row and column of parcel names, as a spreadsheet exports it
        f.write(','.join([''] + names) + '\n')
        for n, row in zip(names, main): f.write(n + ',' + ','.join(f'{v:.17g}' for v in row) + '\n')
    np.save(d/'fc_holdout.npy', holdout)
    xyz, hemi = centroids(schaefer(200))
    P = np.exp(-np.linalg.norm(xyz[:, None] - xyz[None], axis=2) / 30)
    P[hemi[:, None] != hemi[None]] *= 0.2
    scipy.io.savemat(d/'proximity.mat', {'W': P})
    return d, dict(fc_main=main, fc_holdout=holdout, proximity=P)


@pytest.fixture(scope='module')
def with_parcellation(user_files, tmp_path_factory):
    d, _ = user_files
    out = tmp_path_factory.mktemp('r')/'mine'
    args = [str(EXE), 'hansen', '--out_dir', str(out), '--matrices', str(d), '--parcellation', 'schaefer200',
            '--surfaces', 'True'] + [a for k, v in QUICK.items() for a in (f'--{k}', str(v))]
    r = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out, json.loads((out/'summary.json').read_text())


def test_three_matrices_at_schaefer200_with_spin_test_and_surfaces(user_files, with_parcellation):
    d, arrays = user_files
    out, s = with_parcellation
    check_summary(s)
    names = ['fc_holdout', 'fc_main', 'proximity']  # the folder's files, in name order
    assert s['similarity']['modes'] == names and s['parameters']['parcellation'] == 'schaefer200'
    assert s['inputs']['transform'] == 'fisher_z' and set(s['inputs']['files']) == set(names)
    assert all(len(f['sha256']) == 64 for f in s['inputs']['files'].values())
    assert s['representative_rule']['stable_gamma'] == names and all(g in QUICK['gammas'] for g in s['gamma'].values())
    assert all(2 <= k <= 40 for k in s['k'].values())
    for m in names:  # the report's own sweep, on the matrices it was given
        A = np.load(out/'sweep'/f'community_assignments_{m}.npy')
        assert A.shape == (200, 4)
    P = np.array(s['similarity']['p_spin'], dtype=float)
    off = ~np.eye(3, dtype=bool)
    assert ((P[off] >= 1 / 21 - 1e-12) & (P[off] <= 1)).all()  # a spin test ran, with 20 spins
    S = np.array(s['similarity']['ari'], dtype=float)
    assert S[0, 1] > 0.5 > max(S[0, 2], S[1, 2])  # the two FC groups agree with each other far more than with proximity
    assert 'pairs of modes share modules beyond spatial autocorrelation' in s['answer']
    assert 'yeo7' not in s  # no Yeo network names for a user's parcels
    for m in names:
        img = (imread(out/f'surface_{m}.png')[..., :3] * 255).astype(int)
        assert ((img.max(-1) - img.min(-1)) > 60).sum() > 20000, m  # coloured cortex, not a grey mesh
    assert 'Spin test skipped' not in printed(out) and 'Surfaces skipped' not in printed(out)
    assert 'Plotly.newPlot' in (out/'report.html').read_text()  # the interactive surface view


def test_no_parcellation_skips_spin_test_and_surfaces_and_says_so(user_files, tmp_path):
    d, arrays = user_files
    files = [d/'fc_main.csv', d/'fc_holdout.npy']
    out = run_report('hansen', tmp_path/'noparc', dict(QUICK, matrices=[str(f) for f in files], surfaces=True), progress=False)
    s = json.loads((out/'summary.json').read_text())
    check_summary(s)
    assert s['similarity']['modes'] == ['fc_main', 'fc_holdout'] and s['parameters']['parcellation'] is None
    assert s['similarity']['p_spin'] == [[None, None], [None, None]] and s['shared_modules'] == []
    assert s['answer'].startswith('No parcellation was given, so the spin test was skipped')
    assert not list(out.glob('surface_*.png')) and 'fig4_surfaces.png' not in s['figures']
    said = printed(out)
    assert 'Spin test skipped: no parcellation was given' in said and 'Surfaces skipped: no parcellation was given' in said
    assert 'Plotly.newPlot' not in (out/'report.html').read_text()


@pytest.mark.parametrize('params, message', [
    (dict(parcellation='schaefer100'), 'has 100 parcels but the matrices are 200'),
    (dict(parcellation='yeo'), "'none', 'schaefer<N>'"),
    (dict(transform='log'), 'transform must be one of'),
    (dict(modes='gc'), 'every file is a modality'),
])
def test_bad_inputs_fail_before_anything_is_written(user_files, tmp_path, params, message):
    d, _ = user_files
    with pytest.raises(ValueError) as e:
        run_report('hansen', tmp_path/'out', dict(matrices=str(d), **params), progress=False)
    assert message in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_file_is_named_and_nothing_is_written(user_files, tmp_path):
    d, arrays = user_files
    bad = tmp_path/'in'; bad.mkdir()
    np.save(bad/'a.npy', arrays['fc_main']); np.save(bad/'b.npy', arrays['fc_main'][:100, :100])
    with pytest.raises(ValueError) as e:
        run_report('hansen', tmp_path/'out', dict(matrices=str(bad)), progress=False)
    assert 'b.npy' in str(e.value) and 'modalities must share their parcels' in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['in']


def test_the_command_line_says_what_is_wrong_in_one_line(user_files, tmp_path):
    d, _ = user_files
    r = subprocess.run([str(EXE), 'hansen', '--out_dir', str(tmp_path/'out'), '--matrices', str(d), '--parcellation', 'schaefer300'],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr == 'connmod-report: error: parcellation: schaefer300 has 300 parcels but the matrices are 200 × 200\n'
    assert not (tmp_path/'out').exists()
