"Each notebook's inline tests as one pytest case (cells flagged `notest`/`slow` are skipped, as in nbdev_test)."
import re, subprocess, sys
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1]/'nbs'
NOTEBOOKS = sorted(p for p in NBS.rglob('*.ipynb') if not any(s.startswith(('_', '.')) for s in p.relative_to(NBS).parts))


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[str(p.relative_to(NBS)) for p in NOTEBOOKS])
def test_notebook(nb):
    exe = Path(sys.executable).parent/'nbdev_test'
    cmd = [str(exe) if exe.exists() else 'nbdev_test', '--path', str(nb)]
    r = subprocess.run(cmd, cwd=NBS.parent, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, f'{nb.name} failed:\n{r.stdout[-6000:]}\n{r.stderr[-6000:]}'


def test_every_module_has_a_notebook():
    lib = NBS.parent/'connmod'
    modules = {'.'.join(p.relative_to(lib).with_suffix('').parts) for p in lib.rglob('*.py')
               if p.stem not in ('__init__', '_modidx')}
    exported = {m.group(1) for nb in NOTEBOOKS for m in re.finditer(r'#\|\s*default_exp\s+([\w.]+)', nb.read_text())}
    assert modules == exported, f'modules without a notebook: {modules - exported}'
