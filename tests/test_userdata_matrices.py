"""`connmod.matrices` on files as labs write them: every format round-trips exactly (written with numpy/scipy, read
with connmod), and every bad file is refused with a message that names it."""
import numpy as np
import pytest
import scipy.io
from connmod.matrices import read_matrix, read_matrices, matrices_record


@pytest.fixture
def W():
    "A 60 × 60 symmetric correlation-like matrix with full-precision values (so that text formats must keep all digits)."
    X = np.random.default_rng(7).normal(size=(60, 90))
    return np.corrcoef(X)


def write_text(path, A, delim, header=False, index=False):
    names = [f'R{i}' for i in range(len(A))]
    with open(path, 'w') as f:
        if header: f.write(delim.join(([''] if index else []) + names) + '\n')
        for n, row in zip(names, A): f.write(delim.join(([n] if index else []) + [repr(float(v)) for v in row]) + '\n')


@pytest.mark.parametrize('fmt', ['npy', 'npz', 'csv', 'csv_header', 'csv_header_index', 'tsv', 'txt', 'mat'])
def test_every_format_round_trips_exactly(tmp_path, W, fmt):
    if fmt == 'npy': p = tmp_path/'m.npy'; np.save(p, W); var = None
    elif fmt == 'npz': p = tmp_path/'m.npz'; np.savez(p, fc=W, other=W[:5, :5]); var = 'fc'
    elif fmt == 'mat': p = tmp_path/'m.mat'; scipy.io.savemat(p, dict(conn=W, labels=np.arange(3.)[None])); var = 'conn'
    elif fmt == 'txt': p = tmp_path/'m.txt'; np.savetxt(p, W, fmt='%.17g'); var = None
    elif fmt == 'tsv': p = tmp_path/'m.tsv'; np.savetxt(p, W, fmt='%.17g', delimiter='\t'); var = None
    else:
        p = tmp_path/'m.csv'; var = None
        write_text(p, W, ',', header='header' in fmt, index='index' in fmt)
    A = read_matrix(p, var)
    assert A.dtype == np.float64 and np.array_equal(A, W)


def test_a_folder_is_several_modalities_named_after_their_files(tmp_path, W):
    np.save(tmp_path/'fc.npy', W); scipy.io.savemat(tmp_path/'sc.mat', dict(W=np.abs(W)))
    write_text(tmp_path/'mpc.csv', W**2, ',', header=True, index=True)
    (tmp_path/'notes.md').write_text('not a matrix')
    m = read_matrices(tmp_path)
    assert list(m) == ['fc', 'mpc', 'sc'] and np.array_equal(m['mpc'], W**2)
    z = read_matrices(tmp_path, transform='fisher_z')
    off = ~np.eye(len(W), dtype=bool)
    assert np.allclose(z['fc'][off], np.arctanh(W[off])) and np.all(np.diag(z['fc']) == 0)
    rec = matrices_record(tmp_path, 'fisher_z')
    assert rec['transform'] == 'fisher_z' and list(rec['files']) == ['fc', 'mpc', 'sc']


def bad(tmp_path, W, case):
    "Write the bad file of `case`; return (sources, variable, the file the message must name)."
    if case == 'ragged csv':
        p = tmp_path/'ragged.csv'; write_text(p, W, ','); lines = p.read_text().splitlines()
        lines[3] = ','.join(lines[3].split(',')[:-1]); p.write_text('\n'.join(lines)); return p, None, p
    if case == 'non-square':
        p = tmp_path/'wide.npy'; np.save(p, W[:50]); return p, None, p
    if case == 'asymmetric':
        p = tmp_path/'asym.csv'; A = W.copy(); A[3, 7] += 0.1; np.savetxt(p, A, delimiter=','); return p, None, p
    if case == 'NaN':
        p = tmp_path/'nan.txt'; A = W.copy(); A[2, 5] = A[5, 2] = np.nan; np.savetxt(p, A); return p, None, p
    if case == 'not a number':
        p = tmp_path/'text.csv'; write_text(p, W, ','); p.write_text(p.read_text().replace(repr(float(W[4, 4])), 'n/a', 1))
        return p, None, p
    if case == 'wrong .mat variable':
        p = tmp_path/'conn.mat'; scipy.io.savemat(p, dict(fc=W)); return p, 'sc', p
    if case == 'mismatched sizes':
        a, b = tmp_path/'a.npy', tmp_path/'b.npy'; np.save(a, W); np.save(b, W[:40, :40]); return [a, b], None, b
    if case == 'not a matrix file':
        p = tmp_path/'m.xlsx'; p.write_bytes(b'PK'); return p, None, p
    if case == 'corrupt npy':
        p = tmp_path/'broken.npy'; np.save(p, W); p.write_bytes(p.read_bytes()[:200]); return p, None, p
    raise AssertionError(case)


@pytest.mark.parametrize('case', ['ragged csv', 'non-square', 'asymmetric', 'NaN', 'not a number', 'wrong .mat variable',
                                  'mismatched sizes', 'not a matrix file', 'corrupt npy'])
def test_bad_files_are_refused_naming_the_file(tmp_path, W, case):
    sources, var, culprit = bad(tmp_path, W, case)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ValueError) as e:
        if isinstance(sources, list): read_matrices(sources)
        else: read_matrix(sources, var)
    msg = str(e.value)
    assert str(culprit) in msg, msg
    assert '\n' not in msg and len(msg) < 400, msg  # one line
    assert sorted(tmp_path.iterdir()) == before  # nothing written
