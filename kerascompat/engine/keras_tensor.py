"""Symbolic tensors and the nodes of the functional graph (defined with the symbolic ops in
ops/symbolic.py, whose operators and op calls record nodes too)."""

from ..ops.symbolic import KerasTensor, Node, Operation, is_symbolic  # noqa: F401
