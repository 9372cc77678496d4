"""The wheel works outside the repository: build sdist + wheel, install the wheel with the `reports` extra (what the
README's first command installs) into a fresh venv in a folder with no checkout, then import, run every console
script's --help and --version, load the Hansen data, and run a small report."""
import json, os, subprocess, sys, venv
from configparser import ConfigParser
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert r.returncode == 0, f'{cmd}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return r.stdout


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp('dist')
    run([sys.executable, '-m', 'build', '--outdir', str(dist), str(ROOT)], timeout=900)
    wheel = next(dist.glob('connmod-*.whl'))
    assert next(dist.glob('connmod-*.tar.gz'))
    env_dir = tmp_path_factory.mktemp('venv')/'env'
    venv.create(env_dir, with_pip=True)
    bin_ = env_dir/'bin'
    run([str(bin_/'python'), '-m', 'pip', 'install', '-q', f'{wheel}[reports]'], timeout=1800)
    work = tmp_path_factory.mktemp('elsewhere')  # no checkout here, and the checkout is not on sys.path
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    env['PATH'] = f"{bin_}:{env['PATH']}"
    return bin_, work, env


def test_import_from_the_wheel(installed):
    bin_, work, env = installed
    where = run([str(bin_/'python'), '-c', 'import connmod, connmod.report.run as r; print(connmod.__file__); '
                 'print(r.report_notebook("hansen"))'], cwd=work, env=env).split()
    assert all(str(bin_.parent) in w for w in where), where  # library and report notebook both from the venv


def test_every_console_script_answers_help(installed):
    bin_, work, env = installed
    cfg = ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    scripts = [s.split('=')[0] for s in cfg['DEFAULT']['console_scripts'].split()]
    assert {'connmod-fetch', 'connmod-sweep', 'connmod-report'} <= set(scripts)
    version = cfg['DEFAULT']['version']
    for s in scripts:
        assert 'usage' in run([str(bin_/s), '--help'], cwd=work, env=env).lower()
        assert run([str(bin_/s), '--version'], cwd=work, env=env).strip() == f'connmod {version}'
    assert '--n_spins VALUE' in run([str(bin_/'connmod-report'), 'hansen', '--help'], cwd=work, env=env)


def test_data_and_a_small_report(installed):
    bin_, work, env = installed
    out = run([str(bin_/'connmod-fetch')], cwd=work, env=env)
    assert 'haemodynamic connectivity' in out and out.count('400') >= 7
    run([str(bin_/'connmod-report'), 'hansen', '--out_dir', 'rep', '--quick', '--quiet', '--modes', 'hc,ec', '--n_spins', '5'],
        cwd=work, env=env, timeout=900)
    s = json.loads((work/'rep'/'summary.json').read_text())
    assert s['k'] == {'hc': 5, 'ec': 4} and (work/'rep'/'report.html').is_file()
