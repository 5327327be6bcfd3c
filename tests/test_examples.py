"""The example scripts run and reach their figures (at reduced sizes, to stay fast on CPU)."""
import importlib.util
import math
import pathlib

import numpy as np
import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def _load(name: str):
    """Import ``examples/<name>.py`` by path (examples are scripts, not a package)."""
    path = EXAMPLES / f"{name}.py"
    if not path.exists():
        pytest.fail(f"example {path} is missing")
    spec = importlib.util.spec_from_file_location(f"neurodyn_example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_snn_digits_quick_learns_and_plots(tmp_path):
    result = _load("snn_digits").main(quick=True, out_dir=str(tmp_path))
    # quick: 64 hidden LIF, 20 steps, 10 epochs; reaches ~0.73 (chance is 0.1; the full
    # demo reaches ~0.96)
    assert result["final_test_acc"] >= 0.6
    history = result["history"]
    assert len(history["train_loss"]) == 10 and history["train_loss"][-1] < history["train_loss"][0]
    assert (tmp_path / "snn_digits_curves.png").stat().st_size > 0


def test_ngrc_lorenz_reduced_training_forecasts_one_lyapunov_time(tmp_path, capsys):
    module = _load("ngrc_lorenz")
    result = module.main(quick=True, out_dir=str(tmp_path))   # 5 time units of training
    # measured: training NRMSE 1.3e-4, forecast NRMSE 3.0e-3 (10 training units: 1.1e-4, 4.0e-4)
    assert result["train_nrmse"] < 1e-3
    assert result["forecast_nrmse"] < 1e-2
    assert result["forecast"].shape == result["truth"].shape == (module.FORECAST_STEPS, 3)
    np.testing.assert_array_equal(result["forecast"][0], result["truth"][0])   # starts from the data
    assert (tmp_path / "ngrc_lorenz_forecast.png").stat().st_size > 0
    out = capsys.readouterr().out
    assert "27 NVAR features + bias = 28" in out and "forecast NRMSE" in out


def test_ngrc_class_is_the_seeds_with_the_papers_parameters():
    model = _load("ngrc_lorenz").NGRC(3, 3)
    assert (model.r.delay, model.r.order, model.r.stride, model.r.constant) == (2, (2,), 1, False)
    assert model.o.num_in == 27 and model.o.b is not None


def test_deep_rnn_smoke_loss_falls():
    result = _load("deep_rnn").main(quick=True, epochs=1)
    losses = result["train_losses"] + result["test_losses"]
    assert len(result["test_losses"]) == 1 and all(math.isfinite(v) for v in losses)
    assert result["test_loss"] < result["initial_test_loss"]


def test_coba_ei_smoke_fires_plausibly(tmp_path):
    result = _load("coba_ei").main(num=400, duration=50., out_dir=str(tmp_path))
    assert result["steps"] == 500
    assert 1. < result["rate"] < 200.      # a 5 ms refractory period caps rates at 200 Hz
    assert (tmp_path / "coba_ei_raster.png").stat().st_size > 0
