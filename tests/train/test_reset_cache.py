"""The trainer's reset before each batch: constant resets are kept and assigned; random ones,
ones that read parameters and ones that replace Variables run in full every time."""
import numpy as np

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.train._reset import ResetCache


def test_constant_reset_is_kept_and_restores_the_state():
    with bm.environment(mode=bm.BatchingMode(2)):
        net = bp.Sequential(bp.neurons.LIF(3), bp.neurons.LeakyIntegrator(3))
    reset = ResetCache(net)
    reset(4)
    assert reset.constant(4) and net.layers[0].V.shape == (4, 3)
    net.layers[0].V.value = net.layers[0].V.value + 5.
    net.layers[1].V.value = net.layers[1].V.value - 1.
    reset(4)
    np.testing.assert_array_equal(net.layers[0].V.value, np.zeros((4, 3)))
    np.testing.assert_array_equal(net.layers[1].V.value, np.zeros((4, 3)))
    reset(2)                                       # another batch size: learnt separately
    assert net.layers[0].V.shape == (2, 3) and reset.constant(2)


class RestCell(bp.DynamicalSystem):
    """A state reset to ``V_rest``, given as a plain number or as a Variable."""

    def __init__(self, V_rest):
        super().__init__(mode=bm.BatchingMode(1))
        self.V_rest = V_rest
        self.reset_state(1)

    def reset_state(self, batch_size=None):
        rest = self.V_rest.value if isinstance(self.V_rest, bm.Variable) else self.V_rest
        value = bm.ones((batch_size or 1, 1)) * rest
        if hasattr(self, "V"):
            self.V.value = value
        else:
            self.V = bm.Variable(value, batch_axis=0)


def test_a_replaced_attribute_is_followed():
    """A user who sets a plain parameter between fits gets a reset with the new value."""
    cell = RestCell(-60.)                            # a plain float attribute
    reset = ResetCache(cell)
    reset(2)
    assert reset.constant(2)
    cell.V_rest = -70.
    reset(2)
    np.testing.assert_array_equal(cell.V.value, [[-70.], [-70.]])
    cell.V.value = cell.V.value + 1.
    reset(2)                                         # kept again, with the new value
    np.testing.assert_array_equal(cell.V.value, [[-70.], [-70.]])


def test_random_and_parameter_reading_resets_run_every_time():
    with bm.environment(mode=bm.BatchingMode(2)):
        noisy = bp.neurons.LIF(3, V_initializer=bp.init.Normal(0., 1.))
    reset = ResetCache(noisy)
    reset(2)
    first = np.asarray(noisy.V.value)
    reset(2)
    assert not reset.constant(2) and not np.array_equal(first, np.asarray(noisy.V.value))

    cell = RestCell(bm.Variable(bm.asarray([-60.])))  # a Variable the reset reads
    reset = ResetCache(cell)
    reset(2)
    cell.V_rest.value = bm.asarray([-70.])         # a parameter the reset reads: not kept
    reset(2)
    assert not reset.constant(2)
    np.testing.assert_array_equal(cell.V.value, [[-70.], [-70.]])


def test_bptt_losses_equal_with_the_kept_reset():
    """The same training with a reset that is kept and one that is run every time (forced)."""
    X = np.random.default_rng(0).random((8, 5, 3)).astype(np.float32)
    Y = np.random.default_rng(1).integers(0, 2, 8)

    def run(force):
        bm.random.seed(0)
        with bm.training_environment():
            net = bp.Sequential(bp.layers.Dense(3, 4), bp.neurons.LIF(4), bp.layers.Dense(4, 2))
        trainer = bp.BPTT(net, lambda o, y: bp.losses.cross_entropy_loss(o.mean(1), y), progress_bar=False,
                          seed=0, optimizer=bp.optim.Adam(1e-2))
        if force:
            trainer._reset._learn = lambda batch: net.reset(batch)     # resets, keeps nothing
        trainer.fit((X, Y), num_epoch=3, batch_size=4)
        return trainer.train_losses, trainer._reset.constant(4)
    (kept, is_kept), (full, was_kept) = run(False), run(True)
    assert is_kept and not was_kept
    np.testing.assert_array_equal(kept, full)
