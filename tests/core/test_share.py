import pytest

import neurodyn as bp
import neurodyn.math as bm


def test_defaults_save_load_clear():
    assert bp.share.load("fit") is False and bp.share.load("dt") == bm.get_dt()
    bp.share.save(fit=True, lr=0.1)
    assert bp.share.load("fit") is True and bp.share.load("lr") == 0.1
    assert bp.share.load("missing", 5) == 5
    bp.share.clear()
    with pytest.raises(KeyError, match="lr"):
        bp.share.load("lr")


def test_context_restores():
    with bp.share.context(t=2.):
        assert bp.share.get_shargs().t == 2.
    assert bp.share.load("t") == 0.
