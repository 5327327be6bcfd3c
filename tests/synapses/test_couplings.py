"""Diffusive and additive delayed couplings against the sums written by hand."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def _by_hand(history, y, C, D, kind):
    """``history[k]``: x at step k (entries before 0 are zeros); the coupling at the last step."""
    t = len(history) - 1
    n_pre, n_post = C.shape
    out = np.zeros(n_post)
    for i in range(n_post):
        for j in range(n_pre):
            k = t - D[j, i]
            xj = history[k][j] if k >= 0 else 0.
            out[i] += C[j, i] * (xj - y[i] if kind == "diffusive" else xj)
    return out


@pytest.mark.parametrize("kind", ["diffusive", "additive"])
@pytest.mark.parametrize("delays", ["none", "one", "matrix"])
def test_couplings_equal_the_sums_by_hand(kind, delays):
    rng = np.random.default_rng(0)
    n, steps = 4, 7
    C = rng.random((n, n)).astype(np.float32)
    D = {"none": np.zeros((n, n), int), "one": np.full((n, n), 2), "matrix": rng.integers(0, 4, (n, n))}[delays]
    steps_arg = {"none": None, "one": 2, "matrix": bm.asarray(D, dtype=bm.int32)}[delays]
    x, y, out = bm.Variable(bm.zeros(n)), bm.Variable(bm.zeros(n)), bm.Variable(bm.zeros(n))
    coupling = (bp.synapses.DiffusiveCoupling(x, y, out, C, delay_steps=steps_arg) if kind == "diffusive"
                else bp.dyn.AdditiveCoupling(x, out, C, delay_steps=steps_arg))
    history = []
    for k in range(steps):
        x.value = bm.asarray(rng.normal(size=n), dtype=bm.float32)
        y.value = bm.asarray(rng.normal(size=n), dtype=bm.float32)
        out.value = bm.zeros(n)
        history.append(np.asarray(x.value))
        coupling()
        np.testing.assert_allclose(out.value, _by_hand(history, np.asarray(y.value), C, D, kind), rtol=1e-5,
                                   atol=1e-5)


def test_couplings_check_their_arguments():
    x, out = bm.Variable(bm.zeros(3)), bm.Variable(bm.zeros(3))
    with pytest.raises(bp.errors.ShapeError, match=r"conn_mat of shape \(pre.num, post.num\) = \(3, 3\)"):
        bp.synapses.DiffusiveCoupling(x, x, out, np.ones((2, 3)))
    with pytest.raises(TypeError, match="non-negative integers"):
        bp.synapses.AdditiveCoupling(x, out, np.ones((3, 3)), delay_steps=1.5)
    with pytest.raises(TypeError, match="1-D bm.Variable"):
        bp.synapses.AdditiveCoupling(bm.zeros(3), out, np.ones((3, 3)))
