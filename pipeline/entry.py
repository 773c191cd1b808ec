"""The ``troika`` program's entry point: Ctrl-C is answered in French from the start.

Every other way of stopping the program (a closed terminal window or a logout, SIGHUP;
a ``kill`` or a shutdown, SIGTERM; a closed Windows console, CTRL_CLOSE_EVENT) is
answered exactly as Ctrl-C is (see :mod:`pipeline.stopping`): whatever stops it, the
program puts build/ back as it was and removes its temporary files.

Importing the pipeline (click, docxtpl, lxml, openpyxl...) takes a few tenths of a
second, and a Ctrl-C meanwhile would print Python's English traceback. This module
imports nothing heavy: on import it installs a SIGINT handler that says, in French,
that nothing was done and leaves; once the command line has read its arguments, Ctrl-C
raises KeyboardInterrupt, and the commands handle it themselves (putting build/
back as it was, and saying what really happened). Once the command has returned,
Ctrl-C is ignored while Python shuts down.

A reader of the output that goes away (``troika construire | head -1``) does not stop
the work either: once standard output or error is a closed pipe (or a terminal that
hung up), what the program still prints is dropped, as Python's documentation advises
for BrokenPipeError, and the command ends with the code of its work.

Once the command is done and every exit handler has run (worker pools ended, temporary
files removed), the program leaves without Python's teardown of every module and
object: that teardown changes nothing on disk and takes a tenth of a second, a tenth
of a whole build of the sample.
"""

from __future__ import annotations

import atexit
import errno
import io
import os
import signal
import sys
import threading
import warnings

from . import stopping

INTERRUPTED = 130  # the conventional exit code after Ctrl-C


def _before_start(_signum, _frame) -> None:
    sys.stderr.write("\nInterrompu avant le début du travail : rien n'a été lu ni écrit.\n")
    sys.stderr.flush()
    os._exit(INTERRUPTED)  # nothing to clean up yet; no traceback can follow


stopping.install(_before_start)
_finished = threading.Event()  # set when the program is about to leave


def _console_closed(event: int) -> bool:
    """Windows: a console window closed, a logout or a shutdown. Python's own console
    handler returns at once, and Windows then ends the process before any clean-up:
    this one interrupts the main thread as Ctrl-Break does (SIGBREAK, handled like
    Ctrl-C), then waits for the program to leave (Windows allows 5 seconds)."""
    if event not in (2, 5, 6):  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT
        return False
    import _thread

    _thread.interrupt_main(getattr(signal, "SIGBREAK", signal.SIGINT))
    _finished.wait(4.5)
    return True


if os.name == "nt":  # pragma: no cover - Windows only
    import ctypes

    _CONSOLE_HANDLER = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_ulong)(_console_closed)
    ctypes.windll.kernel32.SetConsoleCtrlHandler(_CONSOLE_HANDLER, True)


_pressed = False  # whether Ctrl-C was pressed once the command line was imported


def _during_work(signum, frame) -> None:
    global _pressed
    _pressed = True
    raise KeyboardInterrupt  # what Ctrl-C raises, for every way of stopping


def ctrl_c_pressed() -> bool:
    """Whether Ctrl-C was pressed (or the program otherwise stopped) while the command
    ran. A library that catches every exception may turn the KeyboardInterrupt into an
    error of its own (openpyxl reports a TypeError); the command line then still knows
    it was an interruption."""
    return _pressed


def start_work() -> None:
    """Called by the command line once it has read its arguments, as the command starts:
    from now on Ctrl-C, and every other way of stopping, raises KeyboardInterrupt, which
    the commands handle. Before, the French handler above answers it (click would turn
    it into an English-looking "Aborted!" and exit code 1 while it reads the arguments).
    Nothing changes when the command line runs without this entry point (tests, other
    programs)."""
    if signal.getsignal(signal.SIGINT) is _before_start:
        stopping.install(_during_work)


class _Output(io.RawIOBase):
    """Standard output or error, written straight to its file descriptor; once its
    reader has gone (a closed pipe, a terminal that hung up), the descriptor is pointed
    at the null device, as Python's documentation advises for BrokenPipeError, and what
    follows is dropped without an error."""

    _GONE = {errno.EPIPE, errno.EIO, errno.EINVAL}  # EINVAL: a closed pipe on Windows

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            if exc.errno not in self._GONE:
                raise
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._fd)
            os.close(null)
            return len(data)


def _tolerate_a_reader_that_goes(name: str) -> None:
    """Replace ``sys.<name>`` (stdout or stderr) with the same stream over :class:`_Output`.
    Not for a Windows console, whose stream Python writes in UTF-16 by its own means
    (it cannot be a closed pipe)."""
    stream = getattr(sys, name)
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # no real stream (pythonw): nothing to protect
    if os.name == "nt" and os.isatty(fd):
        return
    stream.flush()
    replacement = io.TextIOWrapper(
        io.BufferedWriter(_Output(fd)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=name == "stderr",
    )
    setattr(sys, name, replacement)


_exit_code = 1  # what the program returns; 1 until the command says otherwise


def _leave() -> None:
    """The last exit handler (the first registered): flush what was printed and end
    the process with the command's exit code, skipping the teardown."""
    _finished.set()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(_exit_code)


def _code(status) -> int:
    """The exit code Python gives for ``sys.exit(status)``."""
    if status is None:
        return 0
    return status if isinstance(status, int) else 1  # a message: printed, then 1


def main() -> None:
    """Import the command line under the French handler, then run it."""
    global _exit_code
    atexit.register(_leave)  # before the pipeline's imports register theirs: runs last
    for name in ("stdout", "stderr"):
        _tolerate_a_reader_that_goes(name)
    # openpyxl warns in English, on standard error, about what it cannot read in a cell
    # (a date out of range...): the reader reports each such cell in French, by name.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?")
    from .cli import main as command

    try:
        command()
        _exit_code = 0
    except SystemExit as exc:  # how click ends every command
        _exit_code = _code(exc.code)
        raise
    except KeyboardInterrupt:  # between the command's own handling and the end
        sys.stderr.write("\nInterrompu à la fin : la commande avait terminé son travail.\n")
        _exit_code = INTERRUPTED
        sys.exit(INTERRUPTED)
    finally:
        # The work is done: a Ctrl-C while Python shuts down changes nothing, and must
        # not print a traceback from some object's clean-up.
        stopping.install(signal.SIG_IGN)
