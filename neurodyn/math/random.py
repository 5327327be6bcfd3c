"""Random numbers with numpy-like signatures; the key lives in a Variable.

Because the key is state, draws inside ``bm.jit``/``bm.for_loop``/trainers advance it and
never repeat.

    >>> import neurodyn.math as bm
    >>> bm.random.seed(0)
    >>> a = bm.random.normal(0., 1., size=(2, 3))
    >>> bm.random.seed(0)
    >>> bool((a == bm.random.normal(0., 1., size=(2, 3))).all()), a.shape
    (True, (2, 3))
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import describe
from neurodyn.math._variable import Variable, unwrap

__all__ = ["RandomState", "DEFAULT", "default_rng", "seed", "split_key", "make_seed", "normal", "uniform", "random",
           "rand", "randn", "randint", "bernoulli", "choice", "permutation", "shuffle",
           "truncated_normal", "exponential", "poisson", "gamma", "beta", "binomial", "categorical"]

Shape = int | Sequence[int] | None


def _key(seed_or_key: Any) -> jax.Array:
    if isinstance(seed_or_key, (int, np.integer)) and not isinstance(seed_or_key, bool):
        return jax.random.PRNGKey(int(seed_or_key))
    arr = jnp.asarray(unwrap(seed_or_key))
    if arr.shape != (2,) or arr.dtype != jnp.uint32:
        raise TypeError(describe("RandomState", "an int seed or a uint32 key of shape (2,)",
                                 f"{type(seed_or_key).__name__} {seed_or_key!r}"))
    return arr


def _shape(size: Shape, *params: Any) -> tuple:
    if size is None:
        return jnp.broadcast_shapes(*(jnp.shape(unwrap(p)) for p in params)) if params else ()
    return (size,) if isinstance(size, (int, np.integer)) else tuple(size)


class RandomState(Variable):
    """A random generator whose key is the value of a Variable.

    Args:
        seed_or_key: an int seed, a uint32 key of shape (2,), or None for a seed drawn from the
            default generator (so ``bm.random.seed`` makes every generator reproducible).
    """

    __slots__ = ()

    def __init__(self, seed_or_key: Any = None, seed: Any = None):
        if seed_or_key is None:
            seed_or_key = seed
        if seed_or_key is None:
            seed_or_key = make_seed()
        super().__init__(_key(seed_or_key))

    def __repr__(self) -> str:
        return f"RandomState(key={self._value.tolist()})"

    def seed(self, seed_or_key: Any = None) -> None:
        """Reset the key."""
        self.value = _key(make_seed() if seed_or_key is None else seed_or_key)

    def split_key(self, n: int | None = None) -> jax.Array:
        """Advance the key and return one new subkey (or ``n`` of them)."""
        keys = jax.random.split(self.value, 2 if n is None else n + 1)
        self.value = keys[0]
        return keys[1] if n is None else keys[1:]

    # -- distributions -----------------------------------------------------------------------
    def normal(self, loc: Any = 0., scale: Any = 1., size: Shape = None, key=None) -> jax.Array:
        loc, scale = unwrap(loc), unwrap(scale)
        z = jax.random.normal(self._k(key), _shape(size, loc, scale))
        return z * scale + loc

    def randn(self, *dn: int, key=None) -> jax.Array:
        return jax.random.normal(self._k(key), dn)

    def uniform(self, low: Any = 0., high: Any = 1., size: Shape = None, key=None) -> jax.Array:
        low, high = unwrap(low), unwrap(high)
        return jax.random.uniform(self._k(key), _shape(size, low, high), minval=low, maxval=high)

    def random(self, size: Shape = None, key=None) -> jax.Array:
        return jax.random.uniform(self._k(key), _shape(size))

    random_sample = ranf = sample = random     # numpy's other names of the same draw

    def rand(self, *dn: int, key=None) -> jax.Array:
        return jax.random.uniform(self._k(key), dn)

    def randint(self, low: int, high: int | None = None, size: Shape = None, dtype=jnp.int32,
                key=None) -> jax.Array:
        if high is None:
            low, high = 0, low
        return jax.random.randint(self._k(key), _shape(size, low, high), low, high, dtype=dtype)

    def bernoulli(self, p: Any = 0.5, size: Shape = None, key=None) -> jax.Array:
        p = unwrap(p)
        return jax.random.bernoulli(self._k(key), p, _shape(size, p))

    def choice(self, a: Any, size: Shape = None, replace: bool = True, p: Any = None,
               key=None) -> jax.Array:
        a = unwrap(a)
        return jax.random.choice(self._k(key), a, _shape(size), replace=replace, p=unwrap(p))

    def permutation(self, x: Any, axis: int = 0, key=None) -> jax.Array:
        return jax.random.permutation(self._k(key), unwrap(x), axis=axis)

    def shuffle(self, x: Any, axis: int = 0, key=None) -> jax.Array:
        """A shuffled copy of ``x`` (JAX arrays are immutable)."""
        return jax.random.permutation(self._k(key), unwrap(x), axis=axis, independent=False)

    def truncated_normal(self, lower: Any, upper: Any, size: Shape = None, loc: Any = 0.,
                         scale: Any = 1., key=None) -> jax.Array:
        lower, upper, loc, scale = map(unwrap, (lower, upper, loc, scale))
        z = jax.random.truncated_normal(self._k(key), (lower - loc) / scale, (upper - loc) / scale,
                                        _shape(size, lower, upper, loc, scale))
        return z * scale + loc

    def exponential(self, scale: Any = 1., size: Shape = None, key=None) -> jax.Array:
        scale = unwrap(scale)
        return jax.random.exponential(self._k(key), _shape(size, scale)) * scale

    def poisson(self, lam: Any = 1., size: Shape = None, key=None) -> jax.Array:
        lam = unwrap(lam)
        return jax.random.poisson(self._k(key), lam, _shape(size, lam))

    def gamma(self, shape: Any, scale: Any = 1., size: Shape = None, key=None) -> jax.Array:
        shape, scale = unwrap(shape), unwrap(scale)
        return jax.random.gamma(self._k(key), shape, _shape(size, shape, scale)) * scale

    def beta(self, a: Any, b: Any, size: Shape = None, key=None) -> jax.Array:
        a, b = unwrap(a), unwrap(b)
        return jax.random.beta(self._k(key), a, b, _shape(size, a, b))

    def binomial(self, n: Any, p: Any, size: Shape = None, key=None) -> jax.Array:
        n, p = unwrap(n), unwrap(p)
        return jax.random.binomial(self._k(key), n, p, _shape(size, n, p))

    def categorical(self, logits: Any, axis: int = -1, size: Shape = None, key=None) -> jax.Array:
        return jax.random.categorical(self._k(key), unwrap(logits), axis=axis,
                                      shape=None if size is None else _shape(size))

    def _k(self, key: Any) -> jax.Array:
        return self.split_key() if key is None else _key(key)


def _host_key(seed: int) -> np.ndarray:
    """``jax.random.PRNGKey(seed)`` computed with NumPy (threefry's key is ``[hi, lo]`` words of
    the seed), so importing neurodyn starts no XLA backend and ``jax.distributed.initialize``
    may still be called after it."""
    return np.array([(seed >> 32) & 0xFFFFFFFF, seed & 0xFFFFFFFF], np.uint32)


def _default() -> RandomState:
    seed = int(np.random.SeedSequence().entropy % (2 ** 31))
    if jax.config.jax_default_prng_impl != "threefry2x32":
        return RandomState(seed)
    rng = RandomState.__new__(RandomState)
    rng._value, rng._batch_axis = _host_key(seed), None
    return rng


DEFAULT = _default()


def default_rng(seed_or_key: Any = None) -> RandomState:
    """A new generator (``seed_or_key`` an int, a key, or None for a seed from the default one);
    passing a RandomState returns it."""
    return seed_or_key if isinstance(seed_or_key, RandomState) else RandomState(seed_or_key)


def seed(seed: int | None = None) -> None:
    """Seed the default generator (used by initializers, connectors and ``bm.random.*``)."""
    DEFAULT.seed(seed)


def split_key(n: int | None = None) -> jax.Array:
    """A fresh subkey (or ``n``) from the default generator."""
    return DEFAULT.split_key(n)


def make_seed() -> int:
    """A Python int seed drawn from the default generator (for numpy-side randomness)."""
    return int(jax.random.randint(DEFAULT.split_key(), (), 0, 2 ** 31 - 1))


def _module_function(name: str):
    method = getattr(RandomState, name)

    def fn(*args, **kwargs):
        return method(DEFAULT, *args, **kwargs)
    fn.__name__ = name
    fn.__doc__ = f"``{name}`` drawn from the default generator (see ``RandomState.{name}``)."
    return fn


for _name in ["normal", "uniform", "random", "rand", "randn", "randint", "bernoulli", "choice",
              "permutation", "shuffle", "truncated_normal", "exponential", "poisson", "gamma",
              "beta", "binomial", "categorical"]:
    globals()[_name] = _module_function(_name)
del _name
