"""keras.ops.nn: activations, convolution and pooling, losses, normalizations, attention."""

from .nn_activations import *  # noqa: F401,F403
from .nn_activations import __all__ as _activations
from .nn_conv import *  # noqa: F401,F403
from .nn_conv import __all__ as _conv
from .nn_losses import *  # noqa: F401,F403
from .nn_losses import __all__ as _losses
from .nn_norm import *  # noqa: F401,F403
from .nn_norm import __all__ as _norm

__all__ = sorted(_activations + _conv + _losses + _norm)
