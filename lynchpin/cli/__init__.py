"""The `lynchpin` command. This module only wires the layers; each command group lives in its
own module and registers itself on `app`."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import Abort, TyperException

from lynchpin.errors import UserError

app = typer.Typer(
    name="lynchpin",
    help="Simulate US-Japan burden-sharing, gray-zone coercion and alignment in the Indo-Pacific.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


@app.command()
def version() -> None:
    """Print the lynchpin version."""
    from lynchpin import __version__

    print(__version__)


# Command modules register their commands on `app` when imported.
from lynchpin.cli import backtest_cmds, batch_cmds, dashboard_cmds, scenario_cmds  # noqa: E402,F401


def main(argv: list[str] | None = None) -> int:
    """Entry point: user mistakes become short messages and exit status 2, never tracebacks.

    Typer vendors click (typer._click), so its usage errors derive from TyperException, not
    from the separately installed click's ClickException.
    """
    try:
        code = app(args=argv, prog_name="lynchpin", standalone_mode=False)
    except UserError as error:
        for line in error.lines:
            prefixed = line if line.startswith(("error", " ")) else f"error: {line}"
            print(prefixed, file=sys.stderr)
        return 2
    except TyperException as error:  # bad option, missing argument, no arguments at all
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            print(f"error: {error.format_message()}", file=sys.stderr)
        return error.exit_code
    except Abort:
        print("aborted", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
