"""A forked helper process for CPU-bound work on a second core (parsing, rule evaluation).

Python threads do not run our parsing or rules in parallel (the GIL), so the
work is split with one forked helper: it inherits everything already loaded
(no re-import, no pickling of inputs), does its share and sends back bytes.
The callers keep results identical to a single-process run and redo the
helper's share themselves when it fails.

Only on Linux, with two or more usable cores and some idle capacity (a
1-minute load below the core count: on a saturated machine the helper's
copying is pure overhead), and no other thread running (forking a threaded
process is unsafe).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Callable


def helper_usable() -> bool:
    """Whether a forked helper can run safely and on a core of its own."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover
        return False
    return cores >= 2 and busy < cores


class Helper:
    """A forked process running ``work``; :meth:`result` waits for the bytes it returned.

    Raises OSError when no process can be started; callers then do the work themselves.
    """

    def __init__(self, work: Callable[[], bytes]):
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            raise
        if pid == 0:  # the helper: never returns, never runs the parent's exit handlers
            code = 1
            try:
                os.close(r)
                data = work()
                with os.fdopen(w, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self._pid, self._r = pid, r

    def result(self) -> bytes | None:
        """The helper's bytes, or None when it failed."""
        try:
            with os.fdopen(self._r, "rb") as fh:
                self._r = -1
                data = fh.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
        finally:
            self.stop()
        return data if os.waitstatus_to_exitcode(status) == 0 else None

    def stop(self) -> None:
        """End the helper if it still runs (e.g. the parent was interrupted) and close its pipe."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0
        if self._r >= 0:
            os.close(self._r)
            self._r = -1
