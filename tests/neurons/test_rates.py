"""bp.rates against BrainPy 2.8.2's printed trajectories (20 ms at dt 0.1, constant input)."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

# x (or e) at steps 0, 9, 99, 199 as BrainPy 2.8.2 prints them, input 0.5 into `input`
# (Ie = 3 for the threshold-linear model), x0 = 0.1, y0 = 0.2
BRAINPY = {
    "FHN": [0.11798, 0.245927, 0.69841, 0.031864],
    "QIF": [-0.090376, -0.76924, -1.803679, -1.803679],
    "SL": [0.148435, 0.560954, 0.825979, 0.82611],
    "WC": [0.095323, 0.078785, 0.477591, 0.477596],
    "FFHN": [0.319513, 2.151712, 2.860201, 2.647227],
    "TL": [0.59, 0., 0., 0.],
}
C = bp.init.Constant
MODELS = {
    "FHN": lambda: bp.rates.FHN(2, x_initializer=C(0.1), y_initializer=C(0.2)),
    "QIF": lambda: bp.rates.QIF(2, x_initializer=C(0.1), y_initializer=C(0.2)),
    "SL": lambda: bp.rates.StuartLandauOscillator(2, x_initializer=C(0.1), y_initializer=C(0.2)),
    "WC": lambda: bp.rates.WilsonCowanModel(2, x_initializer=C(0.1), y_initializer=C(0.2)),
    "FFHN": lambda: bp.rates.FeedbackFHN(2, x_initializer=C(0.1), y_initializer=C(0.2), delay=1.),
    "TL": lambda: bp.rates.ThresholdLinearModel(2, e_initializer=C(0.1), i_initializer=C(0.2)),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_rate_models_match_brainpy(name):
    var, inp = ("e", ("Ie", 3.)) if name == "TL" else ("x", ("input", 0.5))
    runner = bp.DSRunner(MODELS[name](), monitors=[var], inputs=[inp], progress_bar=False)
    runner.run(20.)
    np.testing.assert_allclose(np.asarray(runner.mon[var])[[0, 9, 99, 199], 0], BRAINPY[name],
                               rtol=2e-5, atol=2e-6)


def test_ou_noise_on_the_input_has_the_stationary_spread():
    bm.random.seed(0)
    m = bp.rates.FHN(4000, x_ou_sigma=0.5, x_ou_tau=5., x_initializer=C(0.), y_initializer=C(0.))
    runner = bp.DSRunner(m, monitors=["x_ou"], progress_bar=False)
    runner.run(100.)
    ou = np.asarray(runner.mon["x_ou"])[-1]
    assert abs(ou.std() / np.sqrt(0.25 * 5. / 2) - 1) < 0.05 and abs(ou.mean()) < 0.05


def test_batched_rate_population():
    m = bp.rates.StuartLandauOscillator(3, mode=bm.BatchingMode(2))
    assert m.x.shape == (2, 3)
    m.reset(4)
    assert m.update(bm.ones((4, 3))).shape == (4, 3)
