"""The dense and the event-driven sparse paths give the same numbers, in every mode."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.conn import All2All, FixedProb, One2One
from neurodyn.errors import ShapeError
from neurodyn.neurons import InputGroup, LeakyIntegrator
from neurodyn.synapses import Delta, Exponential
from neurodyn.layers import _comm

PRE, POST = 60, 40


def pair(comp, g_max, mode=None, seed=7, prob=0.05):
    mode = mode or bm.NonBatchingMode()
    pre, post = InputGroup(PRE, mode=mode), LeakyIntegrator(POST, mode=mode)
    return Exponential(pre, post, FixedProb(prob, seed=seed), g_max=g_max, tau=5.,
                       comp_method=comp, mode=mode)


def spike_train(T, shape, rate):
    return jnp.asarray(np.random.default_rng(1).random((T,) + shape) < rate, jnp.float32)


WEIGHTS = {
    "scalar": lambda: 0.3,
    "per_post": lambda: jnp.linspace(0.1, 1., POST),
    "matrix": lambda: bp.init.Normal(scale=1.),
}


@pytest.mark.parametrize("rate", [0.02, 0.6])   # few events / more than one chunk of events
@pytest.mark.parametrize("wkind", list(WEIGHTS))
def test_sparse_equals_dense_non_batching(wkind, rate):
    bm.random.seed(0)
    dense = pair("dense", WEIGHTS[wkind]())
    bm.random.seed(0)
    sparse = pair("sparse", WEIGHTS[wkind]())
    assert dense.comp_method == "dense" and sparse.comp_method == "sparse"
    np.testing.assert_allclose(sparse.weight_matrix(), dense.weight_matrix(), rtol=1e-6)
    spikes = spike_train(20, (PRE,), rate)
    run = lambda syn: bm.for_loop(lambda s: syn(s), spikes)
    np.testing.assert_allclose(run(sparse), run(dense), rtol=1e-5, atol=1e-5)


def test_sparse_equals_dense_in_batching_and_training_modes():
    for mode in (bm.BatchingMode(3), bm.TrainingMode(3)):
        bm.random.seed(0)
        dense = pair("dense", bp.init.Normal(scale=1.), mode)
        bm.random.seed(0)
        sparse = pair("sparse", bp.init.Normal(scale=1.), mode)
        spikes = spike_train(10, (3, PRE), 0.1)
        run = lambda syn: bm.for_loop(lambda s: syn(s), spikes)
        np.testing.assert_allclose(run(sparse), run(dense), rtol=1e-5, atol=1e-5)


def test_sparse_and_dense_gradients_agree_in_training_mode():
    grads = {}
    for comp in ("dense", "sparse"):
        bm.random.seed(0)
        syn = pair(comp, 0.5, bm.TrainingMode(2))
        spikes = spike_train(8, (2, PRE), 0.2)
        loss = lambda: (bm.for_loop(lambda s: syn(s), spikes) ** 2).sum()
        grads[comp] = bm.grad(loss, grad_vars={"w": syn.g_max})()["w"]
    np.testing.assert_allclose(grads["sparse"], grads["dense"], rtol=1e-5)


def test_layout_is_the_connector_csr():
    syn = pair("sparse", 1.)
    conn = FixedProb(0.05, seed=7)(PRE, POST)
    np.testing.assert_array_equal(np.asarray(syn.weight_matrix()) != 0, conn.build_mat())
    indices, indptr = conn.build_csr()
    assert syn._layout.rows.shape == (PRE + 1, np.diff(indptr).max())
    assert bool(jnp.all(syn._layout.rows[PRE] == POST))        # the dummy row points nowhere


def test_auto_choice_follows_density_and_mode():
    assert pair(None, 1.).comp_method == "sparse"
    assert pair("auto", 1., bm.BatchingMode(2)).comp_method == "dense"
    assert pair(None, 1., prob=0.3).comp_method == "sparse"
    assert pair(None, 1., prob=0.8).comp_method == "dense"
    pre, post = InputGroup(4), LeakyIntegrator(4)
    assert Exponential(pre, post, All2All()).comp_method == "all2all"
    assert Exponential(pre, post, One2One()).comp_method == "one2one"
    assert Exponential(pre, post, One2One(), comp_method="sparse").comp_method == "sparse"


def test_all2all_without_self_and_bool_matrix_connectivity():
    pre, post = InputGroup(3), LeakyIntegrator(3)
    for g in (2., jnp.full((3, 3), 2.)):
        syn = Delta(pre, post, All2All(include_self=False), g_max=g, output=bp.synapses.synouts.CUBA())
        np.testing.assert_allclose(syn(jnp.array([1., 1., 0.])), [2., 2., 4.])
    mat = np.array([[1, 0, 1], [0, 1, 0], [0, 0, 0]], bool)
    syn = Delta(pre, post, mat, g_max=1.5, output=bp.synapses.synouts.CUBA())
    np.testing.assert_allclose(syn(jnp.array([1., 1., 1.])), [1.5, 1.5, 1.5])
    with pytest.raises(ShapeError, match="connection matrix"):
        Delta(pre, post, np.ones((2, 3), bool))
    with pytest.raises(ValueError, match="0/1"):
        Delta(pre, post, np.full((3, 3), 0.5))


def test_event_kernel_handles_spikes_of_the_last_neuron_and_graded_values():
    lay, w = _comm.build(FixedProb(0.5, seed=3), 10, 6, bp.init.Normal(scale=1.), "sparse", False, "t")
    dense, wd = _comm.build(FixedProb(0.5, seed=3), 10, 6, np.asarray(_comm.weight_matrix(lay, w)),
                            "dense", False, "t")
    s = jnp.zeros(10).at[9].set(1.).at[0].set(0.5)
    np.testing.assert_allclose(_comm.propagate(lay, w, s, False), _comm.propagate(dense, wd, s, False),
                               rtol=1e-6)


@pytest.mark.parametrize("conn,comp,g", [
    (All2All(include_self=False), None, 0.5), (All2All(), None, "post"), (One2One(), None, "vec"),
    (FixedProb(0.3, seed=2), "dense", "post"), (FixedProb(0.3, seed=2), "sparse", "post"),
    (FixedProb(0.3, seed=2), "sparse", 0.7), (FixedProb(0.3, seed=2), "sparse", "matrix")])
def test_weight_matrix_is_the_response_to_each_single_spike(conn, comp, g):
    g = {"post": jnp.linspace(1., 2., 6), "vec": jnp.arange(1., 7.), "matrix": bp.init.Normal(scale=1.)}.get(g, g)
    lay, w = _comm.build(conn, 6, 6, g, comp, False, "t")
    eye = jnp.eye(6)
    by_spike = jnp.stack([_comm.propagate(lay, w, eye[i], False) for i in range(6)])
    np.testing.assert_allclose(_comm.weight_matrix(lay, w), by_spike, rtol=1e-6)


def test_input_group_in_a_network_keeps_spikes_written_from_outside():
    pre, post = InputGroup(2), LeakyIntegrator(1)
    net = bp.Network(pre=pre, syn=Delta(pre, post, All2All(), g_max=1., output=bp.synapses.synouts.CUBA()),
                     post=post)
    pre.spike.value = jnp.array([True, True])
    net()
    np.testing.assert_allclose(post.V.value, [2. * (1 - np.exp(-0.1 / 10.))], rtol=1e-5)
