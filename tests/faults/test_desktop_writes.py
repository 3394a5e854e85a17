"""Concurrent writers of one desktop home lose nothing and never leave a
file that cannot be read: two toolkits in one process (threads) and two
processes each add 25 events or reminders at once to the same iCalendar
file, while a reader keeps parsing it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import datetime
from pathlib import Path

import icalendar
import pytest

from agentc.tools.desktop import DesktopConfig, desktop_tools

PER_WRITER = 25
NOW = datetime(2025, 3, 14, 10, 0)


def toolkit(home: Path) -> dict:
    config = DesktopConfig(home=home, now=lambda: NOW, opener=lambda target: None)
    return {t.name: t for t in desktop_tools(config, backend="portable")}


class Reader(threading.Thread):
    """Parses `path` over and over until stopped; counts reads that failed."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.reads = 0
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                continue
            try:
                icalendar.Calendar.from_ical(data)
                self.reads += 1
            except ValueError as exc:
                self.failures.append(str(exc))


def summaries(path: Path, kind: str) -> list[str]:
    return sorted(str(c["summary"]) for c in icalendar.Calendar.from_ical(path.read_bytes()).walk(kind))


@pytest.mark.parametrize(
    "tool_name,arguments,file,kind",
    [
        ("create_calendar_event", {"start": "2025-03-20T09:00"}, "calendar.ics", "VEVENT"),
        ("create_reminder", {"due": "tomorrow at 9am"}, "reminders.ics", "VTODO"),
    ],
)
def test_two_toolkits_in_threads_keep_every_write(tmp_path, tool_name, arguments, file, kind):
    home = tmp_path / "home"
    writers = [toolkit(home)[tool_name], toolkit(home)[tool_name]]  # separate toolkits: no shared in-process lock
    start = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def write(number: int, create) -> None:
        start.wait()
        for i in range(PER_WRITER):
            try:
                create(title=f"w{number}-{i:02d}", **arguments)
            except BaseException as exc:  # recorded, so a lost write shows as an error too
                errors.append(exc)

    reader = Reader(home / "calendar" / file)
    reader.start()
    threads = [threading.Thread(target=write, args=(n, w)) for n, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader.stop.set()
    reader.join()

    assert errors == []
    expected = sorted(f"w{n}-{i:02d}" for n in range(len(writers)) for i in range(PER_WRITER))
    assert summaries(home / "calendar" / file, kind) == expected
    assert reader.failures == []
    assert not [p.name for p in (home / "calendar").iterdir() if p.suffix == ".part"]


WORKER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from agentc.tools.desktop import DesktopConfig, desktop_tools

    home, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    config = DesktopConfig(home=home, now=lambda: datetime(2025, 3, 14, 10, 0), opener=lambda target: None)
    create = {t.name: t for t in desktop_tools(config, backend="portable")}["create_calendar_event"]
    print("ready", flush=True)
    sys.stdin.readline()  # every worker starts writing at once
    failed = 0
    for i in range(count):
        try:
            create(title=f"{name}-{i:02d}", start="2025-03-20T09:00")
        except Exception as exc:
            failed += 1
            print("error:", exc, file=sys.stderr)
    print("failed", failed, flush=True)
    """
)


def test_two_processes_keep_every_event(tmp_path):
    home = tmp_path / "home"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(home), f"p{n}", str(PER_WRITER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(2)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    reader = Reader(home / "calendar" / "calendar.ics")
    reader.start()
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=300) for worker in workers]
    reader.stop.set()
    reader.join()

    for (out, err), worker in zip(results, workers):
        assert worker.returncode == 0, err
        assert out.strip() == "failed 0", err
    expected = sorted(f"p{n}-{i:02d}" for n in range(2) for i in range(PER_WRITER))
    assert summaries(home / "calendar" / "calendar.ics", "VEVENT") == expected
    assert reader.failures == []
