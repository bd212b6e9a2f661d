"""EinsumDense and the attention layers against tf.keras: EinsumDense equations, Attention /
AdditiveAttention as layer cases (a list of inputs), MultiHeadAttention and GroupQueryAttention in
small functional models (they take query/value/key as separate arguments): every argument, the
masks (Keras padding masks from Masking / Embedding(mask_zero=True), causal, an explicit
attention_mask, their combinations), attention scores, and whole models (keras.io's
text-classification transformer with its token + position embedding layer, an encoder-decoder with
a causal decoder, a ViT-style block on image patches)."""

import numpy as np

from case import Both, Case

EINSUM_CASES = [
    Case("einsum-dense-matrix", "EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (3, 5)),
    Case("einsum-dense-sequence", "EinsumDense", {"equation": "abc,cd->abd", "output_shape": (None, 6),
                                                  "bias_axes": "d"}, (2, 4, 5)),
    Case("einsum-dense-left-ellipsis", "EinsumDense", {"equation": "...b,bc->...c", "output_shape": 6,
                                                       "bias_axes": "c", "activation": "relu"}, (2, 3, 4, 5)),
    Case("einsum-dense-right-ellipsis", "EinsumDense", {"equation": "ab...,bc->ac...", "output_shape": 6,
                                                        "bias_axes": "c"}, (2, 5, 3)),
    Case("einsum-dense-heads", "EinsumDense", {"equation": "abc,cde->abde", "output_shape": (None, 2, 3),
                                               "bias_axes": "de"}, (2, 4, 5)),
    Case("einsum-dense-partial-bias", "EinsumDense", {"equation": "abc,cde->abde", "output_shape": (None, 2, 3),
                                                      "bias_axes": "d"}, (2, 4, 5)),
    Case("einsum-dense-two-contracted", "EinsumDense", {"equation": "abcd,cde->abe", "output_shape": (None, 5),
                                                        "bias_axes": "e"}, (2, 4, 2, 3)),
    Case("einsum-dense-transposed-kernel", "EinsumDense", {"equation": "abc,dc->abd", "output_shape": (None, 4)},
         (2, 3, 5)),
    Case("einsum-dense-weight-args", "EinsumDense", {
        "equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c", "kernel_regularizer": "l2",
        "bias_regularizer": Both(lambda K: K.regularizers.L1(0.1)), "activity_regularizer": "l2",
        "kernel_constraint": Both(lambda K: K.constraints.MaxNorm(0.5)), "bias_constraint": "non_neg",
        "activation": "tanh"}, (3, 5)),
]

ATTENTION_LAYER_CASES = [
    Case("attention-dot", "Attention", {}, [(2, 4, 5), (2, 6, 5)]),
    Case("attention-dot-key", "Attention", {}, [(2, 4, 5), (2, 6, 3), (2, 6, 5)]),
    Case("attention-use-scale", "Attention", {"use_scale": True}, [(2, 4, 5), (2, 6, 5)]),
    Case("attention-concat", "Attention", {"score_mode": "concat"}, [(2, 4, 5), (2, 6, 5)]),
    Case("attention-concat-scale", "Attention", {"score_mode": "concat", "use_scale": True}, [(2, 4, 5), (2, 6, 5)]),
    Case("attention-causal", "Attention", {}, [(2, 5, 4), (2, 5, 4)], call_kwargs={"use_causal_mask": True}),
    Case("attention-scores", "Attention", {"dropout": 0.2, "seed": 3}, [(2, 4, 5), (2, 6, 5)],
         call_kwargs={"return_attention_scores": True}),
    Case("additive-attention", "AdditiveAttention", {}, [(2, 4, 5), (2, 6, 5)]),
    Case("additive-attention-no-scale-key", "AdditiveAttention", {"use_scale": False},
         [(2, 4, 5), (2, 6, 5), (2, 6, 5)]),
    Case("additive-attention-causal-scores", "AdditiveAttention", {}, [(2, 5, 4), (2, 5, 4)],
         call_kwargs={"use_causal_mask": True, "return_attention_scores": True}),
]


def _materialize(kwargs, K):
    return {k: (v.make(K) if isinstance(v, Both) else v) for k, v in kwargs.items()}


def attention_model(layer, kwargs, shapes, key=False, masking=False, **call_kwargs):
    """A functional model around one attention layer called as `layer(query, value[, key=key], ...)`;
    `shapes` (without batch) of query, value[, key]; `masking` puts a Masking layer (mask_value 0) on
    each input so Keras masks reach the layer."""

    def build(K):
        inputs = [K.Input(shape=s) for s in shapes]
        tensors = [K.layers.Masking(0.0)(t) for t in inputs] if masking else inputs
        kw = dict(call_kwargs)
        if key:
            kw["key"] = tensors[2]
        out = getattr(K.layers, layer)(**_materialize(kwargs, K))(tensors[0], tensors[1], **kw)
        return K.Model(inputs, list(out) if isinstance(out, tuple) else out)

    return build


def self_attention_model(layer, kwargs, shape, **call_kwargs):
    def build(K):
        x = K.Input(shape=shape)
        out = getattr(K.layers, layer)(**_materialize(kwargs, K))(x, x, **call_kwargs)
        return K.Model(x, list(out) if isinstance(out, tuple) else out)

    return build


_MASK_4x6 = np.ones((4, 6), bool)
_MASK_4x6[1, :] = False  # a fully masked query row
_MASK_4x6[:, 4:] = False
_BATCH_MASK = np.ones((2, 4, 6), bool)
_BATCH_MASK[0, :, 3:] = False
_BATCH_MASK[1, 2, :] = False

_Q, _V = (4, 5), (6, 5)
_TWO = [(2,) + _Q, (2,) + _V]
_THREE = _TWO + [(2, 6, 3)]

MHA_CASES = [
    Case("mha-cross", build=attention_model("MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V]),
         input_shapes=_TWO),
    Case("mha-self", build=self_attention_model("MultiHeadAttention", {"num_heads": 3, "key_dim": 4}, (5, 6)),
         input_shapes=(2, 5, 6)),
    Case("mha-key-value-dim-no-bias", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "value_dim": 4, "use_bias": False}, [_Q, _V, (6, 3)],
        key=True), input_shapes=_THREE),
    Case("mha-output-shape", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "output_shape": (2, 4)}, [_Q, _V]), input_shapes=_TWO),
    Case("mha-output-shape-int", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "output_shape": 7}, [_Q, _V]), input_shapes=_TWO),
    Case("mha-scores", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], return_attention_scores=True),
        input_shapes=_TWO),
    Case("mha-causal", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, (5, 4), use_causal_mask=True), input_shapes=(2, 5, 4)),
    Case("mha-causal-cross", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], use_causal_mask=True), input_shapes=_TWO),
    Case("mha-causal-scores", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, (5, 4), use_causal_mask=True,
        return_attention_scores=True), input_shapes=(2, 5, 4)),
    Case("mha-attention-mask", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], attention_mask=_MASK_4x6),
        input_shapes=_TWO),
    Case("mha-attention-mask-batch", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], attention_mask=_BATCH_MASK),
        input_shapes=_TWO),
    Case("mha-attention-mask-scores", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], attention_mask=_BATCH_MASK,
        return_attention_scores=True), input_shapes=_TWO),
    Case("mha-attention-mask-dropout", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "dropout": 0.3, "seed": 1}, [_Q, _V],
        attention_mask=_BATCH_MASK), input_shapes=_TWO),
    Case("mha-attention-mask-and-causal", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V], attention_mask=_BATCH_MASK,
        use_causal_mask=True), input_shapes=_TWO),
    Case("mha-padding-masks", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [(5, 4), (5, 4)], masking=True),
        input_shapes=[(3, 5, 4), (3, 5, 4)], padded_lengths=[5, 3, 1]),
    Case("mha-padding-masks-key", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [(5, 4), (5, 4), (5, 3)], key=True, masking=True),
        input_shapes=[(3, 5, 4), (3, 5, 4), (3, 5, 3)], padded_lengths=[5, 3, 1]),
    Case("mha-padding-and-causal", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [(5, 4), (5, 4)], masking=True, use_causal_mask=True),
        input_shapes=[(3, 5, 4), (3, 5, 4)], padded_lengths=[5, 3, 2]),
    Case("mha-explicit-value-key-masks", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [_Q, _V, (6, 3)], key=True,
        value_mask=_BATCH_MASK[:, 0], key_mask=_BATCH_MASK[:, 2], query_mask=_BATCH_MASK[:, :, 0]),
        input_shapes=_THREE),
    Case("mha-sliding-window", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "sliding_window": 2}, (6, 4)), input_shapes=(2, 6, 4)),
    Case("mha-gate", build=attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "use_gate": True}, [_Q, _V]), input_shapes=_TWO),
    Case("mha-2d-attention-default-axes", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, (3, 4, 5)), input_shapes=(2, 3, 4, 5)),
    Case("mha-attention-axis-2", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "attention_axes": 2}, (3, 4, 5)),
        input_shapes=(2, 3, 4, 5)),
    Case("mha-attention-axes-scores", build=self_attention_model(
        "MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2)}, (3, 2, 4),
        return_attention_scores=True), input_shapes=(2, 3, 2, 4)),
    Case("mha-weight-args", build=attention_model("MultiHeadAttention", {
        "num_heads": 2, "key_dim": 3, "kernel_regularizer": "l2", "bias_regularizer": "l1",
        "activity_regularizer": Both(lambda K: K.regularizers.L2(0.01)),
        "kernel_constraint": Both(lambda K: K.constraints.MaxNorm(0.8)), "bias_constraint": "non_neg"}, [_Q, _V]),
        input_shapes=_TWO),
    Case("gqa-default", build=attention_model(
        "GroupQueryAttention", {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}, [_Q, _V]),
        input_shapes=_TWO),
    Case("gqa-one-kv-head-causal", build=self_attention_model(
        "GroupQueryAttention", {"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 1}, (5, 4),
        use_causal_mask=True), input_shapes=(2, 5, 4)),
    Case("gqa-scores-mask", build=attention_model(
        "GroupQueryAttention", {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2, "use_bias": False},
        [_Q, _V], attention_mask=_BATCH_MASK, return_attention_scores=True), input_shapes=_TWO),
    Case("gqa-explicit-masks", build=attention_model(
        "GroupQueryAttention", {"head_dim": 3, "num_query_heads": 2, "num_key_value_heads": 1}, [_Q, _V],
        query_mask=_BATCH_MASK[:, :, 0], value_mask=_BATCH_MASK[:, 0]), input_shapes=_TWO),
    Case("gqa-padding-gate-window", build=attention_model(
        "GroupQueryAttention", {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 2, "use_gate": True,
                                "sliding_window": 3}, [(5, 4), (5, 4)], masking=True),
        input_shapes=[(3, 5, 4), (3, 5, 4)], padded_lengths=[5, 3, 1]),
]


def _called_once(K, model, shape):
    # The custom layers below create their sublayers' weights on their first call. tf.keras makes
    # that call while building the functional graph; kerascompat's symbolic call infers shapes
    # without keeping what it built, so its model gets those weights on its first real call:
    # call it once, as programs do before `set_weights`.
    model(K.ops.zeros(shape))
    return model


def embedding_mask_attention(K):
    # Keras masks from Embedding(mask_zero=True) reach the attention and the pooling after it.
    tokens = K.Input(shape=(7,), dtype="int32")
    x = K.layers.Embedding(5, 8, mask_zero=True)(tokens)
    x = K.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    x = K.layers.GlobalAveragePooling1D()(x)
    return K.Model(tokens, K.layers.Dense(3)(x))


def text_classification_transformer(K):
    # keras.io's text classification with a Transformer: token + position embedding custom layer,
    # a transformer block custom layer (MHA, Dropout, LayerNormalization, feed-forward).
    layers, ops = K.layers, K.ops

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = K.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1 = layers.Dropout(rate)
            self.dropout2 = layers.Dropout(rate)

        def call(self, inputs):
            out1 = self.layernorm1(inputs + self.dropout1(self.att(inputs, inputs)))
            return self.layernorm2(out1 + self.dropout2(self.ffn(out1)))

    class TokenAndPositionEmbedding(layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            positions = self.pos_emb(ops.arange(start=0, stop=ops.shape(x)[-1], step=1))
            return self.token_emb(x) + positions

    inputs = layers.Input(shape=(6,))
    x = TokenAndPositionEmbedding(6, 5, 8)(inputs)
    x = TransformerBlock(8, 2, 16)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(6, activation="relu")(x)
    return _called_once(K, K.Model(inputs, layers.Dense(2, activation="softmax")(x)), (1, 6))


def encoder_decoder(K):
    # A transformer encoder and a decoder with causal self-attention and cross-attention.
    layers = K.layers
    enc_in, dec_in = K.Input(shape=(6, 8)), K.Input(shape=(5, 8))
    h = layers.MultiHeadAttention(num_heads=2, key_dim=4)(enc_in, enc_in)
    enc = layers.LayerNormalization()(layers.Add()([enc_in, h]))
    d = layers.MultiHeadAttention(num_heads=2, key_dim=4)(dec_in, dec_in, use_causal_mask=True)
    d = layers.LayerNormalization()(layers.Add()([dec_in, d]))
    c = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3)(d, enc)
    d = layers.LayerNormalization()(layers.Add()([d, c]))
    d = layers.Dense(8, activation="relu")(d)
    return K.Model([enc_in, dec_in], layers.Dense(4)(d))


def vit_block(K):
    # A ViT-style block on flattened image patches: patch projection, learned position embedding
    # (a custom layer), pre-norm attention and gelu MLP with residual Adds, a Flatten head.
    layers, ops = K.layers, K.ops

    class PatchEncoder(layers.Layer):
        def __init__(self, num_patches, projection_dim):
            super().__init__()
            self.num_patches = num_patches
            self.projection = layers.Dense(units=projection_dim)
            self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

        def call(self, patch):
            positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
            return self.projection(patch) + self.position_embedding(positions)

    patches = K.Input(shape=(9, 12))
    x = PatchEncoder(9, 8)(patches)
    for _ in range(2):
        h = layers.LayerNormalization(epsilon=1e-6)(x)
        h = layers.MultiHeadAttention(num_heads=2, key_dim=8, dropout=0.1)(h, h)
        x = layers.Add()([h, x])
        h = layers.LayerNormalization(epsilon=1e-6)(x)
        h = layers.Dense(16, activation="gelu")(h)
        h = layers.Dense(8, activation="gelu")(h)
        x = layers.Add()([h, x])
    x = layers.Flatten()(layers.LayerNormalization(epsilon=1e-6)(x))
    return _called_once(K, K.Model(patches, layers.Dense(3)(x)), (1, 9, 12))


def image_2d_attention(K):
    # Attention over both spatial axes of a feature map (attention_axes=(1, 2)).
    x = K.Input(shape=(4, 4, 3))
    h = K.layers.Conv2D(6, 3, padding="same")(x)
    h = K.layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))(h, h)
    return K.Model(x, K.layers.Dense(2)(K.layers.GlobalAveragePooling2D()(h)))


def luong_attention_model(K):
    # Attention layer between two masked sequences (mask=[query_mask, value_mask] from Masking).
    q, v = K.Input(shape=(5, 4)), K.Input(shape=(6, 4))
    mq, mv = K.layers.Masking(0.0)(q), K.layers.Masking(0.0)(v)
    h = K.layers.Attention(use_scale=True)([mq, mv])
    a = K.layers.AdditiveAttention()([mq, mv])
    return K.Model([q, v], K.layers.Dense(2)(K.layers.Concatenate()([h, a])))


def gqa_decoder_block(K):
    # A pre-norm decoder block with grouped-query causal self-attention (as in Llama-style models).
    x = K.Input(shape=(6, 8))
    h = K.layers.LayerNormalization()(x)
    h = K.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2, use_bias=False)(
        h, h, use_causal_mask=True)
    x2 = K.layers.Add()([x, h])
    h = K.layers.Dense(8)(K.layers.Dense(16, activation="silu")(K.layers.LayerNormalization()(x2)))
    return K.Model(x, K.layers.Add()([x2, h]))


_CUSTOM = "a layer class defined inside build (custom_objects)"

MODEL_CASES = [
    Case("model-embedding-mask-mha", build=embedding_mask_attention, input_shapes=(3, 7), input_dtype="int32",
         config_needs="tf.keras records Embedding(mask_zero=True)'s mask as a keras.ops NotEqual node in the "
                      "functional config, which kerascompat's graphs do not hold yet"),
    Case("model-text-classification-transformer", build=text_classification_transformer, input_shapes=(3, 6),
         input_dtype="int32", config_needs=_CUSTOM),
    Case("model-transformer-encoder-decoder-causal", build=encoder_decoder, input_shapes=[(2, 6, 8), (2, 5, 8)]),
    Case("model-vit-block", build=vit_block, input_shapes=(2, 9, 12), config_needs=_CUSTOM),
    Case("model-gqa-decoder-block", build=gqa_decoder_block, input_shapes=(2, 6, 8)),
    Case("model-2d-attention-over-image", build=image_2d_attention, input_shapes=(2, 4, 4, 3)),
    Case("model-masked-luong-and-additive-attention", build=luong_attention_model,
         input_shapes=[(3, 5, 4), (3, 6, 4)], padded_lengths=[5, 2, 3]),
]

ATTENTION_CASES = EINSUM_CASES + ATTENTION_LAYER_CASES + MHA_CASES + MODEL_CASES
