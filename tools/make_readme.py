"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which these machines cannot install).

Markdown cells are copied as they are; visible code cells become Python blocks; hidden cells are skipped."""
import json
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def readme_text(nb_path=root/'nbs'/'index.ipynb') -> str:
    cells = json.loads(Path(nb_path).read_text(encoding='utf-8'))['cells']
    parts = ['<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->']
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or src.startswith(('#| hide', '#|hide')): continue
        parts.append(src if c['cell_type'] == 'markdown' else f'```python\n{src}\n```')
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    (root/'README.md').write_text(readme_text(), encoding='utf-8')
