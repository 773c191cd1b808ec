"""The ``troika`` program's entry point: Ctrl-C is answered in French from the start.

Importing the pipeline (click, docxtpl, lxml, openpyxl...) takes a few tenths of a
second, and a Ctrl-C meanwhile would print Python's English traceback. This module
imports nothing heavy: on import it installs a SIGINT handler that says, in French,
that nothing was done and leaves; once the command line has read its arguments, Ctrl-C
is given back to Python, and the commands handle KeyboardInterrupt themselves (putting build/
back as it was, and saying what really happened). Once the command has returned,
Ctrl-C is ignored while Python shuts down.

Once the command is done and every exit handler has run (worker pools ended, temporary
files removed), the program leaves without Python's teardown of every module and
object: that teardown changes nothing on disk and takes a tenth of a second, a tenth
of a whole build of the sample.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys

INTERRUPTED = 130  # the conventional exit code after Ctrl-C


def _before_start(_signum, _frame) -> None:
    sys.stderr.write("\nInterrompu avant le début du travail : rien n'a été lu ni écrit.\n")
    sys.stderr.flush()
    os._exit(INTERRUPTED)  # nothing to clean up yet; no traceback can follow


signal.signal(signal.SIGINT, _before_start)


_pressed = False  # whether Ctrl-C was pressed once the command line was imported


def _during_work(signum, frame) -> None:
    global _pressed
    _pressed = True
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt


def ctrl_c_pressed() -> bool:
    """Whether Ctrl-C was pressed while the command ran. A library that catches every
    exception may turn the KeyboardInterrupt into an error of its own (openpyxl reports
    a TypeError); the command line then still knows it was an interruption."""
    return _pressed


def start_work() -> None:
    """Called by the command line once it has read its arguments, as the command starts:
    from now on Ctrl-C raises KeyboardInterrupt, which the commands handle. Before, the
    French handler above answers it (click would turn it into an English-looking
    "Aborted!" and exit code 1 while it reads the arguments). Nothing changes when the
    command line runs without this entry point (tests, other programs)."""
    if signal.getsignal(signal.SIGINT) is _before_start:
        signal.signal(signal.SIGINT, _during_work)


_exit_code = 1  # what the program returns; 1 until the command says otherwise


def _leave() -> None:
    """The last exit handler (the first registered): flush what was printed and end
    the process with the command's exit code, skipping the teardown."""
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
        signal.signal(signal.SIGINT, signal.SIG_IGN)
