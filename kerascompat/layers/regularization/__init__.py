"""Regularization layers: Dropout and its relatives, ActivityRegularization."""

from .activity_regularization import ActivityRegularization
from .alpha_dropout import AlphaDropout
from .dropout import Dropout
from .gaussian_noise import GaussianDropout, GaussianNoise
from .spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
