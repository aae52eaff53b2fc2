"""The domain error type: services raise it with a message a user understands."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule of the domain refused the action.

    ``message`` is shown to the user as is (translate it at the raise site); ``field``
    names the input at fault when there is one; ``extra`` carries details for the API.
    """

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
