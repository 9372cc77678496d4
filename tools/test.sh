#!/usr/bin/env bash
# Every check, in the order CI runs them: notebooks clean, library and README in sync with the notebooks,
# then pytest on tests/ (which also runs every notebook's inline tests, one pytest case per notebook).
set -euo pipefail
cd "$(dirname "$0")/.."
snapshot() { { git status --porcelain --untracked-files=all; git diff; } | md5sum; }
before=$(snapshot)
nbdev_clean
nbdev_export
python tools/make_readme.py
if [ "$(snapshot)" != "$before" ]; then
  echo "FAILED: nbdev_clean / nbdev_export / tools/make_readme.py changed the tree: the notebooks are not clean,"
  echo "or connmod/ or README.md is out of sync with nbs/. Run them, review, and commit:"
  git status --short
  exit 1
fi
python -m pytest tests "$@"
