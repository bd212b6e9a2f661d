"""Keras layers on torch: `from kerascompat import layers` / `from kerascompat.layers import Dense`."""

from ..engine.base_layer import Layer
from ..saving import object_registration as _reg
from ..saving import serialization_lib as _lib
from ..engine.input_layer import Input, InputLayer
from .convolutional import (
    Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose,
    Convolution1D, Convolution1DTranspose, Convolution2D, Convolution2DTranspose, Convolution3D,
    Convolution3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D,
    SeparableConvolution1D, SeparableConvolution2D,
)
from .pooling import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D, AvgPool2D, AvgPool3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPool1D, MaxPool2D, MaxPool3D, MaxPooling1D, MaxPooling2D, MaxPooling3D,
)
from .reshaping import (
    Cropping1D, Cropping2D, Cropping3D, Flatten, Permute, RepeatVector, Reshape, UpSampling1D, UpSampling2D,
    UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
)
from .activations import ELU, Activation, LeakyReLU, PReLU, ReLU, Softmax
from .core import Dense, EinsumDense, Embedding, Identity, Lambda, Masking
from .attention import AdditiveAttention, Attention, GroupedQueryAttention, MultiHeadAttention
from .regularization import (
    ActivityRegularization, AlphaDropout, Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D,
    SpatialDropout3D,
)
from ..engine.input_spec import InputSpec
from .core.wrapper import Wrapper
from .core.reversible_embedding import ReversibleEmbedding
from .core.torch_module_wrapper import TorchModuleWrapper
from .rnn.time_distributed import TimeDistributed

GroupQueryAttention = GroupedQueryAttention  # Keras's public name
from .normalization import (
    BatchNormalization, GroupNormalization, LayerNormalization, RMSNormalization, SpectralNormalization,
    UnitNormalization,
)
from .rnn import (
    GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell, StackedRNNCells,
    ConvLSTM1D, ConvLSTM2D, ConvLSTM3D,
)
from .preprocessing import (
    AutoContrast, CenterCrop, Normalization, Pipeline, RandomBrightness, RandomColorDegeneration, RandomColorJitter,
    RandomContrast, RandomCrop, RandomFlip, RandomGaussianBlur, RandomGrayscale, RandomHue, RandomInvert,
    RandomPosterization, RandomRotation, RandomSaturation, RandomSharpness, RandomShear, RandomTranslation,
    RandomZoom, Rescaling, Resizing, Solarization,
)
from .merging import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract,
    add, average, concatenate, dot, maximum, minimum, multiply, subtract,
)

__all__ = [
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "AutoContrast",
    "CenterCrop",
    "Normalization",
    "Pipeline",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "Solarization",

    "ActivityRegularization",
    "AlphaDropout",
    "GaussianDropout",
    "GaussianNoise",
    "InputSpec",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "ReversibleEmbedding",
    "SpatialDropout3D",
    "SpectralNormalization",
    "TimeDistributed",
    "TorchModuleWrapper",
    "Wrapper",
    "AdditiveAttention",
    "Attention",
    "EinsumDense",
    "GroupQueryAttention",
    "MultiHeadAttention",
    "ELU",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "Softmax",
    "Embedding",
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRU",
    "GRUCell",
    "LSTM",
    "LSTMCell",
    "Masking",
    "RNN",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "RepeatVector",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
    "Activation",
    "BatchNormalization",
    "Dense",
    "Dropout",
    "Flatten",
    "GroupNormalization",
    "Identity",
    "Input",
    "InputLayer",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "Permute",
    "RMSNormalization",
    "Reshape",
    "UnitNormalization",
    "deserialize",
    "serialize",
]


_reg.export("keras.layers", {name: obj for name, obj in globals().items()
                             if name in __all__ and isinstance(obj, type) and issubclass(obj, Layer)})
_reg.export_aliases("keras.layers", {"GroupedQueryAttention": GroupedQueryAttention})


def serialize(layer):
    """Keras's config of a layer: {"module", "class_name", "config", "registered_name", "build_config"}."""
    return _lib.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Rebuild a layer (or model) from its Keras config; custom classes resolve through
    `custom_objects`, an active `keras.saving.custom_object_scope` or registration."""
    return _lib.deserialize_keras_object(config, custom_objects=custom_objects)
