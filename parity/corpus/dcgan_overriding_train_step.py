"""DCGAN with a subclassed GAN model that overrides train_step (discriminator and generator Sequentials).

keras.io example: examples/generative/dcgan_overriding_train_step.py (keras-team/keras-io), the MNIST version.
Changed: latent_dim 8, 16 / 32 filters and 8x8 images (generator Dense(2 * 2 * 32) / Reshape((2, 2, 32)))
instead of 128, 64 / 128 and 28x28; synthetic images. The train_step's tf.shape/tf.random/tf.concat calls are
written with keras.ops / keras.random (as in the Keras 3 version of the example). The outputs compared are the
discriminator on real images and the generator on fixed latent vectors; the training step is the example's
discriminator loss.
"""

LATENT_DIM = 8


def build(keras):
    layers = keras.layers
    ops = keras.ops

    discriminator = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
            layers.LeakyReLU(alpha=0.2),
            layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
            layers.LeakyReLU(alpha=0.2),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1),
        ],
        name="discriminator",
    )
    generator = keras.Sequential(
        [
            keras.Input(shape=(LATENT_DIM,)),
            layers.Dense(2 * 2 * 32),
            layers.LeakyReLU(alpha=0.2),
            layers.Reshape((2, 2, 32)),
            layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
            layers.LeakyReLU(alpha=0.2),
            layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
            layers.LeakyReLU(alpha=0.2),
            layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
        ],
        name="generator",
    )

    class GAN(keras.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim
            self.seed_generator = keras.random.SeedGenerator(1337)

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
            self.loss_fn = loss_fn

        def discriminator_loss(self, real_images):
            # The discriminator half of the example's train_step.
            batch_size = ops.shape(real_images)[0]
            random_latent_vectors = keras.random.normal(shape=(batch_size, self.latent_dim),
                                                        seed=self.seed_generator)
            generated_images = self.generator(random_latent_vectors)
            combined_images = ops.concatenate([generated_images, real_images], axis=0)
            labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
            labels += 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
            predictions = self.discriminator(combined_images)
            return self.loss_fn(labels, predictions)

    return GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)


def outputs(model, x):
    images, latents = x
    return [model.discriminator(images, training=False), model.generator(latents, training=False)]


def train_loss(keras, model, x, y):
    model.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                  g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                  loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    return model.discriminator_loss(x[0])


def inputs(rng):
    return [rng.random((3, 8, 8, 1)).astype("float32"), rng.standard_normal((3, LATENT_DIM)).astype("float32")]


def targets(rng):
    return None


def loss(keras):
    return None
