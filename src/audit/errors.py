"""The project's own exception types. Anything wrong with a client's data is a DataError;
the CLI prints it as one line (file, row, column, message) and carries on with the other files."""
from __future__ import annotations

from dataclasses import dataclass


class AuditError(Exception):
    """Base class for errors the toolkit reports to the user without a traceback."""


@dataclass
class DataError(AuditError):
    """A problem with one input file. `row` is 1-based as a spreadsheet shows it (None when
    the problem concerns the whole file); `column` is the column header as written in the file."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = [self.file or "<input>"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"

    def at(self, file: str | None = None, row: int | None = None, column: str | None = None) -> "DataError":
        """Fill in location details that an inner parser did not know."""
        return DataError(self.message, self.file or file,
                         self.row if self.row is not None else row,
                         self.column if self.column is not None else column)


class ConfigError(AuditError):
    """audit.yml is missing, unsafe or invalid; the message names the setting."""


class UsageError(AuditError):
    """The command line asked for something impossible (unknown notebook, bad period...)."""
