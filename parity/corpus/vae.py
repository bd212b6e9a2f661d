"""Variational autoencoder: a Sampling layer (keras.random.normal with a SeedGenerator), encoder and decoder
models, and a subclassed VAE model whose train_step computes reconstruction + KL loss with keras.ops.

keras.io example: examples/generative/vae.py (keras-team/keras-io), Keras 3 version (`ops`, `keras.random`).
Changed: 8x8 synthetic images (decoder Dense(2 * 2 * 64) / Reshape((2, 2, 64)) instead of 7x7 for 28x28 MNIST).
The outputs compared are the encoder's z_mean and z_log_var and the decoder applied to z_mean (z is random);
the training step is the example's train_step loss.
"""

LATENT_DIM = 2


def build(keras):
    ops = keras.ops
    layers = keras.layers

    class Sampling(layers.Layer):
        """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, inputs):
            z_mean, z_log_var = inputs
            batch = ops.shape(z_mean)[0]
            dim = ops.shape(z_mean)[1]
            epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
            return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    encoder_inputs = keras.Input(shape=(8, 8, 1))
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(LATENT_DIM, name="z_mean")(x)
    z_log_var = layers.Dense(LATENT_DIM, name="z_log_var")(x)
    z = Sampling()([z_mean, z_log_var])
    encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

    latent_inputs = keras.Input(shape=(LATENT_DIM,))
    x = layers.Dense(2 * 2 * 64, activation="relu")(latent_inputs)
    x = layers.Reshape((2, 2, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
    decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")

    class VAE(keras.Model):
        def __init__(self, encoder, decoder, **kwargs):
            super().__init__(**kwargs)
            self.encoder = encoder
            self.decoder = decoder
            self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
            self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
            self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

        @property
        def metrics(self):
            return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

        def compute_vae_loss(self, data):
            # The body of the example's train_step (inside its GradientTape).
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(
                ops.sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2))
            )
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            return reconstruction_loss + kl_loss

        def call(self, x):
            z_mean, z_log_var, z = self.encoder(x)
            return self.decoder(z)

    return VAE(encoder, decoder)


def outputs(model, x):
    z_mean, z_log_var, _ = model.encoder(x, training=False)
    return [z_mean, z_log_var, model.decoder(z_mean, training=False)]


def train_loss(keras, model, x, y):
    return model.compute_vae_loss(x)


def inputs(rng):
    return rng.random((3, 8, 8, 1)).astype("float32")


def targets(rng):
    return None


def loss(keras):
    return None
