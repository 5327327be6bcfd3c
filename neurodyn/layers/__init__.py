"""``bp.layers``: ANN layers — Dense, activations, Dropout, RNN/GRU/LSTM cells, NVAR, Reservoir,
convolution, pooling and normalisation."""
from neurodyn.layers._adaptive_pool import AdaptiveAvgPool1d as AdaptiveAvgPool1d
from neurodyn.layers._adaptive_pool import AdaptiveAvgPool2d as AdaptiveAvgPool2d
from neurodyn.layers._adaptive_pool import AdaptiveAvgPool3d as AdaptiveAvgPool3d
from neurodyn.layers._adaptive_pool import AdaptiveMaxPool1d as AdaptiveMaxPool1d
from neurodyn.layers._adaptive_pool import AdaptiveMaxPool2d as AdaptiveMaxPool2d
from neurodyn.layers._adaptive_pool import AdaptiveMaxPool3d as AdaptiveMaxPool3d
from neurodyn.layers._activations import ELU as ELU
from neurodyn.layers._activations import GELU as GELU
from neurodyn.layers._activations import Activation as Activation
from neurodyn.layers._activations import Flatten as Flatten
from neurodyn.layers._activations import Identity as Identity
from neurodyn.layers._activations import LeakyReLU as LeakyReLU
from neurodyn.layers._activations import LogSoftmax as LogSoftmax
from neurodyn.layers._activations import ReLU as ReLU
from neurodyn.layers._activations import Sigmoid as Sigmoid
from neurodyn.layers._activations import SiLU as SiLU
from neurodyn.layers._activations import Softmax as Softmax
from neurodyn.layers._activations import Softplus as Softplus
from neurodyn.layers._activations import Tanh as Tanh
from neurodyn.layers._activations import get_activation as get_activation
from neurodyn.layers._conv import Conv1d as Conv1d
from neurodyn.layers._conv import Conv1D as Conv1D
from neurodyn.layers._conv import Conv2d as Conv2d
from neurodyn.layers._conv import Conv2D as Conv2D
from neurodyn.layers._dense import Dense as Dense
from neurodyn.layers._linear_comm import AllToAll as AllToAll
from neurodyn.layers._linear_comm import CSRLinear as CSRLinear
from neurodyn.layers._linear_comm import EventCSRLinear as EventCSRLinear
from neurodyn.layers._linear_comm import MaskedLinear as MaskedLinear
from neurodyn.layers._linear_comm import OneToOne as OneToOne
from neurodyn.core import DynamicalSystem as Layer  # BrainPy's base of layers users write
from neurodyn.layers._jitconn import (EventJitFPHomoLinear, EventJitFPNormalLinear, EventJitFPUniformLinear,
                                      JitFPHomoLinear, JitFPNormalLinear, JitFPUniformLinear)
from neurodyn.layers._dense import Linear as Linear
from neurodyn.layers._dropout import Dropout as Dropout
from neurodyn.layers._norm import BatchNorm1d as BatchNorm1d
from neurodyn.layers._norm import BatchNorm1D as BatchNorm1D
from neurodyn.layers._norm import BatchNorm2d as BatchNorm2d
from neurodyn.layers._norm import BatchNorm2D as BatchNorm2D
from neurodyn.layers._norm import LayerNorm as LayerNorm
from neurodyn.layers._nvar import NVAR as NVAR
from neurodyn.layers._pool import AvgPool as AvgPool
from neurodyn.layers._pool import AvgPool1d as AvgPool1d
from neurodyn.layers._pool import AvgPool2d as AvgPool2d
from neurodyn.layers._pool import MaxPool as MaxPool
from neurodyn.layers._pool import MaxPool1d as MaxPool1d
from neurodyn.layers._pool import MaxPool2d as MaxPool2d
from neurodyn.layers._pool import MinPool as MinPool
from neurodyn.layers._reservoir import Reservoir as Reservoir
from neurodyn.layers._rnn_cells import GRUCell as GRUCell
from neurodyn.layers._rnn_cells import LSTMCell as LSTMCell
from neurodyn.layers._rnn_cells import RNNCell as RNNCell

__all__ = ["Layer", "JitFPHomoLinear", "JitFPUniformLinear", "JitFPNormalLinear", "EventJitFPHomoLinear",
           "EventJitFPUniformLinear", "EventJitFPNormalLinear", 
    "Dense", "Linear", "AllToAll", "OneToOne", "MaskedLinear", "CSRLinear", "EventCSRLinear",
    "Activation", "ReLU", "Tanh", "Sigmoid", "GELU", "SiLU", "ELU", "LeakyReLU", "Softmax",
    "LogSoftmax", "Softplus", "Identity", "Flatten", "get_activation",
    "Dropout",
    "RNNCell", "GRUCell", "LSTMCell",
    "NVAR", "Reservoir",
    "Conv1d", "Conv2d", "Conv1D", "Conv2D",
    "MaxPool", "MinPool", "AvgPool", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm1D", "BatchNorm2D", "LayerNorm",
]
