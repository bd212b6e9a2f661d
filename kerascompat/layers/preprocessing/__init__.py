"""Preprocessing layers: Rescaling, Normalization, Resizing, CenterCrop and the random image
augmentation layers."""

from .center_crop import CenterCrop
from .color_adjustments import (
    AutoContrast, RandomColorDegeneration, RandomGrayscale, RandomInvert, RandomPosterization, Solarization,
)
from .normalization import Normalization
from .random_color import RandomBrightness, RandomContrast
from .random_crop import RandomCrop
from .pipeline import Pipeline
from .random_hsv import RandomColorJitter, RandomHue, RandomSaturation, RandomSharpness
from .random_shear import RandomShear
from .random_flip import RandomFlip
from .random_gaussian_blur import RandomGaussianBlur
from .random_rotation import RandomRotation
from .random_zoom import RandomTranslation, RandomZoom
from .rescaling import Rescaling
from .resizing import Resizing

__all__ = ["AutoContrast", "RandomColorDegeneration", "RandomGrayscale", "RandomInvert", "RandomPosterization",
           "Solarization", "RandomHue", "RandomSaturation", "RandomSharpness", "RandomShear", "Pipeline",
           "RandomColorJitter", "RandomGaussianBlur", "CenterCrop", "Normalization", "RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
           "Rescaling", "Resizing"]
