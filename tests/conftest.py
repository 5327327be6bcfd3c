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
