"""What SimpleRNNCell, LSTMCell and GRUCell share: their arguments and config, their weights
over a torch module, input/recurrent dropout, and the call of one step.

A cell keeps its parameters in a torch module (`cell.cell`): the per-step module
(nn.RNNCell / nn.LSTMCell / nn.GRUCell) when it is used alone or in `RNN(cell)`, or the
fused module of the layer that owns it (nn.RNN / nn.LSTM / nn.GRU, parameter names ending
in `_l0`), so that `layer.cell` computes with the layer's own parameters. A concrete cell
says which modules to build, how its weights are laid out, and its step math (`recurrence`).
"""

import numbers

import torch
import torch.nn.functional as F

from ... import activations, constraints, initializers, regularizers
from ..._random import DropoutMasks
from ..._validation import check_bool, positive_int, rate as _rate
from ..._weights import DENSE_KERNEL, IDENTITY
from ...engine.base_layer import Layer


def received_arguments(local_vars):
    """The arguments a constructor received, as keywords, from `locals()` taken first thing in
    its body: a class with Keras's explicit signature passes them on without restating each."""
    arguments = {k: v for k, v in local_vars.items() if k not in ("self", "__class__", "kwargs")}
    arguments.update(local_vars.get("kwargs", {}))
    return arguments


# Arguments of every cell (and of the layer built on it), in Keras's names. Each is set,
# validated and serialized here only.
CELL_ARGUMENTS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
)


class RecurrentCell(Layer):
    """Base of SimpleRNNCell / LSTMCell / GRUCell: one step of the recurrence."""

    _track_plain_torch_params = False
    n_states = 1  # LSTM: 2 (h and c)

    def __init__(self, units, *, activation, use_bias, kernel_initializer, recurrent_initializer,
                 bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                 recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, recurrent_activation=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int(units, "units")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation) if recurrent_activation else None
        self.use_bias = check_bool(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self._dropout_masks = DropoutMasks(seed)
        self._names = None  # (w_ih, w_hh, b_ih, b_hh) attribute names on `self.cell`, once built

    def arguments_config(self):
        """The cell's own arguments (no name/dtype/trainable): its config, and its layer's."""
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        if self.recurrent_activation is not None:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        return config

    def get_config(self):
        return {**super().get_config(), **self.arguments_config()}

    # ------------------------------------------------------------------ states
    @property
    def state_size(self):
        return [self.units] * self.n_states if self.n_states > 1 else self.units

    @property
    def output_size(self):
        return self.units

    def get_initial_state(self, batch_size):
        return [torch.zeros(batch_size, self.units, dtype=self._dtype) for _ in range(self.n_states)]

    # -------------------------------------------------------- what a cell declares
    def step_module(self, in_features):
        """The torch module holding this cell's parameters when it runs alone (nn.LSTMCell, ...)."""
        raise NotImplementedError

    def layer_module(self, in_features):
        """The torch module holding the parameters of the layer built on this cell: torch's fused
        nn.RNN / nn.LSTM / nn.GRU (batch_first), whose parameter names end in `_l0`."""
        raise NotImplementedError

    def fused_blockers(self):
        """Why the layer's fused module cannot compute this cell's recurrence (empty: it can)."""
        return ["recurrent_dropout > 0"] if self.recurrent_dropout > 0 else []

    def _gated_blockers(self):
        """LSTM's and GRU's fused kernels compute tanh / sigmoid gates only."""
        reasons = [] if self.activation is activations.tanh else ["activation is not 'tanh'"]
        if self.recurrent_activation is not activations.sigmoid:
            reasons.append("recurrent_activation is not 'sigmoid'")
        return reasons + RecurrentCell.fused_blockers(self)

    def recurrence(self, x_proj, states, h_in, w_hh, b_hh):
        """The step math: new states from the projected input `x_proj` (x W + b), the states
        (states[0] is h, carried), and `h_in`, the h that the recurrent kernel sees (dropped out)."""
        raise NotImplementedError

    kernel_layout = DENSE_KERNEL

    def parameter_names(self, suffix):
        """Attribute names of (w_ih, w_hh, b_ih, b_hh) on the module (None: no such parameter)."""
        bias = self.use_bias
        return ("weight_ih" + suffix, "weight_hh" + suffix, "bias_ih" + suffix if bias else None,
                "bias_hh" + suffix if bias else None)

    def _initial_bias(self):
        return self.bias_initializer

    def _declare_bias(self, module, b_ih, b_hh):
        """Keras's single bias is the input bias; torch's second bias is held at zero (frozen)."""
        self._add_slot("bias", module, b_ih, IDENTITY, self._initial_bias(), self.bias_regularizer,
                       self.bias_constraint)
        if b_hh is not None:
            frozen = getattr(module, b_hh)
            with torch.no_grad():
                frozen.zero_()
            frozen.requires_grad_(False)

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the inputs must be defined. '
                             f"Received: input_shape={tuple(input_shape)}")
        self.build_on(self.step_module(in_features), "")

    def build_on(self, module, suffix, input_shape=None):
        """Hold the parameters in `module` (names ending in `suffix`), declare them as Keras's
        weights and initialise them. The layer built on a cell calls this with its fused module."""
        self.cell = module
        self._names = w_ih, w_hh, b_ih, b_hh = self.parameter_names(suffix)
        self._weight_slots = []
        self._add_slot("kernel", module, w_ih, self.kernel_layout, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        self._add_slot("recurrent_kernel", module, w_hh, self.kernel_layout, self.recurrent_initializer,
                       self.recurrent_regularizer, self.recurrent_constraint)
        if self.use_bias:
            self._declare_bias(module, b_ih, b_hh)
        if input_shape is not None:
            self._build_input_shape = tuple(input_shape)
            self.built = True

    def module_parameters(self):
        """The parameters in `self.cell`, in torch's order (w_ih, w_hh[, b_ih[, b_hh]])."""
        module = self.cell
        return [getattr(module, n) for n in self._names if n is not None]

    # ------------------------------------------------------------------- calling
    def drop_inputs(self, inputs, training, per_sequence=False):
        """Input dropout: one mask per sequence for (batch, steps, features) inputs, as Keras."""
        if not (training and self.dropout > 0):
            return inputs
        shape = (inputs.shape[0], 1, inputs.shape[2]) if per_sequence else inputs.shape
        return inputs * self._dropout_masks(shape, self.dropout, inputs)

    def step_function(self, inputs, training):
        """`(projected, step)`: the inputs projected by the kernel (every step in one matmul when
        `inputs` is a sequence) and `step(projected_t, states) -> (output, new_states)`."""
        module = self.cell
        w_ih, w_hh, b_ih, b_hh = (None if n is None else getattr(module, n) for n in self._names)
        projected = F.linear(inputs, w_ih, b_ih)
        recurrence = self.recurrence
        if training and self.recurrent_dropout > 0:
            rec_mask = self._dropout_masks((inputs.shape[0], self.units), self.recurrent_dropout, inputs)

            def step(x_t, states):
                new = recurrence(x_t, states, states[0] * rec_mask, w_hh, b_hh)
                return new[0], new
        else:
            def step(x_t, states):
                new = recurrence(x_t, states, states[0], w_hh, b_hh)
                return new[0], new
        return projected, step

    def call(self, inputs, states, training=None):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        projected, step = self.step_function(self.drop_inputs(inputs, training), training)
        return step(projected, states)
