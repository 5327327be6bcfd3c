"""Every neuron model in every mode: state shapes, dtypes, reset, jit == eager, no parameters."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.neurons import ALIF, HH, LIF, AdExIF, ExpIF, InputGroup, Izhikevich, LeakyIntegrator

MODELS = {
    LIF: dict(tau_ref=1.), ALIF: {}, ExpIF: {}, AdExIF: {}, Izhikevich: {}, HH: {},
    LeakyIntegrator: {},
}
MODES = [bm.NonBatchingMode(), bm.BatchingMode(3), bm.TrainingMode(2)]


@pytest.mark.parametrize("mode", MODES, ids=repr)
@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_state_shapes_dtypes_and_reset(model, mode):
    group = model((2, 2), mode=mode, **MODELS[model])
    lead = (mode.batch_size,) if mode.batching else ()
    for path, var in group.vars().items():
        assert var.shape == lead + (4,), path
        assert var.batch_axis == (0 if mode.batching else None), path
        if path in ("spike",):
            assert var.dtype == (jnp.float32 if isinstance(mode, bm.TrainingMode) else jnp.bool_)
        elif path != "refractory":
            assert var.dtype == jnp.float32, path
    assert len(group.train_vars()) == 0
    if mode.batching:
        group.reset_state(5)
        assert group.V.shape == (5, 4)


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_jit_equals_eager(model):
    def run(jit):
        group = model(3, **MODELS[model])
        step = (lambda: group(jnp.array([5., 10., 15.])))
        step = bm.jit(step) if jit else step
        for i in range(8):
            with bp.share.context(t=i * 0.1):
                step()
        return group.V.value
    np.testing.assert_allclose(run(True), run(False), rtol=1e-4, atol=1e-3)  # XLA may fuse differently


def test_input_group_in_every_mode():
    for mode in MODES:
        inp = InputGroup(3, mode=mode)
        assert inp.spike.shape == ((mode.batch_size, 3) if mode.batching else (3,))
