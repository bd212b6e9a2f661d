"""compile / fit / evaluate / predict without TensorFlow: inputs, optimizers, callbacks, errors."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat.optimizers import keras_rules
from kerascompat import layers


def data(n=64, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 6)).astype("float32")
    y = np.abs(x[:, :classes]).argmax(1).astype("int64")
    return x, y


def model(classes=3):
    return keras.Sequential([keras.Input((6,)), layers.Dense(12, activation="relu"),
                             layers.Dense(classes, activation="softmax")])


def compiled(optimizer="adam", **kwargs):
    m = model()
    m.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"], **kwargs)
    return m


# RMSprop, Adagrad and Adamax place epsilon where Keras does, so they are kerascompat's own torch
# optimizers (kerascompat/optimizers/keras_rules.py); the rest are torch's.
@pytest.mark.parametrize("optimizer,torch_class,lr", [
    ("sgd", torch.optim.SGD, 0.01), ("adam", torch.optim.Adam, 0.001), ("rmsprop", keras_rules.KerasRMSprop, 0.001),
    ("adamw", torch.optim.AdamW, 0.001), ("adagrad", keras_rules.KerasAdagrad, 0.001),
    ("adadelta", torch.optim.Adadelta, 0.001), ("adamax", keras_rules.KerasAdamax, 0.001),
    ("nadam", torch.optim.NAdam, 0.001), ("lion", keras_rules.KerasLion, 0.001),
    ("lamb", keras_rules.KerasLamb, 0.001)])
def test_every_keras_optimizer_name_trains(optimizer, torch_class, lr):
    x, y = data()
    m = compiled(optimizer)
    before_weights = m.get_weights()
    m.fit(x, y, epochs=5, verbose=0)
    assert type(m.optimizer) is torch_class and m.optimizer.param_groups[0]["lr"] == lr  # Keras's default
    assert all(not np.allclose(a, b) for a, b in zip(before_weights, m.get_weights()))
    # Keras's Adadelta default (lr 0.001) moves the weights by ~1e-7 a step: the loss is checked
    # to fall at a learning rate where that is measurable; the mapping and the default are above.
    if optimizer == "adadelta":
        m = compiled(keras.optimizers.Adadelta(learning_rate=1.0))
    before = m.evaluate(x, y, verbose=0)[0]
    m.fit(x, y, epochs=5, verbose=0)
    assert m.evaluate(x, y, verbose=0)[0] < before


def test_keras_optimizer_defaults_map_to_torch():
    opt = keras.optimizers.Adam().build([torch.nn.Parameter(torch.zeros(2))])
    group = opt.param_groups[0]
    assert isinstance(opt, torch.optim.Adam) and group["lr"] == 0.001 and group["eps"] == 1e-7
    assert group["betas"] == (0.9, 0.999)
    sgd = keras.optimizers.SGD().build([torch.nn.Parameter(torch.zeros(2))])
    assert sgd.param_groups[0]["lr"] == 0.01
    with pytest.raises(NotImplementedError, match="use_ema"):
        keras.optimizers.Adam(use_ema=True)


def test_torch_optimizer_instance_and_factory_are_first_class():
    x, y = data()
    m = model()
    opt = torch.optim.SGD(m.parameters(), lr=0.5)
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    m.fit(x, y, epochs=1, verbose=0)
    assert m.optimizer is opt
    m2 = model()
    m2.compile(optimizer=lambda params: torch.optim.Adam(params, lr=0.01), loss="sparse_categorical_crossentropy")
    m2.fit(x, y, epochs=1, verbose=0)
    assert isinstance(m2.optimizer, torch.optim.Adam)


def test_history_keys_and_validation():
    x, y = data()
    h = compiled().fit(x, y, epochs=2, validation_data=(x[:16], y[:16]), verbose=0)
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(h.history["loss"]) == 2 and h.epoch == [0, 1]


def test_inputs_tensors_dataloader_dataset_generator():
    x, y = data()
    m = compiled()
    batch_sizes = []
    count = keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: batch_sizes.append(batch))

    def fit_batches(*args, **kwargs):
        batch_sizes.clear()
        history = m.fit(*args, epochs=1, verbose=0, callbacks=[count], **kwargs)
        assert len(history.history["loss"]) == 1 and np.isfinite(history.history["loss"][0])
        return len(batch_sizes)

    first = m.evaluate(x, y, verbose=0)[0]
    assert fit_batches(torch.from_numpy(x), torch.from_numpy(y)) == 2  # 64 samples, batch_size 32
    ds = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    assert fit_batches(torch.utils.data.DataLoader(ds, batch_size=16)) == 4
    assert fit_batches(ds, batch_size=16) == 4

    def gen():
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]

    assert fit_batches(gen()) == 4
    assert m.evaluate(x, y, verbose=0)[0] < first  # 14 Adam steps on 64 samples
    pred = m.predict(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.from_numpy(x)), batch_size=10))
    assert pred.shape == (64, 3)


def test_multi_input_multi_output_with_dicts():
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    h = layers.Concatenate()([layers.Dense(5)(a), b])
    out1 = layers.Dense(1, name="reg")(h)
    out2 = layers.Dense(3, activation="softmax", name="cls")(h)
    m = keras.Model({"a": a, "b": b}, [out1, out2])
    m.compile(optimizer="adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
              loss_weights={"reg": 0.5, "cls": 1.0}, metrics={"cls": ["accuracy"]})
    rng = np.random.default_rng(0)
    xs = {"a": rng.standard_normal((32, 4)).astype("float32"), "b": rng.standard_normal((32, 2)).astype("float32")}
    ys = {"reg": rng.standard_normal((32, 1)).astype("float32"), "cls": rng.integers(0, 3, 32)}
    hist = m.fit(xs, ys, epochs=2, verbose=0)
    assert "cls_accuracy" in hist.history and "loss" in hist.history
    preds = m.predict(xs)
    assert preds[0].shape == (32, 1) and preds[1].shape == (32, 3)


def test_sample_and_class_weight_change_the_loss():
    x, y = data()
    m = compiled()
    base = m.evaluate(x, y, verbose=0)[0]
    weighted = m.evaluate(x, y, sample_weight=np.where(y == 0, 2.0, 0.0), verbose=0)[0]
    assert weighted != pytest.approx(base)
    before = m.get_weights()
    m.fit(x, y, epochs=1, class_weight={0: 0.0, 1: 0.0, 2: 0.0}, verbose=0, shuffle=False)
    # All classes weighted 0: only the (zero) regularization moves nothing.
    assert all(np.allclose(a, b) for a, b in zip(before, m.get_weights()))


def test_initial_epoch_steps_per_epoch_and_batch_methods():
    x, y = data()
    m = compiled()
    h = m.fit(x, y, epochs=3, initial_epoch=1, steps_per_epoch=2, verbose=0)
    assert h.epoch == [1, 2]
    logs = m.train_on_batch(x[:8], y[:8], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert len(m.test_on_batch(x[:8], y[:8])) == 2
    assert m.predict_on_batch(x[:5]).shape == (5, 3)


def test_verbose_levels(capsys):
    x, y = data()
    m = compiled()
    m.fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    m.fit(x, y, epochs=2, verbose=2)
    lines = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert lines[0] == "Epoch 1/2" and "loss:" in lines[1] and "accuracy:" in lines[1] and len(lines) == 4
    m.fit(x, y, epochs=1, verbose=1)
    assert "━" in capsys.readouterr().out


def test_callbacks(tmp_path):
    x, y = data()
    m = compiled(optimizer=keras.optimizers.SGD(learning_rate=0.0))  # lr 0: the loss never improves
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    h = m.fit(x, y, epochs=20, verbose=0, callbacks=[stop])
    assert len(h.history["loss"]) == 3 and stop.stopped_epoch == 2

    m = compiled(optimizer=keras.optimizers.SGD(learning_rate=0.1))
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
    m.fit(x, y, epochs=3, verbose=0, callbacks=[plateau])
    assert m.optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** 2)

    sched = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 * (epoch + 1))
    seen = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(m.optimizer.param_groups[0]["lr"]))
    log_file = tmp_path / "log.csv"
    ckpt = tmp_path / "best.weights"
    m.fit(x, y, epochs=3, verbose=0, validation_split=0.25,
          callbacks=[sched, record, keras.callbacks.CSVLogger(log_file),
                     keras.callbacks.ModelCheckpoint(ckpt, monitor="val_loss", save_best_only=True,
                                                     save_weights_only=True)])
    assert seen == pytest.approx([0.01, 0.02, 0.03])
    # Keras's CSVLogger header: epoch, then the logs' keys sorted (the scheduler logs learning_rate)
    assert log_file.read_text().splitlines()[0].split(",") == [
        "epoch", "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"]
    assert len(log_file.read_text().splitlines()) == 4 and ckpt.exists()

    bad = compiled()
    x_nan = x.copy()
    x_nan[0, 0] = np.nan
    h = bad.fit(x_nan, y, epochs=5, verbose=0, shuffle=False, callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(h.history["loss"]) == 1 and np.isnan(h.history["loss"][0])


def test_bad_input_is_reported_before_training():
    x, y = data()
    m = model()
    with pytest.raises(RuntimeError, match="compile"):
        m.fit(x, y)
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    before = m.get_weights()
    with pytest.raises(ValueError, match="cardinality"):
        m.fit(x, y[:10], verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, m.get_weights()))
    with pytest.raises(ValueError, match="Could not interpret loss"):
        model().compile(optimizer="sgd", loss="mean_sqared_error")
    with pytest.raises(ValueError, match="metrics.*not_an_output"):
        model().compile(optimizer="sgd", loss="mse", metrics={"not_an_output": ["mae"]})
    with pytest.raises(ValueError, match="unknown metric"):
        model().compile(optimizer="sgd", loss="mse", metrics=["acuracy"])


def test_plain_torch_loop_still_works_after_compile():
    x, y = data()
    m = compiled()
    m.fit(x, y, epochs=1, verbose=0)
    assert m.training  # fit gives back the mode it found (a fresh module trains)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    before = [w.copy() for w in m.get_weights()]
    losses = []
    for _ in range(5):
        loss = torch.nn.functional.nll_loss(m(xt).log(), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert all(not np.allclose(a, b) for a, b in zip(before, m.get_weights()))
    assert losses[-1] < losses[0]


def test_trainers_package_imports_nothing_from_engine():
    # engine.model imports the Trainer mixin from trainers; the reverse edge would be a cycle.
    import ast
    import pathlib

    package = pathlib.Path(keras.__file__).parent / "trainers"
    assert sorted(p.name for p in package.glob("*.py")) == ["__init__.py", "compile_utils.py", "data_adapters.py",
                                                            "trainer.py"]
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                names = [a.name for a in node.names]
                assert "engine" not in module.split(".") and "engine" not in names, (path.name, module)
            elif isinstance(node, ast.Import):
                assert not any("engine" in a.name for a in node.names), path.name


# ------------------------------------------------------------ no silent no-ops (compile, callbacks)
def test_compile_jit_compile_runs_the_step_through_torch_compile(monkeypatch):
    compiled_fns = []
    real_compile = torch.compile

    def spy(fn, **kwargs):
        compiled_fns.append(fn)
        return real_compile(fn, backend="eager")

    monkeypatch.setattr(torch, "compile", spy)
    x, y = data()
    m = compiled(jit_compile=True)
    assert m.jit_compile is True
    before = m.evaluate(x, y, verbose=0)[0]
    m.fit(x, y, epochs=3, verbose=0)
    assert len(compiled_fns) == 2  # the train step, then evaluate's test step
    assert m.evaluate(x, y, verbose=0)[0] < before
    eager = compiled(jit_compile=True, run_eagerly=True)  # Keras: run_eagerly wins
    eager.fit(x, y, epochs=1, verbose=0)
    assert eager.jit_compile is False and eager.run_eagerly is True and len(compiled_fns) == 2
    assert compiled().jit_compile is False  # "auto" is eager on the torch backend


def test_compile_rejects_what_it_cannot_do_with_one_wording():
    with pytest.raises(NotImplementedError, match=r"^compile: the Keras argument `weighted_metrics` is not "
                                                  r"supported by kerascompat .*Received: `weighted_metrics`=\['mae'\]$"):
        compiled(weighted_metrics=["mae"])
    with pytest.raises(NotImplementedError, match=r"`steps_per_execution`.*Received: `steps_per_execution`=4$"):
        compiled(steps_per_execution=4)
    with pytest.raises(ValueError, match="jit_compile"):
        compiled(jit_compile="xla")
    with pytest.raises(TypeError, match="auto_scale_loss"):
        compiled(auto_scale_loss="yes")


def test_model_checkpoint_saves_the_whole_model_by_default(tmp_path):
    # Keras's default (save_weights_only=False) writes a .keras file that load_model reads back.
    x, y = data(n=40)
    m = compiled()
    path = tmp_path / "model.keras"
    m.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[keras.callbacks.ModelCheckpoint(str(path))])
    assert path.exists()
    loaded = keras.models.load_model(path)
    m.eval()
    loaded.eval()
    torch.testing.assert_close(loaded(torch.as_tensor(x)), m(torch.as_tensor(x)))


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []


for _hook in [h for h in dir(keras.callbacks.Callback) if h.startswith("on_")]:
    setattr(Recorder, _hook, lambda self, *args, _hook=_hook: self.calls.append((_hook,) + args))


def test_evaluate_and_predict_fire_their_callbacks_with_keras_logs():
    x, y = data(n=40)
    m = compiled()
    rec = Recorder()
    result = m.evaluate(x, y, batch_size=16, verbose=0, callbacks=[rec], return_dict=True)
    names = [c[0] for c in rec.calls]
    assert names == ["on_test_begin"] + ["on_test_batch_begin", "on_test_batch_end"] * 3 + ["on_test_end"]
    assert [c[1] for c in rec.calls if c[0] == "on_test_batch_end"] == [0, 1, 2]
    assert set(rec.calls[2][2]) == {"loss", "accuracy"} and isinstance(rec.calls[2][2]["loss"], float)
    assert rec.calls[-1][1] == result
    rec.calls.clear()
    m.predict(x, batch_size=16, verbose=0, callbacks=[rec])
    names = [c[0] for c in rec.calls]
    assert names == ["on_predict_begin"] + ["on_predict_batch_begin", "on_predict_batch_end"] * 3 + ["on_predict_end"]
    outputs = [c[2]["outputs"] for c in rec.calls if c[0] == "on_predict_batch_end"]
    assert [tuple(o.shape) for o in outputs] == [(16, 3), (16, 3), (8, 3)]
    rec.calls.clear()
    m.fit(x, y, batch_size=16, epochs=1, verbose=0, validation_data=(x, y), callbacks=[rec])
    names = [c[0] for c in rec.calls]
    assert names.index("on_test_begin") > names.index("on_train_batch_end")  # validation runs the test hooks
    assert names.index("on_test_end") < names.index("on_epoch_end")


def test_callback_verbose_prints_what_keras_prints(capsys, tmp_path):
    x, y = data()
    m = compiled(optimizer=keras.optimizers.SGD(learning_rate=0.0))
    m.fit(x, y, epochs=10, verbose=0, callbacks=[
        keras.callbacks.EarlyStopping(monitor="loss", patience=1, verbose=1, restore_best_weights=True)])
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 2: early stopping", "Restoring model weights from the end of the best epoch: 1."]

    m = compiled(optimizer=keras.optimizers.SGD(learning_rate=0.5))
    m.fit(x, y, epochs=1, verbose=0, callbacks=[
        keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=10.0, verbose=1)])
    assert capsys.readouterr().out == ""  # the first epoch sets the reference
    m.fit(x, y, epochs=2, verbose=0, callbacks=[
        keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=10.0, verbose=1)])
    assert capsys.readouterr().out == "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.25.\n"

    m.fit(x, y, epochs=2, verbose=0, callbacks=[
        keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.125 / (epoch + 1), verbose=1)])
    assert capsys.readouterr().out == ("\nEpoch 1: LearningRateScheduler setting learning rate to 0.125.\n"
                                       "\nEpoch 2: LearningRateScheduler setting learning rate to 0.0625.\n")

    path = str(tmp_path / "w{epoch}.weights.pt")
    ckpt = keras.callbacks.ModelCheckpoint(path, monitor="loss", save_best_only=True, save_weights_only=True,
                                           verbose=1, initial_value_threshold=1e9)
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="sparse_categorical_crossentropy")
    h = m.fit(x, y, epochs=2, verbose=0, callbacks=[ckpt])
    loss = h.history["loss"][0]
    assert capsys.readouterr().out == (
        f"\nEpoch 1: loss improved from 1000000000.00000 to {loss:.5f}, saving model to {path.format(epoch=1)}\n"
        f"\nEpoch 2: loss did not improve from {loss:.5f}\n")
    assert (tmp_path / "w1.weights.pt").exists() and not (tmp_path / "w2.weights.pt").exists()


def test_loss_and_metric_dtype_are_honoured():
    y_true, y_pred = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.25]])
    loss = keras.losses.MeanSquaredError(dtype="float64")
    value = loss(y_true, y_pred)
    assert value.dtype == torch.float64 and float(value) == pytest.approx((0.25 + 0.0625) / 2)
    assert keras.losses.MeanSquaredError()(y_true, y_pred).dtype == torch.float32
    metric = keras.metrics.MeanSquaredError(dtype="float64")
    metric.update_state(y_true, y_pred)
    assert metric.result().dtype == torch.float64 and float(metric.result()) == pytest.approx(0.15625)
    assert keras.metrics.Mean().result().dtype == torch.float32
    with pytest.raises(ValueError, match="dtype"):
        keras.metrics.Mean(dtype="int32")
    with pytest.raises(ValueError, match="dtype"):
        keras.losses.Huber(dtype="int8")


def test_every_entry_point_restores_the_train_eval_mode_it_found():
    x, y = data()
    m = keras.Sequential([keras.Input((6,)), layers.Dense(12), layers.Dropout(0.5), layers.Dense(3, activation="softmax")])
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    m.train()
    m.layers[1].eval()  # a user's choice for one submodule, kept by every call
    for call in (lambda: m.predict(x, verbose=0), lambda: m.evaluate(x, y, verbose=0),
                 lambda: m.test_on_batch(x, y), lambda: m.predict_on_batch(x),
                 lambda: m.fit(x, y, epochs=1, verbose=0, validation_split=0.25),
                 lambda: m.fit(x, y, epochs=1, verbose=0, validation_data=(x, y))):
        call()
        assert m.training is True and m.layers[0].training is True and m.layers[1].training is False
    m.eval()
    m.fit(x, y, epochs=1, verbose=0, validation_split=0.25)
    assert not any(module.training for module in m.modules())


# ------------------------------------------------------------------ fit's hot path
def test_fit_walks_the_layers_once_and_rewalks_when_a_layer_is_added(monkeypatch):
    x, y = data()
    m = keras.Sequential([keras.Input((6,)), layers.Dense(12, kernel_regularizer=keras.regularizers.L2(0.5)),
                          layers.Dense(3, activation="softmax", kernel_constraint=keras.constraints.NonNeg())])
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    walks = []
    real = type(m)._all_slots
    monkeypatch.setattr(type(m), "_all_slots", lambda self: walks.append(1) or real(self))
    m.fit(x, y, batch_size=8, epochs=2, verbose=0)  # 16 steps
    assert len(walks) == 1
    assert (m.layers[1].kernel.detach() >= 0).all()  # the constraint still runs every step
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    penalty = 0.5 * float((m.layers[0].kernel.detach() ** 2).sum())
    plain = float(keras.losses.sparse_categorical_crossentropy(yt, m(xt)).mean().detach())
    assert float(m.compute_loss(y=yt, y_pred=m(xt)).detach()) == pytest.approx(plain + penalty, rel=1e-5)
    m.add(layers.Dense(3, activation="softmax", kernel_regularizer=keras.regularizers.L1(2.0)))
    m.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert len(walks) == 2
    penalty = 0.5 * float((m.layers[0].kernel.detach() ** 2).sum()) + 2.0 * float(m.layers[2].kernel.abs().sum())
    plain = float(keras.losses.sparse_categorical_crossentropy(yt, m(xt)).mean().detach())
    assert float(m.compute_loss(y=yt, y_pred=m(xt)).detach()) == pytest.approx(plain + penalty, rel=1e-5)
    m.pop()
    m.fit(x, y, batch_size=8, epochs=1, verbose=0)
    penalty = 0.5 * float((m.layers[0].kernel.detach() ** 2).sum())
    plain = float(keras.losses.sparse_categorical_crossentropy(yt, m(xt)).mean().detach())
    assert float(m.compute_loss(y=yt, y_pred=m(xt)).detach()) == pytest.approx(plain + penalty, rel=1e-5)


def test_fit_reads_numbers_from_the_device_only_at_epoch_end(monkeypatch):
    x, y = data()
    m = compiled("sgd")  # (torch's Adam itself reads its CPU step counter with .item())
    m.fit(x, y, epochs=1, verbose=0)
    reads = []
    for name in ("item", "__float__", "__bool__", "tolist", "cpu", "numpy"):
        real = getattr(torch.Tensor, name)
        monkeypatch.setattr(torch.Tensor, name, lambda self, *a, _real=real, _name=name, **k:
                            reads.append(_name) or _real(self, *a, **k))
    m.fit(x, y, batch_size=8, epochs=3, verbose=0)  # 24 steps
    assert len(reads) == 3 * 2  # per epoch: the loss and the accuracy, once


def test_keras_config_caps_epochs_and_steps_per_epoch():
    from kerascompat import config

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((40, 3), "float32"), np.zeros((40, 1), "float32")
    seen = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    try:
        with pytest.warns(UserWarning, match="Limiting"):
            history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[counter])
    finally:
        config.set_max_epochs(None)
        config.set_max_steps_per_epoch(None)
    assert len(history.history["loss"]) == 2
    assert seen == [0, 1, 2, 0, 1, 2]
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
