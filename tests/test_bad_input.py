"""Bad input, everywhere a user can pass it, fails at the call with a clear, named error.

Property-based: hypothesis builds layers, neurons and synapses with random *bad* constructor
arguments, and valid models with random *bad* call inputs, and checks that each raises a
``ValueError``/``TypeError`` (or a ``neurodyn.errors`` subclass) whose message names the class
and says what was ``expected`` — raised by neurodyn's own checks (the innermost frame is inside
the ``neurodyn`` package), never a JAX error from deep inside a trace, never a silent result.

Dtype policy (documented in the README): inputs must be real. Floats are used as given (with
JAX's default x64 off, a NumPy float64 array *is* float32 once converted); bools and integers
are converted to float32 (exact for the values inputs take); complex, string and object data
raise ``DtypeError``.
"""
from __future__ import annotations

import os
import string

import numpy as np
import optax
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import DtypeError, MonitorError, ShapeError
from neurodyn.math._integrate import METHODS

PKG = os.path.dirname(bp.__file__)
FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=10)     # examples that run a model step (eager, per shape)


def clear_error(fn, name):
    """Call ``fn``; it must raise ValueError/TypeError from neurodyn code, naming ``name``."""
    with pytest.raises((ValueError, TypeError)) as info:
        fn()
    err = info.value
    tb = info.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    origin = tb.tb_frame.f_code.co_filename
    assert origin.startswith(PKG), f"raised outside neurodyn ({origin}): {type(err).__name__}: {err}"
    msg = str(err)
    assert name in msg and "expected" in msg, f"unclear message for {name}: {msg}"
    return err


# -- strategies of bad values ---------------------------------------------------------------

junk = st.sampled_from([object(), "abc", b"xy", {}, [[1, 2], [3]], 1j, (1.5,)])
bad_sizes = st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.booleans(),
                      st.sampled_from(["3", None, (2, 0), (2, -1), (2.5,), ()]))
bad_counts = st.one_of(st.integers(max_value=0), st.floats(), st.sampled_from(["4", None, True]))
bad_taus = st.one_of(st.floats(max_value=0.), st.just(float("nan")), st.sampled_from(["10", 1j, object()]),
                     st.lists(st.floats(-5., 5.), min_size=3, max_size=3)
                     .filter(lambda v: min(v) <= 0).map(lambda v: np.asarray(v, np.float32)))
outside_unit = st.one_of(st.floats().filter(lambda p: not 0. <= p <= 1.), st.just(float("nan")))
names = st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=12)


def bad_initializer(shape):
    """Neither an array, a callable, an Initializer, a scalar nor None — or one of the wrong shape."""
    wrong = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple).filter(lambda s: s != shape)
    return st.one_of(
        st.sampled_from([object(), "normal", [1., 2.], {"a": 1}, 1j, np.ones(shape, np.complex64),
                         np.array(["a"] * int(np.prod(shape))).reshape(shape)]),
        wrong.map(lambda s: np.ones(s, np.float32)),
        wrong.map(lambda s: (lambda _shape: np.ones(s, np.float32))),
    )


def unknown_activation(name):
    try:
        L.get_activation(name)
    except ValueError:
        return True
    return False


def unknown_surrogate(name):
    try:
        bm.surrogate.get(name)
    except ValueError:
        return True
    return False


# -- constructors -----------------------------------------------------------------------------

N_IN, N = 3, 4
L, NEU, SYN = bp.layers, bp.neurons, bp.synapses


def projection(cls, **kw):
    return cls(NEU.InputGroup(N_IN), NEU.LIF(N), bp.conn.All2All(), **kw)


# (class name, strategy of bad kwargs, factory(**bad))
CONSTRUCTORS = [
    ("Dense", st.fixed_dictionaries({"num_in": bad_counts}), lambda **k: L.Dense(num_out=N, **k)),
    ("Dense", st.fixed_dictionaries({"num_out": bad_counts}), lambda **k: L.Dense(N_IN, **k)),
    ("Dense", st.fixed_dictionaries({"W_initializer": bad_initializer((N_IN, N))}), lambda **k: L.Dense(N_IN, N, **k)),
    ("Dense", st.fixed_dictionaries({"b_initializer": bad_initializer((N,))}), lambda **k: L.Dense(N_IN, N, **k)),
    ("Dense", st.fixed_dictionaries({"mode": junk}), lambda **k: L.Dense(N_IN, N, **k)),
    ("RNNCell", st.fixed_dictionaries({"num_out": bad_counts}), lambda **k: L.RNNCell(N_IN, **k)),
    ("RNNCell", st.fixed_dictionaries({"Wh_initializer": bad_initializer((N, N))}), lambda **k: L.RNNCell(N_IN, N, **k)),
    ("GRUCell", st.fixed_dictionaries({"Wi_initializer": bad_initializer((N_IN, 3 * N))}),
     lambda **k: L.GRUCell(N_IN, N, **k)),
    ("GRUCell", st.fixed_dictionaries({"activation": st.one_of(names.filter(unknown_activation), junk)}),
     lambda **k: L.GRUCell(N_IN, N, **k)),
    ("LSTMCell", st.fixed_dictionaries({"num_in": bad_counts}), lambda **k: L.LSTMCell(num_out=N, **k)),
    ("LSTMCell", st.fixed_dictionaries({"train_state": st.sampled_from([1, 0, "yes", None])}),
     lambda **k: L.LSTMCell(N_IN, N, **k)),
    ("Dropout", st.fixed_dictionaries({"prob": st.one_of(outside_unit, st.just(0.), st.sampled_from(["0.5", None]))}),
     lambda **k: L.Dropout(**k)),
    ("NVAR", st.fixed_dictionaries({"delay": bad_counts}), lambda **k: L.NVAR(N_IN, **k)),
    ("NVAR", st.fixed_dictionaries({"order": st.one_of(st.integers(max_value=1), st.sampled_from([2.5, "2", [1, 2]]))}),
     lambda **k: L.NVAR(N_IN, 2, **k)),
    ("NVAR", st.fixed_dictionaries({"mode": st.sampled_from([bm.TrainingMode(), bm.TrainingMode(3)])}),
     lambda **k: L.NVAR(N_IN, 2, **k)),
    ("Reservoir", st.fixed_dictionaries({"leaky_rate": st.one_of(outside_unit, st.just(0.))}),
     lambda **k: L.Reservoir(N_IN, N, **k)),
    ("Reservoir", st.fixed_dictionaries({"rec_connectivity": outside_unit}), lambda **k: L.Reservoir(N_IN, N, **k)),
    ("Reservoir", st.fixed_dictionaries({"Win_initializer": bad_initializer((N_IN, N))}),
     lambda **k: L.Reservoir(N_IN, N, **k)),
    ("Reservoir", st.fixed_dictionaries({"num_out": bad_counts}), lambda **k: L.Reservoir(N_IN, **k)),
    ("BatchNorm1d", st.fixed_dictionaries({"mode": st.just(bm.NonBatchingMode())}), lambda **k: L.BatchNorm1d(N, **k)),
    ("LIF", st.fixed_dictionaries({"size": bad_sizes}), lambda **k: NEU.LIF(**k)),
    ("LIF", st.fixed_dictionaries({"tau": bad_taus}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"tau_ref": st.floats(max_value=-1e-3)}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"noise": st.floats(max_value=-1e-3)}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"V_initializer": bad_initializer((3,))}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"spike_fun": names.filter(unknown_surrogate)}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"method": names.filter(lambda n: n not in METHODS)}), lambda **k: NEU.LIF(3, **k)),
    ("LIF", st.fixed_dictionaries({"spk_reset": names.filter(lambda n: n not in ("soft", "hard"))}),
     lambda **k: NEU.LIF(3, **k)),
    ("LeakyIntegrator", st.fixed_dictionaries({"tau": bad_taus}), lambda **k: NEU.LeakyIntegrator(3, **k)),
    ("LeakyIntegrator", st.fixed_dictionaries({"size": bad_sizes}), lambda **k: NEU.LeakyIntegrator(**k)),
    ("ALIF", st.fixed_dictionaries({"tau_a": bad_taus}), lambda **k: NEU.ALIF(3, **k)),
    ("ALIF", st.fixed_dictionaries({"spike_fun": st.one_of(names.filter(unknown_surrogate), st.sampled_from([3, 2.5]))}),
     lambda **k: NEU.ALIF(3, **k)),
    ("Izhikevich", st.fixed_dictionaries({"u_initializer": bad_initializer((3,))}), lambda **k: NEU.Izhikevich(3, **k)),
    ("Izhikevich", st.fixed_dictionaries({"V_th": bad_initializer((3,))}), lambda **k: NEU.Izhikevich(3, **k)),
    ("HH", st.fixed_dictionaries({"C": bad_taus}), lambda **k: NEU.HH(3, **k)),
    ("HH", st.fixed_dictionaries({"size": bad_sizes}), lambda **k: NEU.HH(**k)),
    ("ExpIF", st.fixed_dictionaries({"delta_T": bad_taus}), lambda **k: NEU.ExpIF(3, **k)),
    ("InputGroup", st.fixed_dictionaries({"size": bad_sizes}), lambda **k: NEU.InputGroup(**k)),
    ("Exponential", st.fixed_dictionaries({"tau": bad_taus.filter(lambda t: np.ndim(t) == 0)}),
     lambda **k: projection(SYN.Exponential, **k)),
    ("Exponential", st.fixed_dictionaries({"delay_step": st.one_of(st.integers(max_value=-1), st.floats(0.1, 5.),
                                                                   st.just("2"))}),
     lambda **k: projection(SYN.Exponential, **k)),
    ("Exponential", st.fixed_dictionaries({"g_max": bad_initializer((N_IN, N)).filter(
        lambda g: not (isinstance(g, np.ndarray) and g.shape == (N,)))}),
     lambda **k: projection(SYN.Exponential, **k)),
    ("Exponential", st.fixed_dictionaries({"comp_method": names.filter(lambda n: n not in ("auto", "dense", "sparse"))}),
     lambda **k: projection(SYN.Exponential, **k)),
    ("Exponential", st.fixed_dictionaries({"conn": junk}),
     lambda **k: SYN.Exponential(NEU.InputGroup(N_IN), NEU.LIF(N), **k)),
    ("DualExponential", st.fixed_dictionaries({"tau_rise": bad_taus.filter(lambda t: np.ndim(t) == 0)}),
     lambda **k: projection(SYN.DualExponential, **k)),
    ("FixedProb", st.fixed_dictionaries({"prob": outside_unit}), lambda **k: bp.conn.FixedProb(**k)),
]


@FAST
@given(data=st.data())
def test_bad_constructor_arguments_name_the_class(data):
    name, kwargs_strategy, factory = data.draw(st.sampled_from(CONSTRUCTORS), label="constructor")
    kwargs = data.draw(kwargs_strategy, label="bad kwargs")
    clear_error(lambda: factory(**kwargs), name)


@pytest.mark.parametrize("index", range(len(CONSTRUCTORS)), ids=[f"{i}-{c[0]}" for i, c in enumerate(CONSTRUCTORS)])
def test_every_constructor_rule_once(index):
    """Every rule, two fixed draws each (the test above samples across the rules)."""
    name, kwargs_strategy, factory = CONSTRUCTORS[index]

    @settings(max_examples=2, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(kwargs=kwargs_strategy)
    def check(kwargs):
        clear_error(lambda: factory(**kwargs), name)

    check()


# -- call inputs ------------------------------------------------------------------------------

# name -> (factory(mode), supported modes, stateful: True / False (Dense) / None (no width: Dropout))
ALL = ("nonbatching", "batching", "training")
MODELS = {
    "Dense": (lambda m: L.Dense(N_IN, N, mode=m), ALL, False),
    "Dropout": (lambda m: L.Dropout(0.5, mode=m), ALL, None),
    "RNNCell": (lambda m: L.RNNCell(N_IN, N, mode=m), ALL, True),
    "GRUCell": (lambda m: L.GRUCell(N_IN, N, mode=m), ALL, True),
    "LSTMCell": (lambda m: L.LSTMCell(N_IN, N, mode=m), ALL, True),
    "NVAR": (lambda m: L.NVAR(N_IN, 2, order=2, mode=m), ALL[:2], True),
    "Reservoir": (lambda m: L.Reservoir(N_IN, N, mode=m), ALL, True),
    "LIF": (lambda m: NEU.LIF(N_IN, mode=m), ALL, True),
    "LeakyIntegrator": (lambda m: NEU.LeakyIntegrator(N_IN, mode=m), ALL, True),
    "ALIF": (lambda m: NEU.ALIF(N_IN, mode=m), ALL, True),
    "Izhikevich": (lambda m: NEU.Izhikevich(N_IN, mode=m), ALL, True),
    "HH": (lambda m: NEU.HH(N_IN, mode=m), ALL, True),
    "InputGroup": (lambda m: NEU.InputGroup(N_IN, mode=m), ALL, True),
    "Exponential": (lambda m: SYN.Exponential(NEU.InputGroup(N_IN, mode=m), NEU.LIF(N, mode=m),
                                              bp.conn.All2All(), mode=m), ALL, True),
}


def make_mode(kind, batch):
    return {"nonbatching": bm.NonBatchingMode(), "batching": bm.BatchingMode(batch),
            "training": bm.TrainingMode(batch)}[kind]


@st.composite
def model_and_bad_input(draw):
    name = draw(st.sampled_from(sorted(MODELS)))
    factory, modes, stateful = MODELS[name]
    kind = draw(st.sampled_from(modes))
    batch = draw(st.integers(1, 3))
    mode = make_mode(kind, batch)
    lead = (batch,) if mode.batching else ()
    problems = ["dtype"] + (["width"] if name != "Dropout" else [])
    if stateful:
        problems += ["rank", "batch"] if mode.batching else ["rank"]
    problem = draw(st.sampled_from(problems))
    if problem == "width":
        width = draw(st.integers(1, 6).filter(lambda w: w != N_IN))
        x = np.ones(lead + (width,), np.float32)
    elif problem == "rank":
        # (a neuron group in a batching mode takes a per-neuron current (N,) for every row)
        per_neuron_ok = name in ("LIF", "LeakyIntegrator", "ALIF", "Izhikevich", "HH")
        extra = draw(st.sampled_from(["drop", "add"])) if mode.batching and not per_neuron_ok else "add"
        shape = (N_IN,) if extra == "drop" else (2,) + lead + (N_IN,)
        x = np.ones(shape, np.float32)
    elif problem == "batch":
        other = draw(st.integers(1, 5).filter(lambda b: b != batch))
        x = np.ones((other, N_IN), np.float32)
    else:
        shape = lead + (N_IN,)
        x = draw(st.sampled_from([np.ones(shape, np.complex64), np.full(shape, "a"),
                                  np.full(shape, None, dtype=object), np.ones(shape) * 1j]))
    return name, factory(mode), x, problem


@FAST
@given(case=model_and_bad_input())
def test_bad_call_inputs_name_the_class(case):
    name, model, x, problem = case
    err = clear_error(lambda: model(x), name)
    assert isinstance(err, DtypeError if problem == "dtype" else ShapeError)


@SLOW
@given(name=st.sampled_from([n for n in sorted(MODELS) if MODELS[n][2]]), batch=st.integers(1, 3),
       other=st.integers(1, 4))
def test_batch_after_reset_must_match(name, batch, other):
    """After ``reset(batch)`` an input of another batch size is a ShapeError naming the model."""
    assume(other != batch)
    model = MODELS[name][0](bm.BatchingMode(2))
    model.reset(batch)
    model(np.ones((batch, N_IN), np.float32))              # the reset size works
    err = clear_error(lambda: model(np.ones((other, N_IN), np.float32)), name)
    assert isinstance(err, ShapeError)


@FAST
@given(name=st.sampled_from(sorted(MODELS)), batch=st.one_of(st.integers(max_value=0), st.floats(0.5, 3.),
                                                          st.sampled_from(["2", True])))
def test_bad_reset_batch_size(name, batch):
    model = MODELS[name][0](bm.BatchingMode(2))
    clear_error(lambda: model.reset(batch), name)


@pytest.mark.parametrize("name", ["Dense", "RNNCell", "Reservoir", "LIF", "InputGroup"])
def test_int_and_float64_inputs_equal_float32(name):
    """Integer/bool inputs are cast to float32, NumPy float64 is float32 (x64 off): same result."""
    factory = MODELS[name][0]
    x = np.array([[0, 1, 2]], np.int32) if name != "InputGroup" else np.array([[0, 1, 1]], np.int32)
    outs = []
    for value in (x.astype(np.float32), x, x.astype(np.float64), x.astype(bool) if name == "InputGroup" else x):
        bm.random.seed(0)
        model = factory(bm.BatchingMode(1))
        outs.append(np.asarray(model(value)))
    for out in outs[1:]:
        np.testing.assert_array_equal(out, outs[0])
    assert outs[0].dtype in (np.float32, np.bool_)


# -- environment, runner, trainers -------------------------------------------------------------

bad_dt = st.one_of(st.floats(max_value=0.), st.just(float("nan")), st.sampled_from(["0.1", True]))


@FAST
@given(dt=bad_dt)
def test_bad_dt(dt):
    clear_error(lambda: bm.environment(dt=dt).__enter__(), "bm.environment")
    clear_error(lambda: bp.DSRunner(NEU.LIF(2), dt=dt, progress_bar=False), "DSRunner")


@FAST
@given(monitor=names.filter(lambda n: n not in ("V", "input", "spike", "t_last_spike", "refractory")),
       as_dict=st.booleans())
def test_monitors_naming_nothing(monitor, as_dict):
    monitors = {"m": monitor} if as_dict else [monitor]
    err = clear_error(lambda: bp.DSRunner(NEU.LIF(2), monitors=monitors, progress_bar=False), "DSRunner")
    assert isinstance(err, MonitorError) and isinstance(err, KeyError)


class RNN(bp.DynamicalSystem):
    def __init__(self):
        super().__init__(mode=bm.TrainingMode())
        self.cell = L.RNNCell(2, 3, mode=bm.TrainingMode())
        self.out = L.Dense(3, 1, mode=bm.TrainingMode())

    def update(self, x):
        return self.out(self.cell(x))


class ESN(bp.DynamicalSystem):
    def __init__(self):
        super().__init__(mode=bm.BatchingMode())
        self.r = L.Reservoir(2, 8, mode=bm.BatchingMode())
        self.out = L.Dense(8, 1, mode=bm.TrainingMode())

    def update(self, x):
        return self.out(self.r(x))


@SLOW
@given(n_x=st.integers(1, 5), n_y=st.integers(1, 5))
def test_fit_x_and_y_of_different_lengths(n_x, n_y):
    assume(n_x != n_y)
    X, Y = np.ones((n_x, 4, 2), np.float32), np.ones((n_y, 4, 1), np.float32)
    trainer = bp.BPTT(RNN(), bp.losses.mean_squared_error, optimizer=optax.sgd(0.1), progress_bar=False)
    clear_error(lambda: trainer.fit((X, Y), num_epoch=1), "BPTT")
    ridge = bp.RidgeTrainer(ESN(), progress_bar=False)
    clear_error(lambda: ridge.fit([np.ones((1, n_x, 2), np.float32), np.ones((1, n_y, 1), np.float32)]),
                "RidgeTrainer")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["X", "Y"])
def test_readout_trainers_refuse_non_finite_data(bad, where):
    """Ridge/online trainers refuse NaN/inf data before changing anything (BPTT's policy, a
    TrainingError with the last good parameters kept, is tested in tests/train/test_bptt.py)."""
    X, Y = np.ones((1, 6, 2), np.float32), np.ones((1, 6, 1), np.float32)
    (X if where == "X" else Y)[0, 2, 0] = bad
    for cls in (bp.RidgeTrainer, bp.OnlineTrainer):
        model = ESN()
        before = np.asarray(model.out.W.value).copy()
        err = clear_error(lambda: cls(model, progress_bar=False).fit([X, Y]), cls.__name__)
        assert "finite" in str(err)
        np.testing.assert_array_equal(np.asarray(model.out.W.value), before)
