"""Derivatives beyond scalar gradients: ``vector_grad``, ``jacobian``/``jacrev``/``jacfwd`` and
``hessian`` (BrainPy's names), plus ``clip_by_norm``.

``vector_grad`` is the gradient of the sum of a function's outputs (one backward pass), built on
``bm.grad``, so it also differentiates w.r.t. Variables (``grad_vars``). The Jacobian functions
differentiate w.r.t. arguments (``argnums``, default 0); Variables the function reads are
constants there.

    >>> import neurodyn.math as bm
    >>> bm.vector_grad(lambda x: x ** 2)(bm.array([1., 2.])).tolist()
    [2.0, 4.0]
    >>> bm.jacobian(lambda x: x ** 2)(bm.array([1., 2.])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from neurodyn.errors import describe
from neurodyn.math._transforms import grad
from neurodyn.math._variable import unwrap_tree

__all__ = ["vector_grad", "jacobian", "jacrev", "jacfwd", "hessian", "clip_by_norm"]


def vector_grad(func: Callable | None = None, grad_vars: Any = None, argnums: int | Sequence[int] | None = None,
                return_value: bool = False, has_aux: bool | None = None) -> Callable:
    """Gradient of ``sum(func(...))``: for an elementwise ``func``, its elementwise derivative.
    Returns the grads, then the (unsummed) value with ``return_value`` and the aux with ``has_aux``."""
    if func is None:
        return functools.partial(vector_grad, grad_vars=grad_vars, argnums=argnums,
                                 return_value=return_value, has_aux=has_aux)

    def summed(*args, **kwargs):
        out = func(*args, **kwargs)
        value, aux = out if has_aux else (out, None)
        return jnp.sum(unwrap_tree(value)), (value, aux)

    g = grad(summed, grad_vars=grad_vars, argnums=argnums, has_aux=True)

    def fn(*args, **kwargs):
        grads, (value, aux) = g(*args, **kwargs)
        out = (grads,) + ((value,) if return_value else ()) + ((aux,) if has_aux else ())
        return out[0] if len(out) == 1 else out
    return fn


def _jac(kind: Callable, name: str):
    def transform(func: Callable | None = None, grad_vars: Any = None, argnums: int | Sequence[int] | None = None,
                  has_aux: bool | None = None, return_value: bool = False, **kwargs: Any) -> Callable:
        if func is None:
            return functools.partial(transform, grad_vars=grad_vars, argnums=argnums, has_aux=has_aux,
                                     return_value=return_value, **kwargs)
        if grad_vars is not None:
            raise TypeError(describe(f"bm.{name}", "derivatives w.r.t. arguments (argnums=)",
                                     "grad_vars=", "pass the Variables' values as arguments, or use "
                                     "bm.grad/bm.vector_grad for derivatives w.r.t. Variables"))

        def plain(*args, **kw):
            out = unwrap_tree(func(*args, **kw))
            if has_aux:
                value, aux = out
                return value, (value, aux)
            return out, (out, None)

        jf = kind(plain, argnums=0 if argnums is None else argnums, has_aux=True, **kwargs)

        def fn(*args, **kw):
            jac, (value, aux) = jf(*unwrap_tree(args), **unwrap_tree(kw))
            out = (jac,) + ((value,) if return_value else ()) + ((aux,) if has_aux else ())
            return out[0] if len(out) == 1 else out
        fn.__name__ = name
        return fn
    transform.__name__ = name
    transform.__doc__ = f"``jax.{kind.__name__}`` over arguments (BrainPy's ``bm.{name}``)."
    return transform


jacrev = _jac(jax.jacrev, "jacrev")
jacfwd = _jac(jax.jacfwd, "jacfwd")
jacobian = _jac(jax.jacrev, "jacobian")
hessian = _jac(jax.hessian, "hessian")


def clip_by_norm(t: Any, clip_norm: float, axis: int | Sequence[int] | None = None) -> Any:
    """Scale each array of the pytree ``t`` so its L2 norm (over ``axis``) is at most ``clip_norm``.

    >>> import neurodyn.math as bm
    >>> bm.clip_by_norm({'a': bm.array([3., 4.])}, 1.)['a'].tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    def clip(x):
        norm = jnp.sqrt(jnp.sum(x * x, axis=axis, keepdims=axis is not None))
        return x * clip_norm / jnp.maximum(norm, clip_norm)
    return jax.tree_util.tree_map(clip, unwrap_tree(t))
