"Packaging for connmod: reads nbdev's settings.ini with configparser (no pkg_resources)."
from configparser import ConfigParser
from pathlib import Path
import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = dict(apache2=('Apache Software License 2.0', 'OSI Approved :: Apache Software License'))
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
lic = licenses[cfg['license']]

def _reqs(key): return cfg.get(key, '').split()

def _extra(name, seen=()):
    "The requirements of extra `name` (settings.ini `extras_NAME`), a `[other]` token standing for extra `other`'s."
    if name in seen: raise ValueError(f"settings.ini: extras_{name} includes itself")
    out = []
    for r in _reqs(f'extras_{name}'):
        for x in (_extra(r[1:-1], (*seen, name)) if r.startswith('[') and r.endswith(']') else [r]):
            if x not in out: out.append(x)
    return out

extras = {k[len('extras_'):]: _extra(k[len('extras_'):]) for k in cfg if k.startswith('extras_')}
extras['dev'] = extras['all'] + [r for r in _reqs('dev_requirements') if r not in extras['all']]

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=(here/'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'],
    url=cfg['git_url'],
    license=lic[0],
    keywords=cfg['keywords'],
    classifiers=['Development Status :: ' + statuses[int(cfg['status']) - 1],
                 'Intended Audience :: ' + cfg['audience'],
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'],
                 'Programming Language :: Python :: 3',
                 'Topic :: Scientific/Engineering :: Medical Science Apps.'],
    # the report notebooks (nbs/reports) ship inside the package as connmod/report_notebooks
    packages=setuptools.find_packages(include=['connmod', 'connmod.*']) + ['connmod.report_notebooks'],
    package_dir={'connmod.report_notebooks': 'nbs/reports'},
    package_data={'connmod.report_notebooks': ['*.ipynb']},
    install_requires=_reqs('requirements'),
    extras_require=extras,
    python_requires='>=' + cfg['min_python'],
    zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
)
