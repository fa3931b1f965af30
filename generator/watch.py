"""Noticing saved files: Linux inotify where there is one (instant, idle otherwise), else looking every 50 ms."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import time
from collections.abc import Iterable
from pathlib import Path

POLL_INTERVAL = 0.05  # seconds between looks when there is no inotify
QUIET_PERIOD = 0.015  # a burst of saves closer together than this is one change (an editor's save takes a few ms)
_EVENT = struct.Struct("iIII")
# modify, attrib, close_write, moved_from, moved_to, create, delete, delete_self, move_self
_MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800
_IS_DIR, _CREATE, _MOVED_TO = 0x40000000, 0x100, 0x80


class Watcher:
    """Waits until something under some folders changes; `changed(timeout)` says whether it did."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = [Path(f) for f in folders]
        self.fd = -1
        self.libc = None
        self.watches: dict[int, str] = {}
        try:
            self._start_inotify()
        except OSError:
            self.fd = -1

    @property
    def instant(self) -> bool:
        """Whether the system tells us of changes (else we look every POLL_INTERVAL)."""
        return self.fd >= 0

    def _start_inotify(self) -> None:
        """Watch every folder below the roots with inotify."""
        name = ctypes.util.find_library("c")
        if not name or not hasattr(os, "O_NONBLOCK"):
            raise OSError("no inotify")
        self.libc = ctypes.CDLL(name, use_errno=True)
        if not hasattr(self.libc, "inotify_init1"):
            raise OSError("no inotify")
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        for root in self.folders:
            for folder, dirs, _ in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                self._add(folder)

    def _add(self, folder: str) -> None:
        """Watch one folder."""
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK)  # type: ignore[union-attr]
        if wd >= 0:
            self.watches[wd] = folder

    def _drain(self) -> bool:
        """Read pending events; True if any was about a file that matters. New folders are watched too."""
        relevant = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return relevant
            offset = 0
            while offset < len(data):
                wd, mask, _, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0").decode(errors="replace")
                offset += _EVENT.size + length
                if mask & _IS_DIR and mask & (_CREATE | _MOVED_TO) and wd in self.watches:
                    self._add(os.path.join(self.watches[wd], name))
                if not ignorable(name):
                    relevant = True

    def changed(self, timeout: float) -> bool:
        """Wait up to `timeout` for a change, then for the burst of saves to end; whether one came."""
        if not self.instant:
            time.sleep(min(timeout, POLL_INTERVAL))
            return True  # the caller compares snapshots
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready or not self._drain():
            return False
        while select.select([self.fd], [], [], QUIET_PERIOD)[0]:
            self._drain()
        return True

    def close(self) -> None:
        """Stop watching."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def ignorable(name: str) -> bool:
    """Editor swap, backup and temporary files, which never trigger a rebuild."""
    return (not name or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig",
                                                                        ".part", ".crdownload", "#"))
            or name == "4913")
