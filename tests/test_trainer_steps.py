"""Keras 3 subclassed-model training on the torch backend: overridden train_step / test_step /
predict_step, compute_loss, self.metrics, optimizer.apply / apply_gradients, and Keras 2's
compiled_loss / compiled_metrics, as keras.io's "Customizing what happens in fit()" writes them."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


def regression_data(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 0.25).astype("float32")
    return x, y


class CustomModel(keras.Model):
    """The guide's train_step, written for Keras 3's torch backend."""

    def __init__(self, use_apply_gradients=False):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1)
        self.use_apply_gradients = use_apply_gradients
        self.steps_run = 0

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = list(self.trainable_weights)
        grads = [v.grad for v in trainable_weights]
        with torch.no_grad():
            if self.use_apply_gradients:
                self.optimizer.apply_gradients(zip(grads, trainable_weights))
            else:
                self.optimizer.apply(grads, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        self.steps_run += 1
        return {m.name: m.result() for m in self.metrics}


@pytest.mark.parametrize("optimizer", ["adam", "keras_object", "torch_instance", "apply_gradients"])
def test_guide_train_step_trains(optimizer):
    x, y = regression_data()
    torch.manual_seed(0)
    model = CustomModel(use_apply_gradients=optimizer == "apply_gradients")
    model(torch.from_numpy(x[:2]))  # build, so a torch optimizer can be made from the parameters
    opt = {"adam": "adam", "apply_gradients": "adam", "keras_object": keras.optimizers.Adam(learning_rate=0.01),
           "torch_instance": torch.optim.Adam(model.parameters(), lr=0.01)}[optimizer]
    model.compile(optimizer=opt, loss="mse", metrics=["mae"])
    before = [w.copy() for w in model.get_weights()]
    first = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert model.steps_run == 5 * 4
    assert set(history.history) == {"loss", "mae"} and len(history.history["loss"]) == 5
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(x, y, verbose=0)[0] < first[0]
    assert all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    logs = model.train_on_batch(x[:32], y[:32], return_dict=True)  # train_on_batch runs the override too
    assert model.steps_run == 21 and set(logs) == {"loss", "mae"}


def test_apply_updates_only_the_variables_it_is_given():
    x, y = regression_data(n=32)
    model = CustomModel()
    model(torch.from_numpy(x[:2]))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    optimizer = model.optimizer
    hidden = list(model.hidden.trainable_weights)
    out_before = [w.detach().clone() for w in model.out.trainable_weights]
    hidden_before = [w.detach().clone() for w in hidden]
    loss = model.compute_loss(y=torch.from_numpy(y), y_pred=model(torch.from_numpy(x)))
    model.zero_grad()
    loss.backward()  # every weight now has a gradient
    optimizer.apply([w.grad for w in hidden], hidden)
    assert all(torch.equal(a, b) for a, b in zip(out_before, model.out.trainable_weights))
    assert all(not torch.equal(a, b) for a, b in zip(hidden_before, hidden))
    assert all(w.grad is not None for w in model.out.trainable_weights)  # set aside, then given back


class GAN(keras.Model):
    """keras.io's GAN train_step (two networks, two Keras optimizers, own loss trackers)."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.built = True

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real_images):
        if isinstance(real_images, (tuple, list)):
            real_images = real_images[0]
        batch_size = real_images.shape[0]
        generated = self.generator(torch.randn(batch_size, self.latent_dim))
        combined = torch.concat([generated, real_images], axis=0)
        labels = torch.concat([torch.ones((batch_size, 1)), torch.zeros((batch_size, 1))], axis=0)
        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(combined))
        d_loss.backward()
        grads = [v.grad for v in self.discriminator.trainable_weights]
        with torch.no_grad():
            self.d_optimizer.apply(grads, self.discriminator.trainable_weights)

        misleading = torch.zeros((batch_size, 1))
        self.zero_grad()
        g_loss = self.loss_fn(misleading, self.discriminator(self.generator(torch.randn(batch_size, self.latent_dim))))
        g_loss.backward()
        grads = [v.grad for v in self.generator.trainable_weights]
        with torch.no_grad():
            self.g_optimizer.apply(grads, self.generator.trainable_weights)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_gan_train_step_with_two_keras_optimizers():
    torch.manual_seed(0)
    latent_dim = 3
    discriminator = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    generator = keras.Sequential([keras.Input((latent_dim,)), layers.Dense(8, activation="relu"), layers.Dense(6)])
    gan = GAN(discriminator, generator, latent_dim)
    d_opt = keras.optimizers.Adam(learning_rate=0.01)
    g_opt = keras.optimizers.SGD(learning_rate=0.05)
    gan.compile(d_optimizer=d_opt, g_optimizer=g_opt,
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    d_before = [w.copy() for w in discriminator.get_weights()]
    g_before = [w.copy() for w in generator.get_weights()]
    images = torch.randn(64, 6) + 2.0
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images), batch_size=16)
    history = gan.fit(loader, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 2
    assert all(np.isfinite(v) for v in history.history["d_loss"] + history.history["g_loss"])
    assert all(not np.allclose(a, b) for a, b in zip(d_before, discriminator.get_weights()))
    assert all(not np.allclose(a, b) for a, b in zip(g_before, generator.get_weights()))
    # Each Keras optimizer built a torch optimizer over its own network only, once.
    assert isinstance(d_opt._torch_optimizer, torch.optim.Adam) and isinstance(g_opt._torch_optimizer, torch.optim.SGD)
    assert {id(p) for g in d_opt._torch_optimizer.param_groups for p in g["params"]} == \
        {id(p) for p in discriminator.trainable_weights}
    assert d_opt.iterations == g_opt.iterations == 2 * 4


class Keras2Model(keras.Model):
    """A tf.keras 2 train_step: compiled_loss / compiled_metrics / self.metrics."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)

    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_keras2_compiled_loss_and_compiled_metrics():
    x, y = regression_data()
    model = Keras2Model()
    model(torch.from_numpy(x[:2]))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=4, batch_size=16, verbose=0, shuffle=False)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The tracked loss is the epoch's mean batch loss, not something else.
    assert history.history["mae"][-1] < history.history["mae"][0]


class StepOverrides(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(2)
        self.seen = keras.metrics.Mean(name="seen_mean")  # tracked because it is assigned to the model

    def call(self, inputs):
        return self.dense(inputs)

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.seen.update_state(y_pred)
        return {"custom_score": torch.tensor(7.0), "seen_mean": self.seen.result()}

    def predict_step(self, data):
        (x,) = data
        return self(x, training=False) * 0.0 + 1.0


def test_test_step_and_predict_step_overrides_are_honoured():
    x = np.ones((10, 3), "float32")
    y = np.zeros((10, 2), "float32")
    model = StepOverrides()
    model(torch.from_numpy(x[:1]))
    model.compile(optimizer="sgd", loss="mse")
    assert [m.name for m in model.metrics] == ["loss", "seen_mean"]
    assert model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)["custom_score"] == 7.0
    assert model.test_on_batch(x, y, return_dict=True)["custom_score"] == 7.0
    np.testing.assert_array_equal(model.predict(x, batch_size=4, verbose=0), np.ones((10, 2), "float32"))
    np.testing.assert_array_equal(model.predict_on_batch(x), np.ones((10, 2), "float32"))
    history = model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y))
    assert history.history["val_custom_score"] == [7.0]


class LossOverride(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return torch.mean(torch.abs(y_pred - y)) * 0.0 + 42.0 + 0.0 * y_pred.sum()


def test_compute_loss_override_is_used_by_the_default_steps():
    x, y = regression_data(n=16)
    model = LossOverride()
    model(torch.from_numpy(x[:1]))
    model.compile(optimizer="sgd", loss="mse")
    assert model.fit(x, y, epochs=1, verbose=0).history["loss"] == [pytest.approx(42.0)]
    assert model.evaluate(x, y, verbose=0) == pytest.approx(42.0)
