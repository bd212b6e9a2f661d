"""Keras callbacks for `fit`, `evaluate` and `predict`, with Keras's names, arguments and
printed messages. With `verbose=1` the progress bar is Keras's (`keras.utils.Progbar`)."""

from .callback import Callback, History, pythonify_logs
from .callback_list import CallbackList
from .misc import (BackupAndRestore, CSVLogger, LambdaCallback, LearningRateScheduler, OrbaxCheckpoint,
                   RemoteMonitor, SwapEMAWeights, TensorBoard, TerminateOnNaN)
from .monitors import EarlyStopping, ModelCheckpoint, MonitorCallback, ReduceLROnPlateau
from .progbar_logger import ProgbarLogger

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
           "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback", "OrbaxCheckpoint",
           "ProgbarLogger", "ReduceLROnPlateau", "RemoteMonitor", "SwapEMAWeights", "TensorBoard",
           "TerminateOnNaN"]
