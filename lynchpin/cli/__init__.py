"""The `lynchpin` command. This module only wires the layers; each command group lives in its
own module and registers itself on `app`."""

from __future__ import annotations

import errno
import shlex
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


_ARGV: list[str] | None = None  # the arguments main() is running, for manifests


def command_line() -> str:
    """The command being run, as typed (`lynchpin run baseline --worlds 10`), for manifests."""
    args = _ARGV if _ARGV is not None else sys.argv[1:]
    return shlex.join(["lynchpin", *args])


# Command modules register their commands on `app` when imported; `lynchpin --help` lists them
# in registration order: one scenario at a time, many runs, the classroom, history, version.
from lynchpin.cli import scenario_cmds  # noqa: E402,F401,I001
from lynchpin.cli import batch_cmds  # noqa: E402,F401
from lynchpin.cli import discover_cmds  # noqa: E402,F401
from lynchpin.cli import dashboard_cmds  # noqa: E402,F401
from lynchpin.cli import classroom_cmds  # noqa: E402,F401
from lynchpin.cli import backtest_cmds  # noqa: E402,F401


@app.command()
def version() -> None:
    """Print the lynchpin version.

    Example: `lynchpin version`
    """
    from lynchpin import __version__

    print(__version__)


def main(argv: list[str] | None = None) -> int:
    """Entry point: user mistakes become short messages and exit status 2, never tracebacks.

    Typer vendors click (typer._click), so its usage errors derive from TyperException, not
    from the separately installed click's ClickException.
    """
    global _ARGV
    _ARGV = list(argv) if argv is not None else sys.argv[1:]
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
    except OSError as error:  # safety net: inputs and outputs are checked before work starts
        for line in os_error_lines(error):
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0


def os_error_lines(error: OSError) -> list[str]:
    """An operating-system error as a message naming the path and what to do about it."""
    where = f"{error.filename}: " if error.filename else ""
    lines = [f"error: {where}{error.strerror or error}"]
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        lines.append("  the disk is full; free space there or choose another --out")
    elif error.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
        lines.append("  the address cannot be used; choose another --port or --host")
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        lines.append("  no permission to write there; choose another --out")
    elif error.filename:
        lines.append("  cannot use that path; choose another --out")
    return lines


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
