"""neurodyn.math._trace, the one place where mutation meets JAX: what a traced function reads
and writes is discovered, nested transforms pass it outwards, an exception leaves every
Variable as it was, and unknown Variables cause one retrace."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.math import _trace as T


def ids(variables):
    return [id(v) for v in variables]     # Variables compare element-wise: compare identities


def test_reads_and_writes_are_discovered_and_values_swapped_in_and_out():
    a, b, c = bm.Variable(jnp.ones(2)), bm.Variable(jnp.zeros(2)), bm.Variable(jnp.full(2, 7.))

    def fn(x):
        b.value = a.value * x          # reads a, writes b; c untouched
        return b.value.sum()

    state = T.Discovered(fixed=[a], need_reads=True)
    with pytest.raises(T.Retrace):                 # b is new: the caller must trace again
        jax.jit(lambda vals, x: T.pure_call(state, fn, vals, (x,)))([a.value], 3.)
    assert ids(state.vars) == ids([a, b]) and ids(state.written) == ids([b])
    new, out = jax.jit(lambda vals, x: T.pure_call(state, fn, vals, (x,)))([jnp.full(2, 2.), b.value], 3.)
    np.testing.assert_allclose(new[0], [6., 6.])
    assert float(out) == 12.
    # outside, every Variable still holds its value from before the call
    np.testing.assert_allclose(a.value, [1., 1.])
    np.testing.assert_allclose(b.value, [0., 0.])
    assert id(c) not in ids(state.vars)


def test_reads_only_stay_constants_when_the_transform_allows():
    a, b = bm.Variable(jnp.ones(2)), bm.Variable(jnp.zeros(2))

    def fn():
        b.value = a.value + 1.
    state = T.Discovered(fixed=[b], need_reads=False)
    with pytest.raises(T.Retrace):                  # the first call learns that b is written
        T.pure_call(state, fn, [b.value])
    T.pure_call(state, fn, [b.value])
    assert ids(state.vars) == ids([b])              # a was only read: closed over


def test_nested_calls_report_to_the_enclosing_one():
    a, b = bm.Variable(jnp.ones(()) * 2.), bm.Variable(jnp.zeros(()))
    inner = T.Discovered(fixed=[a, b], need_reads=True)

    def inner_fn():
        b.value = a.value * 3.

    with pytest.raises(T.Retrace):
        T.pure_call(inner, inner_fn, [a.value, b.value])
    outer = T.Recorder()
    T._stack().append(outer)
    try:
        T.pure_call(inner, inner_fn, [a.value, b.value])
    finally:
        T._stack().pop()
    assert set(outer.touched) == {id(a), id(b)} and set(outer.written) == {id(b)}


def test_an_exception_restores_every_variable_and_the_stack():
    a = bm.Variable(jnp.ones(3))
    depth = len(T._stack())

    def fails():
        a.value = a.value * 10.
        raise ZeroDivisionError("inside")

    state = T.Discovered(fixed=[a], need_reads=True)
    with pytest.raises(ZeroDivisionError):
        T.pure_call(state, fails, [jnp.full(3, 5.)])
    np.testing.assert_allclose(a.value, [1., 1., 1.])
    assert len(T._stack()) == depth


def test_discovering_retraces_until_the_set_is_complete():
    a, b = bm.Variable(jnp.ones(())), bm.Variable(jnp.zeros(()))
    calls = []

    @bm.jit
    def step():
        calls.append(1)
        b.value = b.value + a.value
        return b.value

    assert float(step()) == 1. and float(step()) == 2.
    traces = len(calls)
    step()
    assert len(calls) == traces                    # compiled once the Variables are known


def test_recording_keeps_the_effects_and_reports_reads_and_writes():
    a, b = bm.Variable(jnp.ones(())), bm.Variable(jnp.zeros(()))

    def fn():
        b.value = a.value + 1.
        tmp = bm.Variable(jnp.zeros(()))           # created inside: neither read nor written
        tmp.value = tmp.value + 1.
        return "done"

    out, reads, writes = T.recording(fn)
    assert out == "done" and ids(reads) == ids([a]) and ids(writes) == ids([b])
    assert float(b.value) == 2.
