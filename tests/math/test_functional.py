"""bm.Functional, the one functional core, and what for_loop remembers between calls."""
import gc
import weakref

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.math._loop_cache import loop_functional


def test_values_in_new_values_out_and_nothing_changes_until_commit():
    a, b = bm.Variable(jnp.ones(2)), bm.Variable(jnp.full(2, 3.))

    def fn(x):
        a.value = a.value * x + b.value
        return a.value.sum()

    f = bm.Functional(fn, [a, b], written=[])
    prog = jax.jit(lambda values, x: f(values, x))
    new, out = f.settle(lambda: prog(f.values(), 2.))
    assert [v is a for v in f.written] == [True]          # found while tracing
    np.testing.assert_allclose(new[0], [5., 5.])
    np.testing.assert_allclose(new[1], [3., 3.])           # b only read: passed through
    assert float(out) == 10. and a.value.tolist() == [1., 1.]
    f.commit(new)
    assert a.value.tolist() == [5., 5.] and b.value.tolist() == [3., 3.]
    assert f.written_values(new)[0] is new[0]


def test_branches_share_one_set_of_variables_and_reads_stay_constants():
    n, k = bm.Variable(jnp.zeros(())), bm.Variable(jnp.full((), 7.))
    f = bm.Functional(carry_reads=False)

    def run(pred):
        return jax.lax.cond(pred, lambda v: f.apply(lambda: n.update(n.value + k.value), v),
                            lambda v: f.apply(lambda: n.update(n.value - 1), v), f.values())

    new, _ = f.settle(lambda: run(True))
    assert f.variables == [n]                               # k is read only: a constant of the trace
    f.commit(new)
    new, _ = f.settle(lambda: run(False))
    f.commit(new)
    assert float(n.value) == 6.


def _count_traces(fn):
    calls = []

    def body(x):
        calls.append(1)
        return fn(x)
    return body, calls


def test_for_loop_traces_its_body_once_when_called_again():
    v = bm.Variable(jnp.zeros(()))
    body, calls = _count_traces(lambda x: v.update(v.value + x))
    bm.for_loop(body, jnp.ones(4))
    assert len(calls) == 2                                  # find v, then carry it
    bm.for_loop(body, jnp.ones(4))
    assert len(calls) == 3 and float(v.value) == 8.
    bm.for_loop(body, jnp.ones(5))                          # other shapes: found again
    assert len(calls) == 5 and float(v.value) == 13.


def test_a_model_method_and_a_closure_over_the_model_are_remembered():
    lif = bp.neurons.LIF(3)
    bm.for_loop(lif.update, jnp.full((5, 3), 30.))
    written = {id(x) for x in loop_functional(lif.update, jnp.zeros((5, 3))).variables}
    assert {id(lif.V), id(lif.spike)} <= written
    other = bp.neurons.LIF(3)                               # the same code on another object
    assert loop_functional(other.update, jnp.zeros((5, 3))).variables == []

    def make(model):
        return lambda x: model.update(x)
    bm.for_loop(make(lif), jnp.full((5, 3), 30.))
    assert {id(x) for x in loop_functional(make(lif), jnp.zeros((5, 3))).variables} == written
    assert loop_functional(make(other), jnp.zeros((5, 3))).variables == []


def test_a_wrong_guess_still_gives_the_right_values_and_entries_hold_no_model():
    a, b = bm.Variable(jnp.zeros(())), bm.Variable(jnp.zeros(()))
    which = {"var": a}

    def body(x):
        which["var"].value = which["var"].value + x
    bm.for_loop(body, jnp.ones(3))
    which["var"] = b                                        # same function, another Variable
    bm.for_loop(body, jnp.ones(3))
    assert (float(a.value), float(b.value)) == (3., 3.)

    c = bm.Variable(jnp.zeros(()))
    ref = weakref.ref(c)

    def body_c(x):
        c.value = c.value + x
    bm.for_loop(body_c, jnp.ones(2))
    del c, body_c
    gc.collect()
    assert ref() is None
