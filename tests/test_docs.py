"""The offline docs site, opened in headless Chromium: pages render, titles and images load, internal links resolve.
The browser and page helpers here serve the report pages' checks too (tests/test_hansen_report.py). Needs Debian's
`chromium` and `chromium-driver` (.ci/run installs them)."""
import os, shutil, subprocess, sys
from pathlib import Path
from urllib.parse import unquote, urlparse
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM, DRIVER = shutil.which('chromium'), shutil.which('chromedriver')
if not (CHROMIUM and DRIVER):  # CI installs them, so there a missing browser is a failure, not a skip
    if os.environ.get('CI'): raise RuntimeError('CI needs Debian chromium and chromium-driver (see .ci/run)')
    pytestmark = pytest.mark.skip(reason='needs Debian chromium and chromium-driver')


@pytest.fixture(scope='module')
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--out_dir', str(out)], capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-5000:]
    return out


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
              '--disable-component-update', '--disable-sync', '--window-size=1300,1000',
              '--use-angle=swiftshader', '--enable-unsafe-swiftshader',  # WebGL on the CPU, for 3D views
              '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',  # no network: any request would fail
              f'--user-data-dir={tmp_path_factory.mktemp("chromium-profile")}']:
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def open_page(browser, path, shot):
    "Load a page, save a screenshot, and return what the checks need."
    browser.get(Path(path).resolve().as_uri())
    browser.save_screenshot(str(shot))
    return browser.execute_script('''return {
        title: document.title, h1: [...document.querySelectorAll('h1')].map(h => h.textContent),
        text: document.body.innerText.length,
        images: [...document.images].map(i => [i.src.slice(0, 40), i.complete && i.naturalWidth > 0]),
        links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        ids: [...document.querySelectorAll('[id]')].map(e => e.id)}''')


def broken_links(page, info):
    "Internal links (relative files or #anchors) that lead nowhere."
    bad = []
    for href in info['links']:
        u = urlparse(href)
        if u.scheme or href.startswith('//'): continue  # external: not ours to check offline
        if u.path and not (page.parent/unquote(u.path)).exists(): bad.append(href)
        elif not u.path and u.fragment and not {u.fragment, unquote(u.fragment)} & set(info['ids']): bad.append(href)
    return bad


def not_blank(png):
    from matplotlib.image import imread
    img = imread(png)[..., :3]
    return img.std() > 0.02 and (img.min(-1) < 0.5).mean() > 0.005  # some dark (text) pixels on the page


def test_docs_site_renders(docs, browser, tmp_path):
    pages = sorted(docs.glob('*.html'))
    names = {p.name for p in pages}
    assert {'index.html', 'datasets.html', 'louvain.html', 'consensus.html', 'compare.html', 'cli.html'} <= names
    for page in pages:
        info = open_page(browser, page, tmp_path/f'{page.stem}.png')
        assert info['title'] and info['h1'], page.name
        assert info['text'] > 500, page.name
        assert all(ok for _, ok in info['images']), (page.name, [s for s, ok in info['images'] if not ok])
        assert broken_links(page, info) == [], (page.name, broken_links(page, info))
        assert sum(h.endswith('.html') for h in info['links']) >= len(pages), page.name  # the navigation
        assert not_blank(tmp_path/f'{page.stem}.png'), page.name


def test_docs_show_signatures_docstrings_and_examples(docs, browser, tmp_path):
    info = open_page(browser, docs/'consensus.html', tmp_path/'c.png')
    text = browser.execute_script('return document.body.innerText')
    assert info['title'] == 'Consensus modularity'
    assert 'def consensus_modularity(' in text and 'def zrand(' in text  # signatures rendered by show_doc
    assert 'test_eq(' in text or 'test_close(' in text  # the examples and tests below them
    assert '#| export' not in text and 'from fastcore.test import' not in text  # directives and hidden cells gone
    plots = open_page(browser, docs/'plotting.html', tmp_path/'p.png')
    assert sum(ok for _, ok in plots['images']) >= 4  # executed examples draw figures


def test_docs_typeset_maths_offline(docs, browser, tmp_path):
    open_page(browser, docs/'louvain.html', tmp_path/'l.png')
    got = browser.execute_script('''return {
        maths: [...document.querySelectorAll('img.connmod-math')].map(i => i.complete && i.naturalWidth > 0),
        scripts: [...document.querySelectorAll('script[src]')].map(s => s.src)}''')
    assert len(got['maths']) >= 5 and all(got['maths'])  # the formulas of the prose, as pictures
    assert got['scripts'] == []  # no MathJax or RequireJS from a CDN
