"""Regularization layers (inference, where TF's are the identity), ActivityRegularization's
loss, TimeDistributed and SpectralNormalization wrappers, BatchNormalization with renorm, and
whole models built from them. Training-mode statistics and multi-step checks are in
test_corelayers_parity.py."""

from case import Both, Case

CORELAYER_CASES = [
    Case("spatial-dropout1d-inference", "SpatialDropout1D", {"rate": 0.5}, (2, 4, 3)),
    Case("spatial-dropout2d-inference", "SpatialDropout2D", {"rate": 0.3, "seed": 2}, (2, 3, 4, 2)),
    Case("spatial-dropout2d-channels-first-inference", "SpatialDropout2D",
         {"rate": 0.3, "data_format": "channels_first"}, (2, 2, 3, 4)),
    Case("spatial-dropout3d-inference", "SpatialDropout3D", {"rate": 0.2}, (2, 2, 3, 2, 3)),
    Case("gaussian-noise-inference", "GaussianNoise", {"stddev": 0.5, "seed": 1}, (3, 4)),
    Case("gaussian-dropout-inference", "GaussianDropout", {"rate": 0.4}, (3, 4)),
    Case("alpha-dropout-inference", "AlphaDropout", {"rate": 0.2, "noise_shape": (None, 1, 3)}, (2, 4, 3)),
    Case("activity-regularization-l1", "ActivityRegularization", {"l1": 0.1}, (3, 4)),
    Case("activity-regularization-l1-l2", "ActivityRegularization", {"l1": 0.01, "l2": 0.2}, (2, 3, 4)),
    Case("time-distributed-dense", "TimeDistributed", {"layer": Both(lambda K: K.layers.Dense(3))}, (2, 4, 5)),
    Case("time-distributed-conv2d", "TimeDistributed",
         {"layer": Both(lambda K: K.layers.Conv2D(2, 3, padding="same", activation="relu"))}, (2, 3, 5, 5, 2)),
    Case("time-distributed-batchnorm", "TimeDistributed",
         {"layer": Both(lambda K: K.layers.BatchNormalization())}, (3, 2, 4)),
    Case("time-distributed-nested", "TimeDistributed",
         {"layer": Both(lambda K: K.layers.TimeDistributed(K.layers.Dense(2, kernel_regularizer="l2")))},
         (2, 3, 4, 5)),
    Case("spectral-normalization-dense", "SpectralNormalization", {"layer": Both(lambda K: K.layers.Dense(3))},
         (2, 5)),
    Case("spectral-normalization-conv2d", "SpectralNormalization",
         {"layer": Both(lambda K: K.layers.Conv2D(2, 3, kernel_regularizer="l2")), "power_iterations": 2},
         (2, 5, 5, 3)),
]


def time_distributed_cnn(K):
    # A per-frame CNN feature extractor and an LSTM over the frames (video classification).
    frames = K.Input(shape=(4, 6, 6, 2))
    cnn = K.Sequential([K.Input(shape=(6, 6, 2)), K.layers.Conv2D(3, 3, activation="relu"),
                        K.layers.BatchNormalization(), K.layers.GlobalAveragePooling2D()])
    h = K.layers.TimeDistributed(cnn)(frames)
    h = K.layers.SpatialDropout1D(0.2)(h)
    h = K.layers.LSTM(4)(h)
    return K.Model(frames, K.layers.Dense(2)(h))


def masked_time_distributed_tagger(K):
    # Padded token ids -> Embedding(mask_zero) -> LSTM sequences -> TimeDistributed(Dense).
    ids = K.Input(shape=(6,), dtype="int32")
    h = K.layers.Embedding(10, 4, mask_zero=True)(ids)
    h = K.layers.LSTM(5, return_sequences=True)(h)
    h = K.layers.TimeDistributed(K.layers.Dense(3))(h)
    return K.Model(ids, K.layers.GlobalAveragePooling1D()(h))


def selu_alpha_dropout_mlp(K):
    return K.Sequential([
        K.Input(shape=(6,)),
        K.layers.GaussianNoise(0.1),
        K.layers.Dense(8, activation="selu", kernel_initializer="lecun_normal"),
        K.layers.AlphaDropout(0.1),
        K.layers.Dense(8, activation="selu"),
        K.layers.GaussianDropout(0.2),
        K.layers.ActivityRegularization(l2=0.01),
        K.layers.Dense(2),
    ])


def tied_language_model_head(K, **kwargs):
    # Token ids -> ReversibleEmbedding -> a feed-forward block -> the same embedding, reversed.
    ids = K.Input(shape=(5,), dtype="int32")
    embedding = K.layers.ReversibleEmbedding(12, 6, **kwargs)
    h = K.layers.Dense(6, activation="gelu")(embedding(ids))
    h = K.layers.LayerNormalization()(h)
    return K.Model(ids, embedding(h, reverse=True))


def untied_soft_capped_head(K):
    return tied_language_model_head(K, tie_weights=False, logit_soft_cap=3.0, reverse_dtype="float32")


CORELAYER_CASES += [
    Case("reversible-embedding", "ReversibleEmbedding", {"input_dim": 9, "output_dim": 3}, (2, 4), input_dtype="int32"),
    Case("reversible-embedding-untied-mask-zero", "ReversibleEmbedding",
         {"input_dim": 7, "output_dim": 2, "tie_weights": False, "mask_zero": True}, (3, 5), input_dtype="int32"),
    Case("model-tied-reversible-embedding-head", build=tied_language_model_head, input_shapes=(2, 5),
         input_dtype="int32"),
    Case("model-untied-soft-capped-reversible-embedding", build=untied_soft_capped_head, input_shapes=(2, 5),
         input_dtype="int32"),
    Case("model-time-distributed-cnn-lstm", build=time_distributed_cnn, input_shapes=(2, 4, 6, 6, 2)),
    Case("model-masked-time-distributed-tagger", build=masked_time_distributed_tagger, input_shapes=(3, 6),
         input_dtype="int32"),
    Case("model-selu-alpha-dropout-mlp", build=selu_alpha_dropout_mlp, input_shapes=(4, 6)),
]
