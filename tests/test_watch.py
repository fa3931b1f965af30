"""Noticing saves: instantly with inotify, ignoring editor temp files, folding bursts, following new folders."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from generator.watch import Watcher


def later(action, delay: float = 0.05) -> None:
    """Do something from another thread a moment from now."""
    threading.Timer(delay, action).start()


def test_a_save_is_noticed_quickly(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])
    assert watcher.instant, "inotify is available on Linux"
    later(lambda: (tmp_path / "a.md").write_text("x"))
    began = time.monotonic()
    assert watcher.changed(5)
    assert time.monotonic() - began < 1
    watcher.close()


def test_editor_temp_files_are_not_changes(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])
    later(lambda: [(tmp_path / name).write_text("x") for name in (".a.md.swp", "a.md~", "4913", "#a.md#")])
    assert not watcher.changed(0.5)
    watcher.close()


def test_a_new_folder_is_followed(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])
    (tmp_path / "new").mkdir()
    assert watcher.changed(1)
    later(lambda: (tmp_path / "new" / "b.md").write_text("x"))
    assert watcher.changed(2)
    watcher.close()


def test_a_burst_of_saves_is_one_change(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])

    def burst() -> None:
        for n in range(5):
            (tmp_path / f"{n}.md").write_text("x")
            time.sleep(0.005)

    later(burst)
    assert watcher.changed(2)
    assert not watcher.changed(0.2), "the whole burst was taken as one change"
    watcher.close()
