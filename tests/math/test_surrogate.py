"""Surrogate spike functions: Heaviside forward, hand-written derivative backward, transforms, get()."""
from __future__ import annotations

import inspect
import math
import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.special import expit

from neurodyn.errors import DtypeError
from neurodyn.math import surrogate as sg


def _gauss(x, mu, sigma):
    return np.exp(-((x - mu) ** 2) / (2 * sigma ** 2)) / (math.sqrt(2 * math.pi) * sigma)


def _multi_gauss(x, h, s, sigma, scale):
    g = (1 + h) * _gauss(x, 0, sigma) - h * _gauss(x, sigma, s * sigma) - h * _gauss(x, -sigma, s * sigma)
    return scale * g


# (class, function, defaults, hand-written numpy derivative, other parameters)
FAMILY = [
    (sg.Sigmoid, sg.sigmoid, dict(alpha=4.0),
     lambda x, alpha: alpha * expit(alpha * x) * (1 - expit(alpha * x)), dict(alpha=1.5)),
    (sg.FastSigmoid, sg.fast_sigmoid, dict(beta=10.0),
     lambda x, beta: 1 / (1 + beta * np.abs(x)) ** 2, dict(beta=3.0)),
    (sg.Arctan, sg.arctan, dict(alpha=1.0),
     lambda x, alpha: alpha / 2 / (1 + (np.pi / 2 * alpha * x) ** 2), dict(alpha=2.5)),
    (sg.ERF, sg.erf, dict(alpha=1.0),
     lambda x, alpha: alpha / np.sqrt(np.pi) * np.exp(-(alpha ** 2) * x ** 2), dict(alpha=0.7)),
    (sg.PiecewiseQuadratic, sg.piecewise_quadratic, dict(alpha=1.0),
     lambda x, alpha: np.where(np.abs(x) > 1 / alpha, 0.0, alpha - alpha ** 2 * np.abs(x)), dict(alpha=2.0)),
    (sg.PiecewiseLinear, sg.piecewise_linear, dict(width=1.0),
     lambda x, width: np.where(np.abs(x) > width, 0.0, (width - np.abs(x)) / width ** 2), dict(width=2.0)),
    (sg.GaussianGrad, sg.gaussian_grad, dict(sigma=0.5, alpha=0.5),
     lambda x, sigma, alpha: alpha * _gauss(x, 0, sigma), dict(sigma=1.2, alpha=2.0)),
    (sg.MultiGaussianGrad, sg.multi_gaussian_grad, dict(h=0.15, s=6.0, sigma=0.5, scale=0.5),
     _multi_gauss, dict(h=0.3, s=2.0, sigma=0.8, scale=1.5)),
    (sg.SoftSign, sg.soft_sign, dict(alpha=1.0),
     lambda x, alpha: alpha / (2 * (1 + np.abs(alpha * x)) ** 2), dict(alpha=3.0)),
    (sg.LeakyRelu, sg.leaky_relu, dict(alpha=0.1, beta=1.0),
     lambda x, alpha, beta: np.where(x < 0, alpha, beta) + 0 * x, dict(alpha=0.0, beta=2.0)),
    (sg.InvSquareGrad, sg.inv_square_grad, dict(alpha=100.0),
     lambda x, alpha: 1 / (alpha * np.abs(x) + 1) ** 2, dict(alpha=5.0)),
    (sg.PiecewiseExp, sg.piecewise_exp, dict(alpha=1.0),
     lambda x, alpha: alpha / 2 * np.exp(-alpha * np.abs(x)), dict(alpha=3.0)),
    (sg.NonzeroSignLog, sg.nonzero_sign_log, dict(alpha=1.0),
     lambda x, alpha: 1 / (1 / alpha + np.abs(x)), dict(alpha=4.0)),
    (sg.SlayerGrad, sg.slayer_grad, dict(alpha=1.0),
     lambda x, alpha: np.exp(-alpha * np.abs(x)), dict(alpha=0.4)),
    (sg.ReluGrad, sg.relu_grad, dict(alpha=0.3, width=1.0),
     lambda x, alpha, width: np.maximum(0.0, alpha * (width - np.abs(x))), dict(alpha=0.8, width=2.0)),
]
IDS = [row[0].__name__ for row in FAMILY]
GRID = np.linspace(-3.0, 3.0, 49).astype(np.float32)  # step 0.125: holds 0, +-0.5, +-1, +-2 exactly
TOL = dict(rtol=1e-5, atol=1e-7)


def _grad(f, x):
    return np.asarray(jax.grad(lambda v: f(v).sum())(jnp.asarray(x)))


def test_family_is_complete():
    public = {n for n in sg.__all__ if isinstance(getattr(sg, n), type) and n != "Surrogate"}
    assert public - {"SuperSpike", "ATan", "Triangle"} == {row[0].__name__ for row in FAMILY}


@pytest.mark.parametrize("cls, fn, defaults, formula, other", FAMILY, ids=IDS)
def test_forward_is_heaviside(cls, fn, defaults, formula, other):
    expected = (GRID >= 0).astype(np.float32)
    for f in (cls(), cls(**other), lambda x: fn(x, **other)):
        out = f(jnp.asarray(GRID))
        assert out.dtype == jnp.float32 and out.shape == GRID.shape
        np.testing.assert_array_equal(np.asarray(out), expected)
    assert float(cls()(0.0)) == 1.0 and float(cls()(-1e-6)) == 0.0


@pytest.mark.parametrize("cls, fn, defaults, formula, other", FAMILY, ids=IDS)
def test_grad_matches_formula_with_defaults(cls, fn, defaults, formula, other):
    expected = formula(GRID.astype(np.float64), **defaults)
    np.testing.assert_allclose(_grad(cls(), GRID), expected, **TOL)
    np.testing.assert_allclose(_grad(fn, GRID), expected, **TOL)
    np.testing.assert_allclose(np.asarray(cls().derivative(jnp.asarray(GRID))), expected, **TOL)
    assert cls().params == defaults


@pytest.mark.parametrize("cls, fn, defaults, formula, other", FAMILY, ids=IDS)
def test_parameters_change_grad_as_formula_says(cls, fn, defaults, formula, other):
    expected = formula(GRID.astype(np.float64), **other)
    assert not np.allclose(expected, formula(GRID.astype(np.float64), **defaults))
    np.testing.assert_allclose(_grad(cls(**other), GRID), expected, **TOL)
    np.testing.assert_allclose(_grad(lambda x: fn(x, **other), GRID), expected, **TOL)
    np.testing.assert_allclose(_grad(cls(*other.values()), GRID), expected, **TOL)  # positional


@pytest.mark.parametrize("cls, fn, defaults, formula, other", FAMILY, ids=IDS)
def test_transforms(cls, fn, defaults, formula, other):
    f = cls(**other)
    xs = jnp.asarray(GRID[::4])
    expected = formula(np.asarray(xs, np.float64), **other)

    def scan_loss(scale):  # spikes of scale * x over a scan; d/dscale = sum_t g'(scale x_t) x_t
        def step(total, x):
            s = fn(scale * x, **other)
            return total + s, s
        total, _ = jax.lax.scan(step, 0.0, xs)
        return total

    @jax.jit  # one compiled program per surrogate keeps the family test fast
    def all_ways(x):
        return (jax.grad(lambda v: f(v).sum())(x), jax.vmap(jax.grad(f))(x),
                jnp.diag(jax.jacfwd(f)(x)), jax.grad(scan_loss)(1.0))

    by_grad, by_vmap, by_jacfwd, by_scan = all_ways(xs)
    for got in (by_grad, by_vmap, by_jacfwd):
        np.testing.assert_allclose(got, expected, **TOL)
    np.testing.assert_allclose(by_scan, np.sum(expected * np.asarray(xs)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(jax.vmap(jax.grad(f))(xs), expected, **TOL)  # eager vmap too


def test_second_derivative_is_the_derivative_of_the_surrogate():
    f = sg.Sigmoid(alpha=2.0)
    x = 0.3
    s = expit(2 * x)
    # d/dx [2 s(2x)(1 - s(2x))] = 4 * 2 s (1 - s)(1 - 2 s) / 2
    expected = 2 * 2 * s * (1 - s) * (1 - 2 * s)
    assert float(jax.grad(jax.grad(f))(x)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("cls, fn, defaults, formula, other", FAMILY, ids=IDS)
def test_repr_equality_hash_pickle_signature(cls, fn, defaults, formula, other):
    f = cls(**other)
    args = ", ".join(f"{k}={float(v)!r}" for k, v in other.items())
    assert repr(f) == f"{cls.__name__}({args})"
    assert eval(repr(f), vars(sg)) == f and hash(eval(repr(f), vars(sg))) == hash(f)
    assert f != cls() and pickle.loads(pickle.dumps(f)) == f
    sig = inspect.signature(fn)
    assert list(sig.parameters)[0] == "x"
    assert {k: p.default for k, p in list(sig.parameters.items())[1:]} == defaults
    with pytest.raises(AttributeError, match="immutable"):
        f.foo = 1.0


@pytest.mark.parametrize("cls", [row[0] for row in FAMILY], ids=IDS)
def test_non_positive_parameter_is_rejected(cls):
    name = next(iter(cls().params))
    bad = -1.0 if name in cls.non_negative else 0.0
    with pytest.raises(ValueError, match=rf"{cls.__name__}: expected {name} >"):
        cls(**{name: bad})
    with pytest.raises(TypeError, match=rf"{cls.__name__}: expected {name} to be a real number"):
        cls(**{name: "1.0"})


def test_parameter_validation_details():
    with pytest.raises(ValueError, match="alpha to be finite"):
        sg.Sigmoid(alpha=float("inf"))
    with pytest.raises(ValueError, match="alpha > 0"):
        sg.Sigmoid(alpha=float("nan"))
    with pytest.raises(TypeError, match="real number"):
        sg.sigmoid(jnp.zeros(2), alpha=True)
    with pytest.raises(TypeError):
        sg.Sigmoid(gamma=1.0)
    assert sg.LeakyRelu(alpha=0.0).alpha == 0.0 and sg.MultiGaussianGrad(h=0.0).h == 0.0
    with pytest.raises(ValueError, match="s > 0"):
        sg.MultiGaussianGrad(s=0.0)
    assert isinstance(sg.Sigmoid(alpha=np.float32(2.0)).alpha, float)


def test_input_dtypes():
    f = sg.FastSigmoid()
    assert f(jnp.array([-1, 0, 2])).dtype == jnp.float32
    np.testing.assert_array_equal(f([-1, 0, 2]), [0.0, 1.0, 1.0])
    assert f(np.array([True, False])).dtype == jnp.float32
    assert f(jnp.ones(3, jnp.bfloat16)).dtype == jnp.bfloat16
    assert jax.grad(lambda x: f(x).sum())(jnp.ones(3, jnp.float16)).dtype == jnp.float16
    with pytest.raises(DtypeError, match="real-valued input"):
        f(jnp.ones(2, jnp.complex64))


def test_specific_parameter_effects():
    assert float(jax.grad(sg.Sigmoid(alpha=8.0))(0.0)) == pytest.approx(2.0)  # alpha / 4
    assert float(jax.grad(sg.FastSigmoid(beta=1.0))(1.0)) == pytest.approx(0.25)  # 1 / (1+beta)^2
    assert float(jax.grad(sg.PiecewiseLinear(width=0.5))(0.6)) == 0.0  # outside the support
    assert float(jax.grad(sg.ReluGrad(alpha=2.0, width=3.0))(1.0)) == pytest.approx(4.0)
    # the triangle is the piecewise quadratic's derivative with half-width 1 / alpha
    np.testing.assert_allclose(_grad(sg.PiecewiseLinear(width=0.25), GRID),
                               _grad(sg.PiecewiseQuadratic(alpha=4.0), GRID), **TOL)


def test_jit_with_surrogate_as_static_argument_does_not_retrace():
    traces = []

    @jax.jit
    def run(x):
        traces.append(1)
        return sg.sigmoid(x, alpha=2.0)

    run(jnp.zeros(3))
    run(jnp.ones(3))
    assert len(traces) == 1
    out = jax.jit(lambda x, f: f(x), static_argnums=1)(jnp.zeros(2), sg.Sigmoid(2.0))
    np.testing.assert_array_equal(out, [1.0, 1.0])


def test_aliases_are_names_not_copies():
    assert sg.SuperSpike is sg.FastSigmoid
    assert sg.ATan is sg.Arctan
    assert sg.Triangle is sg.PiecewiseLinear


@pytest.mark.parametrize("name, expected", [
    ("sigmoid", sg.Sigmoid()), ("SIGMOID", sg.Sigmoid()), ("fast_sigmoid", sg.FastSigmoid()),
    ("FastSigmoid", sg.FastSigmoid()), ("superspike", sg.FastSigmoid()), ("SuperSpike", sg.FastSigmoid()),
    ("arctan", sg.Arctan()), ("ATan", sg.Arctan()), ("erf", sg.ERF()), ("triangle", sg.PiecewiseLinear()),
    ("piecewise_quadratic", sg.PiecewiseQuadratic()), ("multi_gaussian_grad", sg.MultiGaussianGrad()),
    ("relu_grad", sg.ReluGrad()), ("NonzeroSignLog", sg.NonzeroSignLog()),
])
def test_get_by_name(name, expected):
    got = sg.get(name)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("cls", [row[0] for row in FAMILY], ids=IDS)
def test_get_by_class_instance_and_function_name(cls):
    assert sg.get(cls) == cls()
    f = cls(**FAMILY[IDS.index(cls.__name__)][4])
    assert sg.get(f) is f
    fn = FAMILY[IDS.index(cls.__name__)][1]
    assert sg.get(fn.__name__) == cls()


def test_get_errors():
    with pytest.raises(ValueError, match=r"'tanh'.*") as info:
        sg.get("tanh")
    for name in ("sigmoid", "fast_sigmoid", "superspike", "relu_grad", "triangle"):
        assert name in str(info.value)
    for bad in (3, None, sg.sigmoid, int):
        with pytest.raises(TypeError, match="Surrogate instance, a Surrogate class or a name"):
            sg.get(bad)
    with pytest.raises(TypeError, match="abstract base class"):
        sg.get(sg.Surrogate)
