"""Preprocessing layers: Rescaling, Normalization, Resizing, CenterCrop and the random image
augmentation layers."""

from .center_crop import CenterCrop
from .color_adjustments import (
    AutoContrast, RandomColorDegeneration, RandomGrayscale, RandomInvert, RandomPosterization, Solarization,
)
from .normalization import Normalization
from .random_color import RandomBrightness, RandomContrast
from .pipeline import Pipeline
from .random_crop import RandomCrop
from .random_flip import RandomFlip
from .random_gaussian_blur import RandomGaussianBlur
from .random_hsv import RandomColorJitter, RandomHue, RandomSaturation, RandomSharpness
from .random_shear import RandomShear
from .random_rotation import RandomRotation
from .random_zoom import RandomTranslation, RandomZoom
from .rescaling import Rescaling
from .resizing import Resizing

__all__ = [
    "AutoContrast", "CenterCrop", "Normalization", "Pipeline", "RandomBrightness", "RandomColorDegeneration",
    "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomFlip", "RandomGaussianBlur", "RandomGrayscale",
    "RandomHue", "RandomInvert", "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness",
    "RandomShear", "RandomTranslation", "RandomZoom", "Rescaling", "Resizing", "Solarization",
]
