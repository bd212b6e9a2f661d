"""Call state is per thread and per outermost call (backend.context), as Keras's global_state."""

import threading

import torch

import kerascompat as keras
from kerascompat import layers


class _Pause(layers.Layer):
    """Identity; in a training-mode call it waits until the other thread has finished."""

    def __init__(self, entered, release, **kwargs):
        super().__init__(**kwargs)
        self.entered, self.release = entered, release

    def call(self, inputs, training=None):
        if training:
            self.entered.set()
            self.release.wait(10)
        return inputs


def test_training_override_does_not_leak_into_another_thread():
    entered, release = threading.Event(), threading.Event()
    inp = keras.Input((2000,))
    model = keras.Model(inp, _Pause(entered, release)(layers.Dropout(0.5)(inp))).eval()
    x = torch.ones(4, 2000)
    results = {}

    def thread_a():
        results["a"] = model(x, training=True)

    def thread_b():
        entered.wait(10)
        try:
            results["b"] = model(x)  # runs while thread A is inside its training=True call
        finally:
            release.set()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert entered.is_set()
    assert torch.equal(results["b"], x)  # eval mode: no dropout, no zeros
    assert (results["a"] == 0).any()  # thread A did run in training mode


def test_losses_are_per_thread():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(2, activity_regularizer="l2")])
    model(torch.ones(3, 2))
    seen = {}

    def other():
        seen["before"] = len(model.losses)
        model(torch.ones(3, 2))
        seen["after"] = len(model.losses)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == {"before": 0, "after": 1}
    assert len(model.losses) == 1  # this thread's loss is still there


def test_context_is_reset_after_an_error_inside_a_call():
    class Boom(layers.Layer):
        def call(self, inputs):
            raise RuntimeError("boom")

        def compute_output_shape(self, input_shape):
            return input_shape

    model = keras.Sequential([keras.Input((2,)), layers.Dropout(0.5), Boom()]).eval()
    try:
        model(torch.ones(1, 2), training=True)
    except RuntimeError:
        pass
    context = keras.backend.context.current()
    assert context.depth == 0 and context.training is None
    drop = layers.Dropout(0.99).eval()
    assert torch.equal(drop(torch.ones(2, 50)), torch.ones(2, 50))


def test_mask_flag_is_not_sticky_but_masks_still_travel_between_calls():
    x = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]])
    masked = layers.Masking()(x)
    assert masked._keras_mask.tolist() == [[True, True, False]]
    assert keras.backend.context.current().masks_seen  # set during that call only...
    layers.Dense(2)(torch.ones(1, 3))
    assert not keras.backend.context.current().masks_seen  # ...reset by the next outermost call
    # A masked tensor from an earlier call still carries its mask into the next layer call.
    pooled = layers.GlobalAveragePooling1D()(masked)
    torch.testing.assert_close(pooled, torch.tensor([[2.0, 3.0]]))  # the padded step is ignored


def test_losses_do_not_keep_layers_alive():
    import gc
    import weakref

    layer = layers.Dense(2, activity_regularizer="l2")
    layer(torch.ones(1, 2))
    ref = weakref.ref(layer)
    del layer
    gc.collect()
    assert ref() is None
