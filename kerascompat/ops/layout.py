"""Channels-last views, so activations reach torch's kernels without a copy.

Activations stay in Keras's layout between layers. A channels_last layer hands torch a
*view*: `x.permute(0, 3, 1, 2)` of a contiguous NHWC tensor is an NCHW tensor in torch's
channels_last memory format, torch's conv/pool kernels keep that format, and permuting
the result back is again a contiguous NHWC view. 1-D layers run the 2-D op over a unit
height axis, because torch has no channels_last format for 3-D tensors.
"""

import torch


def to_channels_first(x, rank):
    """(N, *spatial, C) -> (N, C, *spatial), a view."""
    return x.permute(0, rank + 1, *range(1, rank + 1))


def to_channels_last(x, rank):
    """(N, C, *spatial) -> (N, *spatial, C), a view."""
    return x.permute(0, *range(2, rank + 2), 1)


def channels_last_parameter(param, rank):
    """Give a conv weight (O, I, *k) channels_last strides, in place of its data.

    torch's conv kernels convert the weight to the input's memory format on every call
    (and the weight gradient back); storing it that way once removes both copies. The shape
    stays torch's (O, I, *k). A 1-D weight (O, I, k) gets the strides that make its
    unsqueezed (O, I, 1, k) view channels_last.
    """
    with torch.no_grad():
        if rank == 1:
            param.data = param.data.permute(0, 2, 1).contiguous().permute(0, 2, 1)
        else:
            fmt = torch.channels_last if rank == 2 else torch.channels_last_3d
            param.data = param.data.contiguous(memory_format=fmt)
