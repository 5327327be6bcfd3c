"""W3, the COBA E/I network, written once in BrainPy's ``bp.dyn`` API as its example
(``examples/dynamics_simulation/COBA.py``: ``LifRefLTC`` groups, ``FullProjAlignPostMg`` with
``EventCSRLinear`` and ``Expon``/``COBA``), and run unchanged by both libraries: ``bp``/``bm``
are BrainPy's or neurodyn's modules. One timed call simulates ``duration`` ms."""
from __future__ import annotations

import time

from _common import args, emit, mesh_of, time_calls


def run(library: str, bp, bm, duration: float = 1000.) -> None:
    a = args()
    scale = 0.25 if a.data.endswith("-quick.npz") else 1.
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., V_initializer=bp.init.Normal(-55., 2.))

    class EINet(bp.DynamicalSystem):
        def __init__(self, num_exc, num_inh, inp=20.):
            super().__init__()
            self.inp = inp
            self.E = bp.dyn.LifRefLTC(num_exc, **pars)
            self.I = bp.dyn.LifRefLTC(num_inh, **pars)

            def proj(pre, post, w, tau, E):
                return bp.dyn.FullProjAlignPostMg(
                    pre=pre, delay=None,
                    comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.02, pre=pre.num, post=post.num), w),
                    syn=bp.dyn.Expon.desc(post.varshape, tau=tau), out=bp.dyn.COBA.desc(E=E), post=post)

            self.E2E = proj(self.E, self.E, 0.6, 5., 0.)
            self.E2I = proj(self.E, self.I, 0.6, 5., 0.)
            self.I2E = proj(self.I, self.E, 6.7, 10., -80.)
            self.I2I = proj(self.I, self.I, 6.7, 10., -80.)

        def update(self):
            self.E2I()
            self.I2I()
            self.I2E()
            self.E2E()
            self.E(self.inp)
            self.I(self.inp)

    bm.random.seed(42)
    t0 = time.perf_counter()
    net = EINet(int(3200 * scale), int(800 * scale))
    build_s = time.perf_counter() - t0
    placed = {} if a.mesh is None else {"mesh": mesh_of(a.mesh, bp)}       # neurodyn's bp.distributed
    runner = bp.DSRunner(net, monitors={"E.spike": net.E.spike}, progress_bar=False, **placed)
    rates = []

    def sim():
        runner.run(duration)
        spikes = runner.mon["E.spike"]
        rates.append(float(spikes.sum()) / spikes.shape[1] / (duration / 1000.))
        return rates[-1]

    t = time_calls(sim, a.warmup, a.repeats)
    emit(library, "W3", {**t, "min_s": t["min_s"] / (duration / 1000.), "median_s": t["median_s"] / (duration / 1000.)},
         rate_hz=sum(rates) / len(rates), build_s=build_s)
