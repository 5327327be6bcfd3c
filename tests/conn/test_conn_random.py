"""FixedProb, FixedPreNum, FixedPostNum: statistics, exact counts, seeding, validation."""
import time

import numpy as np
import pytest

import neurodyn.conn as conn


def test_fixedprob_density_within_binomial_tolerance():
    n, p = 300, 0.1
    mat = conn.FixedProb(p, seed=3)(n, n).build_mat()
    total = n * n
    assert abs(mat.sum() - p * total) < 5 * np.sqrt(total * p * (1 - p))
    # rows and columns are homogeneous: no row is far from the mean degree
    assert abs(mat.sum(axis=1).mean() - p * n) < 2.0


def test_fixedprob_extremes_and_include_self():
    assert conn.FixedProb(0.0, seed=0)(5, 7).build_mat().sum() == 0
    np.testing.assert_array_equal(conn.FixedProb(1.0, seed=0)(4, 6).build_mat(), np.ones((4, 6), bool))
    mat = conn.FixedProb(1.0, include_self=False, seed=0)(5, 5).build_mat()
    np.testing.assert_array_equal(mat, ~np.eye(5, dtype=bool))
    mat = conn.FixedProb(0.5, include_self=False, seed=1)(200, 200).build_mat()
    assert not mat.diagonal().any()


def test_fixedprob_seed_reproducible_and_different_seeds_differ():
    a = conn.FixedProb(0.3, seed=7)(50, 40).build_mat()
    b = conn.FixedProb(0.3, seed=7)(50, 40).build_mat()
    c = conn.FixedProb(0.3, seed=8)(50, 40).build_mat()
    np.testing.assert_array_equal(a, b)
    assert (a != c).any()


def test_seed_none_follows_global_generator():
    import neurodyn.math as bm

    bm.random.seed(123)
    a = conn.FixedProb(0.3)(30, 30).build_mat()
    b = conn.FixedProb(0.3)(30, 30).build_mat()
    bm.random.seed(123)
    a2 = conn.FixedProb(0.3)(30, 30).build_mat()
    np.testing.assert_array_equal(a, a2)
    assert (a != b).any()


def test_fixedprob_large_is_fast():
    t0 = time.perf_counter()
    indices, indptr = conn.FixedProb(0.02, seed=0)(4000, 4000).build_csr()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, elapsed
    assert abs(indices.size / 16e6 - 0.02) < 0.001
    assert indptr.shape == (4001,) and indptr[-1] == indices.size


@pytest.mark.parametrize("include_self", [True, False])
def test_fixedprenum_column_sums(include_self):
    mat = conn.FixedPreNum(7, include_self=include_self, seed=2)(20, 20).build_mat()
    assert (mat.sum(axis=0) == 7).all()
    if not include_self:
        assert not mat.diagonal().any()


@pytest.mark.parametrize("include_self", [True, False])
def test_fixedpostnum_row_sums(include_self):
    mat = conn.FixedPostNum(5, include_self=include_self, seed=2)(12, 12).build_mat()
    assert (mat.sum(axis=1) == 5).all()
    if not include_self:
        assert not mat.diagonal().any()


def test_fixed_num_fractions_and_full():
    assert (conn.FixedPreNum(0.25, seed=0)(20, 6).build_mat().sum(axis=0) == 5).all()
    assert (conn.FixedPostNum(0.5, seed=0)(6, 9).build_mat().sum(axis=1) == 4).all()
    np.testing.assert_array_equal(conn.FixedPostNum(9, seed=0)(3, 9).build_mat(), np.ones((3, 9), bool))
    np.testing.assert_array_equal(conn.FixedPreNum(3, include_self=False, seed=0)(4, 4).build_mat(),
                                  ~np.eye(4, dtype=bool))
    assert conn.FixedPreNum(0, seed=0)(4, 4).build_csr()[0].size == 0


def test_fixed_num_is_uniform_over_candidates():
    # every presynaptic neuron is picked equally often across many columns
    mat = conn.FixedPreNum(2, seed=5)(4, 4000).build_mat()
    freq = mat.sum(axis=1) / 4000
    np.testing.assert_allclose(freq, 0.5, atol=0.03)


def test_fixed_num_validation_names_connector():
    with pytest.raises(ValueError, match=r"FixedPreNum\(num=11.*num <= the presynaptic population: 10"):
        conn.FixedPreNum(11, seed=0)(10, 3)
    with pytest.raises(ValueError, match=r"FixedPostNum.*minus itself.*: 4"):
        conn.FixedPostNum(5, include_self=False, seed=0)(5, 5)
    with pytest.raises(ValueError, match=r"FixedPostNum.*num >= 0"):
        conn.FixedPostNum(-1)
    with pytest.raises(ValueError, match=r"fraction in \(0, 1\]"):
        conn.FixedPreNum(1.5)
    with pytest.raises(TypeError, match="num to be an int"):
        conn.FixedPreNum("3")
    with pytest.raises(ValueError, match=r"FixedProb: expected prob in \[0, 1\], got 1.2"):
        conn.FixedProb(1.2)
    with pytest.raises(ValueError, match=r"FixedProb.*seed >= 0"):
        conn.FixedProb(0.1, seed=-1)
    with pytest.raises(TypeError, match="include_self to be a bool"):
        conn.FixedProb(0.1, include_self=1)
    with pytest.raises(ValueError, match=r"FixedProb.*pre_num == post_num"):
        conn.FixedProb(0.1, include_self=False, seed=0)(3, 4)
