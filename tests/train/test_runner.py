"""DSRunner: monitors against a hand-written loop, inputs, paths, caching, batching, chunks."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import MonitorError, ShapeError
from neurodyn.train._runner import DSRunner


class LIF(bp.DynamicalSystem):
    """A tiny LIF population (non-batching) that counts how often update is traced/called."""

    def __init__(self, n=3, tau=10., v_th=1.):
        super().__init__()
        self.n, self.tau, self.v_th = n, tau, v_th
        self.V = bm.Variable(bm.linspace(0., 0.5, n))
        self.spike = bm.Variable(bm.zeros(n, dtype=bool))
        self.input = bm.Variable(bm.zeros(n))
        self.calls = 0

    def reset_state(self, batch_size=None):
        self.V.value = bm.zeros(self.n)
        self.spike.value = bm.zeros(self.n, dtype=bool)
        self.input.value = bm.zeros(self.n)

    def clear_input(self):
        self.input.value = bm.zeros(self.n)

    def update(self):
        self.calls += 1
        dt = bp.share.load('dt')
        v = self.V + (-self.V + self.input) / self.tau * dt
        spike = v >= self.v_th
        self.spike.value = spike
        self.V.value = bm.where(spike, 0., v)


class Net(bp.DynamicalSystem):
    def __init__(self):
        super().__init__()
        self.r = LIF(3)

    def update(self):
        self.r()


class Acc(bp.DynamicalSystem):
    """x accumulates its input every step; batched when built in a batching mode."""

    def __init__(self, n=2, mode=None):
        super().__init__(mode=mode)
        self.n = n
        shape = (1, n) if self.mode.batching else (n,)
        self.x = bm.Variable(bm.zeros(shape), batch_axis=0 if self.mode.batching else None)
        self.input = bm.Variable(bm.zeros(n))

    def reset_state(self, batch_size=None):
        self.x.value = bm.zeros((batch_size, self.n) if batch_size is not None else (self.n,))

    def clear_input(self):
        self.input.value = bm.zeros(self.n)

    def update(self, inp=None):
        extra = 0. if inp is None else inp
        self.x.value = self.x + self.input + extra
        return self.x.value * 2.


def test_monitors_equal_a_manual_for_loop():
    a, b = Net(), Net()
    runner = DSRunner(a, monitors=['r.V', 'r.spike'], inputs=[('r.input', 2.5)], dt=0.5, progress_bar=False)
    runner.run(20.)                                           # 40 steps
    assert runner.mon['r.V'].shape == (40, 3) and isinstance(runner.mon['r.V'], np.ndarray)

    def step(i):
        with bp.share.context(t=i * 0.5, i=i, dt=0.5, fit=False):
            b.r.input.value = b.r.input + 2.5
            b()
            out = (b.r.V.value, b.r.spike.value)
            b.r.clear_input()
        return out

    V, spike = bm.for_loop(step, jnp.arange(40))
    np.testing.assert_allclose(runner.mon['r.V'], np.asarray(V), rtol=1e-6)
    np.testing.assert_array_equal(runner.mon['r.spike'], np.asarray(spike))
    assert runner.mon['r.spike'].any()                        # the input is strong enough to fire
    np.testing.assert_allclose(runner.mon.ts, np.arange(40) * 0.5)
    np.testing.assert_allclose(np.asarray(a.r.V.value), np.asarray(b.r.V.value), rtol=1e-6)


def test_unknown_monitor_lists_valid_paths():
    with pytest.raises(MonitorError, match=r"'r\.V'.*Did you mean 'r\.V'"):
        DSRunner(Net(), monitors=['r.v'], progress_bar=False)
    with pytest.raises(MonitorError, match=r"r\.spike"):
        DSRunner(Net(), monitors={'x': 'nothing.here'}, progress_bar=False)


def test_monitor_forms_dict_variable_callable_index():
    net = Net()
    runner = DSRunner(net, monitors={'v': net.r.V, 'v0': ('r.V', 0), 'two': lambda: net.r.V.value * 2,
                                     'attr': 'r.spike'},
                      inputs=[('r.input', 2.)], progress_bar=False)
    runner.run(1.)
    np.testing.assert_allclose(runner.mon['two'], 2 * runner.mon['v'])
    np.testing.assert_allclose(runner.mon['v0'], runner.mon['v'][:, 0])
    assert runner.mon['attr'].dtype == bool
    with pytest.raises(ValueError, match="'ts'"):
        DSRunner(net, monitors={'ts': 'r.V'}, progress_bar=False)


def test_inputs_set_add_iter_and_func():
    # '+' then '=': the '=' wins; '=' then '+': both count
    m = Acc()
    DSRunner(m, inputs=[('input', 1.), ('input', 5., 'fix', '=')], dt=1., progress_bar=False).run(3.)
    np.testing.assert_allclose(m.x.value, [15., 15.])
    m = Acc()
    DSRunner(m, inputs=[('input', 5., 'fix', '='), ('input', 1.)], dt=1., progress_bar=False).run(3.)
    np.testing.assert_allclose(m.x.value, [18., 18.])
    # 'iter': one value per step, indexed by the global step (continues on a second run)
    m = Acc()
    series = jnp.arange(6.)
    runner = DSRunner(m, monitors=['x'], inputs=[('input', series, 'iter')], dt=1., progress_bar=False)
    runner.run(3.)
    np.testing.assert_allclose(runner.mon['x'][:, 0], [0., 1., 3.])
    runner.run(3.)
    np.testing.assert_allclose(runner.mon['x'][:, 0], [6., 10., 15.])
    with pytest.raises(ShapeError, match="steps 6..8"):
        runner.run(3.)
    # 'func': f(shared) per step
    m = Acc()
    runner = DSRunner(m, monitors=['x'], inputs=[('input', lambda sh: sh['t'] * 10., 'func')], dt=1.,
                      t0=1., progress_bar=False)
    runner.run(2.)
    np.testing.assert_allclose(runner.mon['x'][:, 1], [10., 30.])
    np.testing.assert_allclose(runner.mon.ts, [1., 2.])


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="input type"):
        DSRunner(Acc(), inputs=[('input', 1., 'bogus')], progress_bar=False)
    with pytest.raises(ValueError, match="operation"):
        DSRunner(Acc(), inputs=[('input', 1., 'fix', '%')], progress_bar=False)
    with pytest.raises(ValueError, match="Did you mean 'input'"):
        DSRunner(Acc(), inputs=[('inptu', 1.)], progress_bar=False)
    runner = DSRunner(Acc(), inputs=[('input', jnp.ones(3))], progress_bar=False)
    with pytest.raises(ShapeError, match=r"shape \(3,\)"):
        runner.run(1.)
    with pytest.raises(ValueError, match="exactly one of duration"):
        DSRunner(Acc(), progress_bar=False).run()
    with pytest.raises(ValueError, match="duration > 0"):
        DSRunner(Acc(), progress_bar=False).run(-1.)


def test_second_run_does_not_retrace_and_time_continues():
    net = Net()
    runner = DSRunner(net, monitors=['r.V'], inputs=[('r.input', 2.)], dt=0.1, progress_bar=False)
    runner.run(1.)
    traced = net.r.calls
    assert traced >= 1
    v_after_first = runner.mon['r.V'][-1]
    runner.run(1.)
    assert net.r.calls == traced                              # same shapes: no new trace
    np.testing.assert_allclose(runner.mon.ts, 1.0 + np.arange(10) * 0.1, rtol=1e-6)
    assert not np.allclose(runner.mon['r.V'][0], v_after_first * 0)   # state carried on
    runner.run(1., reset_state=True)
    assert net.r.calls == traced
    np.testing.assert_allclose(runner.mon.ts, np.arange(10) * 0.1, rtol=1e-6)


def test_run_with_inputs_batched_and_time_major():
    m = Acc(2, mode=bm.BatchingMode(4))
    X = jnp.arange(4 * 5 * 2, dtype=jnp.float32).reshape(4, 5, 2)        # (batch, time, n)
    runner = DSRunner(m, monitors=['x'], progress_bar=False)
    assert runner.data_first_axis == 'B'
    out = runner.run(inputs=X, reset_state=True)
    expected = 2 * np.cumsum(np.asarray(X), axis=1)
    np.testing.assert_allclose(out, expected)
    assert runner.mon['x'].shape == (4, 5, 2)
    np.testing.assert_allclose(runner.mon['x'], expected / 2)
    # the same in chunks (memory_efficient), eagerly, from NumPy inputs, and time-major
    for kw, data in (({"memory_efficient": 2}, X), ({"jit": False}, X), ({}, np.asarray(X)),
                     ({"data_first_axis": "T"}, jnp.swapaxes(X, 0, 1))):
        acc = Acc(2, mode=bm.BatchingMode(4))
        runner = DSRunner(acc, monitors={'x': 'x', 'total': lambda: bm.sum(acc.x)}, progress_bar=False, **kw)
        out = runner.run(inputs=data, reset_state=True)
        if kw.get("data_first_axis") == "T":
            out, mon = np.swapaxes(out, 0, 1), np.swapaxes(runner.mon['x'], 0, 1)
        else:
            mon = runner.mon['x']
        np.testing.assert_allclose(out, expected, err_msg=str(kw))
        np.testing.assert_allclose(mon, expected / 2, err_msg=str(kw))
        np.testing.assert_allclose(runner.mon['total'], expected.sum(axis=(0, 2)) / 2, err_msg=str(kw))
    # non-batching model: (time, ...) and predict is an alias taking the inputs first
    m = Acc(2)
    out = DSRunner(m, progress_bar=False).predict(jnp.ones((3, 2)))
    np.testing.assert_allclose(out, [[2., 2.], [4., 4.], [6., 6.]])
    with pytest.raises(ValueError, match="non-batching"):
        DSRunner(Acc(2), data_first_axis='B', progress_bar=False).run(inputs=jnp.ones((3, 2)))


def test_memory_efficient_and_eager_match_the_compiled_scan():
    def run(**kw):
        net = Net()
        runner = DSRunner(net, monitors=['r.V', 'r.spike'], inputs=[('r.input', 2.5)], dt=0.5,
                          progress_bar=False, **kw)
        runner.run(12.5)
        return runner.mon
    ref = run()
    for mon in (run(memory_efficient=7), run(jit=False)):
        np.testing.assert_allclose(mon['r.V'], ref['r.V'], rtol=1e-6)
        np.testing.assert_array_equal(mon['r.spike'], ref['r.spike'])
        np.testing.assert_allclose(mon['ts'], ref['ts'])


class _Bar:
    def __init__(self, total):
        self.total, self.n, self.updates, self.closed = total, 0, [], False

    def update(self, k):
        self.updates.append(k)
        self.n += k

    def close(self):
        self.closed = True


def test_progress_bar_updated_from_the_compiled_loop(monkeypatch):
    net = Net()
    runner = DSRunner(net, monitors=['r.V'], dt=0.1, progress_bar=True)
    bars = []
    monkeypatch.setattr(runner, '_make_bar', lambda n: bars.append(_Bar(n)) or bars[-1])
    runner.run(25.)                                           # 250 steps, a callback every 2
    runner.run(25.)                                           # cached program, fresh bar
    for bar in bars:
        assert bar.closed and bar.n == 250
        assert len(bar.updates) >= 100                        # reported from inside the loop


def test_real_progress_bar_runs_and_closes(capsys):
    runner = DSRunner(Net(), monitors=['r.V'], dt=0.1)
    runner.run(2.)
    assert runner._bar is None and runner.mon['r.V'].shape == (20, 3)
    assert '20/20' in capsys.readouterr().err


def test_shared_args_may_not_override_what_the_runner_sets():
    class Echo(bp.DynamicalSystem):
        def update(self, x):
            return x * bp.share.load("gain")

    runner = bp.DSRunner(Echo(), progress_bar=False)
    out = runner.run(inputs=bm.ones((3, 2)), shared_args={"gain": 2.})
    np.testing.assert_allclose(np.asarray(out), 2 * np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"shared_args without t, i, dt or fit.*\['fit'\]"):
        runner.run(inputs=bm.ones((3, 2)), shared_args={"fit": True})


def test_batch_first_monitors_move_only_a_real_batch_axis():
    class WithWeights(Acc):
        def __init__(self):
            super().__init__(2, mode=bm.BatchingMode(4))
            self.w = bm.Variable(bm.ones((3, 5)))                 # no batch axis
            self.buf = bm.Variable(bm.zeros((3, 4, 2)), batch_axis=1)

        def reset_state(self, batch_size=None):
            super().reset_state(batch_size)
            self.buf.value = bm.zeros((3, batch_size, 2))

        def update(self, inp=None):
            self.buf.value = self.buf + 1.
            return super().update(inp)

    X = np.ones((4, 6, 2), np.float32)                                 # (batch, time, n)
    for kw in ({}, {"memory_efficient": 4}, {"jit": False}, {"numpy_mon_after_run": False}):
        runner = DSRunner(WithWeights(), monitors=['x', 'w', 'buf'], progress_bar=False, **kw)
        runner.run(inputs=X, reset_state=True)
        assert runner.mon['x'].shape == (4, 6, 2), kw
        assert runner.mon['w'].shape == (6, 3, 5), kw                  # time first: nothing to move
        assert runner.mon['buf'].shape == (4, 6, 3, 2), kw             # its batch axis (1) moved first
        np.testing.assert_allclose(np.asarray(runner.mon['buf'])[:, :, 0, 0], np.tile(np.arange(1., 7.), (4, 1)))
