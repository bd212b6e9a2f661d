"""Preprocessing layers: Rescaling, Normalization, Resizing, CenterCrop and the random image
augmentation layers."""

from .center_crop import CenterCrop
from .normalization import Normalization
from .random_color import RandomBrightness, RandomContrast
from .random_crop import RandomCrop
from .random_flip import RandomFlip
from .random_rotation import RandomRotation
from .random_zoom import RandomTranslation, RandomZoom
from .rescaling import Rescaling
from .resizing import Resizing

__all__ = ["CenterCrop", "Normalization", "RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
           "Rescaling", "Resizing"]
