"""compile / fit / evaluate / predict without TensorFlow: inputs, optimizers, callbacks, errors."""

import numpy as np
import pytest
import torch

import kerascompat as keras
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


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop", "adamw", "adagrad", "adadelta", "adamax", "nadam"])
def test_every_keras_optimizer_name_trains(optimizer):
    x, y = data()
    m = compiled(optimizer)
    before = m.evaluate(x, y, verbose=0)[0]
    m.fit(x, y, epochs=5, verbose=0)
    assert isinstance(m.optimizer, torch.optim.Optimizer)
    assert m.evaluate(x, y, verbose=0)[0] < before or optimizer == "adadelta"  # adadelta's default lr barely moves


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
    m.fit(torch.from_numpy(x), torch.from_numpy(y), epochs=1, verbose=0)
    ds = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    m.fit(torch.utils.data.DataLoader(ds, batch_size=16), epochs=1, verbose=0)
    m.fit(ds, batch_size=16, epochs=1, verbose=0)

    def gen():
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]

    h = m.fit(gen(), epochs=1, verbose=0)
    assert len(h.history["loss"]) == 1
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
                     keras.callbacks.ModelCheckpoint(ckpt, monitor="val_loss", save_best_only=True)])
    assert seen == pytest.approx([0.01, 0.02, 0.03])
    assert log_file.read_text().splitlines()[0].split(",")[:2] == ["epoch", "loss"]
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
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    loss = torch.nn.functional.nll_loss(m(torch.from_numpy(x)).log(), torch.from_numpy(y))
    opt.zero_grad()
    loss.backward()
    opt.step()


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
