"""Shared test setup: every test starts from the same seed and a clean share context."""
import pytest

import neurodyn as bp
import neurodyn.math as bm


@pytest.fixture(autouse=True)
def _seeded():
    bm.random.seed(0)
    bp.share.clear()
    yield
    bp.share.clear()


def pytest_configure(config):
    """Reuse compiled XLA programs across test runs (the suite is dominated by compile time)."""
    import os

    import jax
    cache = os.environ.get("NEURODYN_JAX_CACHE", os.path.expanduser("~/.cache/neurodyn/jax"))
    jax.config.update("jax_compilation_cache_dir", cache)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
