"""Sweeps that must not mix or misplace results: two writers racing for one folder, a deleted manifest resumed with
other parameters, a task file copied over another, unsafe mode names, and bad command-line values that must leave
nothing behind."""
import json, os, shutil, subprocess, sys, warnings
from pathlib import Path
import numpy as np
import pytest
import connmod.engine.sweep as sw

GAMMAS = [0.5, 1.0, 2.0]
EXE = Path(sys.executable).parent/'connmod-sweep'


def noisy(n=30, seed=0):
    "A correlation matrix with weak structure: partitions differ from seed to seed, so a mix-up shows."
    rng = np.random.default_rng(seed)
    return np.corrcoef(rng.standard_normal((n, 12)) + np.repeat(rng.standard_normal((3, 12)), n // 3, axis=0))


@pytest.fixture(scope='module')
def modes(): return {'a': noisy(30, 1), 'b': noisy(24, 2)}


def sweep(modes, out_dir, seed, **kw):
    return sw.sweep(modes, GAMMAS, repeats=6, seed=seed, out_dir=out_dir, progress=False, **kw)


def contents(folder:Path)->dict:
    "Every file under `folder` by relative path: arrays for .npz/.npy (an npz's zip headers hold a time stamp), else bytes."
    out = {}
    for p in sorted(folder.rglob('*')):
        if p.is_dir(): continue
        key = str(p.relative_to(folder))
        if p.suffix == '.npz':
            with np.load(p) as z: out[key] = {k: z[k].tolist() for k in z.files}
        elif p.suffix == '.npy': out[key] = np.load(p).tolist()
        else: out[key] = p.read_bytes()
    return out


WORKER = r'''
import sys, warnings, numpy as np, connmod.engine.sweep as sw
warnings.simplefilter('ignore')
with np.load(sys.argv[1]) as z: modes = {k: z[k] for k in z.files}
sw.sweep(modes, [1.0], repeats=2, progress=False)   # compile before the races start
print('ready', flush=True)
for line in sys.stdin:
    out, seed = line.split()
    try:
        sw.sweep(modes, [0.5, 1.0, 2.0], repeats=6, seed=int(seed), out_dir=out, progress=False)
        print('ok', flush=True)
    except ValueError as e: print('refused', ' '.join(str(e).split()), flush=True)
'''


def test_two_sweeps_racing_for_one_folder(modes, tmp_path):
    "Two processes, seeds 0 and 1, released into one empty folder at once, 10 times: one wins, the other writes nothing."
    np.savez(tmp_path/'modes.npz', **modes)
    for s in (0, 1): sweep(modes, tmp_path/f'ref{s}', s)   # a single uninterrupted run of each seed
    refs = {s: contents(tmp_path/f'ref{s}') for s in (0, 1)}
    assert refs[0]['tasks/a_gamma-1.0000.npz'] != refs[1]['tasks/a_gamma-1.0000.npz']  # the seeds do differ
    procs = [subprocess.Popen([sys.executable, '-c', WORKER, str(tmp_path/'modes.npz')], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for _ in range(2)]
    try:
        assert [p.stdout.readline().strip() for p in procs] == ['ready', 'ready']
        winners = []
        for trial in range(10):
            out = tmp_path/f'race{trial}'
            for seed, p in enumerate(procs): p.stdin.write(f'{out} {seed}\n')
            for p in procs: p.stdin.flush()
            said = [p.stdout.readline().strip() for p in procs]
            assert sorted(s.split()[0] for s in said) == ['ok', 'refused'], said
            loser = said[1 - said.index('ok')]
            assert 'other seed' in loser, loser
            winner = said.index('ok'); winners.append(winner)
            assert contents(out) == refs[winner], f'trial {trial}: the folder differs from a single run of seed {winner}'
    finally:
        for p in procs: p.stdin.close(); p.wait(timeout=60)
    assert all(p.returncode == 0 for p in procs)


def test_deleted_manifest_resumed_with_another_seed_uses_no_old_checkpoint(modes, tmp_path):
    sweep(modes, tmp_path/'o', 0)
    (tmp_path/'o'/'sweep.json').unlink()
    with pytest.warns(UserWarning, match='other parameters'):
        again = sweep(modes, tmp_path/'o', 1)
    fresh = sweep(modes, tmp_path/'fresh', 1)
    for m in modes:
        for k in ('assignments', 'q', 'zrand'): np.testing.assert_array_equal(again[m][k], fresh[m][k])
    assert contents(tmp_path/'o') == contents(tmp_path/'fresh')
    assert json.loads((tmp_path/'o'/'sweep.json').read_text())['seed'] == 1


def test_other_repeats_algorithm_or_matrix_are_not_resumed_either(modes, tmp_path, monkeypatch):
    for change in (dict(repeats=4), dict(algorithm='leiden'), dict(B='negative_sym'), dict(modes={'a': modes['a'] * 2})):
        out = tmp_path/str(len(list(tmp_path.iterdir())))
        sw.sweep({'a': modes['a']}, [1.0], repeats=6, seed=0, out_dir=out, progress=False)
        (out/'sweep.json').unlink()
        kw = dict(dict(modes={'a': modes['a']}, gammas=[1.0], repeats=6, seed=0, out_dir=out, progress=False), **change)
        with pytest.warns(UserWarning, match='other parameters'): sw.sweep(**kw)


def test_task_file_copied_over_another_is_not_used(modes, tmp_path):
    ref = sweep(modes, tmp_path, 3)
    shutil.copy(sw.task_path(tmp_path, 'a', 0.5), sw.task_path(tmp_path, 'a', 1.0))
    shutil.copy(sw.task_path(tmp_path, 'b', 2.0), sw.task_path(tmp_path, 'a', 2.0))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        again = sweep(modes, tmp_path, 3)
    said = [str(x.message) for x in w if 'other parameters' in str(x.message)]
    assert len(said) == 2 and 'gamma' in said[0] and 'mode' in said[1], said
    for m in modes:
        for k in ('assignments', 'q', 'zrand'): np.testing.assert_array_equal(again[m][k], ref[m][k])


def test_mode_names_stay_inside_out_dir(modes, tmp_path):
    out = tmp_path/'deep'/'er'
    for bad in ('../../x', '/abs', 'a/b', '..', '.x', 'a\\b', 'a b', ''):
        with pytest.raises(ValueError, match='modes: name'): sweep({bad: modes['a']}, out, 0)
    with pytest.raises(ValueError, match='share files'): sweep({'x': modes['a'], 'X': modes['b']}, out, 0)
    assert list(tmp_path.iterdir()) == []


def run(*args, cwd=None):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_cli_bad_values_write_nothing_and_say_one_line(modes, tmp_path):
    np.save(tmp_path/'m.npy', modes['a'])
    (tmp_path/'afile').write_text('x'); (tmp_path/'empty').mkdir()   # 'empty': the working folder of the commands
    base = ('--matrix', tmp_path/'m.npy', '--gammas', '1', '--repeats', '3', '--quiet')
    for extra, msg in ((('--B', 'foo', '--out_dir', tmp_path/'o'), 'B must be one of'),
                       (('--seed', '-1', '--out_dir', tmp_path/'o'), 'seed must be an integer >= 0'),
                       (('--out_dir', ''), 'out_dir must be a folder path'),
                       (('--out_dir', tmp_path/'afile'), f'{tmp_path/"afile"} exists and is not a folder')):
        r = run(*base, *extra, cwd=tmp_path/'empty')
        assert r.returncode == 2 and r.stderr.startswith('connmod-sweep: error: ') and r.stderr.count('\n') == 1, r.stderr
        assert msg in r.stderr, r.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ['afile', 'empty', 'm.npy']
        assert list((tmp_path/'empty').iterdir()) == []   # --out_dir '' wrote nothing into the working folder
    # the corrected command then runs; a truncated sweep.json is named
    assert run(*base, '--out_dir', tmp_path/'o').returncode == 0
    (tmp_path/'o'/'sweep.json').write_text('{"gammas": [1.0')
    r = run(*base, '--out_dir', tmp_path/'o')
    assert r.returncode == 2 and str(tmp_path/'o'/'sweep.json') in r.stderr, r.stderr
    # a traceback on request
    r = subprocess.run([str(EXE), *map(str, base), '--B', 'foo', '--out_dir', str(tmp_path/'p')], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, CONNMOD_DEBUG='1'))
    assert r.returncode == 1 and 'Traceback' in r.stderr and 'B must be one of' in r.stderr
