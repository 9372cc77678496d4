"""Build connmod's documentation site offline: the notebooks, executed, as static HTML pages.

nbdev's own path (`nbdev_docs`) renders with Quarto, which cannot be installed on machines without internet.
This script does what nbdev does before Quarto -- take the title cell as the page's front matter and insert
`show_doc` after every exported definition (nbdev's `FrontmatterProc` and `add_show_docs`) -- then executes every
notebook (examples and tests included, as `nbdev_test` does, skipping the `tst_flags` cells), applies the Quarto
cell options that nbdev uses (`#| hide`, `echo`, `output`, `include`) and renders each page with nbconvert, with a
navigation bar in reading order. Pages work offline: maths is typeset into embedded pictures and nothing is loaded
from a CDN (the same page machinery as the reports' `report.html`, `connmod.report.run`).

    python tools/build_docs.py [--out_dir _docs]
"""
import argparse, html, json, os, re
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'


def pages():
    "(notebook, html name) in reading order: the front page, the numbered notebooks, then the reports."
    nbs = sorted(p for p in NBS.glob('[0-9]*.ipynb'))
    reports = sorted((NBS/'reports').glob('*.ipynb'))
    out = [(NBS/'index.ipynb', 'index.html')]
    out += [(p, re.sub(r'^\d+_', '', p.stem) + '.html') for p in nbs]
    out += [(p, f'report_{p.stem}.html') for p in reports]
    return out


def _directives(src, parsed=None):
    "Quarto/nbdev cell options of a code cell (`#| key: value` or `#| flag`), and the source without them."
    d = {k.rstrip(':'): (' '.join(v).strip().lower() or True) for k, v in (parsed or {}).items()}  # nbdev's `directives_`
    keep = []
    for line in src.splitlines():
        m = re.match(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*)$', line)
        if m and not keep: d[m.group(1)] = m.group(2).strip().lower() or True
        else: keep.append(line)
    return d, '\n'.join(keep).strip()


def execute(path):
    "The notebook at `path` with show_doc cells added and every cell executed (except `tst_flags` cells)."
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    from nbdev.processors import add_show_docs
    cfg = ConfigParser(); cfg.read(ROOT/'settings.ini')
    flags = set(cfg['DEFAULT'].get('tst_flags', '').split())
    nb = NBProcessor(path, procs=[FrontmatterProc, add_show_docs], process=True).nb
    def skip(cell):
        if cell.cell_type != 'code': return True
        d = _directives(cell.source, cell.get('directives_'))[0]
        return d.get('eval') == 'false' or bool(flags & set(d))
    sh = CaptureShell(path)
    sh.run('from nbdev.showdoc import show_doc')
    with working_directory(path.parent): sh.run_all(nb, exc_stop=True, preproc=skip)
    return nb


def _joined(o):
    "An output with its multi-line strings joined, as nbconvert's templates expect."
    import nbformat
    o = json.loads(json.dumps(o))
    j = lambda v: ''.join(v) if isinstance(v, list) else v
    if 'text' in o: o['text'] = j(o['text'])
    if 'data' in o: o['data'] = {k: j(v) for k, v in o['data'].items()}
    if 'text/markdown' in o.get('data', {}):  # show_doc: drop its Quarto-only source link and rule
        md = re.sub(r'\[source\]\([^)]*\)\{[^}]*\}\n?', '', o['data']['text/markdown'])
        o['data']['text/markdown'] = re.sub(r'^---\n', '', md)
    return nbformat.from_dict(o)


def to_page(nb, title, nav, prev_next):
    "HTML of an executed notebook: hidden cells dropped, directives stripped, navigation added."
    import nbformat
    from traitlets.config import Config
    from connmod.report.run import markdown_maths, offline_exporter
    cells = []
    for c in nb.cells:
        c = dict(c)
        src = ''.join(c.get('source', ''))
        if c['cell_type'] == 'raw': continue
        if c['cell_type'] == 'code':
            d, src = _directives(src, c.get('directives_'))
            if 'default_exp' in d or 'hide' in d or d.get('include') == 'false': continue
            echo = d.get('echo') != 'false' and not re.fullmatch(r'show_doc\(.*\)', src)
            tags = [t for t, on in (('remove_input', not echo), ('remove_output', d.get('output') == 'false')) if on]
            if not src and not c.get('outputs'): continue
            cells.append(nbformat.v4.new_code_cell(src, metadata=dict(tags=tags), outputs=[_joined(o) for o in c.get('outputs', [])]))
        else:
            cells.append(nbformat.v4.new_markdown_cell(markdown_maths(src)))
    fm = getattr(nb, 'frontmatter_', {}) or {}
    head = f"# {fm.get('title', title)}\n\n" + (f"> {fm['description']}\n" if fm.get('description') else '')
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(head)] + cells)
    book.metadata['title'] = fm.get('title', title)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {'remove_output'}
    body, _ = offline_exporter(fold_code=False, config=c).from_notebook_node(book)
    style = ('<style>.connmod-nav{position:fixed;top:0;left:0;width:210px;height:100%;overflow:auto;padding:16px;'
             'background:#f6f7f9;border-right:1px solid #ddd;font:14px/1.5 sans-serif}.connmod-nav a{display:block;'
             'color:#234;text-decoration:none;padding:2px 0}.connmod-nav a.here{font-weight:bold}'
             'body{margin-left:250px!important}.connmod-pager{margin:32px 0;font:14px sans-serif;display:flex;'
             'justify-content:space-between}</style>')
    body = body.replace('</head>', style + '</head>', 1)
    body = re.sub(r'(<body[^>]*>)', r'\1' + nav, body, count=1)
    return body.replace('</body>', prev_next + '</body>', 1)


def build(out=ROOT/'_docs'):
    "Build the site into `out`; return the list of pages written."
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    items = pages()
    executed = [(execute(p), name, p) for p, name in items]
    titles = [(getattr(nb, 'frontmatter_', {}) or {}).get('title', p.stem) for nb, _, p in executed]
    written = []
    for i, (nb, name, p) in enumerate(executed):
        here = ' class="here"'
        links = ''.join(f'<a href="{n}"{here if n == name else ""}>{html.escape(t)}</a>'
                        for (_, n, _), t in zip(executed, titles))
        nav = f'<nav class="connmod-nav"><strong><a href="index.html">connmod</a></strong><hr>{links}</nav>'
        prev = f'<a href="{executed[i-1][1]}">← {html.escape(titles[i-1])}</a>' if i else '<span></span>'
        nxt = f'<a href="{executed[i+1][1]}">{html.escape(titles[i+1])} →</a>' if i + 1 < len(executed) else '<span></span>'
        page = to_page(nb, titles[i], nav, f'<div class="connmod-pager">{prev}{nxt}</div>')
        tmp = out/f'.{name}.tmp'; tmp.write_text(page, encoding='utf-8'); os.replace(tmp, out/name)
        written.append(out/name)
        print(f'{name}: {titles[i]}', flush=True)
    return written


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out_dir', default=str(ROOT/'_docs'))
    build(ap.parse_args().out_dir)
