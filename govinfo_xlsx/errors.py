"""Exceptions that stop an operation.  Their messages are Chinese, for users."""


class GovinfoError(Exception):
    """Base class: the message is shown to the user as is; the CLI exits with 2."""


class UnreadableWorkbookError(GovinfoError):
    """The file cannot be read as an xlsx workbook at all."""


class NotATemplateError(GovinfoError):
    """The workbook is readable but was not made by govinfo-xlsx."""
