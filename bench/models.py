"""The benchmark models: one Keras definition (built from kerascompat, tf.keras or Keras 3 with
the torch backend) and the same model hand-written in torch."""

import torch
import torch.nn.functional as F
from torch import nn

# name -> (input shape without batch, batch size, number of classes)
SPECS = {
    "convnet": ((28, 28, 1), 128, 10),
    "conv3d": ((16, 16, 16, 2), 8, 4),
    "birnn": ((100, 32), 64, 5),
    "mlp_b1": ((64,), 1, 10),
    "pooling": ((63, 63, 8), 64, 10),
    "resnet_bn": ((32, 32, 3), 64, 10),
    "embed_bilstm": ((80,), 64, 2),
    "transformer": ((128, 128), 32, 10),
    "mobilenet": ((64, 64, 3), 32, 10),
}
# Models fed token ids (right-padded with 0s), not floats: name -> vocabulary size.
TOKEN_MODELS = {"embed_bilstm": 5000}
IMAGE_MODELS = ("convnet", "conv3d", "pooling", "resnet_bn", "mobilenet")


def make_tokens(batch, steps, vocab, generator):
    """Token ids in [1, vocab) right-padded with 0 to `steps`; lengths between steps/2 and steps."""
    ids = torch.randint(1, vocab, (batch, steps), generator=generator)
    lengths = torch.randint(steps // 2, steps + 1, (batch,), generator=generator)
    return ids * (torch.arange(steps) < lengths[:, None])

# MobileNetV2-style inverted residual blocks: (expansion, output channels, stride).
MOBILENET_BLOCKS = ((1, 16, 1), (6, 24, 2), (6, 24, 1))


def build_keras(name, K):
    """The Keras code of each model (logits out; the loss applies softmax)."""
    L = K.layers
    shape = SPECS[name][0]
    if name == "convnet":  # keras.io's MNIST convnet
        return K.Sequential([
            K.Input(shape=shape),
            L.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            L.MaxPooling2D(pool_size=(2, 2)),
            L.Flatten(),
            L.Dropout(0.5),
            L.Dense(10),
        ])
    if name == "conv3d":
        return K.Sequential([
            K.Input(shape=shape),
            L.Conv3D(16, 3, padding="same", activation="relu"),
            L.Conv3D(32, 3, strides=2, padding="same", activation="relu"),
            L.Conv3DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            L.GlobalAveragePooling3D(),
            L.Dense(4),
        ])
    if name == "birnn":
        return K.Sequential([
            K.Input(shape=shape),
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.GRU(64),
            L.Dense(5),
        ])
    if name == "pooling":  # pooling-heavy, with TF 'same' pads that are asymmetric (0, 1)
        return K.Sequential([
            K.Input(shape=shape),
            L.Conv2D(16, 3, padding="same", activation="relu"),
            L.MaxPooling2D(3, strides=2, padding="same"),          # 63 -> 32, pads (1, 1)
            L.Conv2D(32, 3, padding="same", activation="relu"),
            L.AveragePooling2D(3, strides=2, padding="same"),      # 32 -> 16, pads (0, 1): real-cell averages
            L.MaxPooling2D(2, padding="same"),                     # 16 -> 8
            L.GlobalAveragePooling2D(),
            L.Dense(10),
        ])
    if name == "resnet_bn":  # a ResNet stem and two basic blocks: Conv2D -> BatchNormalization -> ReLU -> Add
        x = K.Input(shape=shape)
        h = L.Activation("relu")(L.BatchNormalization()(L.Conv2D(32, 3, padding="same", use_bias=False)(x)))
        for _ in range(2):
            r = L.Activation("relu")(L.BatchNormalization()(L.Conv2D(32, 3, padding="same", use_bias=False)(h)))
            r = L.BatchNormalization()(L.Conv2D(32, 3, padding="same", use_bias=False)(r))
            h = L.Activation("relu")(L.Add()([h, r]))
        return K.Model(x, L.Dense(10)(L.GlobalAveragePooling2D()(h)))
    if name == "embed_bilstm":  # keras.io's text classifier: padded ids -> masked Bidirectional LSTM
        return K.Sequential([
            K.Input(shape=shape, dtype="int32"),
            L.Embedding(TOKEN_MODELS[name], 64, mask_zero=True),
            L.Bidirectional(L.LSTM(64)),
            L.Dense(2),
        ])
    if name == "mobilenet":  # MobileNetV2's stem, inverted residual blocks (depthwise 3x3) and head
        x = K.Input(shape=shape)
        h = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(x)))
        for expansion, filters, stride in MOBILENET_BLOCKS:
            channels = h.shape[-1]
            y = h
            if expansion != 1:
                y = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(channels * expansion, 1, use_bias=False)(y)))
            y = L.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(y)
            y = L.ReLU(6.0)(L.BatchNormalization()(y))
            y = L.BatchNormalization()(L.Conv2D(filters, 1, use_bias=False)(y))
            h = L.Add()([h, y]) if stride == 1 and channels == filters else y
        h = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(64, 1, use_bias=False)(h)))
        return K.Model(x, L.Dense(10)(L.GlobalAveragePooling2D()(h)))
    if name == "mlp_b1":
        return K.Sequential([
            K.Input(shape=shape),
            L.Dense(128, activation="relu"),
            L.Dense(128, activation="relu"),
            L.Dense(10),
        ])
    if name == "transformer":  # a post-norm transformer encoder block (keras.io's text classifier's block)
        x = K.Input(shape=shape)
        h = L.MultiHeadAttention(num_heads=4, key_dim=32)(x, x)
        h = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, h]))
        f = L.Dense(128)(L.Dense(256, activation="relu")(h))
        h = L.LayerNormalization(epsilon=1e-6)(L.Add()([h, f]))
        return K.Model(x, L.Dense(10)(L.GlobalAveragePooling1D()(h)))
    raise KeyError(name)


class TorchConvnet(nn.Module):
    def __init__(self, channels_last):
        super().__init__()
        self.channels_last = channels_last
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64 * 5 * 5, 10)

    def forward(self, x):  # x: NCHW (in channels_last memory format when channels_last)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc(F.dropout(x, 0.5, self.training))


class TorchConv3d(nn.Module):
    """The Keras model's math by hand: TensorFlow's 'same' with stride 2 pads (0, 1), which
    torch's symmetric `padding` cannot express, and the transposed 'same' crops the end."""

    def __init__(self, channels_last):
        super().__init__()
        self.c1 = nn.Conv3d(2, 16, 3, padding=1)
        self.c2 = nn.Conv3d(16, 32, 3, stride=2)
        self.t1 = nn.ConvTranspose3d(32, 16, 3, stride=2)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(F.pad(x, (0, 1, 0, 1, 0, 1))))
        n = x.shape[2] * 2
        x = F.relu(self.t1(x)[:, :, :n, :n, :n])
        return self.fc(x.mean(dim=(2, 3, 4)))


class TorchBiRNN(nn.Module):
    def __init__(self, channels_last=None):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(128, 64, batch_first=True)
        self.fc = nn.Linear(64, 5)

    def forward(self, x):
        x, _ = self.lstm(x)
        _, h = self.gru(x)
        return self.fc(h[0])


class TorchMLP(nn.Module):
    def __init__(self, channels_last=None):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(64, 128), nn.Linear(128, 128), nn.Linear(128, 10)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class TorchPooling(nn.Module):
    """The Keras model's math by hand: TF's (0, 1) average-pool pad is torch's ceil_mode with
    count_include_pad=False (the extra window cell is not a real cell)."""

    def __init__(self, channels_last):
        super().__init__()
        self.c1 = nn.Conv2d(8, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 3, 2, padding=1)
        x = F.relu(self.c2(x))
        x = F.avg_pool2d(x, 3, 2, ceil_mode=True, count_include_pad=False)
        x = F.max_pool2d(x, 2)
        return self.fc(x.mean(dim=(2, 3)))


class TorchResNetBN(nn.Module):
    """BatchNorm2d with Keras's defaults: eps 1e-3, Keras momentum 0.99 = torch momentum 0.01."""

    def __init__(self, channels_last):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(3 if i == 0 else 32, 32, 3, padding=1, bias=False) for i in range(5))
        self.norms = nn.ModuleList(nn.BatchNorm2d(32, eps=1e-3, momentum=0.01) for _ in range(5))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        c, n = self.convs, self.norms
        x = F.relu(n[0](c[0](x)))
        for i in (1, 3):
            r = F.relu(n[i](c[i](x)))
            x = F.relu(x + n[i + 1](c[i + 1](r)))
        return self.fc(x.mean(dim=(2, 3)))


class TorchEmbedBiLSTM(nn.Module):
    """Right-padded ids through packed sequences: the final states at each sequence's real end."""

    def __init__(self, channels_last=None):
        super().__init__()
        self.embedding = nn.Embedding(TOKEN_MODELS["embed_bilstm"], 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(128, 2)

    def forward(self, ids):
        lengths = (ids != 0).sum(dim=1)
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.fc(torch.cat([h[0], h[1]], dim=1))


class TorchTransformer(nn.Module):
    """The same encoder block with nn.Linear projections and F.scaled_dot_product_attention."""

    def __init__(self, channels_last=None, dim=128, heads=4, head_dim=32):
        super().__init__()
        self.heads, self.head_dim = heads, head_dim
        self.q, self.k, self.v = (nn.Linear(dim, heads * head_dim) for _ in range(3))
        self.o = nn.Linear(heads * head_dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim, eps=1e-6), nn.LayerNorm(dim, eps=1e-6)
        self.ff1, self.ff2 = nn.Linear(dim, 256), nn.Linear(256, dim)
        self.fc = nn.Linear(dim, 10)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = (m(x).view(b, t, self.heads, self.head_dim).transpose(1, 2) for m in (self.q, self.k, self.v))
        a = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, t, -1)
        h = self.ln1(x + self.o(a))
        h = self.ln2(h + self.ff2(F.relu(self.ff1(h))))
        return self.fc(h.mean(dim=1))


class TorchMobileNet(nn.Module):
    """The Keras model's math by hand: Keras's BatchNormalization is torch's with eps 1e-3 and
    momentum 0.01; TF's 'same' 3x3 stride 2 on an even size pads (0, 1), done with F.pad."""

    def __init__(self, channels_last):
        super().__init__()

        def conv_bn(cin, cout, kernel=1, stride=1, groups=1):
            padding = 1 if kernel == 3 and stride == 1 else 0  # stride 2 pads (0, 1) in forward
            return nn.ModuleList([nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False),
                                  nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)])

        self.stem = conv_bn(3, 16, 3, 2)
        self.blocks = nn.ModuleList()
        channels = 16
        for expansion, filters, stride in MOBILENET_BLOCKS:
            hidden = channels * expansion
            block = nn.ModuleDict()
            if expansion != 1:
                block["expand"] = conv_bn(channels, hidden)
            block["depthwise"] = conv_bn(hidden, hidden, 3, stride, groups=hidden)
            block["project"] = conv_bn(hidden, filters)
            self.blocks.append(block)
            channels = filters
        self.head = conv_bn(channels, 64)
        self.fc = nn.Linear(64, 10)

    @staticmethod
    def _same(x, conv_bn):
        conv, bn = conv_bn
        if conv.stride[0] == 2:
            x = F.pad(x, (0, 1, 0, 1))
        return bn(conv(x))

    def forward(self, x):
        h = F.relu6(self._same(x, self.stem))
        for block, (_, filters, stride) in zip(self.blocks, MOBILENET_BLOCKS):
            y = F.relu6(self._same(h, block["expand"])) if "expand" in block else h
            y = F.relu6(self._same(y, block["depthwise"]))
            y = self._same(y, block["project"])
            h = h + y if stride == 1 and h.shape[1] == filters else y
        h = F.relu6(self._same(h, self.head))
        return self.fc(h.mean(dim=(2, 3)))


TORCH_MODELS = {"convnet": TorchConvnet, "conv3d": TorchConv3d, "birnn": TorchBiRNN, "mlp_b1": TorchMLP,
                "pooling": TorchPooling, "resnet_bn": TorchResNetBN, "embed_bilstm": TorchEmbedBiLSTM,
                "transformer": TorchTransformer, "mobilenet": TorchMobileNet}


def torch_input(name, x_keras_layout, channels_last):
    """Hand-written torch takes NC... inputs; channels_last keeps the memory in NHWC order."""
    if name in IMAGE_MODELS:
        perm = (0, 4, 1, 2, 3) if name == "conv3d" else (0, 3, 1, 2)
        x = x_keras_layout.permute(*perm)
        if not channels_last:
            x = x.contiguous()
        return x
    return x_keras_layout


def build_torch(name, channels_last):
    model = TORCH_MODELS[name](channels_last)
    if channels_last and name in IMAGE_MODELS:
        fmt = torch.channels_last_3d if name == "conv3d" else torch.channels_last
        model = model.to(memory_format=fmt)
    return model
