"The LTMR report notebooks run end to end through `connmod.report.run.run_report` with tiny parameters."
import json
import numpy as np
import pytest
from connmod.checks import derive_seed
from connmod.ltmr.evaluate import METHODS, M_RULES
from connmod.ltmr.grids import claim_test, mr_above_non_mr, PAPER_SYNTHETIC, FACTORS, RUN_FACTORS, factorial_design, run_options, run_runs, audit_cells
from connmod.ltmr.synthetic import make_synthetic
from connmod.report.run import run_report, check_summary

SYN = dict(configurations=3, densities=[0.015, 0.105], n_jobs=1)
SENS = dict(configurations=3, densities=[0.015, 0.105], design='half', m_rules=['laplacian', 'true'], averages=['matched', 'max'],
            real=True, real_densities=[0.1, 0.2])
SCHEMA = {'report', 'parameters', 'elapsed_s', 'answer'}          # shared by every report's summary.json


def run(name, out, **params):
    d = run_report(name, out, params, progress=False)
    s = check_summary(json.loads((d/'summary.json').read_text()))            # the shared keys, typed
    assert all(s['parameters'][k] == v for k, v in params.items())           # `parameters` holds this run's values
    return d, s


def check_rows(rows):
    assert [r['method'] for r in rows] == list(METHODS)          # one row per method, in order
    for r in rows:
        assert 0 <= r['mean_dc'] <= 1 and r['sd_dc'] >= 0
        if r['method'] == 'LTMR': assert r['p_vs_ltmr'] is None
        else: assert 0 <= r['p_vs_ltmr'] <= 1


def check_claim(cell_dc, cell_p, claim, tol=.05):
    "The claim test recomputed from a cell's means and p-values."
    order = (all(cell_dc['LTMR'] > cell_dc[k] and cell_p[k] < .05 for k in ('GT', 'LT', 'MST-kNN'))
             and cell_dc['LTMR'] > cell_dc['GTMR'])
    assert claim['order_holds'] == order
    if claim['level_distance'] is not None:
        dist = max(abs(cell_dc[k] - PAPER_SYNTHETIC[k]['dc']) for k in METHODS)
        assert np.isclose(claim['level_distance'], dist) and claim['reproduced'] == (order and dist <= tol)


@pytest.fixture(scope='module')
def syn(tmp_path_factory, mirror):
    return run('ltmr-synthetic', tmp_path_factory.mktemp('r')/'syn', **SYN)


def test_synthetic_structure(syn):
    d, s = syn
    assert SCHEMA <= set(s) and s['report'] == 'ltmr-synthetic' and s['parameters']['configurations'] == 3
    assert s['elapsed_s'] > 0 and s['unit'] == 'configuration'
    assert s['default_reading'] == 'covariance' and set(s['readings']) == {'covariance', 'correlation'}
    assert s['methods'] == s['readings']['covariance']['methods']                # `methods` is the default reading
    for reading in s['readings'].values():
        check_rows(reading['methods']); check_rows(reading['methods_true_m'])
        assert reading['claim'] == claim_test(reading['methods'])                 # the whole claim, per reading
        dc = {r['method']: r['mean_dc'] for r in reading['methods']}
        check_claim(dc, {r['method']: r['p_vs_ltmr'] for r in reading['methods']}, reading['claim'])
        assert reading['mr_above_non_mr'] == mr_above_non_mr(reading['methods'])
    verdict = 'the claim is reproduced' if s['claim']['reproduced'] else 'the claim is NOT reproduced'
    assert s['answer'].startswith('On the covariance reading (3 configurations') and verdict in s['answer'] and 'correlation reading' in s['answer']
    assert {r['method']: r['paper_dc'] for r in s['methods']}['LTMR'] == 0.6735
    assert s['methods'][0]['n_pairs'] == SYN['configurations']
    for f in ('fig_dc_vs_density.png', 'fig_dc_vs_paper.png', 'fig_m_vs_true.png', 'table_synthetic.csv', 'table_synthetic.md',
              'table_synthetic_m.md', 'table_synthetic_correlation.csv'):
        assert (d/f).stat().st_size > 0
    true_n = np.mean([make_synthetic(np.random.default_rng(derive_seed(0, i)))['N'] for i in range(SYN['configurations'])])
    assert all(v['mean_true'] == true_n for v in s['m'].values())     # the N of configurations 0, 1, 2 of master seed 0
    m_cov, m_cor = ({k: v['mean_estimated'] for k, v in s['readings'][e]['m'].items()} for e in ('covariance', 'correlation'))
    assert all(m_cov[k] < m_cor[k] for k in METHODS)                  # the reading changes the paper's m rule: larger weights, smaller m
    assert '| covariance DC | covariance p |' in (d/'table_synthetic.md').read_text()


def test_synthetic_seed_reproduces_table(syn, tmp_path):
    _, s2 = run('ltmr-synthetic', tmp_path/'again', **{**SYN, 'n_jobs': 2})   # same seed, other process count
    assert s2['readings'] == syn[1]['readings']
    _, s3 = run('ltmr-synthetic', tmp_path/'seed1', **{**SYN, 'seed': 1, 'estimates': ['correlation']})
    assert set(s3['readings']) == {'correlation'} and s3['methods'] != syn[1]['readings']['correlation']['methods']


def test_synthetic_choice_is_wired(syn, tmp_path):
    "One reading alone is the same reading of the two-reading run (paired configurations); A + I changes the MR methods only."
    _, s = run('ltmr-synthetic', tmp_path/'self', **{**SYN, 'self_loops': True, 'estimates': ['correlation']})
    base, new = ({r['method']: r['mean_dc'] for r in x} for x in (syn[1]['readings']['correlation']['methods'], s['methods']))
    assert all(base[m] == new[m] for m in ('GT', 'LT', 'MST-kNN'))
    assert base['LTMR'] != new['LTMR'] and base['GTMR'] != new['GTMR']
    _, r = run('ltmr-synthetic', tmp_path/'rel', **{**SYN, 'estimates': ['covariance'], 'offset_scale': 'relative'})
    assert r['methods'] != syn[1]['methods'] and r['parameters']['offset_scale'] == 'relative'


def test_synthetic_several_rules_and_denominators(syn, tmp_path):
    "With several m rules and Dice denominators the main table is the first pair's (the default run's), and every pair has a table."
    d, s = run('ltmr-synthetic', tmp_path/'rules', **{**SYN, 'm_rules': ['laplacian', 'true'], 'averages': ['matched', 'max']})
    assert s['readings'] == syn[1]['readings']                                      # the main tables do not depend on the other rules
    by = {(t['m_rule'], t['average']): t['readings'] for t in s['tables']}
    assert list(by) == [('laplacian', 'matched'), ('laplacian', 'max'), ('true', 'matched'), ('true', 'max')]
    for e, reading in s['readings'].items():
        assert by['laplacian', 'matched'][e]['methods'] == reading['methods'] and by['true', 'matched'][e]['methods'] == reading['methods_true_m']
        assert all(x['mean_dc'] <= y['mean_dc'] + 1e-12 for x, y in zip(by['laplacian', 'max'][e]['methods'], reading['methods']))   # 'max' <= 'matched'
    for f in ('table_synthetic_laplacian_max.md', 'table_synthetic_true_matched.md', 'table_synthetic_true_max.csv'): assert (d/f).stat().st_size > 0
    assert not (d/'table_synthetic_laplacian_matched.md').exists()                 # the main table is table_synthetic


def test_synthetic_method_subset_says_claim_unchecked(tmp_path, mirror):
    "A subset of the methods runs to the end; the claim (it needs all five) is reported as not checkable, not crashed on."
    _, s = run('ltmr-synthetic', tmp_path/'sub', configurations=2, densities=[0.105], methods=['GT', 'LTMR'], estimates=['covariance'])
    assert [r['method'] for r in s['methods']] == ['GT', 'LTMR'] and s['claim']['order_holds'] is None
    assert s['claim']['level_distance'] is None and s['readings']['covariance']['claim_true_m']['order_holds'] is None
    assert "claim cannot be checked" in s['answer'] and 'LT, MST-kNN, GTMR are missing' in s['answer']
    assert "the paper's claim cannot be checked: it needs all five methods" in s['diagnosis']


def test_bad_parameter_fails_before_running(tmp_path):
    with pytest.raises(ValueError, match="m_rules: unknown \\['eig'\\]"): run_report('ltmr-synthetic', tmp_path/'x', dict(m_rules=['eig']))
    with pytest.raises(ValueError, match='no parameter'): run_report('ltmr-synthetic', tmp_path/'x', dict(m_rule='laplacian'))   # the old singular name
    with pytest.raises(ValueError, match="estimates: unknown \\['pearson'\\]"):
        run_report('ltmr-synthetic', tmp_path/'x', dict(estimates=['pearson']))
    with pytest.raises(ValueError, match="offset_scale must be one of \\('absolute', 'relative'\\)"):
        run_report('ltmr-real', tmp_path/'x', dict(offset_scale='max'))
    with pytest.raises(ValueError, match='no parameter'): run_report('ltmr-real', tmp_path/'x', dict(configurations=3))
    with pytest.raises(ValueError, match="design must be one of \\('half', 'full'\\)"): run_report('ltmr-sensitivity', tmp_path/'x', dict(design='third'))
    with pytest.raises(ValueError, match="unknown \\['nope'\\]"): run_report('ltmr-sensitivity', tmp_path/'x', dict(m_rules=['nope']))
    assert not (tmp_path/'x').exists()


def test_real(tmp_path, mirror):
    d, s = run('ltmr-real', tmp_path/'real', densities=[0.1, 0.2, 0.3], m_rules=['laplacian', 'laplacian-binary'], averages=['matched', 'max'])
    assert SCHEMA <= set(s) and s['report'] == 'ltmr-real' and 'pairs = the 3 densities' in s['pairing']
    assert set(s['matrices']) == {'schaefer100-main', 'schaefer100-holdout'} and 'Not the paper data' in s['substitution']
    assert s['reference_density'] == 0.2
    for v in s['matrices'].values():
        check_rows(v['methods'])
        for r in v['methods']:
            assert 0 <= r['reproducibility'] <= 1 and 0 <= r['replication'] <= 1 and r['n_units'] == 3
        assert v['reproducibility'] == {r['method']: r['reproducibility'] for r in v['methods']}
        assert v['claim']['level_distance'] is None and v['claim']['reproduced'] is None     # order only on substitute data
        check_claim({r['method']: r['mean_dc'] for r in v['methods']}, {r['method']: r['p_vs_ltmr'] for r in v['methods']}, v['claim'])
        assert set(M_RULES) <= set(v['m']) and v['m']['true'] == 7          # mean m per rule
        assert np.isclose(v['m']['laplacian'], np.mean([r['mean_m'] for r in v['methods']]))   # the cut rule's m is the counted one
        by = {(t['m_rule'], t['average']): t['methods'] for t in v['tables']}          # every chosen rule × denominator, the first is the main table
        assert list(by) == [('laplacian', 'matched'), ('laplacian', 'max'), ('laplacian-binary', 'matched'), ('laplacian-binary', 'max')]
        assert by['laplacian', 'matched'] == v['methods'] and by['laplacian-binary', 'matched'] != v['methods']
        assert np.isclose(v['m']['laplacian-binary'], np.mean([r['mean_m'] for r in by['laplacian-binary', 'max']]))
    assert set(s['replication']['schaefer100']) == set(METHODS)
    assert (d/'table_schaefer100-main_laplacian-binary_max.md').stat().st_size > 0
    assert (d/'fig_real_dc.png').stat().st_size > 0 and (d/'fig_real_m.png').stat().st_size > 0


def test_run_factors_are_wired():
    "Paired cells of the full design, one run factor apart: each factor changes what it should through `run_options`, and only that."
    full = factorial_design('full')
    base = full[0]
    flips = [dict(base, **{f: lvl}) for f in RUN_FACTORS for lvl in FACTORS[f][1:]]      # base with one factor at another level
    assert all(r in full for r in flips)
    runs = [base] + flips
    g = run_runs([run_options(r) for r in runs], 3, [0.015, 0.105], m_rules=['laplacian', 'true'], averages=['matched', 'max'])
    cells = audit_cells(g['dc'], runs, ['laplacian', 'true'], ['matched', 'max'], m=g['m'])
    at = lambda run, rule='laplacian', avg='matched': next(c for c in cells if c['choices'] == dict(run, m_rule=rule, average=avg))
    b = at(base)
    for r in flips:
        f = next(k for k in RUN_FACTORS if r[k] != base[k])
        c = at(r)
        assert c['mean_dc'] != b['mean_dc'], f'{f}={r[f]} changes nothing'
        if f == 'self_loops':      # fingerprints on A + I: the MR methods change, the three others' graphs and cuts do not
            assert all(c['mean_dc'][m] == b['mean_dc'][m] for m in ('GT', 'LT', 'MST-kNN'))
            assert c['mean_dc']['GTMR'] != b['mean_dc']['GTMR'] and c['mean_dc']['LTMR'] != b['mean_dc']['LTMR']
        if f == 'ncut':            # the cut changes, the graphs (so the Laplacian m) do not
            assert c['mean_m'] == b['mean_m']
        if f in ('estimate', 'within'):   # the data change, so does m
            assert c['mean_m'] != b['mean_m']
    single = runs.index(dict(base, ncut='singleton'))
    assert (g['dc'][single, :, 1, 0, 0, 0] != g['dc'][0, :, 1, 0, 0, 0]).any()   # with m = N, singleton changes GT at density 0.015 (isolated nodes)
    assert any(at(base, 'laplacian', 'max')['mean_dc'][m] < b['mean_dc'][m] for m in METHODS)   # 'max' penalises a wrong m
    assert at(base, 'true')['mean_dc'] != b['mean_dc']


def test_sensitivity(syn, tmp_path, mirror):
    d, s = run('ltmr-sensitivity', tmp_path/'sens', **SENS)
    assert SCHEMA <= set(s) and s['report'] == 'ltmr-sensitivity' and len(s['runs']) == 32
    key = lambda c: tuple(str(c['choices'][f]) for f in (*RUN_FACTORS, 'm_rule', 'average'))
    cells = {key(c): c for c in s['cells']}
    assert len(cells) == len(s['cells']) == s['n_cells'] == 32 * 2 * 2
    for c in s['cells']:
        assert set(c['mean_dc']) == set(METHODS) and all(0 <= x <= 1 for x in c['mean_dc'].values())
        assert set(c['p_vs_ltmr']) == set(METHODS) - {'LTMR'} and all(0 <= p <= 1 for p in c['p_vs_ltmr'].values())
        check_claim(c['mean_dc'], c['p_vs_ltmr'], c)
        assert np.isclose(c['ltmr_margin'], c['mean_dc']['LTMR'] - max(v for k, v in c['mean_dc'].items() if k != 'LTMR'))
    assert s['order_holds'] == sum(bool(c['order_holds']) for c in s['cells'])
    assert s['reproduced'] == sum(bool(c['reproduced']) for c in s['cells'])
    # main effects: every level of every factor, the mean over the cells at that level
    for resp in ('ltmr_margin', 'level_distance'):
        eff = s['main_effects'][resp]
        assert list(eff) == [*RUN_FACTORS, 'm_rule', 'average'] and list(eff['ncut']) == list(FACTORS['ncut'])
        for f, levels in eff.items():
            for lvl, v in levels.items():
                assert np.isclose(v, np.mean([c[resp] for c in s['cells'] if str(c['choices'][f]) == lvl]))
    assert s['main_effects']['ltmr_margin']['estimate']['covariance'] != s['main_effects']['ltmr_margin']['estimate']['correlation']
    dist = [c['level_distance'] for c in s['closest']]
    assert len(dist) == 10 and dist == sorted(dist) and dist[0] == min(c['level_distance'] for c in s['cells'])
    # the paper's reading is a run, and its (laplacian, matched) cell is the synthetic report's default table
    base = cells['covariance', 'binary', 'True', 'False', 'offset-absolute', 'laplacian', 'matched']
    assert base['mean_dc'] == {r['method']: r['mean_dc'] for r in syn[1]['methods']}
    assert base['p_vs_ltmr'] == {r['method']: r['p_vs_ltmr'] for r in syn[1]['methods'] if r['method'] != 'LTMR'}
    assert base['mean_m'] == {k: v['mean_estimated'] for k, v in syn[1]['m'].items()}
    assert f"reproduces (order and level distance ≤ 0.05) in {s['reproduced']}" in s['answer']
    assert s['factors'] == {**{f: [str(x) for x in FACTORS[f]] for f in RUN_FACTORS}, 'm_rule': SENS['m_rules'], 'average': SENS['averages']}
    # the cheap factors are crossed inside every run: paired cells differ in one choice only
    for r_ in s['runs']:
        c = lambda rule, avg: cells[(*(str(r_[f]) for f in RUN_FACTORS), rule, avg)]['mean_dc']
        assert c('laplacian', 'matched') != c('true', 'matched')
        assert all(c(r, 'max')[m] <= c(r, 'matched')[m] + 1e-12 for r in SENS['m_rules'] for m in METHODS)   # 'max' ≤ 'matched'
    assert any(cells[k]['mean_dc'] != cells[(*k[:-1], 'matched')]['mean_dc'] for k in cells if k[-1] == 'max')
    assert len(s['real']['cells']) == 2 * 4 * 2 * 2 and s['real']['answer'].startswith('schaefer100-main')
    # on real data self_loops × ncut is crossed in full: A + I changes the MR methods only, every ncut choice changes a cell
    real = {tuple(str(c['choices'][f]) for f in ('self_loops', 'ncut', 'm_rule', 'average')): c['mean_dc'] for c in s['real']['cells']}
    for (sl, nc, rule, avg), dc in real.items():
        if sl == 'False':
            other = real['True', nc, rule, avg]
            assert all(dc[m] == other[m] for m in ('GT', 'LT', 'MST-kNN'))
    assert all(any(real['False', nc, r, a]['LTMR'] != real['True', nc, r, a]['LTMR'] for r in SENS['m_rules'] for a in SENS['averages'])
               for nc in FACTORS['ncut'])
    for nc in FACTORS['ncut'][1:]:
        assert any(real['False', nc, r, a] != real['False', 'offset-absolute', r, a] for r in SENS['m_rules'] for a in SENS['averages'])
    assert all(c['level_distance'] is None for c in s['real']['cells'])
    for f in ('fig_main_effects.png', 'fig_real_main_effects.png', 'table_main_effects.md', 'table_closest.md', 'table_cells.csv'):
        assert (d/f).stat().st_size > 0
