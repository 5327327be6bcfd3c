"""The ``ltc`` option (BrainPy's ``*LTC`` neurons): the projections' currents are evaluated inside
the membrane derivative, integrated by exponential Euler; without V-dependent inputs it changes
nothing."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

DT, V0, G, E = 0.1, -62., 0.8, 0.


def _one_step(cls, out):
    post = cls(1, V_initializer=bp.init.Constant(V0))
    proj = bp.dyn.HalfProjAlignPost(comm=bp.dnn.OneToOne(1, G), syn=bp.dyn.Expon(1, tau=5.), out=out, post=post)
    proj(bm.ones(1))
    post(3.)
    return float(post.V[0])


def _exp_euler(f, V):
    h = 1e-4
    A = (f(V + h) - f(V - h)) / (2 * h)
    return V + np.expm1(A * DT) / A * f(V)


@pytest.mark.parametrize("plain, ltc, deriv", [
    (bp.dyn.LifRef, bp.dyn.LifRefLTC, lambda V, I: (-V + 0. + I) / 10.),
    (bp.dyn.ExpIF, bp.dyn.ExpIFLTC, lambda V, I: (-(V + 65.) + 3.48 * np.exp((V + 59.9) / 3.48) + I) / 10.),
    (bp.dyn.Izhikevich, bp.dyn.IzhikevichLTC, None),
])
def test_ltc_puts_the_conductance_inside_the_derivative(plain, ltc, deriv):
    # a current that does not depend on V: the same number either way
    assert _one_step(plain, bp.dyn.CUBA()) == pytest.approx(_one_step(ltc, bp.dyn.CUBA()), abs=1e-5)
    with_cond, outside = _one_step(ltc, bp.dyn.COBA(E=E)), _one_step(plain, bp.dyn.COBA(E=E))
    assert abs(with_cond - outside) > 1e-4
    if deriv is not None:
        want = _exp_euler(lambda V: deriv(V, 3. + G * (E - V)), V0)       # inside: I depends on V
        np.testing.assert_allclose(with_cond, want, atol=2e-4)
        want_plain = _exp_euler(lambda V: deriv(V, 3. + G * (E - V0)), V0)  # outside: fixed at V0
        np.testing.assert_allclose(outside, want_plain, atol=2e-4)
