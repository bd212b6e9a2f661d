"""Recurrent layers: RNN(cell), SimpleRNN / LSTM / GRU and their cells, StackedRNNCells, Bidirectional."""

from .bidirectional import Bidirectional
from .gru import GRU, GRUCell
from .lstm import LSTM, LSTMCell
from .rnn import RNN
from .simple_rnn import SimpleRNN, SimpleRNNCell
from .stacked_rnn_cells import StackedRNNCells

__all__ = ["Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell",
           "StackedRNNCells"]
