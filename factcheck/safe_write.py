"""Writing an output file safely: a regular file through a private temporary file, streams straight through.

- ``-`` is standard output; ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` and ``/proc/self/fd/N`` are
  descriptor N itself (its pipe, terminal or file, at its offset and with its append mode).
- A name that is a character device (``/dev/null``, a terminal) or a FIFO is opened and written straight to;
  it is never replaced by a file.
- Anything else is a regular file: the bytes go to a new temporary file made with ``mkstemp`` (a unique name,
  created exclusively, so a planted file or symlink is never followed) in the target's folder, which is
  flushed, fsync'ed and then renamed over the target (``os.replace``), so the target is either the old file
  or the whole new one. The new file keeps an existing target's permission bits (else 0666 less the umask).
- A symlink to a regular file is written through: the file it points to is replaced (the temporary file is
  made in that file's folder) and the link stays a link. A dangling symlink is refused.

Errors are :class:`OutputError` with a one-line message; on any failure the temporary file is removed.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from types import TracebackType
from typing import BinaryIO, Literal

FD_NAME = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")
STD_NAMES = {"/dev/stdout": 1, "/dev/stderr": 2}


class OutputError(Exception):
    """An output that cannot be written; the message is one line."""


def descriptor_of(path: str) -> int | None:
    """The file descriptor a name stands for ('-' and /dev/stdout: 1, /dev/fd/N: N), else None."""
    if path == "-":
        return 1
    if path in STD_NAMES:
        return STD_NAMES[path]
    m = FD_NAME.fullmatch(path)
    return int(m.group(1)) if m else None


def writes_to_stdout(path: str) -> bool:
    """Whether writing to path writes to this process's standard output (so messages belong on stderr)."""
    fd = descriptor_of(str(path))
    if fd == 1:
        return True
    try:
        return os.path.samestat(os.stat(fd if fd is not None else path), os.fstat(1))
    except (OSError, ValueError):
        return False


def _reason(path: object, exc: OSError) -> str:
    """'path: No such file or directory' on one line."""
    return f"{path}: {' '.join(str(exc.strerror or exc).split())}"


class CountingFile:
    """A binary file wrapper that counts the bytes written through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.bytes = raw, 0

    def write(self, data: bytes) -> int:
        """Write and count."""
        self.raw.write(data)
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        """Flush the wrapped file."""
        self.raw.flush()


class SafeOutput:
    """``with SafeOutput(path) as f: f.write(b"...")``: the bytes reach path whole, or not at all (see above).

    After the block, ``bytes`` is how many were written and ``streamed`` whether they went straight through."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.bytes = 0
        self.streamed = False
        self._file: BinaryIO | None = None
        self._tmp: str | None = None
        self._target: str | None = None
        self._close = True

    def __enter__(self) -> CountingFile:
        try:
            self._open()
        except OSError as exc:
            self._discard()
            raise OutputError(_reason(self.path, exc)) from exc
        assert self._file is not None  # every way _open returns sets it
        self._counter = CountingFile(self._file)
        return self._counter

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        self.bytes = self._counter.bytes
        if kind is not None:
            self._discard()
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                raise OutputError(_reason(self.path, exc)) from exc
            return False
        try:
            self._commit()
        except OSError as exc:
            self._discard()
            if isinstance(exc, BrokenPipeError):
                raise
            raise OutputError(_reason(self.path, exc)) from exc
        return False

    # --- opening -------------------------------------------------------------------------------------------

    def _open(self) -> None:
        """Open the stream the name stands for, else a fresh temporary file beside the regular file."""
        fd = descriptor_of(self.path)
        if fd is not None:
            self._open_descriptor(fd)
        elif not self._open_device():
            self._open_temporary(self._regular_target())

    def _open_descriptor(self, fd: int) -> None:
        """'-', /dev/stdout, /dev/fd/N: write to (a duplicate of) descriptor N."""
        sys.stdout.flush()  # what was printed before comes first
        sys.stderr.flush()
        if self.path == "-" and getattr(sys.stdout, "buffer", None) is not None:
            self._file, self._close, self.streamed = sys.stdout.buffer, False, True
            return
        self._file, self.streamed = os.fdopen(os.dup(fd), "wb"), True

    def _open_device(self) -> bool:
        """A character device or FIFO: open it for writing (no create, no truncate); False for anything else."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            return False
        fd = os.open(self.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))  # a FIFO waits here for a reader
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            os.close(fd)  # replaced meanwhile: treat it as a regular file after all
            return False
        self._file, self.streamed = os.fdopen(fd, "wb"), True
        return True

    def _regular_target(self) -> str:
        """The file to replace: the name itself, or the regular file a symlink points to."""
        target = self.path
        if os.path.islink(target):
            target = os.path.realpath(target)
            if not os.path.exists(target):
                raise OutputError(f"{self.path}: a symbolic link to a missing file ({target}); not followed")
        if os.path.isdir(target):
            raise OutputError(f"{self.path}: is a directory")
        return target

    def _open_temporary(self, target: str) -> None:
        """A new private file beside target (unique name, created exclusively) with target's permissions."""
        folder, name = os.path.split(target)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
        self._target = target
        self._file = os.fdopen(fd, "wb")
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)

    # --- finishing -----------------------------------------------------------------------------------------

    def _commit(self) -> None:
        """Flush; for a temporary file also fsync and rename it over the target (then fsync the folder)."""
        f, self._file = self._file, None
        assert f is not None  # _commit runs once, after a successful _open
        if self._tmp is None:
            f.flush()
            if self._close:
                f.close()
            return
        f.flush()
        os.fsync(f.fileno())
        f.close()
        assert self._target is not None  # set together with _tmp
        os.replace(self._tmp, self._target)
        self._tmp = None
        _fsync_folder(os.path.dirname(self._target) or ".")

    def _discard(self) -> None:
        """Close what is open (quietly) and remove the temporary file."""
        f, self._file = self._file, None
        if f is not None and self._close:
            try:
                f.close()
            except OSError:
                pass
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: str) -> None:
    """Make a rename in folder durable (best effort: some file systems cannot fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_chunks(path: str | os.PathLike[str], chunks: Iterable[str]) -> SafeOutput:
    """Write an iterable of text chunks (UTF-8) to path as they come (see SafeOutput); returns the output."""
    out = SafeOutput(path)
    with out as f:
        for chunk in chunks:
            f.write(chunk.encode("utf-8"))
    return out
