"""kerascompat.tree against tf.keras.tree on the same structures (results and error types)."""

import collections

import numpy as np
import pytest

from harness import TF_KERAS
from kerascompat import tree as ours

theirs = TF_KERAS.tree
Point = collections.namedtuple("Point", "y x")
STRUCTURES = {
    "leaf": 3,
    "none": None,
    "array_leaf": np.zeros(2),
    "list": [1, None, 3],
    "nested": [1, (2, [3, {"b": 4, "a": 5}]), None],
    "dict_unsorted": {"z": 1, "a": [2, 3], "m": {"y": 4, "b": None}},
    "ordered_dict": collections.OrderedDict([("b", 1), ("a", 2)]),
    "default_dict": collections.defaultdict(list, {"b": 1, "a": 2}),
    "namedtuple": Point(1, [2, 3]),
    "deque": collections.deque([1, (2, 3)]),
    "empty": [(), {}, []],
    "int_keys": {1: "a", 0: "b"},
}


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a.items()) == list(b.items())
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


def _numbered(structure):
    return list(range(100, 100 + len(theirs.flatten(structure))))


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_tree_functions_match_tf_keras(name):
    s = STRUCTURES[name]
    assert ours.is_nested(s) == theirs.is_nested(s)
    flat = ours.flatten(s)
    assert len(flat) == len(theirs.flatten(s))
    for a, b in zip(flat, theirs.flatten(s)):
        _same(a, b)
    assert [p for p, _ in ours.flatten_with_path(s)] == [p for p, _ in theirs.flatten_with_path(s)]
    numbers = _numbered(s)
    packed_ours, packed_theirs = ours.pack_sequence_as(s, numbers), theirs.pack_sequence_as(s, numbers)
    assert repr(packed_ours) == repr(packed_theirs) and type(packed_ours) is type(packed_theirs)
    mapped = lambda x: ("leaf", type(x).__name__)  # noqa: E731
    assert repr(ours.map_structure(mapped, s)) == repr(theirs.map_structure(mapped, s))
    assert repr(ours.map_structure(lambda a, b: (a, b), s, packed_ours)) == \
        repr(theirs.map_structure(lambda a, b: (a, b), s, packed_theirs))
    assert repr(ours.lists_to_tuples(packed_ours)) == repr(theirs.lists_to_tuples(packed_theirs))
    double = lambda x: x * 2 if isinstance(x, int) else None  # noqa: E731
    assert repr(ours.traverse(double, packed_ours)) == repr(theirs.traverse(double, packed_theirs))
    assert repr(ours.traverse(double, packed_ours, top_down=False)) == \
        repr(theirs.traverse(double, packed_theirs, top_down=False))
    ours.assert_same_structure(s, packed_ours)
    ours.assert_same_paths(s, packed_ours)


MISMATCHES = [
    ([1, 2], (1, 2)),
    ([1, 2], [1, [2]]),
    ({"a": 1}, {"b": 1}),
    ([1, 2], [1, 2, 3]),
]


@pytest.mark.parametrize("a,b", MISMATCHES, ids=str)
def test_structure_mismatches_raise_as_tf_keras(a, b):
    with pytest.raises(ValueError):
        theirs.assert_same_structure(a, b)
    with pytest.raises(ValueError):
        ours.assert_same_structure(a, b)
    with pytest.raises(ValueError):
        theirs.map_structure(lambda *x: x, a, b)
    with pytest.raises(ValueError):
        ours.map_structure(lambda *x: x, a, b)


def test_up_to_none_is_leaf_shapes_and_map_to_none():
    up_to = ([1, 2], lambda a: repr(a), [[3, 4], {"k": 5}])
    assert ours.map_structure_up_to(*up_to) == theirs.map_structure_up_to(*up_to)
    assert ours.map_structure(lambda x: x, [None, 1], none_is_leaf=False) == \
        theirs.map_structure(lambda x: x, [None, 1], none_is_leaf=False)
    shapes = {"a": (1, None), "b": [(2, 3), [4]], "c": None}
    assert ours.map_shape_structure(repr, shapes) == theirs.map_shape_structure(repr, shapes)
    to_none = lambda x: ours.MAP_TO_NONE if x == 2 else None  # noqa: E731
    to_none_tf = lambda x: theirs.MAP_TO_NONE if x == 2 else None  # noqa: E731
    assert ours.traverse(to_none, [1, 2, (2,)]) == theirs.traverse(to_none_tf, [1, 2, (2,)])
    with pytest.raises(ValueError):
        theirs.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError):
        ours.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError):
        theirs.assert_same_paths({"a": 1}, {"b": 1})
    with pytest.raises(ValueError):
        ours.assert_same_paths({"a": 1}, {"b": 1})
