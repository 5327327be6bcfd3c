"""Neuron-group views (``group[:n]``): reading and writing through them, and synapses from one."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.neurons._view import VariableView


def test_view_reads_and_writes_the_group():
    group = bp.neurons.LIF(6, V_initializer=bp.init.Uniform(-70., -50.))
    tail = group[2:]
    picked = group[np.array([0, 5])]
    np.testing.assert_array_equal(tail.V.value, group.V.value[2:])
    assert (tail.num, tail.varshape, picked.num) == (4, (4,), 2)
    tail.input += 1.5
    picked.input.value = np.array([3., 4.], np.float32)
    np.testing.assert_array_equal(group.input.value, [3., 0., 1.5, 1.5, 1.5, 4.])
    net = bp.Network(g=group, s=bp.synapses.Exponential(tail, group, bp.conn.All2All()))
    found = net.vars()
    assert not any(isinstance(v, VariableView) for v in found.values())     # views are not state
    assert {p for p in found if p.startswith("g.")} == {f"g.{p}" for p in group.vars()}
    with pytest.raises(ShapeError, match="at least one neuron"):
        group[6:]
    with pytest.raises(AttributeError, match="set it on the group"):
        tail.tau = 5.


def test_a_synapse_from_part_of_a_group_equals_one_from_all_with_zero_rows():
    n, k = 8, 5
    rng = np.random.default_rng(0)
    w = rng.uniform(0., 3., (k, n)).astype(np.float32)

    def run(part):
        bm.random.seed(1)
        group = bp.neurons.LIF(n, V_rest=-60., V_th=-50., V_reset=-60., tau=10., tau_ref=2.,
                               V_initializer=bp.init.Uniform(-60., -50.))
        if part:
            syn = bp.synapses.Exponential(group[:k], group, bp.conn.All2All(), g_max=w, tau=5.,
                                          output=bp.synouts.COBA(E=0.))
        else:
            full = np.concatenate([w, np.zeros((n - k, n), np.float32)])
            syn = bp.synapses.Exponential(group, group, bp.conn.All2All(), g_max=full, tau=5.,
                                          output=bp.synouts.COBA(E=0.))
        net = bp.Network(syn=syn, N=group)
        runner = bp.DSRunner(net, monitors={"V": group.V, "spike": group.spike},
                             inputs=[(group.input, 12.)], progress_bar=False)
        runner.run(30.)
        return runner.mon["V"], runner.mon["spike"]

    (v_part, s_part), (v_all, s_all) = run(True), run(False)
    assert s_all.sum() > 0
    np.testing.assert_array_equal(s_part, s_all)
    np.testing.assert_allclose(v_part, v_all, rtol=1e-5, atol=1e-4)
