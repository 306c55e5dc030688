"""`python -m generator` is the same as the `schemafirst` command."""

import sys

from .cli import main

sys.exit(main())
