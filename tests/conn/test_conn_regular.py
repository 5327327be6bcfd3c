"""All2All, One2One and GridFour: exact small matrices and size checks."""
import numpy as np
import pytest

import neurodyn.conn as conn


def test_all2all_exact():
    np.testing.assert_array_equal(conn.All2All()(2, 3).build_mat(), np.ones((2, 3), bool))
    np.testing.assert_array_equal(conn.All2All(include_self=False)(3, 3).build_mat(), ~np.eye(3, dtype=bool))
    indices, indptr = conn.All2All(include_self=False)(3).build_csr()
    assert indices.tolist() == [1, 2, 0, 2, 0, 1]
    assert indptr.tolist() == [0, 2, 4, 6]
    assert indices.dtype == np.int32 and indptr.dtype == np.int32


def test_all2all_without_self_needs_square():
    with pytest.raises(ValueError, match=r"All2All\(include_self=False\).*pre_num == post_num.*pre_num=3, post_num=4"):
        conn.All2All(include_self=False)(3, 4)


def test_one2one_exact_and_square():
    c = conn.One2One()((2, 2), 4)
    np.testing.assert_array_equal(c.build_mat(), np.eye(4, dtype=bool))
    assert c.pre_size == (2, 2) and c.post_size == (4,)
    with pytest.raises(ValueError, match=r"One2One.*pre_num == post_num.*pre_num=3, post_num=5"):
        conn.One2One()(3, 5)


def _grid_reference(rows, cols, periodic, include_self):
    n = rows * cols
    mat = np.zeros((n, n), bool)
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                rr, cc = r + dr, c + dc
                if periodic:
                    rr, cc = rr % rows, cc % cols
                elif not (0 <= rr < rows and 0 <= cc < cols):
                    continue
                mat[r * cols + c, rr * cols + cc] = True
            mat[r * cols + c, r * cols + c] = include_self
    return mat


def test_gridfour_exact_3x3():
    mat = conn.GridFour()((3, 3)).build_mat().astype(int)
    expected = np.array([
        [0, 1, 0, 1, 0, 0, 0, 0, 0],
        [1, 0, 1, 0, 1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 1, 0, 0, 0],
        [1, 0, 0, 0, 1, 0, 1, 0, 0],
        [0, 1, 0, 1, 0, 1, 0, 1, 0],
        [0, 0, 1, 0, 1, 0, 0, 0, 1],
        [0, 0, 0, 1, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 1, 0, 1, 0, 1],
        [0, 0, 0, 0, 0, 1, 0, 1, 0],
    ])
    np.testing.assert_array_equal(mat, expected)


@pytest.mark.parametrize("size", [(3, 4), (1, 5), (2, 2), (2, 3), (4, 1)])
@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("include_self", [False, True])
def test_gridfour_matches_loop_reference(size, periodic, include_self):
    c = conn.GridFour(include_self=include_self, periodic_boundary=periodic)(size)
    np.testing.assert_array_equal(c.build_mat(), _grid_reference(*size, periodic, include_self))


def test_gridfour_periodic_degree_and_symmetry():
    mat = conn.GridFour(periodic_boundary=True)((5, 6)).build_mat()
    assert (mat.sum(axis=0) == 4).all() and (mat.sum(axis=1) == 4).all()
    np.testing.assert_array_equal(mat, mat.T)


def test_gridfour_needs_same_2d_size():
    with pytest.raises(ValueError, match=r"GridFour.*same 2-D size.*pre_size=\(9,\)"):
        conn.GridFour()(9)
    with pytest.raises(ValueError, match="same 2-D size"):
        conn.GridFour()((3, 3), (3, 4))
    with pytest.raises(TypeError, match="periodic_boundary to be a bool"):
        conn.GridFour(periodic_boundary="yes")


def test_given_connectivity_matrix_pairs_and_sparse():
    import scipy.sparse
    mat = np.array([[0, 2, 0], [1, 0, 3]])
    c = conn.MatConn(mat)
    assert (c.pre_num, c.post_num) == (2, 3)
    np.testing.assert_array_equal(c.requires("conn_mat"), mat != 0)
    pre, post = c.requires("pre_ids", "post_ids")
    assert list(zip(pre.tolist(), post.tolist())) == [(0, 1), (1, 0), (1, 2)]
    ij = conn.IJConn(i=[1, 0, 1], j=[2, 1, 0])(2, 3)
    np.testing.assert_array_equal(ij.require("conn_mat"), mat != 0)
    np.testing.assert_array_equal(conn.SparseMatConn(scipy.sparse.csr_matrix(mat)).require("conn_mat"), mat != 0)
    with pytest.raises(ValueError, match="indices within"):
        conn.IJConn(i=[5], j=[0])(2, 3)
