"""keras.io example programs, each reduced to `build(keras)`, `inputs(rng)`, `targets(rng)` and `loss(keras)`.

See README.md for the list, the interface and each program's status on kerascompat.
"""
