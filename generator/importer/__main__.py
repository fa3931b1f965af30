"""`python -m generator.importer FILE.pdf|FOLDER ...` until the main CLI wires in import-pdf."""
import sys

from .cli import main

sys.exit(main())
