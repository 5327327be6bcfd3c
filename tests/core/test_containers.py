import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


class Scale(bp.DynamicalSystem):
    def __init__(self, k, **kw):
        super().__init__(**kw)
        self.k = k

    def update(self, x):
        return x * self.k


def test_sequential_chains_and_indexes():
    seq = bp.Sequential(Scale(2.), Scale(3.), last=Scale(0.5))
    assert float(seq(bm.ones(()))) == 3.0
    assert len(seq) == 3 and seq[1].k == 3.
    assert float(bp.Sequential(Scale(2.), lambda x: x + 1)(bm.ones(()))) == 3.0   # functions chain too
    with pytest.raises(TypeError, match="callables"):
        bp.Sequential(Scale(1.), 3)


def test_network_steps_synapse_like_children_first():
    order = []

    class Pop(bp.DynamicalSystem):
        def update(self):
            order.append("pop")

    class Syn(bp.DynamicalSystem):
        update_order = 0

        def update(self):
            order.append("syn")

    net = bp.Network(Pop(name="E"), syn=Syn())
    net()
    assert order == ["syn", "pop"] and hasattr(net, "E")
    with pytest.raises(TypeError, match="without inputs"):
        net(bm.ones(2))
