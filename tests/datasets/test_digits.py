"""digits(): shapes, dtypes, ranges, stratified and reproducible split."""
import numpy as np
import pytest

from neurodyn.datasets import digits


def test_digits_shapes_dtypes_ranges():
    X_train, y_train, X_test, y_test = digits()
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert y_train.shape == (1347,) and y_test.shape == (450,)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int32
    assert X_train.min() == 0.0 and X_train.max() == 1.0 and X_test.max() <= 1.0
    assert set(y_train.tolist()) == set(range(10)) == set(y_test.tolist())


def test_digits_stratified_and_reproducible():
    X_train, y_train, X_test, y_test = digits(test_size=0.2, seed=3)
    all_counts = np.bincount(np.concatenate([y_train, y_test]))
    np.testing.assert_allclose(np.bincount(y_test, minlength=10), 0.2 * all_counts, atol=1.0)
    again = digits(test_size=0.2, seed=3)
    np.testing.assert_array_equal(again[0], X_train)
    assert (digits(test_size=0.2, seed=4)[1] != y_train).any()


def test_digits_images_and_errors():
    X_train, *_ = digits(flatten=False)
    assert X_train.shape == (1347, 8, 8)
    with pytest.raises(ValueError, match=r"digits: expected test_size as a fraction in \(0, 1\), got 1.5"):
        digits(test_size=1.5)
    with pytest.raises(ValueError, match="seed >= 0"):
        digits(seed=-1)
