"""Control flow over stateful code: ``cond``, BrainPy's ``ifelse`` (several conditions) and
``while_loop`` (BrainPy's argument order). Branches and bodies may read and write Variables;
they are carried through ``jax.lax.cond``/``switch``/``while_loop`` like every transform's state.

    >>> import neurodyn.math as bm
    >>> n = bm.Variable(bm.zeros(()))
    >>> _ = bm.cond(True, lambda: n.update(n.value + 1), lambda: None)
    >>> float(n.value)
    1.0
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from neurodyn.errors import describe
from neurodyn.math._functional import Functional
from neurodyn.math._transforms import _values_out
from neurodyn.math._variable import unwrap_tree

__all__ = ["cond", "ifelse", "while_loop"]


def while_loop(body_fun: Callable, cond_fun: Callable, operands: Any = ()) -> Any:
    """``jax.lax.while_loop`` over stateful code, BrainPy's argument order: while
    ``cond_fun(*operands)``, ``operands = body_fun(*operands)`` (a body returning None keeps
    them); returns the final operands. Both may read Variables; the body may write them.

        >>> import neurodyn.math as bm
        >>> bm.while_loop(lambda k: k * 2, lambda k: k < 100, 1)
        Array(128, dtype=int32, weak_type=True)
    """
    operands = unwrap_tree(operands)
    f = Functional(carry_reads=False)
    single = not isinstance(operands, tuple)
    pack = lambda x: (x,) if single else x  # noqa: E731

    def stepped(*ops):
        out = body_fun(*ops)
        if out is None:
            return operands if single else ops
        return out

    def attempt():
        def body(carry):
            values, ops = carry
            return f.apply(_values_out(stepped), values, *pack(ops))

        def test(carry):
            values, ops = carry
            # the condition may read state but must not write it
            _, out = f.apply(cond_fun, values, *pack(ops))
            return unwrap_tree(out)

        return jax.lax.while_loop(test, body, (f.values(), operands))

    final, out = f.settle(attempt)
    f.commit(final)
    return out


def cond(pred: Any, true_fun: Callable, false_fun: Callable, operands: Any = ()) -> Any:
    """``jax.lax.cond`` over stateful code; both branches may write Variables."""
    operands = unwrap_tree(operands)
    f = Functional(carry_reads=False)
    ops = operands if isinstance(operands, tuple) else (operands,)

    def branch(fn):
        def run(values, ops):
            return f.apply(fn, values, *ops)
        return run

    def attempt():
        return jax.lax.cond(unwrap_tree(pred), branch(true_fun), branch(false_fun), f.values(), ops)

    new, out = f.settle(attempt)
    f.commit(new)
    return out


def ifelse(conditions: Any, branches: Sequence[Any], operands: Any = None, check_cond: bool = True,
           show_code: bool = False) -> Any:
    """BrainPy's ``ifelse``: the branch of the first true condition, else the last branch.

    ``conditions`` is one boolean (two branches: true, false) or a list of ``n`` booleans
    (``n + 1`` branches). A branch is a function of ``operands`` (none when ``operands`` is
    None; a tuple is unpacked) or a value. Branches may write Variables (``jax.lax.switch``).

        >>> import neurodyn.math as bm
        >>> [float(bm.ifelse([a > 10, a > 5], [1., 2., 3.])) for a in (11., 6., 0.)]
        [1.0, 2.0, 3.0]
    """
    conds = list(conditions) if isinstance(conditions, (list, tuple)) else [conditions]
    if len(branches) != len(conds) + 1:
        raise ValueError(describe("bm.ifelse", f"{len(conds) + 1} branches for {len(conds)} "
                                  "condition(s) (the last one is the 'else')", f"{len(branches)}"))
    ops = () if operands is None else operands if isinstance(operands, tuple) else (operands,)
    ops = unwrap_tree(ops)
    fns = [b if callable(b) else (lambda *_, b=b: b) for b in branches]
    flags = jnp.stack([jnp.asarray(unwrap_tree(c), bool).reshape(()) for c in conds] + [jnp.array(True)])
    index = jnp.argmax(flags)
    f = Functional(carry_reads=False)

    def branch(fn):
        def run(values, ops):
            return f.apply(_values_out(fn), values, *ops)
        return run

    def attempt():
        return jax.lax.switch(index, [branch(b) for b in fns], f.values(), ops)

    new, out = f.settle(attempt)
    f.commit(new)
    return out
