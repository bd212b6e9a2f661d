"""Keras 2's backend functions that tf.keras 3 still exports under `keras.backend` and that
keras.io examples call (`keras.backend.ctc_batch_cost` in the captcha OCR example)."""

import torch
import torch.nn.functional as F


def _tensor(x):
    return x if isinstance(x, torch.Tensor) else torch.as_tensor(x)


def ctc_batch_cost(y_true, y_pred, input_length, label_length, epsilon):
    """The CTC loss of each sample, shape (batch, 1), as Keras 2 computes it with
    `tf.compat.v1.nn.ctc_loss`: `y_pred` (batch, time, classes) holds probabilities (a softmax's
    output), the last class is the blank, `y_true` (batch, max_label_length) the labels, and
    `input_length` / `label_length` (batch, 1) the lengths used. TensorFlow normalizes
    `log(y_pred + epsilon)` once more with a log-softmax; so does this. A label longer than its
    input has no alignment: its loss is inf (TensorFlow raises an error there)."""
    y_pred = _tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.float()
    labels = _tensor(y_true).to(y_pred.device).long()
    input_length = _tensor(input_length).to(y_pred.device).reshape(-1).long()
    label_length = _tensor(label_length).to(y_pred.device).reshape(-1).long()
    log_probs = torch.log_softmax(torch.log(y_pred + epsilon), dim=-1).transpose(0, 1)
    loss = F.ctc_loss(log_probs, labels, input_length, label_length, blank=y_pred.shape[-1] - 1,
                      reduction="none", zero_infinity=False)
    return loss.unsqueeze(1)
