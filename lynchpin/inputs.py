"""Reading input files safely: only regular files, never more than a stated bound.

Every file a command reads (scenarios, batch files, manifests, index.csv, worlds.parquet) goes
through here, so a FIFO cannot hang a command, /dev/zero cannot eat memory, and a path with a
NUL byte or a symlink loop is a short message naming the path instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from lynchpin.errors import UserError

MIB = 1 << 20


def describe_kind(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def path_problem(error: BaseException) -> str:
    """Why a path could not be used, for OSError/ValueError/RuntimeError from os and pathlib."""
    if isinstance(error, ValueError):  # "embedded null byte"
        return "the path contains a NUL byte"
    if isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
        return "too many levels of symbolic links (a symlink loop?)"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def file_kind(path: str | Path) -> str | None:
    """None for a regular file (after symlinks); else what the path is, or why it is unusable."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except (OSError, ValueError) as error:
        return path_problem(error)
    return None if stat.S_ISREG(mode) else describe_kind(mode)


def read_bounded(path: str | Path, limit: int, what: str, shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else a UserError naming it.

    The file is opened non-blocking and checked with fstat on the open descriptor, so a FIFO
    never blocks and a file swapped for a device between check and read is still refused; at
    most limit + 1 bytes are ever read.
    """
    name = shown if shown is not None else str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UserError(f"{name}: no such {what}") from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a directory, not a {what}") from None
    except (OSError, ValueError) as error:
        raise UserError(f"{name}: cannot read {what} ({path_problem(error)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{name}: is {describe_kind(info.st_mode)}, not a {what}")
        if info.st_size > limit:
            raise UserError(f"{name}: {_too_big(info.st_size, limit, what)}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            block = os.read(fd, min(MIB, limit + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
        if total > limit:  # the file grew while being read
            raise UserError(f"{name}: {_too_big(total, limit, what)}")
        return b"".join(chunks)
    except OSError as error:
        raise UserError(f"{name}: cannot read {what} ({path_problem(error)})") from None
    finally:
        os.close(fd)


def check_regular(path: str | Path, limit: int, what: str, shown: str | None = None) -> int:
    """Size of a regular file of at most `limit` bytes (for files a library reads itself)."""
    name = shown if shown is not None else str(path)
    kind = file_kind(path)
    if kind == "no such file":
        raise UserError(f"{name}: no such {what}")
    if kind is not None:
        if kind.startswith(("a ", "not ")):
            raise UserError(f"{name}: is {kind}, not a {what}")
        raise UserError(f"{name}: cannot read {what} ({kind})")
    size = os.stat(path).st_size
    if size > limit:
        raise UserError(f"{name}: {_too_big(size, limit, what)}")
    return size


def _too_big(size: int, limit: int, what: str) -> str:
    return f"file is {size:,} bytes; a {what} is limited to {limit:,}"
