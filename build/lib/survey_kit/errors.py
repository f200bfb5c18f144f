"""Errors a user can act on.

:class:`DataError` is a problem with the input (a file, a value, a codebook): the command line
prints its message as one paragraph and exits with status 1, never with a traceback. A message
may come in Danish and English (``da=``/``en=``); :meth:`DataError.text` picks one, so every
command answers in the language it was asked for (Danish by default).
"""

from __future__ import annotations


class DataError(ValueError):
    """A problem with the input data. The message is a plain sentence that names the file, row,
    column, value and rule where they are known.

    Parameters
    ----------
    message
        The message (``str(err)``).
    da, en
        The same message in Danish / English, when the other language is known.
    """

    def __init__(self, message: str, *, da: str | None = None, en: str | None = None) -> None:
        super().__init__(message)
        self.da = da
        self.en = en

    def text(self, lang: str = "da") -> str:
        """The message in ``lang`` (``"da"`` or ``"en"``) when known, else as raised."""
        own = self.da if lang == "da" else self.en
        return own or str(self)
