"""The Hansen report end to end through `connmod-report`: figures, summary, statistics, file permissions, the page in
headless Chromium (clean, maths typeset, an interactive surface), recompute with live progress, bad parameters."""
import json, os, re, shutil, stat, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread
from connmod.report.run import run_report
from connmod.modes.plotting import MODE_COLOURS, community_cmap
from connmod.engine.consensus import match_labels
from connmod.modes.compare import format_p, format_value
from connmod.modes.datasets import MODES, YEO7, REPRESENTATIVE_GAMMA_COLUMNS, load_published_communities, load_schaefer_networks
from test_surface import chroma_count
from test_docs import CHROMIUM, DRIVER, browser, open_page, broken_links, not_blank  # noqa: F401 (browser: a fixture)

K_PUBLISHED = dict(gc=4, rs=6, ls=4, mc=2, hc=5, ec=4, ts=2)
EXE = Path(sys.executable).parent/'connmod-report'
needs_browser = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason='needs Debian chromium and chromium-driver')


@pytest.fixture(scope='module')
def report(tmp_path_factory):
    "The main job as a user runs it (full settings but 40 spins, to save time), under the usual umask 022."
    out = tmp_path_factory.mktemp('r')/'hansen'
    t = time.perf_counter()
    r = subprocess.run([str(EXE), 'hansen', '--out_dir', str(out), '--n_spins', '40'], capture_output=True, text=True,
                       timeout=900, preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr[-3000:]
    print(f'connmod-report hansen: {time.perf_counter() - t:.1f} s')
    return out, json.loads((out/'summary.json').read_text()), r


def test_summary_answers_the_question(report):
    out, s, _ = report
    assert s['report'] == 'hansen' and s['parameters']['n_spins'] == 40 and s['parameters']['surfaces'] is True
    assert isinstance(s['elapsed_s'], float) and 0 < s['elapsed_s'] < 900
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


def test_statistics_are_stated_once_and_corrected(report):
    "fig6, fig7 and the answer give the FDR-corrected p-values, in one style, and no '-0.00'."
    _, s, _ = report
    sim = s['similarity']
    S, Q = np.array(sim['ari'], float), np.array(sim['p_fdr'], dtype=float)
    expected = [f'{format_value(S[i, j])}{"*" if Q[i, j] < 0.05 else ""}\n{format_p(Q[i, j]).replace(" ", "")}'
                for i in range(7) for j in range(7) if i != j]
    assert sim['drawn'] == expected
    assert not any('-0.00' in t for t in sim['drawn'])
    assert [t for t in s['yeo7_drawn']] == [format_p(s['yeo7'][m]['p_fdr']).replace(' ', '') for m in MODES]
    for m in MODES: assert s['yeo7'][m]['p_fdr'] >= s['yeo7'][m]['p'] - 1e-12
    for pair in s['shared_modules']:  # the answer quotes the corrected p of every pair it counts
        assert pair['p_fdr'] < 0.05 and f"{pair['a']}–{pair['b']} (ARI {format_value(pair['ari'])}, {format_p(pair['p_fdr'], 'p_FDR')})" in s['answer']
    assert 'p = ' not in s['answer'] and '-0.00' not in s['answer']


def test_no_one_community_partitions_are_ranked(report):
    out, s, _ = report
    published = load_published_communities()
    trivial = {m for m in MODES if any(len(np.unique(c)) == 1 for c in published[m].T)}
    assert {'mc', 'hc'} <= trivial  # so ARI 1 between one-community partitions was there to be ranked
    assert s['best_gamma_pairs_min_k'] == 2
    assert all(b['k_a'] >= 2 and b['k_b'] >= 2 and b['similarity'] < 1 for b in s['best_gamma_pairs'])
    nb = json.loads((out/'report.ipynb').read_text())
    printed = ''.join(''.join(o.get('text', '')) for c in nb['cells'] if 'best_gamma_pairs' in ''.join(c['source'])
                      for o in c.get('outputs', []))
    assert printed.count('ARI ') == 10 and '(k=1)' not in printed


def test_files_follow_the_umask(report):
    "Under umask 022 every folder of the report is 0755 and every file 0644 (no 0700 / 0600 from temporary files)."
    out, _, _ = report
    paths = [out, *out.rglob('*')]
    assert len(paths) == 1 + 2 * 8 + 7 + 3  # the folder, 8 figures as PNG + SVG, 7 surfaces, report.ipynb/html, summary.json
    modes = {str(p.relative_to(out.parent)): stat.S_IMODE(p.stat().st_mode) for p in paths}
    assert all(m == (0o755 if Path(out.parent, p).is_dir() else 0o644) for p, m in modes.items()), modes


def test_console_is_quiet_and_nothing_is_left_behind(report):
    out, _, r = report
    assert 'Kernel is running over TCP' not in r.stderr and 'Warning' not in r.stderr, r.stderr[-2000:]
    assert sorted(p.name for p in out.parent.iterdir()) == ['hansen']  # no temporary folder, no .old, no .failed
    nb = json.loads((out/'report.ipynb').read_text())
    streams = [o for c in nb['cells'] for o in c.get('outputs', []) if o.get('name') == 'stderr']
    assert streams == []
    text = (out/'report.ipynb').read_text()
    assert 'tmp-' not in text  # the temporary folder's name (".hansen.tmp-…") appears nowhere


def test_every_figure_is_there_as_png_and_svg(report):
    out, s, _ = report
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
    out, _, _ = report
    img = imread(out/'fig1_modes.png')
    assert img.shape[1] > 3 * img.shape[0]  # seven panels in a row
    for m, c in MODE_COLOURS.items():
        assert colours_present(img, c, tol=0.03) > 50, m  # each panel saturates at its mode's colour


def test_strips_show_the_published_k(report):
    out, s, _ = report
    assert s['strip_k'] == K_PUBLISHED  # the "k = …" labels drawn beside the strips
    img = imread(out/'fig3_partition_strips.png')
    assert img.shape[0] > 200 and img.shape[1] > 600
    nb = json.loads((out/'report.ipynb').read_text())
    text = ''.join(''.join(o.get('text', '')) for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))
    assert 'pairs of modes share modules' in text


def test_surfaces_show_every_community(report):
    "Every community of rs is on the brain in its strip colour; the labels rs lacks are not, nor in its colour bar."
    out, s, _ = report
    _, networks = load_schaefer_networks(400)
    yeo = np.array([YEO7.index(n) + 1 for n in networks])
    published = load_published_communities()
    shown = {m: match_labels(published[m][:, REPRESENTATIVE_GAMMA_COLUMNS[m]], yeo) for m in MODES}  # as the report labels them
    kmax = int(max(v.max() for v in shown.values()))
    img = (imread(out/'surface_rs.png')[..., :3] * 255).round()
    assert img.shape[1] >= 1000
    h = int(img.shape[0] * 0.7)
    top, bar = img[:h], img[h:]  # the four brain views; the colour bar below them
    found = {label: chroma_count(top, community_cmap(kmax)(label - 1)) for label in range(1, kmax + 1)}
    present = set(np.unique(shown['rs']).tolist())
    assert len(present) == K_PUBLISHED['rs']
    assert all(found[label] > 200 for label in present), found
    assert all(found[label] < 50 for label in set(found) - present), found
    in_bar = {label: chroma_count(bar, community_cmap(kmax)(label - 1)) for label in range(1, kmax + 1)}
    assert all(in_bar[label] > 100 for label in present) and all(in_bar[label] == 0 for label in set(in_bar) - present), in_bar


@needs_browser
def test_report_page_is_clean_and_typeset(report, browser, tmp_path):
    "report.html from file:// with no network: no stderr, no warnings, no temporary path, maths typeset, code folded."
    out, s, _ = report
    page = out/'report.html'
    info = open_page(browser, page, tmp_path/'report.png')
    assert info['title'] == 'Are brain modules consistent across connectivity modes?'
    assert all(ok for _, ok in info['images']) and all(u.startswith('data:image') for u, _ in info['images'])
    assert broken_links(page, info) == [] and not_blank(tmp_path/'report.png')
    got = browser.execute_script('''return {
        stderr: document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
        text: document.body.innerText,
        figures: [...document.querySelectorAll('.jp-OutputArea-output img')].length,
        maths: [...document.querySelectorAll('img.connmod-math')].map(i => i.complete && i.naturalWidth > 0 && i.height > 5),
        code: [...document.querySelectorAll('details.connmod-code')].map(d => d.open),
        requests: performance.getEntriesByType('resource').map(e => e.name).filter(u => !/^(data|file|blob):/.test(u))}''')
    assert got['stderr'] == 0
    assert 'UserWarning' not in got['text'] and 'Warning' not in got['text'] and 'tmp-' not in got['text']
    assert '.hansen.tmp-' not in page.read_text()
    assert got['figures'] == len(s['figures'])  # every figure once, and nothing else (no stray renders)
    assert len(got['maths']) >= 6 and all(got['maths'])  # formulas are pictures that loaded ...
    assert '$$' not in got['text'] and '\\frac' not in got['text']  # ... not raw TeX
    assert len(got['code']) > 15 and not any(got['code']) and 'import json' not in got['text']  # code folded
    assert got['requests'] == []  # nothing fetched from the network


@needs_browser
def test_interactive_surface_view_shows_a_mesh(report, browser, tmp_path):
    "The rotatable view works offline: plotly draws two hemisphere meshes in WebGL, with the partition's colours."
    from selenium.webdriver.common.by import By
    out, _, _ = report
    browser.get((out/'report.html').resolve().as_uri())
    for _ in range(50):
        state = browser.execute_script('''const g = document.querySelector('.js-plotly-plot');
            return g && g._fullData ? {types: g._fullData.map(t => t.type), n: g._fullData.map(t => t.i.length),
                                       menu: g._fullLayout.updatemenus[0].buttons.map(b => b.label),
                                       canvas: g.querySelectorAll('canvas').length} : null''')
        if state: break
        time.sleep(0.2)
    assert state and state['types'] == ['mesh3d', 'mesh3d'] and min(state['n']) > 5000 and state['canvas'] >= 1, state
    assert state['menu'] == list(MODES)
    el = browser.find_element(By.CSS_SELECTOR, '.js-plotly-plot')
    browser.execute_script('arguments[0].scrollIntoView()', el); time.sleep(1)
    el.screenshot(str(tmp_path/'view.png'))
    img = (imread(tmp_path/'view.png')[..., :3] * 255).round()
    colourful = (img.max(-1) - img.min(-1)) > 60  # saturated pixels: the painted brain (the page is white and grey)
    assert colourful.mean() > 0.05, colourful.mean()
    assert (out/'report.html').stat().st_size < 12e6  # the mesh is decimated: the page stays mailable


def test_recompute_reruns_the_sweep_with_live_progress(tmp_path, capfd):
    "The sweep's progress reaches the console while the notebook runs (not the page), and sweep files follow the umask."
    out = tmp_path/'re'
    params = dict(recompute=True, gammas=[0.5, 1.0, 2.0], repeats=8, modes='gc,mc', representative={'gc': 2, 'mc': 0},
                  n_spins=10)
    old = os.umask(0o022)
    try: run_report('hansen', out, params, progress=True)
    finally: os.umask(old)
    err = capfd.readouterr().err
    assert re.search(r'sweep: +100%.*6/6', err), err[-2000:]  # one step per mode × γ task, relayed from the kernel
    s = json.loads((out/'summary.json').read_text())
    vs = s['recomputed_vs_published']
    assert set(vs) == {'gc', 'mc'} and vs['gc']['gamma'] == 2.0 and vs['mc']['k_published'] == 2
    # 8 runs per consensus instead of 250, yet the published partitions come back: same k, ARI 0.82 (gc) and 0.98 (mc)
    assert all(v['ari_published'] > 0.7 and v['k'] == v['k_published'] == K_PUBLISHED[m] for m, v in vs.items()), vs
    assert np.load(out/'sweep'/'community_assignments_gc.npy').shape == (400, 3)
    sweep_files = [out/'sweep', *(out/'sweep').rglob('*')]
    assert all(stat.S_IMODE(p.stat().st_mode) == (0o755 if p.is_dir() else 0o644) for p in sweep_files)
    nb = json.loads((out/'report.ipynb').read_text())
    assert [o for c in nb['cells'] for o in c.get('outputs', []) if o.get('name') == 'stderr'] == []


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
    r = subprocess.run([str(EXE), 'hansen', '--out_dir', str(tmp_path/'cli'), '--quick', '--quiet', '--modes', 'hc,ec',
                        '--n_spins', '10'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stderr == '', r.stderr[-3000:]  # --quiet: nothing on the console but the closing line (on stdout)
    s = json.loads((tmp_path/'cli'/'summary.json').read_text())
    assert s['k'] == dict(hc=5, ec=4) and s['parameters']['n_spins'] == 10
    r = subprocess.run([str(EXE), 'nope', '--out_dir', str(tmp_path/'x')], capture_output=True, text=True)
    assert r.returncode != 0 and 'invalid choice' in r.stderr
