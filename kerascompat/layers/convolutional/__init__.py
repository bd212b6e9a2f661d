"""Convolution layers: a forward base (`BaseConv`), a transposed base (`BaseConvTranspose`),
and one thin public class per rank."""

from .base_conv import BaseConv
from .base_conv_transpose import BaseConvTranspose
from .conv1d import Conv1D
from .conv1d_transpose import Conv1DTranspose
from .conv2d import Conv2D
from .conv2d_transpose import Conv2DTranspose
from .conv3d import Conv3D
from .conv3d_transpose import Conv3DTranspose

# Keras's aliases.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
