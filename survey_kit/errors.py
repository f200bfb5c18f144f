"""Errors a user can act on.

:class:`DataError` is a problem with the input (a file, a value, a codebook): the command line
prints its message as one paragraph and exits with status 1, never with a traceback.
"""

from __future__ import annotations


class DataError(ValueError):
    """A problem with the input data. The message is a plain sentence that names the file, row,
    column, value and rule where they are known."""
