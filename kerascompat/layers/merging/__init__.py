"""Merging layers: a base (`Merge`) and one file per layer with its functional form."""

from .add import Add, add
from .average import Average, average
from .base_merge import Merge
from .concatenate import Concatenate, concatenate
from .dot import Dot, dot
from .maximum import Maximum, maximum
from .minimum import Minimum, minimum
from .multiply import Multiply, multiply
from .subtract import Subtract, subtract
