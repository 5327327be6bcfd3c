"""W3 on BrainPy 2.8.2: its COBA example (``_coba.py``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brainpy as bp  # noqa: E402
import brainpy.math as bm  # noqa: E402
from _coba import run  # noqa: E402

run("brainpy", bp, bm)
