"The Hansen report end to end through `connmod-report`: figures, summary, recompute, bad parameters."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread
from connmod.report import run_report
from connmod.plotting import MODE_COLORS
from connmod.datasets import MODES

K_PUBLISHED = dict(gc=4, rs=6, ls=4, mc=2, hc=5, ec=4, ts=2)


@pytest.fixture(scope='module')
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp('r')/'hansen'
    run_report('hansen', out, dict(n_spins=40, surfaces=True), progress=False)
    return out, json.loads((out/'summary.json').read_text())


def test_summary_answers_the_question(report):
    out, s = report
    assert s['k'] == K_PUBLISHED
    sim = s['similarity']
    assert sim['modes'] == list(MODES)
    ari, p = np.array(sim['ari'], float), np.array(sim['p_spin'], dtype=float)
    assert ari.shape == p.shape == (7, 7)
    np.testing.assert_allclose(np.diag(ari), 1)
    off = ~np.eye(7, dtype=bool)
    assert ((p[off] >= 1 / 41 - 1e-12) & (p[off] <= 1)).all() and np.isnan(p[~off]).all()
    assert np.allclose(ari, ari.T) and (np.abs(ari[off]) < 1).all()
    assert len(s['best_gamma_pairs']) == 21 and set(s['yeo7']) == set(MODES)
    assert 'pairs of modes share modules' in s['answer']
    assert (out/'report.ipynb').is_file()


def test_every_figure_is_there_as_png_and_svg(report):
    out, s = report
    names = ['fig0_workflow', 'fig1_modes', 'fig2_community_counts', 'fig3_partition_strips', 'fig4_surfaces',
             'fig5_modular_heatmaps', 'fig6_similarity', 'fig7_yeo_alignment']
    assert [f[:-4] for f in s['figures']] == names
    for n in names:
        assert (out/f'{n}.png').stat().st_size > 5000 and (out/f'{n}.svg').stat().st_size > 5000
    for m in MODES: assert (out/f'surface_{m}.png').is_file()
    panels = s['panels']  # one panel per mode in every per-mode figure
    assert [panels[n] for n in ('fig1_modes', 'fig3_partition_strips', 'fig4_surfaces', 'fig5_modular_heatmaps')] == [7] * 4
    assert panels['fig6_similarity'] == panels['fig2_community_counts'] == 1


def colours_present(img, colour, tol=0.02):
    "How many pixels have (nearly) this colour."
    return int((np.abs(img[..., :3] - np.array(to_rgb(colour))).max(-1) < tol).sum())


def test_mode_matrices_use_the_mode_colours(report):
    out, _ = report
    img = imread(out/'fig1_modes.png')
    assert img.shape[1] > 3 * img.shape[0]  # seven panels in a row
    for m, c in MODE_COLORS.items():
        assert colours_present(img, c, tol=0.03) > 50, m  # each panel saturates at its mode's colour


def test_strips_show_the_published_k(report):
    out, s = report
    assert s['strip_k'] == K_PUBLISHED  # the "k = …" labels drawn beside the strips
    img = imread(out/'fig3_partition_strips.png')
    assert img.shape[0] > 200 and img.shape[1] > 600
    nb = json.loads((out/'report.ipynb').read_text())
    text = ''.join(''.join(o.get('text', '')) for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))
    assert 'pairs of modes share modules' in text


def test_surfaces_show_every_community(report):
    out, s = report
    img = imread(out/'surface_rs.png')[..., :3]
    colours = {tuple(c) for c in np.round(img.reshape(-1, 3), 2)}
    assert len(colours) >= K_PUBLISHED['rs'] and img.shape[1] >= 1000


def test_recompute_reruns_the_sweep(tmp_path):
    out = tmp_path/'re'
    params = dict(recompute=True, gammas=[0.5, 1.0, 2.0], repeats=8, modes='gc,mc', representative={'gc': 2, 'mc': 0},
                  n_spins=10)
    run_report('hansen', out, params, progress=False)
    s = json.loads((out/'summary.json').read_text())
    vs = s['recomputed_vs_published']
    assert set(vs) == {'gc', 'mc'} and vs['gc']['gamma'] == 2.0 and vs['mc']['k_published'] == 2
    assert all(-1 <= v['ari_published'] <= 1 and v['k'] >= 1 for v in vs.values())
    assert np.load(out/'sweep'/'community_assignments_gc.npy').shape == (400, 3)


@pytest.mark.parametrize('params, msg', [
    (dict(modes='gc,xx'), 'unknown mode'),
    (dict(representative={'gc': 99, 'rs': 19, 'ls': 24, 'mc': 4, 'hc': 11, 'ec': 9, 'ts': 6}), '0..59'),
    (dict(data_dir='/no/such/folder'), 'data folder not found'),
    (dict(n_spin=10), 'has no parameter'),
])
def test_bad_parameters_fail_first_and_leave_nothing(tmp_path, params, msg):
    with pytest.raises(ValueError, match=msg): run_report('hansen', tmp_path/'out', params, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_failure_inside_the_notebook_is_not_reported_as_success(tmp_path):
    with pytest.raises(RuntimeError, match='custom γ grid needs recompute'):
        run_report('hansen', tmp_path/'out', dict(gammas=[1.0, 2.0], representative={m: 0 for m in MODES}), progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.failed']


def test_cli(tmp_path):
    exe = Path(sys.executable).parent/'connmod-report'
    r = subprocess.run([str(exe), 'hansen', '--out', str(tmp_path/'cli'), '--quick', '--quiet', '-p', 'modes', 'hc,ec',
                        '-p', 'n_spins', '10'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((tmp_path/'cli'/'summary.json').read_text())
    assert s['k'] == dict(hc=5, ec=4) and s['parameters']['n_spins'] == 10
    r = subprocess.run([str(exe), 'nope', '--out', str(tmp_path/'x')], capture_output=True, text=True)
    assert r.returncode != 0 and 'invalid choice' in r.stderr
