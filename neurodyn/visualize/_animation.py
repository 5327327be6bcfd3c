"""Animations of recorded activity over time (BrainPy's ``animate_1D`` and ``animate_2D``).

``animate_1D`` draws each frame's curves ``ys[t]`` against ``xs``; ``animate_2D`` shows each
frame of a ``(T, height * width)`` recording as an image. Both return a matplotlib
``FuncAnimation``, save it with ``save_path=`` (``.gif`` with Pillow, else ffmpeg) and call
``plt.show()`` with ``show=True``.

    >>> import numpy as np
    >>> ys = np.sin(np.linspace(0, 3, 20))[None] * np.linspace(0, 1, 5)[:, None]    # (T=5, N=20)
    >>> anim = animate_1D({'ys': ys, 'legend': 'u'}, dt=0.1, show=False)
    >>> type(anim).__name__, anim._fig.axes[0].get_lines()[0].get_ydata().shape
    ('FuncAnimation', (20,))
    >>> import matplotlib.pyplot as plt; plt.close(anim._fig)
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

import neurodyn.math as bm
from neurodyn.errors import ShapeError, describe

__all__ = ["animate_1D", "animate_2D"]


def _curves(given: Any, timed: bool, who: str) -> list[dict]:
    """The curves as dicts ``{'ys', 'xs', 'legend'}`` (``ys`` ``(T, N)`` when ``timed``)."""
    items = given if isinstance(given, (list, tuple)) else [given]
    out = []
    for k, item in enumerate(items):
        item = dict(item) if isinstance(item, Mapping) else {"ys": item}
        ys = np.asarray(bm.as_numpy(item["ys"]))
        if ys.ndim != (2 if timed else 1):
            raise ShapeError(describe(who, f"{'dynamical' if timed else 'static'} values of shape "
                                      f"{'(T, N)' if timed else '(N,)'}", f"shape {ys.shape}"))
        n = ys.shape[-1]
        xs = np.arange(n) if item.get("xs") is None else np.asarray(bm.as_numpy(item["xs"])).reshape(-1)
        out.append({"ys": ys, "xs": xs, "legend": item.get("legend", f"{'dyn' if timed else 'static'}{k}")})
    return out


def _finish(fig: Any, update: Any, frames: Sequence[int], frame_delay: float, save_path: str | None,
            gif_dpi: Any, video_fps: Any, show: bool, repeat: bool = True) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib import animation
    anim = animation.FuncAnimation(fig=fig, func=update, frames=list(frames), interval=frame_delay,
                                   repeat=repeat, blit=False)
    if save_path is not None:
        if str(save_path).endswith(".gif"):
            anim.save(save_path, dpi=gif_dpi, writer="pillow")
        else:
            anim.save(save_path, writer="ffmpeg", fps=video_fps)
    if show:
        plt.show()
    return anim


def animate_1D(dynamical_vars: Any, static_vars: Any = (), dt: float | None = None, xlim: Any = None,
               ylim: Any = None, xlabel: str | None = None, ylabel: str | None = None, frame_delay: float = 50.,
               frame_step: int = 1, title_size: int = 10, figsize: Any = None, gif_dpi: Any = None,
               video_fps: Any = None, save_path: str | None = None, show: bool = True, **kwargs: Any) -> Any:
    """Animate curves over time.

    Args:
        dynamical_vars: an array ``(T, N)``, a dict ``{'ys': (T, N), 'xs': (N,), 'legend': str}``
            or a list of them (all with the same ``T``).
        static_vars: curves drawn on every frame: ``(N,)`` arrays or such dicts.
        dt: the time step of the rows (default ``bm.get_dt()``), shown in each frame's title.
        xlim, ylim, xlabel, ylabel, figsize, title_size: the axes' look (limits default to the data's).
        frame_delay: milliseconds between frames. frame_step: rows advanced per frame.
        save_path, gif_dpi, video_fps: write the animation (``.gif``: Pillow; else ffmpeg).
        show: call ``plt.show()``.
    """
    import matplotlib.pyplot as plt
    who = "bp.visualize.animate_1D"
    dyn, static = _curves(dynamical_vars, True, who), _curves(static_vars, False, who) if static_vars else []
    lengths = {c["ys"].shape[0] for c in dyn}
    if len(lengths) != 1:
        raise ShapeError(describe(who, "dynamical values sharing one time length", f"lengths {sorted(lengths)}"))
    T, dt = lengths.pop(), bm.get_dt() if dt is None else float(dt)
    every = np.concatenate([c["ys"].ravel() for c in dyn + static])
    xs_all = np.concatenate([c["xs"] for c in dyn + static])
    lo, hi = float(np.nanmin(every)), float(np.nanmax(every))
    pad = 0.05 * (hi - lo or 1.)
    fig = plt.figure(figsize=figsize)
    ax = fig.gca()

    def draw(i: int) -> list:
        ax.clear()
        for c in dyn:
            ax.plot(c["xs"], c["ys"][i], label=c["legend"], **kwargs)
        for c in static:
            ax.plot(c["xs"], c["ys"], label=c["legend"], **kwargs)
        ax.set_xlim(xlim if xlim is not None else (float(xs_all.min()), float(xs_all.max())))
        ax.set_ylim(ylim if ylim is not None else (lo - pad, hi + pad))
        if xlabel:
            ax.set_xlabel(xlabel)
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.legend()
        ax.set_title(f"Time: {i * dt:.2f} ms", fontsize=title_size)
        return [ax]

    draw(0)
    return _finish(fig, draw, range(0, T, max(1, int(frame_step))), frame_delay, save_path, gif_dpi,
                   video_fps, show)


def animate_2D(values: Any, net_size: Sequence[int], dt: float | None = None, val_min: Any = None,
               val_max: Any = None, cmap: Any = None, frame_delay: float = 10, frame_step: int = 1,
               title_size: int = 10, figsize: Any = None, gif_dpi: Any = None, video_fps: Any = None,
               save_path: str | None = None, show: bool = True, repeat: bool = True, **kwargs: Any) -> Any:
    """Animate ``values`` ``(T, height * width)`` as images of ``net_size = (height, width)``
    (colour limits ``val_min``/``val_max``, default the data's); other arguments as :func:`animate_1D`."""
    import matplotlib.pyplot as plt
    who = "bp.visualize.animate_2D"
    values = np.asarray(bm.as_numpy(values))
    height, width = (int(n) for n in net_size)
    if values.ndim != 2 or values.shape[1] != height * width:
        raise ShapeError(describe(who, f"values of shape (T, {height} * {width})", f"shape {values.shape}"))
    dt = bm.get_dt() if dt is None else float(dt)
    lo = float(np.nanmin(values)) if val_min is None else float(val_min)
    hi = float(np.nanmax(values)) if val_max is None else float(val_max)
    fig = plt.figure(figsize=figsize)
    ax = fig.gca()
    image = ax.imshow(values[0].reshape(height, width), cmap=cmap, vmin=lo, vmax=hi, **kwargs)
    fig.colorbar(image, ax=ax)

    def draw(i: int) -> list:
        image.set_data(values[i].reshape(height, width))
        ax.set_title(f"Time: {i * dt:.2f} ms", fontsize=title_size)
        return [image]

    draw(0)
    return _finish(fig, draw, range(0, values.shape[0], max(1, int(frame_step))), frame_delay, save_path,
                   gif_dpi, video_fps, show, repeat)
