"""raster_plot, line_plot, training_curves: point counts, files, shape errors, no pyplot state."""
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from neurodyn.errors import ShapeError
from neurodyn.visualize import line_plot, raster_plot, training_curves


def _spikes(T=50, N=8, p=0.2, seed=0):
    return np.random.default_rng(seed).random((T, N)) < p


def test_raster_has_one_point_per_spike_at_the_right_place():
    ts = np.arange(50) * 0.1
    spikes = _spikes()
    fig = raster_plot(ts, spikes, title="net")
    assert isinstance(fig, Figure)
    (line,) = fig.axes[0].lines
    xs, ys = line.get_xdata(), line.get_ydata()
    assert len(xs) == spikes.sum()
    t_idx, n_idx = np.nonzero(spikes)
    np.testing.assert_allclose(xs, ts[t_idx])
    np.testing.assert_array_equal(ys, n_idx)
    assert fig.axes[0].get_title() == "net" and fig.axes[0].get_xlabel() == "Time (ms)"


def test_raster_accepts_float_spikes_and_jax_arrays():
    import jax.numpy as jnp

    spikes = jnp.asarray(_spikes(seed=1), dtype=jnp.float32)
    fig = raster_plot(jnp.arange(50.0), spikes)
    assert len(fig.axes[0].lines[0].get_xdata()) == int(spikes.sum())


def test_raster_draws_into_given_axes():
    fig = Figure()
    ax = fig.add_subplot(2, 1, 2)
    out = raster_plot(np.arange(50), _spikes(), ax=ax)
    assert out is fig and len(ax.lines) == 1


def test_raster_shape_errors():
    with pytest.raises(ShapeError, match=r"raster_plot: expected spikes with as many rows as ts has times \(49\)"):
        raster_plot(np.arange(49), _spikes())
    with pytest.raises(ShapeError, match=r"spikes of shape \(T, N\), got shape \(50,\)"):
        raster_plot(np.arange(50), np.zeros(50))
    with pytest.raises(ShapeError, match=r"ts of shape \(T,\)"):
        raster_plot(np.zeros((50, 1)), _spikes())
    with pytest.raises(TypeError, match="ax to be a matplotlib Axes"):
        raster_plot(np.arange(50), _spikes(), ax="left")



def test_brainpy_style_pyplot_use(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import neurodyn as bp
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(True))
    try:
        fig, gs = bp.visualize.get_figure(2, 1, 3, 10)
        assert tuple(fig.get_size_inches()) == (10., 6.)
        ax = fig.add_subplot(gs[0, 0])
        out = bp.visualize.line_plot(np.arange(5), np.arange(5.), legend="V")
        assert out is fig and len(ax.lines) == 1          # drawn on the current pyplot axes
        raster_plot(np.arange(50), _spikes(), show=True)
        assert shown == [True]
    finally:
        plt.close("all")


def test_save_writes_files_and_creates_folders(tmp_path):
    target = tmp_path / "a" / "b" / "raster.png"
    raster_plot(np.arange(50), _spikes(), save=target)
    assert target.stat().st_size > 1000
    lines = tmp_path / "lines.pdf"
    line_plot(np.arange(10), np.random.default_rng(0).random((10, 3)), save=str(lines))
    assert lines.stat().st_size > 500
    curves = tmp_path / "c" / "curves.svg"
    training_curves({"train_loss": [1.0, 0.6, 0.4]}, save=curves)
    assert curves.read_text().startswith("<?xml")


def test_line_plot_columns_labels_and_data():
    ts = np.linspace(0, 1, 20)
    vals = np.stack([np.sin(ts), np.cos(ts), ts], axis=1)
    fig = line_plot(ts, vals, plot_ids=[2, 0], legend=["ramp", "sine"], ylabel="V")
    lines = fig.axes[0].lines
    assert [ln.get_label() for ln in lines] == ["ramp", "sine"]
    np.testing.assert_allclose(lines[0].get_ydata(), ts)
    assert fig.axes[0].get_legend() is not None and fig.axes[0].get_ylabel() == "V"
    assert len(line_plot(ts, vals).axes[0].lines) == 3
    one = line_plot(ts, np.sin(ts), plot_ids=0)
    assert len(one.axes[0].lines) == 1 and one.axes[0].get_legend() is None


def test_line_plot_errors():
    ts = np.arange(5)
    with pytest.raises(ShapeError, match=r"line_plot: expected values with as many rows as ts has times \(5\)"):
        line_plot(ts, np.zeros((4, 2)))
    assert len(line_plot(ts, np.zeros((5, 2, 2))).axes[0].lines) == 4     # (T, pre, post): one line each
    with pytest.raises(ShapeError, match=r"values of shape \(T,\) or \(T, \.\.\.\)"):
        line_plot(ts, np.float32(1.))
    with pytest.raises(ValueError, match=r"plot_ids as column indices in \[0, 2\)"):
        line_plot(ts, np.zeros((5, 2)), plot_ids=[0, 2])
    with pytest.raises(ValueError, match="legend as a str or 2 strs"):
        line_plot(ts, np.zeros((5, 2)), legend=["a"])


def test_training_curves_panels_by_metric():
    history = {"train_loss": [1.0, 0.5, 0.3], "test_loss": [1.2, 0.8, 0.6],
               "train_acc": [0.3, 0.6, 0.9], "test_acc": [0.2, 0.5, 0.8], "lr": [0.1, 0.1, 0.01]}
    fig = training_curves(history, title="run")
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "acc", "lr"]
    loss_ax = fig.axes[0]
    assert [ln.get_label() for ln in loss_ax.lines] == ["train_loss", "test_loss"]
    np.testing.assert_array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), history["test_loss"])
    custom = training_curves(history, panels=[["train_loss", "train_acc"], ["lr"]])
    assert len(custom.axes) == 2 and len(custom.axes[0].lines) == 2


def test_training_curves_errors():
    with pytest.raises(ValueError, match="training_curves: expected history as a non-empty dict"):
        training_curves({})
    with pytest.raises(ShapeError, match=r"non-empty 1-D sequence.*'loss': shape \(0,\)"):
        training_curves({"loss": []})
    with pytest.raises(ShapeError, match=r"'loss': shape \(2, 2\)"):
        training_curves({"loss": [[1, 2], [3, 4]]})
    with pytest.raises(ValueError, match="panels naming keys of history"):
        training_curves({"loss": [1.0]}, panels=[["acc"]])
    with pytest.raises(TypeError, match="history values to be sequences of numbers"):
        training_curves({"loss": ["high", "low"]})


def test_plotting_leaves_pyplot_alone():
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        before = plt.get_fignums()
        raster_plot(np.arange(50), _spikes())
        training_curves({"loss": [1.0, 0.5]})
        assert plt.get_fignums() == before
    else:
        raster_plot(np.arange(50), _spikes())
        training_curves({"loss": [1.0, 0.5]})
        assert "matplotlib.pyplot" not in sys.modules
