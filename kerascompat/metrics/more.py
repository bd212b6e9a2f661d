"""More of keras.metrics: the loss-based mean metrics, Accuracy, Sum, RootMeanSquaredError,
the confusion counts (TruePositives ...), R2Score and F1Score / FBetaScore."""

import torch

from .. import losses as _losses
from .base import Mean, MeanMetricWrapper, Metric, _ratio, _t

EPSILON = 1e-7


def accuracy(y_true, y_pred):
    """1 where `y_true == y_pred`, per sample (the mean over the last axis)."""
    y_true, y_pred = _t(y_true), _t(y_pred)
    y_true = y_true.to(y_pred.device)
    if y_true.dim() == y_pred.dim() + 1 and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    elif y_pred.dim() == y_true.dim() + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred.squeeze(-1)
    return torch.mean((y_true == y_pred).to(torch.float32), dim=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine similarity along `axis` (the metric's sign: 1 for equal directions)."""
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


def _metric(class_name, fn, default_name, doc, **defaults):
    """A MeanMetricWrapper class with Keras's name, constructor keywords and defaults."""
    def __init__(self, name=default_name, dtype=None, **kwargs):
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"{class_name} got unexpected keyword arguments. Received: {sorted(unknown)}")
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **{**defaults, **kwargs})

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__module__": __name__, "__doc__": doc})


BinaryCrossentropy = _metric("BinaryCrossentropy", _losses.binary_crossentropy, "binary_crossentropy",
                             "Mean binary crossentropy.", from_logits=False, label_smoothing=0)
CategoricalCrossentropy = _metric("CategoricalCrossentropy", _losses.categorical_crossentropy,
                                  "categorical_crossentropy", "Mean categorical crossentropy.",
                                  from_logits=False, label_smoothing=0, axis=-1)
SparseCategoricalCrossentropy = _metric("SparseCategoricalCrossentropy", _losses.sparse_categorical_crossentropy,
                                        "sparse_categorical_crossentropy", "Mean sparse categorical crossentropy.",
                                        from_logits=False, axis=-1)
KLDivergence = _metric("KLDivergence", _losses.kl_divergence, "kl_divergence", "Mean KL divergence.")
Poisson = _metric("Poisson", _losses.poisson, "poisson", "Mean Poisson loss.")
Hinge = _metric("Hinge", _losses.hinge, "hinge", "Mean hinge loss.")
SquaredHinge = _metric("SquaredHinge", _losses.squared_hinge, "squared_hinge", "Mean squared hinge loss.")
CategoricalHinge = _metric("CategoricalHinge", _losses.categorical_hinge, "categorical_hinge",
                           "Mean categorical hinge loss.")
MeanAbsolutePercentageError = _metric("MeanAbsolutePercentageError", _losses.mean_absolute_percentage_error,
                                      "mean_absolute_percentage_error", "Mean absolute percentage error.")
MeanSquaredLogarithmicError = _metric("MeanSquaredLogarithmicError", _losses.mean_squared_logarithmic_error,
                                      "mean_squared_logarithmic_error", "Mean squared logarithmic error.")
LogCoshError = _metric("LogCoshError", _losses.log_cosh, "logcosh", "Mean log-cosh error.")
CosineSimilarity = _metric("CosineSimilarity", cosine_similarity, "cosine_similarity",
                           "Mean cosine similarity along `axis`.", axis=-1)


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def reset_state(self):
        self._total = torch.zeros((), dtype=self._dtype)

    def update_state(self, values, sample_weight=None):
        values = self._as_values(values)
        if sample_weight is not None:
            weight = torch.as_tensor(sample_weight, device=values.device).to(self._dtype)
            weight = weight.reshape(weight.shape + (1,) * (values.dim() - weight.dim()))
            values = values * weight
        self._total = self._total.to(values.device) + values.sum()

    def result(self):
        return self._total


class RootMeanSquaredError(Mean):
    """sqrt of the (weighted) mean squared error."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _t(y_true), _t(y_pred)
        error = (y_pred.to(self._dtype) - y_true.to(y_pred.device, self._dtype)) ** 2
        super().update_state(error, sample_weight)

    def result(self):
        return torch.sqrt(super().result())


class _ConfusionCount(Metric):
    """Weighted count of one cell of the confusion matrix at each of `thresholds`
    (a prediction is positive when above the threshold)."""

    def __init__(self, thresholds=None, name=None, dtype=None):
        thresholds = 0.5 if thresholds is None else thresholds
        self.thresholds = thresholds
        self._scalar = not isinstance(thresholds, (list, tuple))
        self._thresholds = torch.tensor([thresholds] if self._scalar else list(thresholds), dtype=torch.float32)
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        self.accumulator = torch.zeros(self._thresholds.numel(), dtype=self._dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(torch.float32).reshape(-1)
            y_true = _t(y_true, y_pred).to(torch.float32).reshape(-1) > 0.5
            weight = torch.ones_like(y_pred) if sample_weight is None else _t(sample_weight, y_pred).to(
                torch.float32).reshape(-1)
            if weight.numel() != y_pred.numel():
                weight = weight.repeat_interleave(y_pred.numel() // weight.numel())
            above = y_pred.unsqueeze(0) > self._thresholds.to(y_pred.device).unsqueeze(1)
            cell = self._cell(above, y_true.unsqueeze(0)).to(torch.float32)
            self.accumulator = self.accumulator.to(y_pred.device) + (cell @ weight).to(self._dtype)

    def result(self):
        return self.accumulator[0] if self._scalar else self.accumulator

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.thresholds}


class TruePositives(_ConfusionCount):
    def _cell(self, above, truth):
        return above & truth


class FalsePositives(_ConfusionCount):
    def _cell(self, above, truth):
        return above & ~truth


class TrueNegatives(_ConfusionCount):
    def _cell(self, above, truth):
        return ~above & ~truth


class FalseNegatives(_ConfusionCount):
    def _cell(self, above, truth):
        return ~above & truth


class R2Score(Metric):
    """The coefficient of determination per output column, aggregated by `class_aggregation`
    ('uniform_average', 'variance_weighted_average' or None), adjusted for `num_regressors`."""

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        if class_aggregation not in ("uniform_average", "variance_weighted_average", None):
            raise ValueError("`class_aggregation` must be one of 'uniform_average', 'variance_weighted_average', "
                             f"None. Received: `class_aggregation`={class_aggregation!r}")
        if num_regressors < 0:
            raise ValueError(f"`num_regressors` must be >= 0. Received: `num_regressors`={num_regressors}")
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        # (sum, squared sum, residual sum, weight sum) per output; a reset keeps their shape
        sums = getattr(self, "_sums", None)
        self._sums = None if sums is None else tuple(torch.zeros_like(t) for t in sums)
        self.num_samples = 0

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(self._dtype)
            y_true = _t(y_true, y_pred).to(self._dtype)
            if y_pred.dim() == 1:
                y_pred, y_true = y_pred.unsqueeze(-1), y_true.reshape(-1, 1)
            weight = torch.ones_like(y_true) if sample_weight is None else torch.broadcast_to(
                _t(sample_weight, y_true).to(self._dtype).reshape(-1, 1), y_true.shape)
            weighted = y_true * weight
            parts = (weighted.sum(0), (y_true * weighted).sum(0), ((y_true - y_pred) ** 2 * weight).sum(0),
                     weight.sum(0))
            self._sums = parts if self._sums is None else tuple(a + b for a, b in zip(self._sums, parts))
            self.num_samples += y_true.numel()  # Keras counts elements, not rows

    def result(self):
        if self._sums is None:  # Keras's 0 / 0
            return torch.full((), float("nan"), dtype=self._dtype)
        total_sum, squared_sum, residual, count = self._sums
        mean = total_sum / count
        total = squared_sum - total_sum * mean
        raw = 1 - residual / total
        raw = torch.where(torch.isinf(raw), torch.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            r2 = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            r2 = (total * raw).sum() / total.sum()
        else:
            r2 = raw
        n, p = self.num_samples, self.num_regressors
        if p and p < n - 1:
            r2 = 1 - (1 - r2) * (n - 1) / (n - p - 1)
        return r2

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}


class FBetaScore(Metric):
    """F-beta per class from thresholded predictions (`threshold=None`: the arg-max class),
    averaged by `average` (None, 'micro', 'macro' or 'weighted')."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: None, 'micro', 'macro', "
                             f"'weighted'. Received: `average`={average!r}")
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(f"`beta` must be a float greater than 0. Received: `beta`={beta!r}")
        if threshold is not None and (not isinstance(threshold, float) or not 0.0 < threshold <= 1.0):
            raise ValueError(f"`threshold` must be a float in (0, 1]. Received: `threshold`={threshold!r}")
        self.average, self.beta, self.threshold = average, beta, threshold
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        # true positives, false positives, false negatives, label weights; a reset keeps their shape
        counts = getattr(self, "_counts", None)
        self._counts = None if counts is None else tuple(torch.zeros_like(t) for t in counts)

    def update_state(self, y_true, y_pred, sample_weight=None):
        with torch.no_grad():
            y_pred = _t(y_pred).detach().to(self._dtype)
            y_true = _t(y_true, y_pred).to(self._dtype)
            if self.threshold is None:
                top = torch.amax(y_pred, dim=-1, keepdim=True)
                y_pred = ((y_pred >= top) & (y_pred.abs() > 1e-9)).to(self._dtype)
            else:
                y_pred = (y_pred > self.threshold).to(self._dtype)
            axis = None if self.average == "micro" else 0

            def weighted_sum(values):
                if sample_weight is not None:
                    values = values * _t(sample_weight, values).to(self._dtype).unsqueeze(1)
                return values.sum() if axis is None else values.sum(0)

            parts = (weighted_sum(y_pred * y_true), weighted_sum(y_pred * (1 - y_true)),
                     weighted_sum((1 - y_pred) * y_true), weighted_sum(y_true))
            self._counts = parts if self._counts is None else tuple(a + b for a, b in zip(self._counts, parts))

    def result(self):
        if self._counts is None:
            return torch.zeros((), dtype=self._dtype)
        tp, fp, fn, label_weights = self._counts
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        score = precision * recall / (self.beta ** 2 * precision + recall + EPSILON) * (1 + self.beta ** 2)
        if self.average == "weighted":
            return (score * label_weights / (label_weights.sum() + EPSILON)).sum()
        if self.average is not None:
            return score.mean()
        return score

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """F-beta with beta = 1."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


CLASSES = {c.__name__: c for c in (
    Accuracy, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson,
    Hinge, SquaredHinge, CategoricalHinge, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError,
    CosineSimilarity, Sum, RootMeanSquaredError, TruePositives, FalsePositives, TrueNegatives, FalseNegatives,
    R2Score, FBetaScore, F1Score)}

# the names compile(metrics=[...]) resolves, and the class each builds
BY_NAME = {
    "binary_crossentropy": BinaryCrossentropy, "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy, "kl_divergence": KLDivergence,
    "poisson": Poisson, "hinge": Hinge, "squared_hinge": SquaredHinge, "categorical_hinge": CategoricalHinge,
    "mean_absolute_percentage_error": MeanAbsolutePercentageError, "mape": MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": MeanSquaredLogarithmicError, "msle": MeanSquaredLogarithmicError,
    "log_cosh": LogCoshError, "logcosh": LogCoshError, "cosine_similarity": CosineSimilarity,
    "root_mean_squared_error": RootMeanSquaredError, "r2_score": R2Score, "f1_score": F1Score,
    "fbeta_score": FBetaScore,
}

# keras.metrics's functions (the loss functions Keras also exports under keras.metrics)
FUNCTIONS = {
    "binary_crossentropy": _losses.binary_crossentropy, "categorical_crossentropy": _losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": _losses.sparse_categorical_crossentropy,
    "binary_focal_crossentropy": _losses.binary_focal_crossentropy,
    "categorical_focal_crossentropy": _losses.categorical_focal_crossentropy,
    "categorical_hinge": _losses.categorical_hinge, "hinge": _losses.hinge, "squared_hinge": _losses.squared_hinge,
    "huber": _losses.huber, "kl_divergence": _losses.kl_divergence, "log_cosh": _losses.log_cosh,
    "mean_absolute_error": _losses.mean_absolute_error, "mean_squared_error": _losses.mean_squared_error,
    "mean_absolute_percentage_error": _losses.mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": _losses.mean_squared_logarithmic_error, "poisson": _losses.poisson,
}
