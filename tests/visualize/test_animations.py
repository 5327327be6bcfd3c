"""bp.visualize.animate_1D/animate_2D draw each frame of a recording."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


def test_animations_draw_each_frame_and_check_shapes():
    import matplotlib.pyplot as plt
    try:
        import neurodyn as bp
        ys = np.arange(12.).reshape(3, 4)
        anim = bp.visualize.animate_1D([{"ys": ys, "xs": np.arange(4), "legend": "u"}], static_vars=[np.ones(4)],
                                       dt=0.5, show=False)
        anim._func(2)
        line = anim._fig.axes[0].get_lines()[0]
        assert line.get_ydata().tolist() == ys[2].tolist() and anim._fig.axes[0].get_title() == "Time: 1.00 ms"
        anim2 = bp.visualize.animate_2D(ys, net_size=(2, 2), show=False)
        anim2._func(1)
        assert anim2._fig.axes[0].get_images()[0].get_array().tolist() == [[4., 5.], [6., 7.]]
        with pytest.raises(bp.errors.ShapeError, match=r"\(T, 3 \* 3\)"):
            bp.visualize.animate_2D(ys, net_size=(3, 3), show=False)
    finally:
        plt.close("all")                 # later plots must not draw on these figures
