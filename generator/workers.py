"""Forked worker processes: run a function in a child and read back what it returned (pickled)."""
from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


def fork_worker(work: Callable[[], Any]) -> tuple[int, int]:
    """Run `work` in a forked child that sends its result through a pipe; (pid, reader) for `result`."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    code = 0
    try:
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def result(pid: int, reader: int) -> tuple[Any, int]:
    """What a worker sent back (None when it sent nothing readable, e.g. it died) and its exit status."""
    with os.fdopen(reader, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    try:
        return pickle.loads(payload), status
    except Exception:  # noqa: BLE001 - nothing sent, or something unreadable: the caller decides
        return None, status
