"The Hansen report end to end through `connmod-report`: figures, summary, recompute, bad parameters."
import json, shutil, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread
from connmod.report import run_report
from connmod.plotting import MODE_COLORS, community_cmap
from connmod.consensus import match_labels
from connmod.datasets import (MODES, YEO7, REPRESENTATIVE_GAMMA_COLUMNS, load_published_communities,
                              load_schaefer_networks)
from test_surface import chroma_count

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
    "Every community of rs is on the brain in its strip colour; the labels rs lacks are not (the colour bar is below)."
    out, s = report
    _, networks = load_schaefer_networks(400)
    yeo = np.array([YEO7.index(n) + 1 for n in networks])
    published = load_published_communities()
    shown = {m: match_labels(published[m][:, REPRESENTATIVE_GAMMA_COLUMNS[m]], yeo) for m in MODES}  # as the report labels them
    kmax = int(max(v.max() for v in shown.values()))
    img = (imread(out/'surface_rs.png')[..., :3] * 255).round()
    assert img.shape[1] >= 1000
    top = img[:int(img.shape[0] * 0.7)]  # the four brain views, without the colour bar
    found = {label: chroma_count(top, community_cmap(kmax)(label - 1)) for label in range(1, kmax + 1)}
    present = set(np.unique(shown['rs']).tolist())
    assert len(present) == K_PUBLISHED['rs']
    assert all(found[label] > 200 for label in present), found
    assert all(found[label] < 50 for label in set(found) - present), found


def test_recompute_reruns_the_sweep(tmp_path):
    out = tmp_path/'re'
    params = dict(recompute=True, gammas=[0.5, 1.0, 2.0], repeats=8, modes='gc,mc', representative={'gc': 2, 'mc': 0},
                  n_spins=10)
    run_report('hansen', out, params, progress=False)
    s = json.loads((out/'summary.json').read_text())
    vs = s['recomputed_vs_published']
    assert set(vs) == {'gc', 'mc'} and vs['gc']['gamma'] == 2.0 and vs['mc']['k_published'] == 2
    # 8 runs per consensus instead of 250, yet the published partitions come back: same k, ARI 0.82 (gc) and 0.98 (mc)
    assert all(v['ari_published'] > 0.7 and v['k'] == v['k_published'] == K_PUBLISHED[m] for m, v in vs.items()), vs
    assert np.load(out/'sweep'/'community_assignments_gc.npy').shape == (400, 3)


@pytest.mark.parametrize('params, msg', [
    (dict(modes='gc,xx'), 'unknown mode'),
    (dict(representative={'gc': 99, 'rs': 19, 'ls': 24, 'mc': 4, 'hc': 11, 'ec': 9, 'ts': 6}), '0..59'),
    (dict(data_dir='/no/such/folder'), 'data folder not found'),
    (dict(n_spin=10), 'has no parameter'),
    (dict(gammas=[1.0, 2.0], representative={m: 0 for m in MODES}), 'custom γ grid needs recompute=True'),
    (dict(recompute=True, gammas=[1.0, 1.0], representative={m: 0 for m in MODES}), 'distinct'),
])
def test_bad_parameters_fail_first_and_leave_nothing(tmp_path, params, msg):
    with pytest.raises(ValueError, match=msg): run_report('hansen', tmp_path/'out', params, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_failure_inside_the_notebook_is_not_reported_as_success(tmp_path, tmp_path_factory, mirror):
    "The parameters pass, then the notebook meets a corrupt data file: the run fails and only `out.failed` is left."
    data = tmp_path_factory.mktemp('mirror')/'hansen'
    shutil.copytree(mirror, data)
    f = data/'data'/'Schaefer400'/'haemodynamic_connectivity.npy'
    f.write_bytes(f.read_bytes()[:-8] + bytes(8))  # still a loadable .npy; only its checksum tells
    with pytest.raises(RuntimeError, match='haemodynamic_connectivity.npy .* does not match its sha256'):
        run_report('hansen', tmp_path/'out', dict(data_dir=str(data)), progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.failed']
    assert (tmp_path/'out.failed'/'fig0_workflow.png').is_file()  # it failed inside the notebook, after a figure


def test_cli(tmp_path):
    exe = Path(sys.executable).parent/'connmod-report'
    r = subprocess.run([str(exe), 'hansen', '--out', str(tmp_path/'cli'), '--quick', '--quiet', '-p', 'modes', 'hc,ec',
                        '-p', 'n_spins', '10'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((tmp_path/'cli'/'summary.json').read_text())
    assert s['k'] == dict(hc=5, ec=4) and s['parameters']['n_spins'] == 10
    r = subprocess.run([str(exe), 'nope', '--out', str(tmp_path/'x')], capture_output=True, text=True)
    assert r.returncode != 0 and 'invalid choice' in r.stderr
