"Sweeps: identical results for 1 or 2 local workers and a Dask cluster, kill-and-resume, corrupt checkpoints."
import numpy as np
import pytest
import connmod.engine.sweep as sw
from connmod.fixtures import planted_partition

GAMMAS = [0.5, 1.0, 2.0]


def planted(n, k, seed):
    "A planted-partition graph of `k` blocks with signed weights, as a Fisher-z matrix has."
    W, _ = planted_partition([n // k] * k, .7, .1, weights=(.2, 1.), seed=seed)
    return W - W.mean() * (1 - np.eye(n))


@pytest.fixture(scope='module')
def modes(): return {'a': planted(60, 3, 1), 'b': planted(80, 4, 2)}


@pytest.fixture(scope='module')
def reference(modes):
    return sw.sweep(modes, GAMMAS, repeats=12, seed=3, progress=False)


def assert_same(x, y):
    assert x.keys() == y.keys()
    for m in x:
        for k in ('assignments', 'q', 'zrand'):
            np.testing.assert_array_equal(x[m][k], y[m][k], err_msg=f'{m} {k}')


def test_shapes(reference):
    r = reference['b']
    assert r['assignments'].shape == (80, 3) and r['q'].shape == (3, 12) and r['zrand'].shape == (3, 66)
    assert r['assignments'].min() == 1


def test_two_local_workers_same_result(modes, reference, tmp_path):
    assert_same(sw.sweep(modes, GAMMAS, repeats=12, seed=3, n_jobs=2, out_dir=tmp_path, progress=False), reference)
    assert_same(sw.sweep(modes, GAMMAS[::-1], repeats=12, seed=3, progress=False),
                {m: {k: v[:, ::-1] if k == 'assignments' else v[::-1] for k, v in r.items()} for m, r in reference.items()})


def test_other_seed_other_result():
    rng = np.random.default_rng(0)
    noise = {'n': np.corrcoef(rng.standard_normal((50, 20)))}  # no structure: runs differ from seed to seed
    one, other = (sw.sweep(noise, [1.0], repeats=12, seed=s, progress=False)['n']['q'] for s in (3, 4))
    assert np.ptp(one) > 0 and not np.array_equal(one, other)


def test_dask_local_cluster_same_result(modes, reference, tmp_path):
    distributed = pytest.importorskip('distributed')
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert_same(sw.sweep(modes, GAMMAS, repeats=12, seed=3, backend='dask', scheduler=client,
                             out_dir=tmp_path, progress=False), reference)
        assert_same(sw.sweep(modes, GAMMAS, repeats=12, seed=3, backend='dask', scheduler=cluster.scheduler_address,
                             progress=False), reference)


def test_kill_and_resume_is_bit_identical(modes, reference, tmp_path, monkeypatch):
    real, calls = sw.run_task, [0]
    def dies_after_four(*args, **kw):
        calls[0] += 1
        if calls[0] > 4: raise KeyboardInterrupt('killed')
        return real(*args, **kw)
    monkeypatch.setattr(sw, 'run_task', dies_after_four)
    with pytest.raises(KeyboardInterrupt): sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    assert len(list((tmp_path/'tasks').glob('*.npz'))) == 4
    assert not list(tmp_path.rglob('*.tmp')) and not list(tmp_path.glob('community_assignments_*'))
    monkeypatch.setattr(sw, 'run_task', real)
    resumed = sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    assert_same(resumed, reference)
    for m in modes:
        np.testing.assert_array_equal(np.load(tmp_path/f'community_assignments_{m}.npy'), reference[m]['assignments'])
        np.testing.assert_array_equal(np.load(tmp_path/f'zrand_{m}.npy'), reference[m]['zrand'])
    assert not list(tmp_path.rglob('*.tmp'))


def test_rerun_skips_finished_tasks(modes, tmp_path, monkeypatch):
    sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    monkeypatch.setattr(sw, 'run_task', lambda *a, **kw: pytest.fail('a finished task was recomputed'))
    sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)


def test_truncated_checkpoint_is_recomputed_with_a_warning(modes, reference, tmp_path):
    sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    f = sw.task_path(tmp_path, 'b', 1.0)
    f.write_bytes(f.read_bytes()[:100])
    with pytest.warns(UserWarning, match='corrupt'):
        again = sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    assert_same(again, reference)


def test_changed_input_is_not_resumed(modes, tmp_path):
    sw.sweep(modes, GAMMAS[:1], repeats=12, seed=3, out_dir=tmp_path, progress=False)
    changed = {'a': modes['a'] * 2, 'b': modes['b']}
    with pytest.raises(ValueError, match='other modes'):
        sw.sweep(changed, GAMMAS[:1], repeats=12, seed=3, out_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match='other seed'):
        sw.sweep(modes, GAMMAS[:1], repeats=12, seed=4, out_dir=tmp_path, progress=False)


def test_cli_sweep_resumes(tmp_path, capsys, monkeypatch):
    from connmod.cli import sweep_cmd
    sweep_cmd(modes='ts,mc', gammas='0.5,1.0', repeats=4, out_dir=str(tmp_path), quiet=True)
    first = np.load(tmp_path/'community_assignments_ts.npy')
    # the command runs in this process: a resumed sweep must load every task, not recompute it to the same bytes
    monkeypatch.setattr(sw, 'run_task', lambda *a, **kw: pytest.fail('a finished task was recomputed'))
    sweep_cmd(modes='ts,mc', gammas='0.5,1.0', repeats=4, out_dir=str(tmp_path), quiet=True)
    np.testing.assert_array_equal(np.load(tmp_path/'community_assignments_ts.npy'), first)
    assert first.shape == (400, 2)
    with pytest.raises(ValueError, match='unknown mode'):
        sweep_cmd(modes='gc,zz', out_dir=str(tmp_path/'x'), quiet=True)


def test_resumed_dask_sweep_contacts_no_scheduler(modes, reference, tmp_path):
    pytest.importorskip('distributed')
    sw.sweep(modes, GAMMAS, repeats=12, seed=3, out_dir=tmp_path, progress=False)
    # nothing left to do: the sweep must not even open a Client (this address answers nobody)
    assert_same(sw.sweep(modes, GAMMAS, repeats=12, seed=3, backend='dask', scheduler='tcp://127.0.0.1:9',
                         out_dir=tmp_path, progress=False), reference)


def test_leiden_sweep_is_recorded_and_not_resumed_by_louvain(modes, reference, tmp_path):
    leiden = sw.sweep(modes, GAMMAS[:2], repeats=6, seed=3, out_dir=tmp_path, progress=False, algorithm='leiden')
    import json
    assert json.loads((tmp_path/'sweep.json').read_text())['algorithm'] == 'leiden'
    assert leiden['a']['assignments'].shape == (60, 2)
    with pytest.raises(ValueError, match='other algorithm'):
        sw.sweep(modes, GAMMAS[:2], repeats=6, seed=3, out_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match='algorithm'):
        sw.sweep(modes, GAMMAS[:2], repeats=6, seed=3, out_dir=tmp_path/'new', algorithm='leidn')
    assert not (tmp_path/'new').exists()


def test_cli_sweep_leiden(tmp_path):
    import json
    from connmod.cli import sweep_cmd
    sweep_cmd(modes='hc', gammas='1.0', repeats=4, out_dir=str(tmp_path), quiet=True, algorithm='leiden')
    assert json.loads((tmp_path/'sweep.json').read_text())['algorithm'] == 'leiden'
    with pytest.raises(ValueError, match='other algorithm'):
        sweep_cmd(modes='hc', gammas='1.0', repeats=4, out_dir=str(tmp_path), quiet=True)
