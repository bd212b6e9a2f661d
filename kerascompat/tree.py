"""keras.tree: nested structures with Keras's rules.

Nodes are lists, tuples, namedtuples, deques and dicts; everything else (None included,
tensors and arrays included) is a leaf. A dict's children go in sorted key order and an
OrderedDict's in insertion order; rebuilt dicts keep the template's key order and type.
"""

import collections


class MAP_TO_NONE:  # noqa: N801 (Keras's name)
    """Returned by a `traverse` function to put None in place of a substructure."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict, collections.deque))


def _keys(node):
    """The child keys of a node, in flattening order."""
    if isinstance(node, dict):
        if isinstance(node, collections.OrderedDict):
            return list(node)
        try:
            return sorted(node)
        except TypeError:
            raise TypeError(f"Dictionary keys must be sortable to flatten a structure. Received keys: {list(node)}")
    return list(range(len(node)))


def _children(node):
    if isinstance(node, dict):
        return [node[k] for k in _keys(node)]
    return list(node)


def _rebuild(node, children):
    """A node of `node`'s type with `children` (given in flattening order)."""
    if isinstance(node, dict):
        by_key = dict(zip(_keys(node), children))
        items = [(k, by_key[k]) for k in node]
        if isinstance(node, collections.defaultdict):
            return collections.defaultdict(node.default_factory, items)
        return type(node)(items)
    if _is_namedtuple(node):
        return type(node)(*children)
    if isinstance(node, collections.deque):
        return collections.deque(children, maxlen=node.maxlen)
    return type(node)(children)


def _same_node(a, b):
    if type(a) is not type(b) and not (isinstance(a, list) and isinstance(b, list)):
        raise ValueError(f"Structures don't have the same nested structure: expected an instance of "
                         f"{type(a).__name__}, got {b!r}.")
    if isinstance(a, dict) and set(a) != set(b):
        raise ValueError(f"dictionary key mismatch; expected key(s): {sorted(map(str, a))}, "
                         f"got key(s): {sorted(map(str, b))}.")
    if len(a) != len(b):
        raise ValueError(f"Structures don't have the same nested structure: lengths {len(a)} and {len(b)}.")


def flatten(structure):
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def flatten_with_path(structure):
    """[(path, leaf)], a path being the tuple of keys/indices from the root."""
    def walk(node, path):
        if not is_nested(node):
            return [(path, node)]
        return [item for key, child in zip(_keys(node), _children(node)) for item in walk(child, path + (key,))]

    return walk(structure, ())


def pack_sequence_as(structure, flat_sequence):
    """The leaves of `flat_sequence` in the shape of `structure`."""
    flat_sequence = list(flat_sequence)
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(f"The target structure has {expected} leaves but `flat_sequence` has "
                         f"{len(flat_sequence)}. Received: structure={structure!r}")
    it = iter(flat_sequence)

    def build(node):
        if not is_nested(node):
            return next(it)
        return _rebuild(node, [build(child) for child in _children(node)])

    return build(structure)


def map_structure(func, *structures, none_is_leaf=True):
    """func applied to the corresponding leaves of structures of the same shape."""
    if not structures:
        raise ValueError("Must provide at least one structure")

    def walk(nodes):
        first = nodes[0]
        if not none_is_leaf and first is None:
            for other in nodes[1:]:
                if other is not None:
                    raise ValueError("Structures don't have the same nested structure.")
            return None
        if not is_nested(first):
            if any(is_nested(other) for other in nodes[1:]):
                raise ValueError("Structures don't have the same nested structure.")
            return func(*nodes)
        for other in nodes[1:]:
            if not is_nested(other):
                raise ValueError("Structures don't have the same nested structure.")
            _same_node(first, other)
        aligned = [_children(first)] + [[other[k] for k in _keys(first)] if isinstance(other, dict) else _children(other)
                                        for other in nodes[1:]]
        return _rebuild(first, [walk(list(group)) for group in zip(*aligned)])

    return walk(list(structures))


def map_structure_up_to(shallow_structure, func, *structures):
    """func applied to the substructures of `structures` at the leaves of `shallow_structure`."""
    if not structures:
        raise ValueError("Must provide at least one structure")

    def walk(shallow, nodes):
        if not is_nested(shallow):
            return func(*nodes)
        for other in nodes:
            if not is_nested(other):
                raise ValueError("Structures don't have the same nested structure.")
            _same_node(shallow, other)
        aligned = [[other[k] for k in _keys(shallow)] if isinstance(other, dict) else _children(other)
                   for other in nodes]
        return _rebuild(shallow, [walk(s, list(group)) for s, group in zip(_children(shallow), zip(*aligned))])

    return walk(shallow_structure, list(structures))


def assert_same_structure(a, b, check_types=None):
    """ValueError unless a and b have the same nesting (node types, lengths, dict keys)."""
    map_structure(lambda *_: None, a, b)


def assert_same_paths(a, b):
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        msg = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            msg += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            msg += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(msg)


def traverse(func, structure, top_down=True):
    """Apply func to every node and leaf. A non-None result replaces the substructure (MAP_TO_NONE
    gives None); top-down, a None result continues into the children."""
    def children_of(node):
        if not is_nested(node):
            return node
        return _rebuild(node, [traverse(func, child, top_down) for child in _children(node)])

    if top_down:
        result = func(structure)
        if result is None:
            return children_of(structure)
    else:
        rebuilt = children_of(structure)
        result = func(rebuilt)
        if result is None:
            return rebuilt
    return None if result is MAP_TO_NONE else result


def lists_to_tuples(structure):
    return traverse(lambda node: tuple(node) if isinstance(node, list) else None, structure, top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)


def map_shape_structure(func, structure):
    """func applied to every shape (a tuple/list of ints and None) in the structure."""
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, child) for child in _children(structure)])


__all__ = [
    "MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path", "is_nested",
    "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse",
]
