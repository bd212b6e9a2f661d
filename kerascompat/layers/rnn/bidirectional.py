"""Bidirectional: a recurrent layer run forwards and a copy (or `backward_layer`) backwards."""

import copy

import torch

from ...backend import _torch_compat
from ...engine.base_layer import Layer
from ._fused import FusedRNN
from .rnn import RNN
from ...saving import serialization_lib as _lib


def _rebuilt(layer, name, **changes):
    """A new layer with `layer`'s config (and `changes`), as Keras rebuilds it: the caller's
    layer is left as it was. An RNN(cell)'s cell is copied rather than deserialized (a user's
    cell class need not be known to `deserialize`)."""
    config = {**layer.get_config(), "name": name, **changes}
    if "cell" in config:
        config["cell"] = copy.deepcopy(layer.cell)
        return type(layer)(**config)
    return type(layer).from_config(config)


def _removeprefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    """Runs a recurrent layer forwards and a copy (or `backward_layer`) backwards and merges
    the two with `merge_mode` ('concat', 'sum', 'mul', 'ave' or None for a list).
    Weights are the forward layer's, then the backward layer's. As Keras, the forward layer
    is rebuilt from `layer`'s config (named "forward_..."), so `layer` itself is not changed; a
    given `backward_layer` is used as it is (with zero outputs at masked steps, as Keras sets)."""

    supports_masking = True
    _MERGE_MODES = ("sum", "mul", "ave", "concat", None)

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, RNN):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a recurrent layer (RNN, LSTM, GRU, SimpleRNN). "
                f"Received: layer={layer!r}"
            )
        if merge_mode not in self._MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: merge_mode={merge_mode!r}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        if weights is not None:
            raise NotImplementedError("Bidirectional: the Keras argument `weights` is not supported; "
                                      "call set_weights() after building.")
        if backward_layer is not None:
            if not isinstance(backward_layer, RNN):
                raise ValueError(f"`backward_layer` must be a recurrent layer. Received: {backward_layer!r}")
            for attr in ("return_sequences", "return_state"):
                if getattr(layer, attr) != getattr(backward_layer, attr):
                    raise ValueError(
                        f"Forward layer and backward layer should have the same `{attr}`. Received: forward "
                        f"{getattr(layer, attr)}, backward {getattr(backward_layer, attr)}"
                    )
            if backward_layer.go_backwards == layer.go_backwards:
                raise ValueError("Forward layer and backward layer should have different `go_backwards` values.")
        super().__init__(**kwargs)
        forward_layer = _rebuilt(layer, "forward_" + _removeprefix(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = _rebuilt(layer, "backward_" + _removeprefix(layer.name, "backward_"),
                                      go_backwards=not layer.go_backwards)
        for sub in (forward_layer, backward_layer):  # Keras: zero outputs at masked steps when returning sequences
            sub.zero_output_for_mask = sub.return_sequences
        self.forward_layer = forward_layer
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state

    def build(self, input_shape):
        self.forward_layer.build_from_shape(input_shape)
        self.backward_layer.build_from_shape(input_shape)

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return torch.cat([y, y_rev], dim=-1)
        if self.merge_mode == "sum":
            return y + y_rev
        if self.merge_mode == "ave":
            return (y + y_rev) / 2
        if self.merge_mode == "mul":
            return y * y_rev
        return [y, y_rev]

    def _can_fuse(self, mask, training):
        fw, bw = self.forward_layer, self.backward_layer
        if mask is not None or not isinstance(fw, FusedRNN) or type(fw) is not type(bw):
            return False
        fc, bc = fw.cell, bw.cell
        return (fw._fusable() and bw._fusable() and getattr(fw.rnn, "mode", None) in ("LSTM", "GRU")
                and fc.units == bc.units and fc.use_bias == bc.use_bias
                and not fw.go_backwards and bw.go_backwards and not fw.stateful and not bw.stateful
                and fw.use_cudnn is not False and bw.use_cudnn is not False
                and not (training and (fc.dropout > 0 or bc.dropout > 0))
                and fw.activity_regularizer is None and bw.activity_regularizer is None
                and not fw._forward_hooks and not bw._forward_hooks)

    def _fused_call(self, x, initial_state):
        """Both directions in one call of torch's bidirectional kernel (as nn.LSTM(bidirectional=True)),
        on the two layers' own parameters."""
        fw, bw = self.forward_layer, self.backward_layer
        units, mode = fw.cell.units, fw.rnn.mode
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            pairs = zip(fw._initial_states(x, states[:half]), bw._initial_states(x, states[half:]))
            hx = tuple(torch.stack(pair) for pair in pairs)
        else:
            zeros = x.new_zeros(2, x.shape[0], units)
            hx = (zeros,) * fw.cell.n_states
        params = fw.cell.module_parameters() + bw.cell.module_parameters()
        if x.is_cuda:
            self._flatten_for_cudnn(params)
        out, final = _torch_compat.bidirectional_rnn(mode, x, hx if len(hx) > 1 else hx[0], params,
                                                      fw.cell.use_bias, self.training)
        fw_final, bw_final = [s[0] for s in final], [s[1] for s in final]
        fw.last_path = bw.last_path = "fused"
        self._last_call = "fused-bidirectional"
        if self.return_sequences:
            y, y_rev = out[..., :units], out[..., units:]
            output = out if self.merge_mode == "concat" else self._merge(y, y_rev)
        else:
            output = self._merge(fw_final[0], bw_final[0])
        if self.return_state:
            states = tuple(fw_final) + tuple(bw_final)
            if self.merge_mode is None:
                return (*output, *states)
            return (output, *states)
        return output

    def _flatten_for_cudnn(self, params):
        """Lay both directions' parameters out in one buffer, as nn.LSTM(bidirectional=True)'s
        flatten_parameters() does (once per set of parameter storages)."""
        key = tuple(p.data_ptr() for p in params)
        if getattr(self, "_cudnn_flat_key", None) == key:
            return
        rnn = self.forward_layer.rnn
        _torch_compat.flatten_rnn_weights(params, rnn.mode, rnn.bias, rnn.input_size, rnn.hidden_size,
                                          bidirectional=True)
        self._cudnn_flat_key = tuple(p.data_ptr() for p in params)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if self._can_fuse(mask, training):
            return self._fused_call(sequences, initial_state)
        self._last_call = "per-direction"
        forward_state = backward_state = None
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            forward_state, backward_state = states[:half], states[half:]
        kwargs = {}
        if mask is not None:
            kwargs["mask"] = mask
        if training is not None:
            kwargs["training"] = training
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)  # align the backward outputs with the forward time axis
        output = self._merge(y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return (*output, *states)
            return (output, *states)
        return output

    @property
    def last_path(self):
        """"fused-bidirectional" (one call of torch's bidirectional kernel), or the two layers' paths."""
        if getattr(self, "_last_call", None) == "fused-bidirectional":
            return "fused-bidirectional"
        return (self.forward_layer.last_path, self.backward_layer.last_path)

    def compute_output_shape(self, input_shape):
        out = self.forward_layer.compute_output_shape(input_shape)
        if self.return_state:
            out, states = out[0], list(out[1:])
        if self.merge_mode == "concat":
            merged = tuple(out[:-1]) + (out[-1] * 2,)
        elif self.merge_mode is None:
            merged = [tuple(out), tuple(out)]
        else:
            merged = tuple(out)
        if self.return_state:
            extra = tuple(states) + tuple(states)
            if self.merge_mode is None:
                return (*merged, *extra)
            return (merged, *extra)
        return merged

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            n_states = len(self.forward_layer._state_sizes) * 2
            return [output_mask] * (2 if self.merge_mode is None else 1) + [None] * n_states
        if self.merge_mode is None:
            return [output_mask, output_mask]
        return output_mask

    def get_config(self):
        return {**super().get_config(), "layer": _lib.serialize_keras_object(self.forward_layer), "merge_mode": self.merge_mode,
                "backward_layer": _lib.serialize_keras_object(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = _lib.deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = _lib.deserialize_keras_object(config["backward_layer"], custom_objects=custom_objects)
        return cls(**config)
