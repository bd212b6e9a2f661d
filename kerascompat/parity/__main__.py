"""`python -m kerascompat.parity`: see `kerascompat.parity.cli`."""

import sys

from .cli import main

sys.exit(main())
