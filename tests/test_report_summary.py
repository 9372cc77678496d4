"""Every report's summary.json shares one schema (`connmod.report.run.SUMMARY_SCHEMA`): checked on every summary that the
report tests of this session wrote, and on a quick Hansen run when there are none (this file run on its own)."""
import json
from pathlib import Path
import pytest
from connmod.report.run import REPORTS, check_summary, run_report


def written_summaries(root:Path)->list:
    "The summary.json of every finished report under `root` (not those of failed or unfinished runs)."
    return sorted(p for p in root.rglob('summary.json')
                  if (p.parent/'report.ipynb').is_file() and not any(s.endswith('.failed') or '.tmp-' in s for s in p.parts))


@pytest.fixture(scope='module')
def summaries(tmp_path_factory):
    found = written_summaries(tmp_path_factory.getbasetemp())
    if not found:
        run_report('hansen', tmp_path_factory.mktemp('quick')/'hansen', dict(modes='hc,ec', n_spins=5), progress=False)
        found = written_summaries(tmp_path_factory.getbasetemp())
    return found


def test_every_summary_has_the_shared_keys(summaries):
    assert summaries
    for path in summaries:
        s = check_summary(json.loads(path.read_text()))
        nb = json.loads((path.parent/'report.ipynb').read_text())
        pm = nb['metadata']['papermill']
        assert Path(pm['input_path']).name == REPORTS[s['report']]['notebook'], path  # `report` names the notebook that ran
        for k, v in pm["parameters"].items():  # every number or flag given to papermill is in `parameters` as used
            if k in s['parameters'] and isinstance(v, (bool, int, float)): assert s['parameters'][k] == v, (path, k)
        assert s['elapsed_s'] < 3600, path
