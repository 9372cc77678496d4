"""Relative paths on the command line are the user's: a report runs in a folder of its own, so `connmod-ltmr --matrix
a.csv` started in the folder holding `a.csv` must read that file (the path is made absolute before the run moves)."""
import json, subprocess, sys
from pathlib import Path
import numpy as np

EXE = Path(sys.executable).parent/'connmod-ltmr'


def test_connmod_ltmr_reads_a_relative_matrix_path(tmp_path):
    rng = np.random.default_rng(1)
    truth = np.repeat(np.arange(3), 8)
    C = np.corrcoef(rng.normal(size=(24, 200)) + 2 * rng.normal(size=(3, 200))[truth])
    (tmp_path/'in').mkdir()
    np.savetxt(tmp_path/'in'/'a.csv', C, delimiter=',')
    if EXE.exists(): cmd = [str(EXE)]
    else:
        launcher = tmp_path/'connmod-ltmr'  # the console script's body (and name): the command parses sys.argv
        launcher.write_text('from connmod.cli import ltmr_cmd\nltmr_cmd()\n')
        cmd = [sys.executable, str(launcher)]
    r = subprocess.run(cmd + ['--matrix', 'in/a.csv', '--densities', '0.3', '--methods', 'GT', '--out_dir', 'res', '--quiet'],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((tmp_path/'res'/'summary.json').read_text())
    assert s['parameters']['matrix'] == str((tmp_path/'in'/'a.csv').resolve())  # the report records the file it read
    assert list(s['inputs']['files']) == ['a']
    assert len((tmp_path/'res'/'labels.csv').read_text().splitlines()) == 25
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != 'connmod-ltmr') == ['in', 'res']  # no .failed, no temporary folder
    r = subprocess.run(cmd + ['--matrix', 'in/absent.csv', '--out_dir', 'never', '--quiet'], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr == 'connmod-ltmr: error: path: no such file: in/absent.csv\n'  # as typed, in one line
