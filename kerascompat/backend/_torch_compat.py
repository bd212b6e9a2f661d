"""Every use of a private torch API, each behind a feature check with a fallback through public
API: the recurrent layers' fused kernels and nn.Module's no-hook call path. Checked on torch
2.13.0; the tests compare each private path with its fallback, so a torch that changes one fails
there rather than silently."""

import torch
from torch import nn
from torch.backends.cudnn import rnn as cudnn_rnn

# ATen's fused RNN entry points, positional as in torch/nn/modules/rnn.py (torch 2.13.0):
# torch.lstm(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first).
_ATEN_RNN = {"LSTM": getattr(torch, "lstm", None), "GRU": getattr(torch, "gru", None)}


def bidirectional_rnn(mode, x, hx, params, has_biases, training):
    """One call of torch's bidirectional LSTM/GRU kernel (batch_first, one layer) on `params`
    (forward's w_ih, w_hh[, b_ih, b_hh], then backward's, as nn.LSTM(bidirectional=True) holds
    them). `hx` is h, or (h, c) for LSTM, each (2, batch, units). Returns (output, (h_n[, c_n]))."""
    op = _ATEN_RNN.get(mode)
    if op is not None:
        result = op(x, hx, params, has_biases, 1, 0.0, training, True, True)
        return result[0], tuple(result[1:])
    return _bidirectional_rnn_module(mode, x, hx, params, has_biases)


def _bidirectional_rnn_module(mode, x, hx, params, has_biases):
    """The public fallback: nn.LSTM / nn.GRU(bidirectional=True) run with `params` substituted."""
    units, in_features = params[0].shape[0] // (4 if mode == "LSTM" else 3), params[0].shape[1]
    template = getattr(nn, mode)(in_features, units, bias=has_biases, batch_first=True, bidirectional=True,
                                 device="meta", dtype=x.dtype)
    names = [name for name, _ in template.named_parameters()]
    out, final = torch.func.functional_call(template, dict(zip(names, params)), (x, hx))
    return out, (final if isinstance(final, tuple) else (final,))


def flatten_rnn_weights(params, mode, has_biases, input_size, hidden_size, bidirectional):
    """Lay RNN weights out in one cuDNN buffer, as nn.RNNBase.flatten_parameters() does, so that
    cuDNN does not compact them on every call; the parameters keep their identity (their data
    become views of the buffer). Returns False where this torch cannot (then cuDNN compacts the
    weights on each call: slower, same results). Private API checked on torch 2.13.0."""
    use_flat = getattr(torch, "_use_cudnn_rnn_flatten_weight", None)
    flatten = getattr(torch, "_cudnn_rnn_flatten_weight", None)
    if use_flat is None or flatten is None or not use_flat():
        return False
    with torch.no_grad():
        # (weight_arr, weight_stride0, input_size, mode, hidden_size, proj_size, num_layers,
        #  batch_first, bidirectional)
        flatten(params, 4 if has_biases else 2, input_size, cudnn_rnn.get_cudnn_mode(mode), hidden_size, 0, 1,
                True, bidirectional)
    return True


# nn.Module.__call__'s no-hook fast path, taken without its two extra Python frames: torch 2.13.0's
# module.py keeps the global hook dicts in these names (a torch without them takes the full call).
try:
    from torch.nn.modules import module as _torch_module

    _GLOBAL_HOOKS = (_torch_module._global_backward_pre_hooks, _torch_module._global_backward_hooks,
                     _torch_module._global_forward_pre_hooks, _torch_module._global_forward_hooks)
except AttributeError:  # a torch without these internals: always go through nn.Module.__call__
    _GLOBAL_HOOKS = None


# torch 2.13.0: torch._C._get_tracing_state is how nn.Module.__call__ itself checks for JIT tracing.
_tracing_state = getattr(torch._C, "_get_tracing_state", lambda: None)


def module_call(module, args, kwargs):
    """Exactly nn.Module.__call__: `forward` directly when torch itself would (no module or
    global hooks, not compiled with `module.compile()`, not JIT-tracing), else the full call."""
    hooks = _GLOBAL_HOOKS
    if (hooks is not None and module._compiled_call_impl is None
            and not (module._forward_hooks or module._forward_pre_hooks or module._backward_hooks
                     or module._backward_pre_hooks or hooks[0] or hooks[1] or hooks[2] or hooks[3])
            and not _tracing_state()):
        return module.forward(*args, **kwargs)
    return nn.Module.__call__(module, *args, **kwargs)
