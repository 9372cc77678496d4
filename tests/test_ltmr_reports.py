"The LTMR report notebooks run end to end through `connmod.report.run_report` with tiny parameters (issues 8, 9)."
import json
import numpy as np
import pytest
from connmod.evaluate import METHODS
from connmod.ltmr import paper_claim
from connmod.synthetic import make_synthetic
from connmod.report import run_report

SYN = dict(configurations=3, densities=[0.015, 0.105], jobs=1)
SENS = dict(configurations=3, densities=[0.015, 0.105], variants=['paper', 'mr-self', 'ncut-singleton'],
            m_rules=['laplacian', 'true'], averages=['matched', 'max'], real=True, real_densities=[0.1, 0.2])


def run(name, out, **params):
    d = run_report(name, out, params, progress=False)
    return d, json.loads((d/'summary.json').read_text())


def check_rows(rows):
    assert [r['method'] for r in rows] == list(METHODS)          # one row per method, in order
    for r in rows:
        assert 0 <= r['mean_dc'] <= 1 and r['sd_dc'] >= 0
        if r['method'] == 'LTMR': assert r['p_vs_ltmr'] is None
        else: assert 0 <= r['p_vs_ltmr'] <= 1


@pytest.fixture(scope='module')
def syn(tmp_path_factory, mirror):
    return run('ltmr-synthetic', tmp_path_factory.mktemp('r')/'syn', **SYN)


def test_synthetic_structure(syn):
    d, s = syn
    check_rows(s['methods']); check_rows(s['methods_true_m'])
    assert s['paper_claim'] == paper_claim(s['methods']) and s['unit'] == 'configuration'   # the claim of the main table
    assert ('reproduced:' in s['sentence']) == s['paper_claim'] and 'reproduce' in s['sentence']   # and the sentence says it
    assert {r['method']: r['paper_dc'] for r in s['methods']}['LTMR'] == 0.6735
    assert s['methods'][0]['n_pairs'] == SYN['configurations']
    for f in ('fig_dc_vs_density.png', 'fig_dc_vs_paper.png', 'fig_m_vs_true.png', 'table_synthetic.csv', 'table_synthetic.md'):
        assert (d/f).stat().st_size > 0
    true_n = np.mean([make_synthetic(np.random.default_rng(np.random.SeedSequence([0, i])))['N'] for i in range(SYN['configurations'])])
    assert all(v['mean_true'] == true_n for v in s['m'].values())     # the N of configurations 0, 1, 2 of master seed 0


def test_synthetic_seed_reproduces_table(syn, tmp_path):
    _, s2 = run('ltmr-synthetic', tmp_path/'again', **{**SYN, 'jobs': 2})   # same seed, other process count
    assert s2['methods'] == syn[1]['methods'] and s2['m'] == syn[1]['m']
    _, s3 = run('ltmr-synthetic', tmp_path/'seed1', **{**SYN, 'seed': 1})
    assert s3['methods'] != syn[1]['methods']


def test_synthetic_choice_is_wired(syn, tmp_path):
    "Fingerprints on A + I change the MR methods only; the other methods' graphs and cuts are untouched."
    _, s = run('ltmr-synthetic', tmp_path/'self', **{**SYN, 'self_loops': True})
    base, new = ({r['method']: r['mean_dc'] for r in x['methods']} for x in (syn[1], s))
    assert all(base[m] == new[m] for m in ('GT', 'LT', 'MST-kNN'))
    assert base['LTMR'] != new['LTMR'] and base['GTMR'] != new['GTMR']


def test_bad_parameter_fails_before_running(tmp_path):
    with pytest.raises(ValueError, match='m_rule must be one of'): run_report('ltmr-synthetic', tmp_path/'x', dict(m_rule='eig'))
    with pytest.raises(ValueError, match='no parameter'): run_report('ltmr-real', tmp_path/'x', dict(configurations=3))
    with pytest.raises(ValueError, match="unknown \\['nope'\\]"): run_report('ltmr-sensitivity', tmp_path/'x', dict(variants=['nope']))
    assert not (tmp_path/'x').exists()


def test_real(tmp_path, mirror):
    d, s = run('ltmr-real', tmp_path/'real', densities=[0.1, 0.2, 0.3])
    assert set(s['matrices']) == {'schaefer100-main', 'schaefer100-holdout'} and 'Not the paper data' in s['substitution']
    for v in s['matrices'].values():
        check_rows(v['methods'])
        for r in v['methods']:
            assert 0 <= r['reproducibility'] <= 1 and 0 <= r['replication'] <= 1 and r['n_units'] == 3
        for rule, col in (('laplacian', 'm_rule'), ('modularity', 'm_modularity')):   # the summary's m is the table's, averaged
            assert np.isclose(v['m'][rule], np.mean([r[col] for r in v['methods']]))
    assert set(s['replication']['schaefer100']) == set(METHODS)
    assert (d/'fig_real_dc.png').stat().st_size > 0 and (d/'fig_real_m.png').stat().st_size > 0


def test_sensitivity(syn, tmp_path, mirror):
    d, s = run('ltmr-sensitivity', tmp_path/'sens', **SENS)
    cells = {(c['choices']['variant'], c['choices']['m_rule'], c['choices']['average']): c for c in s['cells']}
    assert len(cells) == len(s['cells']) == 3 * 2 * 2
    for c in s['cells']:
        assert set(c['mean_dc']) == set(METHODS) and all(0 <= x <= 1 for x in c['mean_dc'].values())
        assert set(c['p_vs_ltmr']) == set(METHODS) - {'LTMR'} and all(0 <= p <= 1 for p in c['p_vs_ltmr'].values())
        dc, p = c['mean_dc'], c['p_vs_ltmr']
        assert c['paper_claim'] == (dc['LTMR'] > dc['LT'] > dc['GT'] and p['LT'] < .05 and p['GT'] < .05)
    # each choice is wired through: it changes what it should, and only that
    for rule in ('laplacian', 'true'):
        for avg in ('matched', 'max'):
            paper, selfl, single = (cells[v, rule, avg]['mean_dc'] for v in ('paper', 'mr-self', 'ncut-singleton'))
            assert all(paper[m] == selfl[m] for m in ('GT', 'LT', 'MST-kNN')) and paper['LTMR'] != selfl['LTMR']
    assert any(cells['paper', r, a]['mean_dc']['GT'] != cells['ncut-singleton', r, a]['mean_dc']['GT']
               for r in ('laplacian', 'true') for a in ('matched', 'max'))     # GT at density 0.015 has isolated nodes
    lap_m, lap_x = cells['paper', 'laplacian', 'matched']['mean_dc'], cells['paper', 'laplacian', 'max']['mean_dc']
    assert any(lap_x[m] < lap_m[m] for m in METHODS)       # 'max' penalises a wrong number of groups, 'matched' does not
    assert cells['paper', 'laplacian', 'matched']['mean_dc'] != cells['paper', 'true', 'matched']['mean_dc']
    # the baseline cell is the synthetic report's table (same configurations, densities, seeds; cuts independent per m)
    base = cells['paper', 'laplacian', 'matched']
    assert base['mean_dc'] == {r['method']: r['mean_dc'] for r in syn[1]['methods']}
    assert base['p_vs_ltmr'] == {r['method']: r['p_vs_ltmr'] for r in syn[1]['methods'] if r['method'] != 'LTMR'}
    assert len(s['real']['cells']) == 5 * 2 * 2 and s['real']['sentence'].startswith('schaefer100-main')
    assert (d/'fig_sensitivity_heatmap.png').stat().st_size > 0 and (d/'table_sensitivity.md').stat().st_size > 0
