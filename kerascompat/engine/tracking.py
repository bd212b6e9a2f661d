"""Layers inside lists, dicts and tuples assigned as layer attributes are tracked, as in Keras.

`self.blocks = [Dense(8), Dense(4)]` (or `self.blocks = []` followed by `self.blocks.append(...)`)
registers the layers with torch. The attribute stays a Python container (a `TrackedList` or
`TrackedDict`, real list/dict subclasses that re-register on every change; tuples stay tuples),
and each module inside is registered in the owner's `_modules` under `<attr>:<index or key>`
(nested: `nested:1:x`). So `state_dict` keys read `blocks:0.linear.weight`, and `weights`,
`trainable`, `summary`, `.to()`, `torch.func.functional_call`, `torch.export` and torch.compile
(which iterates a list attribute without a graph break) all reach those layers.

Why not nn.ModuleList's `blocks.0`: torch resolves `blocks.0` with `getattr(owner, "blocks")`,
which must then be a Module; a Python list (which may also hold numbers, strings, None, as
Keras allows) cannot be, and a Module that pretends to be a list makes dynamo break the graph
when iterating it. The `:` keys keep the attribute a real list and every torch path working.

Only public attribute names are tracked unless the container already holds a module when it
is assigned (private empty lists are the layer's own bookkeeping).
"""

from torch import nn

__all__ = ["TrackedList", "TrackedDict", "assign", "forget"]


def _collect(value, prefix, out):
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for k, item in items:
        key = f"{prefix}:{str(k).replace('.', '/')}"
        if isinstance(item, nn.Module):
            out.append((key, item))
        elif isinstance(item, (list, tuple, dict)):
            _collect(item, key, out)


def _contains_module(value):
    if isinstance(value, nn.Module):
        return True
    if isinstance(value, dict):
        return any(_contains_module(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_contains_module(v) for v in value)
    return False


def _sync(owner, attr):
    """Re-register the modules held by `owner.<attr>`, where its first one was (no-op while
    the owner is being rebuilt by copy/pickle)."""
    d = owner.__dict__
    modules = d.get("_modules")
    if modules is None:
        return
    entries = []
    value = d.get(attr)
    if isinstance(value, (list, tuple, dict)):
        _collect(value, attr, entries)
    prefix = attr + ":"
    items = list(modules.items())
    pos = next((i for i, (k, _) in enumerate(items) if k.startswith(prefix)), None)
    if pos is None and not entries:
        return
    kept = [(k, m) for k, m in items if not k.startswith(prefix)]
    pos = len(kept) if pos is None else pos
    modules.clear()
    modules.update(kept[:pos] + entries + kept[pos:])
    tracked = d.setdefault("_tracked_attrs", set())
    if entries:
        tracked.add(attr)
    else:
        tracked.discard(attr)


def _wrap(value, owner, attr):
    t = type(value)
    if t is list:
        return TrackedList([_wrap(v, owner, attr) for v in value], owner, attr)
    if t is dict:
        return TrackedDict({k: _wrap(v, owner, attr) for k, v in value.items()}, owner, attr)
    if t is tuple:
        return tuple(_wrap(v, owner, attr) for v in value)
    return value


def _mutator(name, base_type):
    base = getattr(base_type, name)

    def method(self, *args, **kwargs):
        result = base(self, *args, **kwargs)
        _sync(self._owner, self._attr)
        return result

    method.__name__ = name
    return method


class TrackedList(list):
    """A list attribute of a layer: a real list whose changes re-register its modules."""

    __slots__ = ("_owner", "_attr")

    def __init__(self, items=(), owner=None, attr=None):
        super().__init__(items)
        self._owner = owner
        self._attr = attr

    def __reduce_ex__(self, protocol):
        return (TrackedList, (list(self), self._owner, self._attr))


class TrackedDict(dict):
    """A dict attribute of a layer: a real dict whose changes re-register its modules."""

    __slots__ = ("_owner", "_attr")

    def __init__(self, items=(), owner=None, attr=None):
        super().__init__(items)
        self._owner = owner
        self._attr = attr

    def __reduce_ex__(self, protocol):
        return (TrackedDict, (dict(self), self._owner, self._attr))


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
              "__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(TrackedList, _name, _mutator(_name, list))
for _name in ("__setitem__", "__delitem__", "pop", "popitem", "clear", "update", "setdefault", "__ior__"):
    setattr(TrackedDict, _name, _mutator(_name, dict))
del _name


def assign(owner, name, value):
    """`owner.<name> = value` for a list/dict/tuple value; returns False when the value is not
    tracked (the caller then assigns it as usual)."""
    d = owner.__dict__
    if "_modules" not in d or (name.startswith("_") and not _contains_module(value)):
        return False
    for store in ("_parameters", "_buffers", "_modules"):
        d[store].pop(name, None)
    d[name] = _wrap(value, owner, name)
    _sync(owner, name)
    return True


def forget(owner, name):
    """Drop the registrations of a tracked attribute that is replaced by a non-container value."""
    tracked = owner.__dict__.get("_tracked_attrs")
    if tracked and name in tracked:
        owner.__dict__.pop(name, None)
        _sync(owner, name)
