"""reader: a keyboard-first terminal app for reading research papers."""

import os

__version__ = "0.1.0"

# numpy's OpenBLAS starts a thread per core for every matrix product, and reader's products
# are small (a query against a few thousand vectors): the threads spin for longer than the
# product takes, and take the core the app's own thread needs. Read by OpenBLAS when numpy
# first loads, so set here, before any module of reader can import numpy; a value the user
# set stays.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
