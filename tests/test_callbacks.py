"""Keras's callbacks and batch API behaviours that ported programs rely on."""

import numpy as np
import pytest

import kerascompat as keras


def data(n=32):
    rng = np.random.default_rng(0)
    return rng.random((n, 4)).astype("float32"), rng.integers(0, 3, n)


def model():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.compile(keras.optimizers.SGD(learning_rate=0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def test_train_on_batch_reports_its_own_batch():
    # Keras 3.15 resets the metrics at each train_on_batch / test_on_batch (all backends)
    x, y = data()
    m = model()
    m.train_on_batch(x[:16], y[:16])
    m2 = model()
    m2.set_weights(m.get_weights())
    second = m.train_on_batch(x[16:], y[16:], return_dict=True)
    alone = m2.test_on_batch(x[16:], y[16:], return_dict=True)  # the loss before the second update
    assert second["loss"] == pytest.approx(alone["loss"], rel=1e-6)
    assert m.test_on_batch(x[16:], y[16:], return_dict=True)["loss"] != pytest.approx(second["loss"])


def test_evaluate_list_is_in_metrics_names_order():
    x, y = data()
    m = model()
    logs = m.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["accuracy", "loss"]  # Keras's logs are sorted
    assert m.evaluate(x, y, verbose=0) == [logs["loss"], logs["accuracy"]]  # the list starts with the loss


def test_history_keys_are_sorted():
    x, y = data()
    h = model().fit(x, y, epochs=1, verbose=0, validation_split=0.25)
    assert list(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_keras_2_on_batch_end_is_called_for_training_batches():
    x, y = data()
    seen = []

    class Old(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append((batch, sorted(logs)))

    model().fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[Old()])
    assert seen == [(0, ["accuracy", "loss"]), (1, ["accuracy", "loss"])]


def test_terminate_on_nan_can_raise():
    x, y = data()
    x[0, 0] = np.nan
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        model().fit(x, y, epochs=1, verbose=0, shuffle=False,
                    callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])


def test_model_checkpoint_every_n_batches(tmp_path):
    x, y = data()
    path = str(tmp_path / "e{epoch}-b{batch}.weights.pt")
    ckpt = keras.callbacks.ModelCheckpoint(path, save_weights_only=True, save_freq=3)
    model().fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[ckpt])  # 4 batches an epoch
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e1-b3.weights.pt", "e2-b2.weights.pt"]
    with pytest.raises(ValueError, match="save_freq"):
        keras.callbacks.ModelCheckpoint(path, save_freq="batch")


def test_csv_logger_writes_keras_columns(tmp_path):
    x, y = data()
    log = tmp_path / "log.csv"
    model().fit(x, y, epochs=2, verbose=0, callbacks=[keras.callbacks.CSVLogger(log)])
    lines = log.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss" and lines[1].endswith(",NA,NA")
    assert len(lines) == 3 and lines[2].startswith("1,")


def test_backup_and_restore_resumes_an_interrupted_fit(tmp_path):
    x, y = data()
    backup = tmp_path / "backup"

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    m = model()
    with pytest.raises(KeyboardInterrupt):
        m.fit(x, y, epochs=4, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup), Interrupt()])
    saved = m.get_weights()  # the backup holds the end of epoch 2 (index 1)
    fresh = model()
    h = fresh.fit(x, y, epochs=4, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup)])
    assert h.epoch == [2, 3]
    assert not backup.exists()  # deleted once training ends
    assert any(not np.allclose(a, b) for a, b in zip(saved, fresh.get_weights()))  # it trained on from there


def test_backup_and_restore_restores_weights_and_optimizer(tmp_path):
    x, y = data()
    backup = tmp_path / "b"
    m = model()
    cb = keras.callbacks.BackupAndRestore(backup, delete_checkpoint=False)
    m.fit(x, y, epochs=2, verbose=0, callbacks=[cb])
    other = model()
    other.fit(x, y, epochs=2, verbose=0, callbacks=[keras.callbacks.BackupAndRestore(backup)])
    for a, b in zip(m.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)  # nothing left to train: the backup's weights as they were


@pytest.mark.parametrize("name,arg", [("RemoteMonitor", "root"), ("OrbaxCheckpoint", "directory"),
                                      ("SwapEMAWeights", "swap_on_epoch"), ("TensorBoard", "log_dir")])
def test_unsupported_callbacks_raise_naming_the_argument(name, arg):
    with pytest.raises(NotImplementedError, match=rf"Received: `{arg}`="):
        getattr(keras.callbacks, name)()


def test_lambda_callback_accepts_any_hook():
    x, y = data()
    seen = []
    cb = keras.callbacks.LambdaCallback(on_test_end=lambda logs: seen.append(sorted(logs)))
    model().evaluate(x, y, verbose=0, callbacks=[cb])
    assert seen == [["accuracy", "loss"]]


def test_new_losses_and_metrics_by_keras_names_train():
    rng = np.random.default_rng(0)
    x = rng.random((32, 4)).astype("float32")
    y = (x[:, :1] > 0.5).astype("float32")
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    m.compile("adam", "binary_focal_crossentropy",
              metrics=["binary_crossentropy", "mape", keras.metrics.F1Score(threshold=0.5), "r2_score"])
    h = m.fit(x, y, epochs=2, verbose=0)
    assert list(h.history) == ["binary_crossentropy", "f1_score", "loss", "mape", "r2_score"]
    m.compile("adam", "dice")
    assert np.isfinite(m.fit(x, y, verbose=0).history["loss"][0])
    assert keras.losses.get("tversky") is keras.losses.tversky
    assert type(keras.metrics.deserialize(keras.metrics.serialize(keras.metrics.R2Score()))) is keras.metrics.R2Score


def test_a_scheduled_learning_rate_is_not_settable_as_in_keras():
    x, y = data()
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    opt = keras.optimizers.SGD(schedule)
    m.compile(opt, "sparse_categorical_crossentropy")
    with pytest.raises(TypeError, match="not settable"):
        m.fit(x, y, epochs=2, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(lambda e, lr: lr)])
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5
    plain = keras.optimizers.SGD(0.1)
    plain.learning_rate = 0.25
    assert plain.learning_rate == 0.25 and plain.build([__import__("torch").nn.Parameter(
        __import__("torch").zeros(1))]).param_groups[0]["lr"] == 0.25
