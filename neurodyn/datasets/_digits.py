"""The 8x8 handwritten digits bundled with scikit-learn (1797 images, 10 classes), split for training.

    >>> from neurodyn.datasets import digits
    >>> X_train, y_train, X_test, y_test = digits()
    >>> X_train.shape, X_test.shape, X_train.dtype.name, y_train.dtype.name
    ((1347, 64), (450, 64), 'float32', 'int32')
"""
from __future__ import annotations

import numbers

import numpy as np

from neurodyn.check import is_integer
from neurodyn.errors import describe

__all__ = ["digits"]


def digits(test_size: float = 0.25, seed: int = 0,
           flatten: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Load scikit-learn's digits, scale pixels to [0, 1] and make a stratified train/test split.

    Args:
        test_size: fraction of the samples in the test set, in (0, 1).
        seed: seed of the split (the same seed gives the same split).
        flatten: images as 64 features (``True``) or as ``(8, 8)`` arrays.

    Returns:
        ``(X_train, y_train, X_test, y_test)``: ``float32`` images of shape ``(N, 64)`` (or
        ``(N, 8, 8)``) with values in [0, 1], and ``int32`` labels in 0..9. Every class keeps
        its share in both parts.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    owner = "digits"
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real) or not 0 < test_size < 1:
        raise ValueError(describe(owner, "test_size as a fraction in (0, 1)", repr(test_size)))
    seed = is_integer(seed, "seed", owner, min_value=0)
    if not isinstance(flatten, bool):
        raise TypeError(describe(owner, "flatten to be a bool", f"{type(flatten).__name__} {flatten!r}"))
    data = load_digits()
    images = (data.images / 16.0).astype(np.float32)
    X = images.reshape(len(images), -1) if flatten else images
    y = data.target.astype(np.int32)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)
    return X_train, y_train, X_test, y_test
