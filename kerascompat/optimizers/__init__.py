"""Keras optimizers built as torch optimizers (`base`), and `keras.optimizers.schedules`."""

from . import schedules
from .base import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Lamb, Lion, Nadam, Optimizer, RMSprop, apply_to_torch_optimizer,
                   deserialize, get, serialize, with_keras_update_methods)

__all__ = ["apply_to_torch_optimizer", "with_keras_update_methods", "Optimizer", "SGD", "Adam", "AdamW", "Adamax",
           "Nadam", "RMSprop", "Adagrad", "Adadelta", "Lamb", "Lion", "deserialize", "get", "schedules", "serialize"]
