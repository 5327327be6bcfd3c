"""bm.TimeDelay read by time, against BrainPy 2.8.2's printed values."""
import numpy as np

import neurodyn.math as bm


def test_a_function_before_t0_is_evaluated_at_the_time_asked():
    # BrainPy prints [0 0] [-0.5 -0.5] [-3 -3], then after one update [1 1] [0.5 0.5] [-2 -2]
    d = bm.TimeDelay(bm.zeros(2), delay_len=10, dt=1, t0=0, before_t0=lambda t: t)
    got = [np.asarray(d(t)).tolist() for t in (0., -0.5, -3.)]
    assert got == [[0., 0.], [-0.5, -0.5], [-3., -3.]]
    d.update(bm.ones(2))
    got = [np.asarray(d(t)).tolist() for t in (1., 0.5, -2.)]
    assert got == [[1., 1.], [0.5, 0.5], [-2., -2.]]


def test_a_constant_before_t0_fills_the_history_and_rounding_picks_the_nearest_step():
    # BrainPy prints [3.0, 2.0, 1.0, 0.0, -1.0] (t0's entry is the initial value, 0)
    d = bm.TimeDelay(bm.zeros(1), delay_len=1., before_t0=-1., dt=0.25, interp_method="round")
    for v in (1., 2., 3.):
        d.update(bm.ones(1) * v)
    assert [float(d(t)[0]) for t in (0.75, 0.5, 0.3, 0., -0.25)] == [3., 2., 1., 0., -1.]


def test_two_collections_of_variables_add_up_without_losing_one():
    a, b = bm.TimeDelay(bm.zeros(1), 1., dt=0.5), bm.TimeDelay(bm.zeros(1), 1., dt=0.5)
    both = a.vars() + b.vars()
    assert sorted(map(id, both.values())) == sorted(map(id, list(a.vars().values()) + list(b.vars().values())))
    assert len(a.vars() + a.vars()) == len(a.vars())           # the same Variables are not doubled
