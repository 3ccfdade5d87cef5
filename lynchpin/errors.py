"""User-facing errors: the CLI prints them as short lines and exits with status 2."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in user input (file, option, name). Never shown with a traceback.

    `lines` are printed one per line, each ideally `file:line:col: field: message`.
    """

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
