"""STDP_Song2000 against the pair-based rule written by hand: random pre and post spike trains,
each pre spike depresses by A2 * (post trace), each post spike potentiates by A1 * (pre trace)."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def _trains(rng, n, steps, p):
    times = [(i, k) for k in range(steps) for i in range(n) if rng.random() < p]
    return [i for i, _ in times], [k * 0.1 for _, k in times]


@pytest.mark.parametrize("align_post", [True, False])
def test_weights_follow_the_pair_based_rule(align_post):
    rng = np.random.default_rng(0)
    n_pre, n_post, steps, A1, A2, tau_s, tau_t = 4, 3, 300, 0.02, 0.021, 20., 15.
    pre_i, pre_t = _trains(rng, n_pre, steps, 0.03)
    post_i, post_t = _trains(rng, n_post, steps, 0.03)
    pre, post = bp.dyn.SpikeTimeGroup(n_pre, pre_i, pre_t), bp.dyn.SpikeTimeGroup(n_post, post_i, post_t)
    W0 = rng.uniform(0.2, 0.8, (n_pre, n_post))
    syn = bp.dyn.Expon.desc(n_post, tau=5.) if align_post else bp.dyn.AMPA.desc(n_pre)
    proj = bp.dyn.STDP_Song2000(pre, None, syn, bp.dnn.AllToAll(n_pre, n_post, W0), bp.dyn.CUBA.desc(), post,
                                tau_s=tau_s, tau_t=tau_t, A1=A1, A2=A2, W_max=1., W_min=0.)
    def step(i):
        proj.step_run(i), pre.step_run(i), post.step_run(i)
        return post.spike.value
    bm.for_loop(step, np.arange(steps))
    # by hand: traces jump by 1 at a spike and decay; the projection at step k sees step k-1's
    # spikes and the traces as they were after step k-1
    W, xs, xt = W0.copy(), np.zeros(n_pre), np.zeros(n_post)
    s_pre, s_post = np.zeros(n_pre, bool), np.zeros(n_post, bool)
    for k in range(steps):
        W = np.clip(W - A2 * np.outer(s_pre, xt), 0., 1.)
        W = np.clip(W + A1 * np.outer(xs, s_post), 0., 1.)
        s_pre = np.isin(np.arange(n_pre), [i for i, t in zip(pre_i, pre_t) if round(t / 0.1) == k])
        s_post = np.isin(np.arange(n_post), [i for i, t in zip(post_i, post_t) if round(t / 0.1) == k])
        xs = xs * np.exp(-0.1 / tau_s) + s_pre
        xt = xt * np.exp(-0.1 / tau_t) + s_post
    assert not np.allclose(W, W0)
    np.testing.assert_allclose(np.asarray(proj.comm.weight.value), W, atol=1e-5)   # float32


def test_stdp_needs_a_plastic_layer():
    pre, post = bp.dyn.PoissonGroup(2, 10.), bp.dyn.Lif(2)
    with pytest.raises(TypeError, match="plastic weights"):
        bp.dyn.STDP_Song2000(pre, None, bp.dyn.Expon.desc(2), bp.dnn.JitFPHomoLinear(2, 2, 0.5, 1.),
                             bp.dyn.CUBA.desc(), post)
    with pytest.raises(ValueError, match="weight per connection"):
        bp.dyn.STDP_Song2000(pre, None, bp.dyn.Expon.desc(2), bp.dnn.AllToAll(2, 2, 1.), bp.dyn.CUBA.desc(), post)


def test_a_batch_of_identical_trials_changes_the_shared_weights_by_the_sum():
    """In a batching mode every trial's pairings add to the one weight matrix: two identical
    trials change it twice as much as one (no clipping in the range reached)."""
    rng = np.random.default_rng(1)
    n_pre, n_post, steps = 3, 2, 200
    pre_i, pre_t = _trains(rng, n_pre, steps, 0.05)
    post_i, post_t = _trains(rng, n_post, steps, 0.05)
    W0 = np.full((n_pre, n_post), 0.5)

    def change(batch):
        mode = bm.NonBatchingMode() if batch is None else bm.BatchingMode(batch)
        pre = bp.dyn.SpikeTimeGroup(n_pre, pre_i, pre_t, mode=mode)
        post = bp.dyn.SpikeTimeGroup(n_post, post_i, post_t, mode=mode)
        proj = bp.dyn.STDP_Song2000(pre, None, bp.dyn.Expon.desc(n_post, mode=mode),
                                    bp.dnn.AllToAll(n_pre, n_post, W0, mode=mode), bp.dyn.CUBA.desc(), post,
                                    A1=0.002, A2=0.002, mode=mode)
        bm.for_loop(lambda i: (proj.step_run(i), pre.step_run(i), post.step_run(i)) and None, np.arange(steps))
        return np.asarray(proj.comm.weight.value) - W0
    one, two = change(None), change(2)
    assert np.abs(one).max() > 1e-3
    np.testing.assert_allclose(two, 2 * one, rtol=1e-4, atol=1e-6)
