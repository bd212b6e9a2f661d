"""Keras masks on torch tensors.

A mask travels as a `_keras_mask` attribute of the tensor it belongs to (as in Keras's torch
backend). A layer that supports masking passes its input mask on, or computes a new one in
`compute_mask`; any layer whose `call` takes `mask` receives it. The calling thread's
CallContext remembers whether a mask exists in the current call, so layers skip the lookup
in the common unmasked case.
"""

import torch

__all__ = ["find_mask", "attach_mask"]


def find_mask(inputs):
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return masks if any(m is not None for m in masks) else None
    return None


def attach_mask(outputs, mask, context):
    if mask is None:
        return
    if isinstance(outputs, torch.Tensor):
        if isinstance(mask, torch.Tensor):
            outputs._keras_mask = mask
            context.masks_seen = True
        return
    if isinstance(outputs, (list, tuple)):
        masks = mask if isinstance(mask, (list, tuple)) else [mask] + [None] * (len(outputs) - 1)
        for out, m in zip(outputs, masks):
            attach_mask(out, m, context)
