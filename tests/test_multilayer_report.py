"The multilayer Hansen report end to end through `run_report` (a small run): summary, figures, maps, bad parameters."
import json
import numpy as np
import pytest
from connmod.report.run import run_report, check_summary, full_params
from connmod.report.multilayer import MULTILAYER_FULL

SMALL = dict(omegas=[0.0, 0.01, 0.3], repeats=12, n_null=5, null_runs=2, surfaces=True)


@pytest.fixture(scope='module')
def report(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp('r')/'multilayer'
    run_report('hansen-multilayer', out, SMALL, progress=False)
    return out, json.loads((out/'summary.json').read_text())


def test_summary_holds_the_grid_the_consistency_and_the_answer(report):
    out, s = report
    check_summary(s)
    assert s['report'] == 'hansen-multilayer' and s['parameters']['omegas'] == SMALL['omegas']
    g = s['grid']
    assert g['gammas'] == [1.0] and g['omegas'] == SMALL['omegas']
    k, cons = np.array(g['k']), np.array(g['mean_consistency'])
    assert k.shape == cons.shape == (1, 3) and np.array(g['consistency']).shape == (1, 3, 400)
    assert cons[0, 0] == 0 and (np.diff(cons[0]) >= -0.05).all()        # ω = 0: modes apart; stronger ω: more shared
    assert set(g['k_per_mode']) == set(s['agreement']) == {'gc', 'rs', 'ls', 'mc', 'hc', 'ec', 'ts'}
    c = np.array(s['consistency'])
    assert c.shape == (400,) and ((c >= 0) & (c <= 1)).all()
    np.testing.assert_allclose(c, np.array(g['consistency'])[0, 1])      # the answer point is ω = 0.01
    assert len(s['leaves']) == 400 and len(s['multimodal_partition']) == 400
    sp = s['spin_null']
    assert sp['n_null'] == 5 and len(sp['p_spin']) == 400 and min(sp['p_spin']) >= 1 / 6 - 1e-12
    assert f"{100 * np.mean(c):.0f} % of the 21 pairs" in s['answer']                     # written from the numbers:
    assert f"single runs {100 * np.mean(sp['statistic']):.0f} %" in s['answer']           # consensus, then the spin statistic
    assert any(f"spin p = {sp['p_global']:{f}})" in s['answer'] for f in ('.2f', '.3f')) and sp['p_global'] >= 1 / 6 - 1e-12
    assert 'Undecided at this size' in s['answer']                        # 5 spins cannot flag a parcel
    assert s['elapsed_s'] > 0


def test_figures_and_maps(report):
    out, s = report
    assert [f[:-4] for f in s['figures']] == ['fig1_landscape', 'fig2_partitions', 'fig3_mode_agreement', 'fig4_spin_null',
                                              'fig5_networks', 'fig6_surfaces']
    for f in s['figures']: assert (out/f).stat().st_size > 5000 and (out/f.replace('.png', '.svg')).is_file()
    for m in ('consistency', 'spin_p', 'multimodal'): assert (out/f'surface_{m}.png').stat().st_size > 5000
    assert (out/'report.html').is_file()


def test_full_parameters_and_bad_ones(tmp_path):
    assert full_params('hansen-multilayer') == MULTILAYER_FULL
    for bad, name in ((dict(omegas=[0.0, -0.1]), 'omegas'), (dict(answer_omega=0.5), 'answer_omega'), (dict(repeats=0), 'repeats')):
        with pytest.raises(ValueError, match=name):
            run_report('hansen-multilayer', tmp_path/'bad', bad, progress=False)
        assert not (tmp_path/'bad').exists() and not list(tmp_path.iterdir())   # refused before any folder is made
