"""A conductance-based (COBA) excitatory/inhibitory network of LIF neurons: the benchmark of
Vogels & Abbott (2005) as used by Brette et al. (2007), written as BrainPy's ``EINet`` example.

Run: ``python examples/coba_ei.py`` (1 s of network time, 10,000 steps of 0.1 ms). Prints the
mean firing rate of the excitatory and inhibitory neurons (Hz) and the wall time, and saves a
raster plot of the excitatory spikes (first 200 ms) to ``out/coba_ei_raster.png``. ``--num`` and
``--duration`` change the size and the simulated time (ms).

The model (WORKLOADS.md W3): 4000 LIF neurons (3200 excitatory, 800 inhibitory; V_rest =
V_reset = -60 mV, V_th = -50 mV, tau = 20 ms, 5 ms refractory, V initialised from N(-55, 2) mV
as in BrainPy's example), all driven by a constant input of 20 (mV, R = 1); random connections
with probability 0.02 (no self-connections); exponential conductances (tau 5 ms excitatory,
10 ms inhibitory) increased by 0.6 / 6.7 per spike and driving the membrane towards E = 0 /
-80 mV (``synouts.COBA``). In smaller networks the weights are scaled by ``4000 / num`` (as
BrainPy's ``EINet(scale)``) so each neuron receives about the same total input.
"""
from __future__ import annotations

import argparse
import pathlib
import time

import numpy as np

import neurodyn as bp
import neurodyn.math as bm


class EINet(bp.Network):
    """3200 * scale excitatory and 800 * scale inhibitory LIF neurons coupled by COBA synapses."""

    def __init__(self, scale=1.0, method='exp_auto'):
        # network size
        num_exc = int(3200 * scale)
        num_inh = int(800 * scale)

        # neurons
        pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                    V_initializer=bp.init.Normal(mean=-55., scale=2.))
        E = bp.neurons.LIF(num_exc, **pars, method=method)
        I = bp.neurons.LIF(num_inh, **pars, method=method)

        # synapses
        we = 0.6 / scale  # excitatory synaptic weight (conductance)
        wi = 6.7 / scale  # inhibitory synaptic weight
        E2E = bp.synapses.Exponential(E, E, bp.conn.FixedProb(prob=0.02, include_self=False),
                                      g_max=we, tau=5., method=method,
                                      output=bp.synouts.COBA(E=0.))
        E2I = bp.synapses.Exponential(E, I, bp.conn.FixedProb(prob=0.02),
                                      g_max=we, tau=5., method=method,
                                      output=bp.synouts.COBA(E=0.))
        I2E = bp.synapses.Exponential(I, E, bp.conn.FixedProb(prob=0.02),
                                      g_max=wi, tau=10., method=method,
                                      output=bp.synouts.COBA(E=-80.))
        I2I = bp.synapses.Exponential(I, I, bp.conn.FixedProb(prob=0.02, include_self=False),
                                      g_max=wi, tau=10., method=method,
                                      output=bp.synouts.COBA(E=-80.))

        super(EINet, self).__init__(E2E=E2E, E2I=E2I, I2E=I2E, I2I=I2I, E=E, I=I)


def main(quick: bool = False, num: int = 4000, duration: float = 1000., out_dir: str = "out",
         seed: int = 0) -> dict:
    """Simulate ``duration`` ms of a ``num``-neuron network; print and return rates and timing.

    ``quick`` simulates 400 neurons for 100 ms.
    """
    if quick:
        num, duration = 400, 100.
    bm.random.seed(seed)
    with bm.environment(mode=bm.NonBatchingMode(), dt=0.1):
        net = EINet(scale=num / 4000)
        runner = bp.DSRunner(net, monitors=['E.spike', 'I.spike'],
                             inputs=[('E.input', 20.), ('I.input', 20.)], progress_bar=False)
        start = time.perf_counter()
        runner.run(duration)
        seconds = time.perf_counter() - start
    spikes_e, spikes_i = runner.mon['E.spike'], runner.mon['I.spike']
    rate_e = float(np.mean(bp.metrics.mean_firing_rate(spikes_e, dt=0.1)))
    rate_i = float(np.mean(bp.metrics.mean_firing_rate(spikes_i, dt=0.1)))
    rate = (rate_e * spikes_e.shape[1] + rate_i * spikes_i.shape[1]) / (spikes_e.shape[1] + spikes_i.shape[1])
    steps = len(runner.mon.ts)
    print(f"COBA E/I network: {net.E.num} E + {net.I.num} I LIF neurons, {duration:g} ms "
          f"({steps} steps of 0.1 ms), synapses {net.E2E.comp_method!r}")
    print(f"mean firing rate {rate:.2f} Hz (E {rate_e:.2f} Hz, I {rate_i:.2f} Hz)")
    print(f"wall time {seconds:.2f} s including compilation "
          f"({seconds / (duration / 1000.):.2f} s per simulated second)")
    path = pathlib.Path(out_dir) / "coba_ei_raster.png"
    shown = runner.mon.ts < runner.mon.ts[0] + 200.          # the first 200 ms, readable
    bp.visualize.raster_plot(runner.mon.ts[shown], spikes_e[shown], markersize=1,
                             title=f"COBA E/I network: excitatory spikes ({rate_e:.1f} Hz)", save=path)
    print(f"raster plot saved to {path}")
    return {"rate": rate, "rate_e": rate_e, "rate_i": rate_i, "seconds": seconds, "steps": steps}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num", type=int, default=4000, help="number of neurons (80%% excitatory)")
    parser.add_argument("--duration", type=float, default=1000., help="simulated time (ms)")
    parser.add_argument("--quick", action="store_true", help="400 neurons for 100 ms")
    parser.add_argument("--out", default="out", help="folder for the raster plot")
    args = parser.parse_args()
    main(quick=args.quick, num=args.num, duration=args.duration, out_dir=args.out)
