"""Keras's training API on torch models: compile / fit / evaluate / predict (`trainer`), the
input pipelines fit accepts (`data_adapters`) and the compiled loss and metrics (`compile_utils`).

This package imports nothing from `kerascompat.engine`; `engine.model` imports the `Trainer`
mixin from here, so the dependency has one direction and no cycle.
"""
