"The download path of `fetch_hansen_manynetworks`, end to end against archives served from 127.0.0.1."
import hashlib, io, shutil, tarfile
from pathlib import Path
import numpy as np
import pytest
from connmod.modes import datasets as ds
from connmod.checks import check_connectivity
from connmod.matrices import fisher_z

PREFIX = f'hansen_many_networks-{ds.HANSEN_COMMIT}'


def make_archive(mirror, corrupt=None):
    "A .tar.gz laid out like the GitHub archive, built from the mirror; `corrupt` names a file to alter."
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for rel in ds.HANSEN_SHA256:
            data = (mirror/rel).read_bytes()
            if rel == corrupt: data = data[:-8] + b'\0' * 8
            info = tarfile.TarInfo(f'{PREFIX}/{rel}'); info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def md5(b): return 'md5:' + hashlib.md5(b).hexdigest()


def assert_nothing_left(cache):
    "After a failure the cache holds neither a dataset nor a temporary folder."
    left = list(Path(cache).iterdir()) if Path(cache).exists() else []
    assert left == [], left


@pytest.fixture(scope='module')
def archive(mirror): return make_archive(mirror)


def test_download_extract_verify_then_offline(tmp_path, http_server, archive):
    url, routes = http_server
    routes['/a.tar.gz'] = (archive, 'ok')
    root = ds.fetch_hansen_manynetworks(tmp_path, url=url + '/a.tar.gz', known_hash=md5(archive), progress=False)
    assert root == tmp_path/'hansen_manynetworks'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['hansen_manynetworks']  # no temp folders, no archive
    modes = ds.load_modes(tmp_path)
    assert list(modes) == list(ds.MODES) and all(A.shape == (400, 400) for A in modes.values())
    routes.clear()  # the server now answers 404: a second call must not need it
    assert ds.fetch_hansen_manynetworks(tmp_path, url=url + '/a.tar.gz', progress=False) == root


def test_env_variable_is_the_default_cache(tmp_path, http_server, archive, monkeypatch):
    url, routes = http_server
    routes['/a.tar.gz'] = (archive, 'ok')
    monkeypatch.setenv('CONNMOD_DATA', str(tmp_path))
    root = ds.fetch_hansen_manynetworks(url=url + '/a.tar.gz', known_hash=md5(archive), progress=False)
    assert root == tmp_path/'hansen_manynetworks'


def test_wrong_archive_hash_leaves_nothing(tmp_path, http_server, archive):
    url, routes = http_server
    routes['/a.tar.gz'] = (archive, 'ok')
    with pytest.raises(ValueError, match='(?i)hash'):
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/a.tar.gz', known_hash=md5(b'other'), progress=False)
    assert_nothing_left(tmp_path)


def test_truncated_archive_leaves_nothing(tmp_path, http_server, archive):
    url, routes = http_server
    cut = archive[:len(archive)//2]
    routes['/cut.tar.gz'] = (cut, 'ok')
    with pytest.raises(ValueError, match='truncated or corrupt'):  # its own checksum matches: tar must notice
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/cut.tar.gz', known_hash=md5(cut), progress=False)
    assert_nothing_left(tmp_path)
    with pytest.raises(ValueError):  # with the real checksum, the checksum notices first
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/cut.tar.gz', known_hash=md5(archive), progress=False)
    assert_nothing_left(tmp_path)


def test_corrupt_file_inside_archive_is_named(tmp_path, http_server, mirror):
    url, routes = http_server
    bad = make_archive(mirror, corrupt='data/Schaefer400/receptor_similarity.npy')
    routes['/bad.tar.gz'] = (bad, 'ok')
    with pytest.raises(ValueError, match='receptor_similarity.npy'):
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/bad.tar.gz', known_hash=md5(bad), progress=False)
    assert_nothing_left(tmp_path)


def test_dropped_connection_leaves_nothing(tmp_path, http_server, archive):
    url, routes = http_server
    routes['/drop.tar.gz'] = (archive, 'drop')
    with pytest.raises(ConnectionError):
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/drop.tar.gz', known_hash=md5(archive), progress=False)
    assert_nothing_left(tmp_path)


def test_missing_url_is_a_connection_error(tmp_path, http_server):
    url, _ = http_server
    with pytest.raises(ConnectionError, match='404'):
        ds.fetch_hansen_manynetworks(tmp_path, url=url + '/nothing.tar.gz', known_hash=None, progress=False)
    assert_nothing_left(tmp_path)


def test_incomplete_cache_is_replaced_by_a_fresh_download(tmp_path, http_server, archive):
    url, routes = http_server
    routes['/a.tar.gz'] = (archive, 'ok')
    stale = tmp_path/'hansen_manynetworks'/'data'/'stale.txt'
    stale.parent.mkdir(parents=True); stale.write_text('half of an old copy')
    root = ds.fetch_hansen_manynetworks(tmp_path, url=url + '/a.tar.gz', known_hash=md5(archive), progress=False)
    assert not stale.exists() and all((root/rel).is_file() for rel in ds.HANSEN_SHA256)


@pytest.fixture
def local_copy(tmp_path, mirror):
    "A writable copy of the mirror (tests that corrupt files corrupt their own copy)."
    dst = tmp_path/'copy'
    shutil.copytree(mirror, dst)
    return dst


def test_local_copy_with_corrupt_file(local_copy):
    f = local_copy/'results/community_detection_Schaefer400/community_assignments_mc.npy'
    np.save(f, np.load(f)[:, ::-1])  # a valid .npy, but not the published bytes
    with pytest.raises(ValueError, match='community_assignments_mc.npy'):
        ds.load_published_communities(local_copy)


def test_local_copy_with_missing_file(local_copy):
    (local_copy/'data/Schaefer400/temporal_similarity.npy').unlink()
    with pytest.raises(FileNotFoundError, match='temporal_similarity.npy'):
        ds.load_modes(local_copy)


@pytest.mark.parametrize('bad, msg', [
    (np.ones((4, 5)), 'square'),
    (np.triu(np.ones((4, 4))), 'symmetric'),
    (np.where(np.eye(4, k=1) + np.eye(4, k=-1) > 0, np.nan, 0.5), 'non-finite'),
    (np.zeros((0, 0)), 'at least 3'),
    (np.ones((2, 3, 3)), '2-D'),
])
def test_bad_matrices(bad, msg):
    with pytest.raises(ValueError, match=msg): check_connectivity(bad, name='W')
    with pytest.raises(ValueError, match=msg): fisher_z(bad)
