"""The connector protocol shared by all connectors: build, layouts, require, errors."""
import numpy as np
import pytest

import neurodyn.conn as conn

CONNECTORS = [
    lambda: conn.All2All()(4, 6),
    lambda: conn.All2All(include_self=False)(5, 5),
    lambda: conn.One2One()(7, 7),
    lambda: conn.GridFour(periodic_boundary=True)((3, 4)),
    lambda: conn.GridFour()((4, 2)),
    lambda: conn.FixedProb(0.3, seed=0)(9, 11),
    lambda: conn.FixedProb(0.3, include_self=False, seed=1)(10, 10),
    lambda: conn.FixedPreNum(3, seed=0)(8, 5),
    lambda: conn.FixedPreNum(2, include_self=False, seed=0)(6, 6),
    lambda: conn.FixedPostNum(4, seed=0)(5, 9),
    lambda: conn.FixedPostNum(0.5, include_self=False, seed=0)(6, 6),
]


@pytest.mark.parametrize("make", CONNECTORS)
def test_layouts_agree(make):
    c = make()
    mat = c.build_mat()
    assert mat.dtype == bool and mat.shape == (c.pre_num, c.post_num)
    indices, indptr = c.build_csr()
    assert indices.dtype == np.int32 and indptr.dtype == np.int32
    np.testing.assert_array_equal(conn.csr2mat(indices, indptr, c.post_num), mat)
    for i in range(c.pre_num):  # targets sorted within each row
        row = indices[indptr[i]:indptr[i + 1]]
        np.testing.assert_array_equal(row, np.sort(row))
    pre_ids, post_ids = c.require("pre_ids", "post_ids")
    ref_pre, ref_post = np.nonzero(mat)
    np.testing.assert_array_equal(pre_ids, ref_pre)
    np.testing.assert_array_equal(post_ids, ref_post)
    pre_c, indptr_c = c.require("post2pre")
    ref_post_sorted, ref_pre_sorted = np.nonzero(mat.T)
    np.testing.assert_array_equal(pre_c, ref_pre_sorted)
    np.testing.assert_array_equal(np.diff(indptr_c), mat.sum(axis=0))
    syn_ids, indptr_s = c.require("post2syn")
    np.testing.assert_array_equal(indptr_s, indptr_c)
    np.testing.assert_array_equal(pre_ids[syn_ids], pre_c)  # a synapse id points at its COO entry
    np.testing.assert_array_equal(post_ids[syn_ids], ref_post_sorted)
    syn, indptr_p = c.require("pre2syn")
    np.testing.assert_array_equal(syn, np.arange(indices.size))
    np.testing.assert_array_equal(indptr_p, indptr)
    # asking again gives the same connectivity
    np.testing.assert_array_equal(c.require("conn_mat"), mat)


def test_require_single_tuple_and_sizes():
    c = conn.FixedProb(0.5, seed=0)
    mat = c.require(4, 5, "conn_mat")
    assert mat.shape == (4, 5) and c.pre_num == 4 and c.post_num == 5
    indices, indptr = c.require("csr")
    np.testing.assert_array_equal(conn.csr2mat(indices, indptr, 5), mat)
    out = c.require("pre2post", "conn_mat")
    assert isinstance(out, tuple) and len(out) == 2
    np.testing.assert_array_equal(out[0][0], indices)


def test_require_unknown_or_empty():
    c = conn.One2One()(3)
    with pytest.raises(ValueError, match=r"One2One\(\): expected a structure name.*'weights'"):
        c.require("weights")
    with pytest.raises(ValueError, match="at least one structure name"):
        c.require()


def test_unbuilt_connector_errors():
    for method in ("build_mat", "build_csr", "build_coo"):
        with pytest.raises(ValueError, match=r"FixedProb\(prob=0.1.*unbuilt connector.*conn\(pre_size, post_size\)"):
            getattr(conn.FixedProb(0.1, seed=0), method)()
    with pytest.raises(ValueError, match="unbuilt"):
        conn.All2All().require("conn_mat")


def test_rebuild_with_other_sizes():
    c = conn.All2All()
    assert c(2, 3).build_mat().shape == (2, 3)
    assert c.build(5, (2, 2)).build_mat().shape == (5, 4)
    assert c.post_size == (2, 2)
    f = conn.FixedProb(0.5, seed=0)
    assert f(3, 3).build_mat().shape == (3, 3)
    assert f(6, 2).build_csr()[1].shape == (7,)


def test_bad_sizes():
    with pytest.raises(ValueError, match=r"All2All.*pre_size >= 1, got 0"):
        conn.All2All()(0, 3)
    with pytest.raises(TypeError, match="post_size to be an int or a tuple of ints"):
        conn.All2All()(3, 2.5)
    with pytest.raises(ValueError, match="non-empty sizes"):
        conn.All2All()((), 3)


def test_returned_arrays_do_not_alias_cache():
    c = conn.FixedPostNum(2, seed=0)(3, 4)
    indices, _ = c.build_csr()
    indices[:] = 0
    mat = c.build_mat()
    mat[:] = False
    assert c.build_mat().sum() == 6


def test_formats_roundtrip_random():
    rng = np.random.default_rng(0)
    mat = rng.random((13, 17)) < 0.3
    indices, indptr = conn.mat2csr(mat)
    np.testing.assert_array_equal(conn.csr2mat(indices, indptr, 17), mat)
    pre, post = conn.csr2coo(indices, indptr)
    perm = rng.permutation(pre.size)
    i2, p2 = conn.coo2csr(pre[perm], post[perm], 13)
    np.testing.assert_array_equal(i2, indices)
    np.testing.assert_array_equal(p2, indptr)
    pre_c, indptr_c, _ = conn.csr2csc(indices, indptr, 17)
    i3, p3 = conn.mat2csr(mat.T)
    np.testing.assert_array_equal(pre_c, i3)
    np.testing.assert_array_equal(indptr_c, p3)
