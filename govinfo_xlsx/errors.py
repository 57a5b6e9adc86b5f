"""Exceptions that stop an operation.  Their messages are Chinese, for users."""


class GovinfoError(Exception):
    """Base class: the message is shown to the user as is; the CLI exits with 2."""
