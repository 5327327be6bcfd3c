"""BrainPy's ``bp.dnn`` communication layers: presynaptic activity ``(..., pre_num)`` to
postsynaptic input ``(..., post_num)`` through a connectivity and weights.

They share one implementation with the synapses (``layers/_comm.py``): ``AllToAll`` and
``OneToOne`` are a matmul and an elementwise product, ``MaskedLinear`` a matmul with the
connectivity mask, ``CSRLinear``/``EventCSRLinear`` the sparse path, which in simulation visits
only the rows of the active (nonzero, e.g. spiking) presynaptic neurons. ``weight`` is a scalar
(one weight for every connection), an array, or an Initializer; in ``TrainingMode`` it is a
``TrainVar`` and the sparse path is the differentiable one.

    >>> import numpy as np, neurodyn as bp, neurodyn.math as bm
    >>> layer = bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.5, seed=0, pre=4, post=3), 0.5)
    >>> dense = 0.5 * layer.conn.require('conn_mat')
    >>> x = bm.array([1., 0., 1., 0.])
    >>> bool(np.allclose(layer(x), x @ dense))
    True
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.conn import All2All, Connector, One2One
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.layers import _comm

__all__ = ["AllToAll", "OneToOne", "MaskedLinear", "CSRLinear", "EventCSRLinear"]


class _Comm(DynamicalSystem):
    comp_method: str | None = None
    events = True          # the inputs are mostly zero (spikes): visit only the active rows

    def _build(self, conn: Any, weight: Any, pre_num: int, post_num: int) -> None:
        who = self.describe()
        layout, w = _comm.build(conn, pre_num, post_num, weight, self.comp_method, self.mode.batching, who)
        self.conn, self._layout = conn, layout
        self.weight = bm.TrainVar(w) if isinstance(self.mode, bm.TrainingMode) else w

    def update(self, x: Any) -> jax.Array:
        x = bm.as_jax(x)
        return _comm.propagate(self._layout, self.weight, x, isinstance(self.mode, bm.TrainingMode), self.events)

    def make_plastic(self) -> None:
        """Keep the weights in a Variable, a state compiled programs update (call it outside them:
        STDP projections do at construction)."""
        lay = self._layout
        if lay.kind not in ("all2all", "dense") or lay.wkind != "full":
            raise ValueError(describe(self.describe(), "a weight per connection in a dense layout "
                                      "(AllToAll or MaskedLinear with an array or Initializer weight)",
                                      f"{lay.kind} connectivity with {lay.wkind} weights", "give weight= "
                                      "as an Initializer, e.g. bp.init.Uniform(0., g_max)"))
        if not isinstance(self.weight, bm.Variable):
            self.weight = bm.Variable(self.weight)

    def stdp_update(self, on_pre: dict | None = None, on_post: dict | None = None, w_min: Any = None,
                    w_max: Any = None) -> None:
        """Spike-timing-dependent change of a full weight matrix: for each presynaptic spike add
        ``on_pre['trace']`` (one value per target) to its row, for each postsynaptic spike add
        ``on_post['trace']`` (one per source) to its column; clip to ``[w_min, w_max]``. In a
        batching mode (spikes and traces ``(batch, n)``) the shared weights take the sum of every
        trial's changes."""
        self.make_plastic()
        W = self.weight.value

        def pairs(rows, cols):        # the outer product, summed over a batch axis if any
            return jnp.einsum("...i,...j->ij", jnp.asarray(rows, W.dtype), jnp.asarray(cols, W.dtype))
        if on_pre is not None:
            W = W + pairs(on_pre["spike"], on_pre["trace"])
        if on_post is not None:
            W = W + pairs(on_post["trace"], on_post["spike"])
        if w_min is not None or w_max is not None:
            W = jnp.clip(W, w_min, w_max)
        mask = self._layout.mask
        self.weight.value = W if mask is None else W * mask.value


def _built(conn: Any, who: str) -> Connector:
    if not isinstance(conn, Connector) or conn.pre_num is None:
        raise ValueError(describe(who, "a connector built for its sizes, e.g. "
                                  "bp.conn.FixedProb(0.02, pre=n_pre, post=n_post) or conn(n_pre, n_post)",
                                  repr(conn)))
    return conn


class AllToAll(_Comm):
    """Every presynaptic unit to every postsynaptic one (``include_self=False`` drops ``i == j``)."""

    def __init__(self, num_pre: int, num_post: int, weight: Any, sharding: Any = None,
                 include_self: bool = True, mode: bm.Mode | None = None, name: str | None = None):
        super().__init__(name=name, mode=mode)
        self.num_pre = is_integer(num_pre, "num_pre", self.describe(), 1)
        self.num_post = is_integer(num_post, "num_post", self.describe(), 1)
        self._build(All2All(include_self=include_self)(num_pre, num_post), weight, num_pre, num_post)


class OneToOne(_Comm):
    """Unit ``i`` to unit ``i``: ``x * weight``."""

    def __init__(self, num: int, weight: Any, sharding: Any = None, mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        self.num = is_integer(num, "num", self.describe(), 1)
        self._build(One2One()(num, num), weight, num, num)


class MaskedLinear(_Comm):
    """A dense ``(pre_num, post_num)`` weight matrix masked by ``conn``: ``x @ (W * mask)``."""

    comp_method = "dense"

    def __init__(self, conn: Any, weight: Any, mask_fun: Any = None, sharding: Any = None,
                 mode: bm.Mode | None = None, name: str | None = None):
        super().__init__(name=name, mode=mode)
        conn = _built(conn, self.describe())
        self._build(conn, weight, conn.pre_num, conn.post_num)


class CSRLinear(_Comm):
    """The connections of ``conn`` stored sparsely (CSR rows), for any presynaptic values."""

    comp_method = "sparse"
    events = False

    def __init__(self, conn: Any, weight: Any, sharding: Any = None, mode: bm.Mode | None = None,
                 name: str | None = None, method: Any = None, transpose: bool = True):
        super().__init__(name=name, mode=mode)
        conn = _built(conn, self.describe())
        self._build(conn, weight, conn.pre_num, conn.post_num)


class EventCSRLinear(CSRLinear):
    """:class:`CSRLinear` for spikes: only the rows of the presynaptic units that fired are visited."""

    events = True
