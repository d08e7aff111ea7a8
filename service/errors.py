"""Domain errors raised by services; the API turns them into JSON, pages into messages."""


class DomainError(Exception):
    status = 400

    def __init__(self, message, errors=None, extra=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        # More of the answer, e.g. a comment's current state alongside a 409.
        self.extra = extra or {}


class ValidationError(DomainError):
    """Input that is well-formed but breaks a rule; `errors` maps field -> message."""

    status = 422

    def __init__(self, errors):
        message = "; ".join(f"{field}: {text}" for field, text in errors.items())
        super().__init__(message, errors)


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TooManyRequests(DomainError):
    """A budget for one kind of action is spent (limits the route's decorators cannot see)."""

    status = 429
