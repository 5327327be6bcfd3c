import numpy as np

import neurodyn.math as bm


def test_seed_reproduces_and_shapes_follow_numpy():
    bm.random.seed(3)
    a = bm.random.normal(0., 0.01, size=(10, 50))
    bm.random.seed(3)
    b = bm.random.normal(0., 0.01, size=(10, 50))
    np.testing.assert_array_equal(a, b)
    assert bm.random.random((20, 30)).shape == (20, 30)
    assert bm.random.uniform(size=4).shape == (4,)
    assert bm.random.normal(bm.zeros(3)).shape == (3,)
    assert bm.random.randint(5, size=(3,)).max() < 5


def test_statistics_are_right():
    x = bm.random.normal(2., 3., size=20000)
    assert abs(float(x.mean()) - 2.) < 0.1 and abs(float(x.std()) - 3.) < 0.1
    b = bm.random.bernoulli(0.2, (20000,))
    assert abs(float(b.mean()) - 0.2) < 0.02


def test_random_state_is_a_variable_whose_key_advances():
    rng = bm.random.RandomState(seed=1)
    assert isinstance(rng, bm.Variable)
    k0 = np.asarray(rng.value)
    a = rng.bernoulli(0.5, (100,))
    assert not np.array_equal(k0, rng.value)
    assert not np.array_equal(a, rng.bernoulli(0.5, (100,)))
    p = rng.permutation(np.arange(10))
    assert sorted(np.asarray(p).tolist()) == list(range(10))


def test_unseeded_generators_follow_the_global_seed():
    bm.random.seed(7)
    a = bm.random.RandomState().random(3)
    bm.random.seed(7)
    b = bm.random.RandomState().random(3)
    np.testing.assert_array_equal(a, b)


def test_numpy_other_names_of_random():
    a, b = bm.random.RandomState(3), bm.random.RandomState(3)
    np.testing.assert_array_equal(np.asarray(a.sample(4)), np.asarray(b.random(4)))
    assert a.random_sample(2).shape == (2,) and a.ranf(3).shape == (3,)
