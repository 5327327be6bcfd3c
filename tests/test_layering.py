"""The dependency direction of ARCHITECTURE.md: a module imports only from layers to its left."""
import ast
import pathlib

import pytest

PKG = pathlib.Path(__file__).resolve().parents[1] / "neurodyn"
RANK = {"errors": 0, "check": 0, "math": 1, "core": 2, "init": 3, "conn": 3,
        "layers": 4, "neurons": 4, "synapses": 5, "train": 6, "datasets": 2, "visualize": 2,
        "integrators": 2, "inputs": 2, "distributed": 2, "analysis": 7}
# datasets, visualize and integrators sit beside core but may import math only
ALLOWED_EXTRA = {"datasets": {"math", "errors", "check"}, "visualize": {"math", "errors", "check"},
                 "integrators": {"math", "errors", "check"}, "inputs": {"math", "errors", "check"},
                 "distributed": {"math", "errors", "check"}}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def _layer(path):
    rel = path.relative_to(PKG).parts
    return rel[0].removesuffix(".py") if len(rel) > 1 or rel[0] != "__init__.py" else None


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_module_imports_only_lower_layers(path):
    mine = _layer(path)
    if mine not in RANK:           # the namespace modules (__init__, dyn.py, ...) may import anything
        return
    for module in _imports(path):
        parts = module.split(".")
        if parts[0] != "neurodyn" or len(parts) < 2 or parts[1] not in RANK:
            continue
        other = parts[1]
        if other == mine:
            continue
        if mine in ALLOWED_EXTRA:
            assert other in ALLOWED_EXTRA[mine], f"{path.name} ({mine}) imports neurodyn.{other}"
        else:
            assert RANK[other] < RANK[mine] or (mine == "check" and other == "errors"), \
                f"{path.relative_to(PKG)} ({mine}) imports neurodyn.{other}, a layer above or beside it"


def test_only_math_drives_the_trace_recorder():
    """Everything outside neurodyn.math goes through bm.Functional, the one functional core."""
    for path in sorted(PKG.rglob("*.py")):
        if _layer(path) == "math":
            continue
        assert "neurodyn.math._trace" not in set(_imports(path)), f"{path.relative_to(PKG)} imports _trace"


def test_import_leaves_plotting_and_scipy_until_used():
    """``import neurodyn`` costs JAX, optax and NumPy only: matplotlib (~30 MB) is imported when a
    plot is drawn, scipy (~35 MB) when an ODE, a ridge solve or a fractional integrator needs it."""
    import subprocess
    import sys
    code = "import sys, neurodyn; print(sorted({'matplotlib', 'scipy'} & {m.split('.')[0] for m in sys.modules}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
