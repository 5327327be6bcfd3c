"""Ions and the classic channels: BrainPy 2.8.2's printed trajectory of a thalamocortical cell
built of fixed ions, a dynamical calcium against the same equations written by hand, and the
errors for channels put in the wrong master."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

# BrainPy 2.8.2, float32: the cell below under -30 pA for 500 ms, every 50 ms (mine/ion_ref.py).
BRAINPY = {
    "V": [-65.0656, -83.47247, -91.09051, -93.13441, -92.79185, -91.60904, -90.17439, -88.63380, -86.90936, -84.57214],
    "Ih.p": [2.4e-05, 0.028388, 0.081024, 0.146234, 0.209354, 0.264319, 0.310786, 0.349899, 0.382696, 0.409569],
    "ICaT.q": [2.7e-05, 0.080097, 0.331777, 0.571034, 0.706304, 0.761971, 0.765449, 0.733895, 0.675734, 0.590601],
    "IAHP.p": [1.9e-05, 0.002106, 0.002129, 0.002129, 0.002129, 0.002129, 0.002129, 0.002129, 0.002129, 0.002129],
}


class HTC(bp.dyn.CondNeuGroupLTC):
    def __init__(self, size, mode=None):
        super().__init__(size, A=2.9e-4, V_initializer=bp.init.OneInit(-65.), V_th=20., mode=mode)
        self.IL = bp.dyn.IL(size, g_max=0.01, E=-70., mode=mode)
        self.INa = bp.dyn.INa_Ba2002(size, V_sh=-30, mode=mode)
        self.Ih = bp.dyn.Ih_HM1992(size, g_max=0.01, E=-43, mode=mode)
        self.Ca = bp.dyn.CalciumFixed(size, E=120., C=2e-3, mode=mode)
        self.Ca.add_elem(bp.dyn.ICaL_IS2008(size, g_max=0.5, mode=mode), ICaT=bp.dyn.ICaT_HM1992(size, g_max=2.1, mode=mode))
        self.Ca.add_elem(bp.dyn.ICaHT_HM1992(size, g_max=3.0, mode=mode))
        self.K = bp.dyn.PotassiumFixed(size, E=-90., mode=mode)
        self.K.add_elem(bp.dyn.IKDR_Ba2002v2(size, V_sh=-30., phi=0.25, mode=mode),
                        bp.dyn.IK_Leak(size, g_max=0.01, mode=mode))
        self.KCa = bp.dyn.MixIons(self.K, self.Ca)
        self.KCa.add_elem(IAHP=bp.dyn.IAHP_De1994v2(size, mode=mode))


def test_thalamocortical_cell_prints_what_brainpy_prints():
    cell = HTC(1)
    runner = bp.DSRunner(cell, monitors={"V": cell.V, "Ih.p": cell.Ih.p, "ICaT.q": cell.Ca.ICaT.q,
                                         "IAHP.p": cell.KCa.IAHP.p}, progress_bar=False)
    runner.run(inputs=np.full(5000, -30 / 1e3 / 2.9e-4 * 1e-3, np.float32))
    for key, want in BRAINPY.items():
        np.testing.assert_allclose(np.asarray(runner.mon[key])[::500, 0], want, atol=1e-3 if key == "V" else 2e-5,
                                   err_msg=key)
    assert sorted(cell.Ca.channels()) == ["ICaHT_HM1992", "ICaL_IS2008", "ICaT"]
    assert sorted(cell.K.channels()) == ["IKDR_Ba2002v2", "IK_Leak"]


def test_batched_cell_equals_single_cells():
    single, batched = HTC(1), HTC(1, mode=bm.BatchingMode(2))
    I = np.full(300, -0.1, np.float32)
    bp.DSRunner(single, monitors=["V"], progress_bar=False).run(inputs=I)
    rb = bp.DSRunner(batched, monitors=["V"], progress_bar=False, data_first_axis="T")
    rb.run(inputs=np.broadcast_to(I[:, None, None], (300, 2, 1)).copy())
    np.testing.assert_allclose(np.asarray(rb.mon.V)[-1, :, 0], [float(single.V.value[0])] * 2, rtol=1e-5)


def test_detailed_calcium_follows_its_equations_at_clamped_voltage():
    """At a fixed V the T-type gates relax exponentially and C follows
    dC/dt = 1e-2 max(I_Ca, 0) / (2 F d) + (C_rest - C) / tau, E = RT/2F log(C0/C)."""
    bm.set_dt(0.01)
    try:
        ca = bp.dyn.CalciumDetailed(1, C_rest=5e-5, tau=10., d=0.5)
        cat = bp.dyn.ICaT_HM1992(1, g_max=2.)
        ca.add_elem(cat)
        V0, V = -90., -50.
        ca.reset_state(bm.asarray([V0]))
        step = bm.jit(lambda i: (bp.share.save(t=i * 0.01, i=i, dt=0.01), ca.update(bm.asarray([V])))[0])
        for i in range(2000):
            step(i)
        # the same by hand, float64, fine Euler for C, exact exponentials for the gates
        F, R, T, C0 = 96.489, 8.31441, 36., 2.
        pinf = lambda v: 1 / (1 + np.exp(-(v + 59 + 3) / 6.2))
        ptau = lambda v: 1 / (np.exp(-(v + 132 + 3) / 16.7) + np.exp((v + 16.8 + 3) / 18.2)) + 0.612
        qinf = lambda v: 1 / (1 + np.exp((v + 83 + 3) / 4))
        qtau = lambda v: np.exp(-(v + 22 + 3) / 10.5) + 28
        phip, phiq = 3.55 ** 1.2, 3. ** 1.2
        p, q, C, h = pinf(V0), qinf(V0), 2.4e-4, 1e-4
        for k in range(int(20. / h)):
            E = R * (273.15 + T) / (2 * F) * np.log(C0 / C)
            I = 2. * p * p * q * (E - V)
            C += h * (1e-2 * max(I, 0.) / (2 * F * .5) + (5e-5 - C) / 10.)
            p += h * phip * (pinf(V) - p) / ptau(V)
            q += h * phiq * (qinf(V) - q) / qtau(V)
        np.testing.assert_allclose(float(ca.C.value[0]), C, rtol=2e-3)
        np.testing.assert_allclose(float(cat.p.value[0]), p, rtol=1e-4)
        np.testing.assert_allclose(float(ca.E.value[0]), R * (273.15 + T) / (2 * F) * np.log(C0 / C), rtol=1e-3)
        assert C > 5e-4          # the inward current filled the shell (it stays at C_rest in BrainPy 2.8.2)
    finally:
        bm.set_dt(0.1)


def test_v2_channels_take_the_reversal_potential_of_their_ion():
    V = bm.asarray([-40.])
    own = bp.dyn.IKDR_Ba2002(1, E=-80.)
    on_ion = bp.dyn.IKDR_Ba2002v2(1)
    K = bp.dyn.PotassiumFixed(1, E=-80., IKDR=on_ion)
    own.reset_state(V), K.reset_state(V)
    np.testing.assert_allclose(np.asarray(K.current(V)), np.asarray(own.current(V)), rtol=1e-6)
    assert bp.dyn.INa_Ba2002v2.master_type is bp.dyn.Sodium and bp.dyn.INa_Ba2002.master_type is bp.dyn.HHTypedNeuron
    assert repr(bp.dyn.IAHP_De1994v2.master_type) == "JointType[Calcium, Potassium]"


def test_user_channels_written_as_in_brainpy_docs_equal_the_built_in_ones():
    class IK(bp.dyn.IonChannel):
        master_type = bp.dyn.HHTypedNeuron

        def __init__(self, size, E=-90., g_max=10.):
            super().__init__(size)
            self.g_max, self.E = g_max, E
            self.integral = bp.odeint(self.dn, method="exp_auto")

        def dn(self, n, t, V):
            a = 0.01 * (V + 55.) / (1 - bm.exp(-(V + 55.) / 10.))
            return a * (1. - n) - 0.125 * bm.exp(-(V + 65.) / 80.) * n

        def reset_state(self, V, batch_or_mode=None, **kwargs):
            a, b = 0.01 * (V + 55.) / (1 - bm.exp(-(V + 55.) / 10.)), 0.125 * bm.exp(-(V + 65.) / 80.)
            self.n = bp.init.variable_(lambda s: a / (a + b), self.num, batch_or_mode)

        def update(self, V):
            self.n.value = self.integral(self.n.value, bp.share.load("t"), V, bp.share.load("dt"))

        def current(self, V):
            return self.g_max * self.n ** 4 * (self.E - V)

    def cell(k):
        c = bp.dyn.CondNeuGroup(1, V_initializer=bp.init.Constant(-65.))
        c.INa, c.IK, c.IL = bp.dyn.INa_HH1952(1), k, bp.dyn.IL(1, E=-54.4, g_max=0.03)
        c.reset()
        return c

    a, b = cell(IK(1)), cell(bp.dyn.IK_HH1952(1))
    ra, rb = (bp.DSRunner(c, monitors=["V"], progress_bar=False) for c in (a, b))
    ra.run(inputs=np.full(1500, 6., np.float32)), rb.run(inputs=np.full(1500, 6., np.float32))
    np.testing.assert_allclose(np.asarray(ra.mon.V), np.asarray(rb.mon.V), atol=1e-2)
    assert int((np.diff((np.asarray(ra.mon.V) > 0).astype(int), axis=0) == 1).sum()) >= 5


def test_channels_in_the_wrong_master_say_where_they_belong():
    cell = bp.dyn.CondNeuGroup(1)
    cell.ICaT = bp.dyn.ICaT_HM1992(1)
    with pytest.raises(TypeError, match=r"master of type Calcium.*self\.Ca\.add_elem"):
        cell.reset()
    with pytest.raises(TypeError, match="MixIons"):
        bp.dyn.PotassiumFixed(1).add_elem(bp.dyn.IAHP_De1994v2(1))
    with pytest.raises(TypeError, match="CalciumDyna"):
        bp.dyn.CalciumFixed(1).add_elem(bp.dyn.ICaN_IS2008(1))
    with pytest.raises(TypeError, match="at least two ions"):
        bp.dyn.MixIons(bp.dyn.PotassiumFixed(1))
