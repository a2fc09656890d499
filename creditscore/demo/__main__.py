"""`python -m creditscore.demo` (what `make demo` runs): see creditscore/demo/__init__.py."""

import logging
import os
import sys

from creditscore.demo import main

exit_code = main()
# Everything is stopped: skip the interpreter's teardown, which spends seconds
# collecting the heap of pandas/pyarrow/Django modules for nothing.
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(exit_code)
