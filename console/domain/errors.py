"""Domain errors: every broken rule raises one, with a machine code and a human message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. `code` is stable and machine-readable."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidValue(DomainError):
    code = "invalid_value"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"
