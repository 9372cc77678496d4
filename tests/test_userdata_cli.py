"""`connmod-sweep --matrix a.csv --matrix b.npy --gammas 0.5:2:0.5 --out_dir D` on a user's files, end to end as a user
types it: results, the record of the inputs in sweep.json, and a resumed run that recomputes only what is missing."""
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest

EXE = Path(sys.executable).parent/'connmod-sweep'


@pytest.fixture
def files(tmp_path):
    "A correlation matrix (CSV with parcel names) and a structural-like weight matrix (.npy), 40 parcels."
    rng = np.random.default_rng(3)
    truth = np.repeat(np.arange(4), 10)
    X = rng.normal(size=(40, 120)) + 1.5 * rng.normal(size=(4, 120))[truth]
    C = np.corrcoef(X)
    names = [f'n{i}' for i in range(40)]
    a = tmp_path/'a.csv'
    a.write_text(','.join([''] + names) + '\n' + ''.join(n + ',' + ','.join(repr(float(v)) for v in row) + '\n' for n, row in zip(names, C)))
    b = tmp_path/'b.npy'
    np.save(b, np.clip(C, -0.9, 0.9) * (np.abs(C) > 0.2))
    return a, b


def run(*args):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_sweep_on_user_files_works_and_resumes(files, tmp_path):
    a, b = files
    D = tmp_path/'D'
    r = run('--matrix', a, '--matrix', b, '--gammas', '0.5:2:0.5', '--out_dir', D, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith('a: communities per γ') and '\nb: ' in r.stdout
    man = json.loads((D/'sweep.json').read_text())
    assert man['gammas'] == [0.5, 1.0, 1.5, 2.0] and man['repeats'] == 250 and man['seed'] == 0
    rec = man['inputs']
    assert rec['transform'] == 'fisher_z' and list(rec['files']) == ['a', 'b']
    import hashlib
    assert rec['files']['a']['sha256'] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert rec['files']['b']['path'] == str(b.resolve())
    first = {m: np.load(D/f'community_assignments_{m}.npy') for m in 'ab'}
    assert first['a'].shape == (40, 4)
    truth = np.repeat(np.arange(4), 10)
    from connmod.engine.consensus import ari
    assert ari(first['a'][:, 1], truth) > 0.9  # the planted groups, found at γ = 1
    tasks = sorted((D/'tasks').glob('*.npz'))
    assert len(tasks) == 8
    stamps = {p.name: p.stat().st_mtime_ns for p in tasks}
    tasks[3].unlink()  # as if the run had been killed before this task finished
    r = run('--matrix', a, '--matrix', b, '--gammas', '0.5:2:0.5', '--out_dir', D, '--quiet')
    assert r.returncode == 0, r.stderr[-2000:]
    now = {p.name: p.stat().st_mtime_ns for p in (D/'tasks').glob('*.npz')}
    assert set(now) == set(stamps)
    assert [n for n in now if now[n] != stamps.get(n)] == [tasks[3].name]  # only the missing task ran again
    for m in 'ab': assert np.array_equal(np.load(D/f'community_assignments_{m}.npy'), first[m])  # to the same result


def test_changed_file_is_not_resumed_and_bad_files_write_nothing(files, tmp_path):
    a, b = files
    D = tmp_path/'D'
    assert run('--matrix', b, '--gammas', '1', '--repeats', '5', '--out_dir', D, '--quiet').returncode == 0
    np.save(b, np.load(b) * 0.5)
    r = run('--matrix', b, '--gammas', '1', '--repeats', '5', '--out_dir', D, '--quiet')
    assert r.returncode != 0 and 'other modes' in r.stderr
    bad = tmp_path/'ragged.csv'; bad.write_text('1,0.5\n0.5\n')
    r = run('--matrix', a, '--matrix', bad, '--gammas', '1', '--out_dir', tmp_path/'E', '--quiet')
    assert r.returncode == 2 and str(bad) in r.stderr and not (tmp_path/'E').exists()
    assert r.stderr.startswith('connmod-sweep: error: ') and r.stderr.count('\n') == 1, r.stderr  # one line, no traceback
