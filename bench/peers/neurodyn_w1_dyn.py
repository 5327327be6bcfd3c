"""W1 on neurodyn running BrainPy's own W1 program (``brainpy_w1.py``) with the imports swapped:
the same code on both libraries (a second neurodyn figure beside the seed-API ``neurodyn_w1``)."""
import os
import runpy
import sys

import neurodyn
import neurodyn.math

sys.modules["brainpy"], sys.modules["brainpy.math"] = neurodyn, neurodyn.math
sys.argv[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "brainpy_w1.py")
os.environ["NEURODYN_PEER_NAME"] = "neurodyn[bp.dyn]"
runpy.run_path(sys.argv[0], run_name="__main__")
