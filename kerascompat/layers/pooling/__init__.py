"""Pooling layers: windowed (`BasePooling`), global (`BaseGlobalPooling`) and adaptive
(`BaseAdaptivePooling`), thin public classes."""

from .adaptive_pooling import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D, AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D, AdaptiveMaxPooling3D, BaseAdaptivePooling,
)
from .average_pooling import AveragePooling1D, AveragePooling2D, AveragePooling3D
from .base_global_pooling import BaseGlobalPooling
from .base_pooling import BasePooling
from .global_average_pooling import GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D
from .global_max_pooling import GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
from .max_pooling import MaxPooling1D, MaxPooling2D, MaxPooling3D

# Keras's aliases.
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
