"""W3 on neurodyn: BrainPy's COBA example (``_coba.py``) with ``import neurodyn as bp``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neurodyn as bp  # noqa: E402
import neurodyn.math as bm  # noqa: E402
from _coba import run  # noqa: E402

run("neurodyn", bp, bm)
