"""Per-thread call state, as Keras keeps it in `global_state` (a `threading.local`).

One `CallContext` per thread holds what nested layer calls share: the `training=` override,
the call depth, whether a Keras mask has been seen in this call, and the losses collected by
`add_loss` / activity regularizers. Everything is reset when an outermost call starts, so two
threads calling the same model (threaded inference servers, `nn.DataParallel` replicas) never
see each other's state, and torch.compile's guards on these values see the same values at the
start of every call.

torch.compile: dynamo traces attribute reads and writes on a `threading.local` subclass like any
Python object (no graph break; guards read the calling thread's value). A layer call reads the
thread-local once (`current()`) and then works on the plain `CallContext`, whose `__slots__`
attributes are several times cheaper to read than a `threading.local`'s.
"""

import threading
import weakref

__all__ = ["CallContext", "current", "shape_inference", "in_shape_inference"]


class CallContext:
    """The call state of one thread.

    - `training`: the `training=` override of the enclosing call (None: each layer's torch mode);
    - `depth`: how many layer calls are on the stack (0: the next call is an outermost call);
    - `masks_seen`: whether a Keras mask exists in this call (layers skip mask lookups until then);
    - `losses`: {id(layer): (weakref to layer, [loss tensors])} of the latest outermost call;
    - `inferring_shapes`: a trial run for shape inference is in progress (no losses are kept,
      layers must not change their state).
    """

    __slots__ = ("training", "depth", "masks_seen", "losses", "inferring_shapes")

    def __init__(self, inferring_shapes=False):
        self.training = None
        self.depth = 0
        self.masks_seen = False
        self.losses = None
        self.inferring_shapes = inferring_shapes

    def start_outermost_call(self, masks_seen):
        self.training = None
        self.masks_seen = masks_seen
        if self.losses:
            self.losses = None

    def add_loss(self, layer, loss):
        if self.inferring_shapes:
            return
        if self.losses is None:
            self.losses = {}
        entry = self.losses.get(id(layer))
        if entry is None or entry[0]() is not layer:
            entry = self.losses[id(layer)] = (weakref.ref(layer), [])
        entry[1].append(loss)

    def losses_of(self, layer):
        """The losses `layer` added during the latest outermost call of this thread."""
        if not self.losses:
            return []
        entry = self.losses.get(id(layer))
        if entry is None or entry[0]() is not layer:
            return []
        return list(entry[1])


class _ThreadState(threading.local):
    def __init__(self):
        self.context = CallContext()


_STATE = _ThreadState()


def current():
    """This thread's CallContext."""
    return _STATE.context


def in_shape_inference():
    """True while a layer runs only to infer its output shape: stateful layers must not keep
    states computed in that run."""
    return _STATE.context.inferring_shapes


class shape_inference:
    """Context manager: run layers in a fresh call context that keeps no losses and is
    marked `inferring_shapes`; the thread's own context (and its losses) is restored after."""

    __slots__ = ("_saved",)

    def __enter__(self):
        self._saved = _STATE.context
        _STATE.context = CallContext(inferring_shapes=True)
        return _STATE.context

    def __exit__(self, *exc):
        _STATE.context = self._saved
        return False
