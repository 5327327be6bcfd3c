"""Gif prints BrainPy 2.8.2's trajectory: four GifRefLTC neurons (tonic, threshold-adapting,
bursting with two spike-induced currents, refractory) for 100 ms at 1.5 then 100 ms at 3.0."""
import numpy as np

import neurodyn as bp

# printed by BrainPy 2.8.2 (mine/gif_cmp.py), every 25 ms
SPIKES = [16, 12, 27, 13]
V = {5: [-55.1208, -48.2576, -50.8126, -62.4229], 7: [-53.3516, -60.3674, -56.9481, -50.4207]}
V_TH = {3: [-50., -46.5001, -50., -50.], 7: [-50., -44.3324, -50., -50.]}
I1 = {1: 8.6936, 2: 4.7711, 5: 5.9452, 7: 6.3128}
I2 = {1: -1.1556, 2: -3.4309, 5: -2.8845, 7: -4.9352}


def test_gif_prints_what_brainpy_prints():
    n = bp.dyn.GifRefLTC(4, a=np.array([0., 0.005, 0., 0.]), A1=np.array([0., 0., 10., 0.]),
                         A2=np.array([0., 0., -0.6, 0.]), V_th_reset=-60., tau_ref=np.array([0., 0., 0., 3.]))
    r = bp.DSRunner(n, monitors=["V", "V_th", "I1", "I2", "spike"], progress_bar=False)
    r.run(inputs=np.concatenate([np.full(1000, 1.5), np.full(1000, 3.)]).astype(np.float32))
    assert np.asarray(r.mon.spike).sum(0).tolist() == SPIKES
    for i, want in V.items():
        np.testing.assert_allclose(np.asarray(r.mon.V)[i * 250], want, atol=2e-3)
    for i, want in V_TH.items():
        np.testing.assert_allclose(np.asarray(r.mon.V_th)[i * 250], want, atol=1e-3)
    for i, want in I1.items():
        np.testing.assert_allclose(np.asarray(r.mon.I1)[i * 250, 2], want, atol=1e-3)
        np.testing.assert_allclose(np.asarray(r.mon.I2)[i * 250, 2], I2[i], atol=1e-3)


def test_gif_without_spike_currents_is_a_leaky_integrator():
    """a = 0, A = 0: below threshold V relaxes to V_rest + R I with time constant tau."""
    n = bp.dyn.Gif(1, V_initializer=bp.init.Constant(-70.))
    r = bp.DSRunner(n, monitors=["V"], progress_bar=False)
    r.run(inputs=np.full(500, 0.5, np.float32))           # 50 ms; target -60 mV stays below -50
    t = np.arange(1, 501) * 0.1
    np.testing.assert_allclose(np.asarray(r.mon.V)[:, 0], -70. + 10. * (1 - np.exp(-t / 20.)), atol=1e-3)
