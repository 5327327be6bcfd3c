"""Connectivity builders (``bp.conn``): configure a connector, build it for two sizes, read a layout.

    >>> import neurodyn.conn as conn
    >>> c = conn.FixedProb(0.2, seed=0)(20, 30)
    >>> c.build_mat().shape, c.build_csr()[1].shape
    ((20, 30), (21,))
"""
from neurodyn.conn._base import SUPPORTED_STRUCTURES as SUPPORTED_STRUCTURES
from neurodyn.conn._base import Connector as Connector
from neurodyn.conn._formats import coo2csr as coo2csr
from neurodyn.conn._formats import csr2coo as csr2coo
from neurodyn.conn._formats import csr2csc as csr2csc
from neurodyn.conn._formats import csr2mat as csr2mat
from neurodyn.conn._formats import mat2csr as mat2csr
from neurodyn.conn._given import IJConn as IJConn
from neurodyn.conn._given import MatConn as MatConn
from neurodyn.conn._given import SparseMatConn as SparseMatConn
from neurodyn.conn._random import FixedPostNum as FixedPostNum
from neurodyn.conn._random import FixedPreNum as FixedPreNum
from neurodyn.conn._random import FixedProb as FixedProb
from neurodyn.conn._regular import All2All as All2All
from neurodyn.conn._regular import GridFour as GridFour
from neurodyn.conn._regular import One2One as One2One

__all__ = [
    "Connector", "SUPPORTED_STRUCTURES",
    "All2All", "One2One", "GridFour", "FixedProb", "FixedPreNum", "FixedPostNum", "MatConn",
    "IJConn", "SparseMatConn",
    "mat2csr", "csr2mat", "coo2csr", "csr2coo", "csr2csc",
]
