import pytest

import neurodyn.math as bm


def test_reprs_follow_the_seed():
    assert repr(bm.NonBatchingMode()) == "NonBatchingMode"
    assert repr(bm.TrainingMode()) == "TrainingMode(batch_size=1)"
    assert repr(bm.BatchingMode(4)) == "BatchingMode(batch_size=4)"
    assert bm.training_mode == bm.TrainingMode(1) and bm.training_mode != bm.BatchingMode(1)


def test_training_is_a_batching_mode():
    assert bm.training_mode.is_one_of(bm.BatchingMode) and bm.training_mode.batching
    assert not bm.nonbatching_mode.batching and bm.nonbatching_mode.batch_size is None
    with pytest.raises(ValueError, match="batch_size"):
        bm.BatchingMode(0)


def test_environments_nest_and_restore_even_on_errors():
    assert bm.get_mode() == bm.nonbatching_mode and bm.get_dt() == 0.1
    with bm.training_environment(dt=0.5):
        assert bm.get_mode() == bm.TrainingMode() and bm.get_dt() == 0.5
        with bm.environment(mode=bm.batching_mode):
            assert bm.get_mode() == bm.BatchingMode() and bm.get_dt() == 0.5
        assert bm.get_mode() == bm.TrainingMode()
    with pytest.raises(RuntimeError):
        with bm.batching_environment(batch_size=3):
            assert bm.get_mode().batch_size == 3
            raise RuntimeError
    assert bm.get_mode() == bm.nonbatching_mode


def test_environment_validates_its_arguments():
    with pytest.raises(ValueError, match="dt > 0"):
        with bm.environment(dt=0.):
            pass
    with pytest.raises(TypeError, match="bm.Mode"):
        with bm.environment(mode="training"):
            pass
