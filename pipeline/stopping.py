"""Every way of stopping the program, answered as Ctrl-C is.

A secretary stops a command with Ctrl-C, but also by closing its terminal window or
logging out (SIGHUP), a system shutting down or a ``kill`` sends SIGTERM, and closing a
Windows console window sends CTRL_CLOSE_EVENT (which Python receives as SIGBREAK, as
Ctrl-Break). Left to their default action, these end the process at once: a build
leaves its staging folder half full, a distribution its temporary folder and its
LibreOffice instances. Here they all get the same handler, which raises
KeyboardInterrupt: every ``finally`` and ``except KeyboardInterrupt`` that makes
Ctrl-C clean runs for them too.

This module imports nothing heavy: :mod:`pipeline.entry` uses it before the pipeline
is imported.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Looked up by name: SIGHUP exists only on POSIX systems, SIGBREAK only on Windows.
STOP_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
    if hasattr(signal, name)
)

Handler = Callable[[int, object], object]


def install(handler: Handler | int) -> dict[int, object]:
    """Give every stop signal ``handler`` (a function, or signal.SIG_IGN); the
    previous handlers, to give back with :func:`restore`."""
    previous = {}
    for signum in STOP_SIGNALS:
        previous[signum] = signal.signal(signum, handler)
    return previous


def restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        if handler is not None:
            signal.signal(signum, handler)


@contextmanager
def handled(handler: Handler) -> Iterator[None]:
    """Every stop signal answered by ``handler`` inside the block (main thread only:
    Python delivers signals there)."""
    previous = install(handler)
    try:
        yield
    finally:
        restore(previous)


def in_worker() -> None:
    """For a worker process forked by the program: a stop signal sent to the whole
    group (Ctrl-C, a closed terminal) is the parent's to handle, which ends its workers
    itself with SIGTERM; that one must keep its default action, or the parent would
    wait forever for a worker that ignores it."""
    # SIGTERM is never ignored, not even for an instant: that would discard one already
    # waiting (blocked while the worker was forked).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for signum in STOP_SIGNALS:
        if signum != signal.SIGTERM:
            signal.signal(signum, signal.SIG_IGN)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside the block, a stop signal waits for the block's end, then acts as it would
    have: for the few steps that must not stop half-way (making a staging folder and
    noting it, removing it, putting files back). Outside the main thread, where
    signals never land, it changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = install(lambda signum, _frame: received.append(signum))
    try:
        yield
    finally:
        restore(previous)
        if received:
            signal.raise_signal(received[0])  # as it would have landed, now
