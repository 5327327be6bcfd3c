"""The BrainPy tutorial our API follows runs unchanged with the imports swapped, and shows what
its text says (where the recorded BrainPy output is a bug, what the text says should happen)."""
import ast
import contextlib
import io
import json
import pathlib

import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ModeError, ShapeError

SEED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "seed" / "build_training_models.ipynb"


def _swap_imports(src: str) -> str:
    return (src.replace("import brainpy.math as bm", "import neurodyn.math as bm")
               .replace("import brainpy as bp", "import neurodyn as bp"))


def _run_cell(src: str, ns: dict):
    """Execute a cell like Jupyter: return (value of a trailing expression, printed text)."""
    tree = ast.parse(src)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<cell>", "exec"), ns)
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns) if last else None
    return value, out.getvalue()


@pytest.fixture(scope="module")
def notebook():
    if not SEED.exists():
        pytest.skip(f"seed notebook not found at {SEED}")
    cells = [c for c in json.loads(SEED.read_text())["cells"] if c["cell_type"] == "code"]
    ns: dict = {}
    results = []
    for cell in cells:
        src = _swap_imports("".join(cell["source"]))
        results.append((src, *_run_cell(src, ns)))
    return results, ns


def test_every_cell_shows_what_the_tutorial_says(notebook):
    results, ns = notebook
    values = [v for _, v, _ in results]
    outs = [o for _, _, o in results]
    assert isinstance(values[0], str)                                   # bp.__version__
    assert repr(values[1]) == "NonBatchingMode"
    assert repr(values[2]) == "TrainingMode(batch_size=1)"
    assert "ModeError" in outs[3] and "NVAR" in outs[3]                 # NVAR in training mode raises
    w_batching, w_training = values[4], values[5]
    assert not isinstance(w_batching, bm.TrainVar) and w_batching.shape == (3, 4)    # a bm.Parameter
    assert isinstance(w_training, bm.TrainVar) and w_training.shape == (3, 4)
    assert isinstance(values[6], bm.TrainVar) and values[6].shape == (3,)
    state = values[7]                                                   # rnn.reset(batch_size=5)
    assert state.shape == (5, 3)
    np.testing.assert_array_equal(np.asarray(state), np.tile(np.asarray(values[6]), (5, 1)))
    assert repr(values[8]) == "Dense(name=hidden_layer, num_in=128, num_out=100, mode=NonBatchingMode)"
    assert values[9] == (10, 50) and values[10] == (20, 30) and values[11] == (20, 30)
    assert outs[12] == "None\n"
    for name in ("RecurrentLayer", "Dropout", "DeepRNN", "NGRC", "SNN", "model", "snn"):
        assert name in ns


def test_the_typos_in_the_tutorial_give_clear_errors(notebook):
    _, ns = notebook
    with bm.training_environment():
        with pytest.raises(TypeError, match=r"bm.zeros\(\(1, 3\)\)"):
            ns["RecurrentLayer"](2, 3)                                  # bm.zeros(1, num_out)
    model = ns["model"]                                                 # DeepRNN calls l2 first
    model.reset(2)
    with pytest.raises(ShapeError, match=r"LSTMCell\(name=.*200.*100"):
        model(bm.ones((2, 100)))




@pytest.fixture(scope="module")
def fixed_models(notebook):
    results, ns = notebook
    src = next(s for s, _, _ in results if "class DeepRNN" in s)
    fixed = src.replace("x = x >> self.l2 >> self.d1", "x = x >> self.l1 >> self.d1", 1)
    ns2 = dict(ns)
    exec(compile(fixed, "<DeepRNN fixed>", "exec"), ns2)
    return ns2


def _run(model, xs):
    """Run a model over (time, batch, ...) inputs in one compiled scan."""
    return bm.for_loop(model, xs)


def test_models_of_the_tutorial_run_on_a_batch_and_train(fixed_models):
    ns = fixed_models
    batch, steps = 3, 4
    with bm.training_environment(batch_size=batch):
        deep = ns["DeepRNN"](6, [8, 8, 8, 5], 3)              # the tutorial's sizes, scaled down
    deep.reset(batch)
    xs = bm.random.normal(size=(steps, batch, 6))
    with bp.share.context(fit=False):
        assert _run(deep, xs).shape == (steps, batch, 3)

    def loss_deep():
        deep.reset(batch)
        with bp.share.context(fit=True):
            return (_run(deep, xs) ** 2).mean()
    grads = bm.grad(loss_deep, grad_vars=deep.train_vars())()
    assert set(grads) == set(deep.train_vars())
    assert all(np.isfinite(np.asarray(g)).all() for g in grads.values())
    assert float(np.abs(np.asarray(grads["lout.W"])).sum()) > 0

    ngrc = ns["NGRC"](3, 3)
    ngrc.reset(batch)
    lor = bm.random.normal(size=(steps, batch, 3))
    assert _run(ngrc, lor).shape == (steps, batch, 3)
    assert set(ngrc.train_vars()) == {"o.W", "o.b"}

    with bm.training_environment(batch_size=batch):
        snn = ns["SNN"](10, 20, 2)
    spikes = (bm.random.random((steps * 5, batch, 10)) < 0.3).astype(bm.float32)

    def loss_snn():
        snn.reset(batch)
        return _run(snn, spikes).max(axis=0).sum()
    g = bm.grad(loss_snn, grad_vars=snn.train_vars())()
    assert set(g) == {"i2r.g_max", "r2o.g_max"}
    assert all(np.isfinite(np.asarray(v)).all() and np.abs(np.asarray(v)).sum() > 0 for v in g.values())
