"""The peers' virtual environments: one per peer under ``.bench-venvs/`` (ignored by git),
created on first use with pinned versions, each reused afterwards.

    python -m bench._venvs brainpy spyx torch snntorch reservoirpy   # create them now (else on first use)
"""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOME = os.path.join(ROOT, ".bench-venvs")

# what each peer's users install; pinned, as measured in ../shared/bench/PEERS.md
PEERS: dict[str, list[str]] = {
    "brainpy": ["brainpy[cpu]==2.8.2"],
    "spyx": ["spyx==1.0.0", "jax[cpu]==0.10.2"],
    "torch": ["torch==2.13.0", "numpy"],
    "snntorch": ["torch==2.13.0", "snntorch==1.0.0", "numpy"],
    "norse": ["torch==2.13.0", "norse==1.1.0", "numpy"],
    "reservoirpy": ["reservoirpy==0.4.2", "scipy"],
}


def python_of(peer: str) -> str:
    """The interpreter of ``peer``'s environment, creating it (with its pinned packages) first
    if it is not there yet."""
    if peer not in PEERS:
        raise SystemExit(f"bench: no peer {peer!r}; known: {', '.join(PEERS)}")
    where = os.path.join(HOME, peer)
    python = os.path.join(where, "bin", "python")
    stamp = os.path.join(where, ".installed")
    if os.path.exists(stamp) and open(stamp).read() == repr(PEERS[peer]):
        return python
    print(f"bench: creating {where} with {' '.join(PEERS[peer])} (once) ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", where], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *PEERS[peer]], check=True)
    with open(stamp, "w") as f:
        f.write(repr(PEERS[peer]))
    return python


if __name__ == "__main__":
    for name in sys.argv[1:] or list(PEERS):
        print(name, python_of(name))
