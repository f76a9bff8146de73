"""`make run`'s supervision: a worker or beat that dies is started again after a back-off; the web server's
exit, or Ctrl-C, stops everything."""

import subprocess
import sys
import time

import pytest

from kim.lib import supervisor
from kim.lib.supervisor import Child, Supervisor
from kim.management.commands.run_all import children


class FakeProcess:
    """A child that runs until the test makes it exit."""

    def __init__(self, command) -> None:
        self.command = command
        self.code: int | None = None
        self.signals: list[int] = []

    def poll(self) -> int | None:
        return self.code

    def send_signal(self, signum: int) -> None:
        self.signals.append(signum)
        self.code = -signum

    def wait(self, timeout=None) -> int | None:
        return self.code


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def run(clock):
    spawned: list[FakeProcess] = []
    log: list[str] = []

    def spawn(command):
        spawned.append(FakeProcess(command))
        return spawned[-1]

    sup = Supervisor(
        [Child("worker", ["worker"]), Child("beat", ["beat"]), Child("web", ["web"], restart=False)],
        log=log.append,
        spawn=spawn,
        clock=clock,
    )
    sup.start()
    sup.spawned, sup.lines = spawned, log  # type: ignore[attr-defined]
    return sup


def child(sup: Supervisor, name: str) -> Child:
    return next(c for c in sup.children if c.name == name)


def test_a_worker_that_dies_is_started_again_after_a_second_while_the_web_server_keeps_running(run, clock):
    worker = child(run, "worker")
    first = worker.process
    first.code = 1
    assert run.step() is True
    assert worker.process is None and worker.start_at == clock.now + 1
    clock.now += 0.5
    assert run.step() is True and worker.process is None  # not yet
    clock.now += 0.5
    assert run.step() is True
    assert worker.process is not None and worker.process is not first and worker.process.command == ["worker"]
    assert child(run, "web").process.signals == []
    assert "worker stopped (exit code 1) after 0 s; starting it again in 1 s" in run.lines
    assert "worker: starting again (restart 1)" in run.lines


def test_a_beat_that_keeps_dying_at_once_waits_longer_each_time_up_to_a_minute(run, clock):
    beat = child(run, "beat")
    delays = []
    for _ in range(9):
        beat.process.code = 1
        run.step()
        delays.append(beat.start_at - clock.now)
        clock.now = beat.start_at
        run.step()
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert beat.restarts == 9


def test_a_beat_that_ran_for_a_while_before_it_died_is_started_again_after_a_second(run, clock):
    beat = child(run, "beat")
    beat.quick_exits = 5
    clock.now += supervisor.STABLE_AFTER_SECONDS
    beat.process.code = 0
    run.step()
    assert beat.start_at - clock.now == 1


def test_the_web_server_stopping_stops_the_worker_and_the_beat(run):
    child(run, "web").process.code = 1
    assert run.step() is False
    run.stop_all()
    assert [p.code for p in run.spawned] == [-15, -15, 1]


def test_ctrl_c_stops_every_child_and_a_child_that_died_is_not_started_again(clock):
    spawned: list[FakeProcess] = []
    sup = Supervisor(
        [Child("worker", ["worker"]), Child("web", ["web"], restart=False)],
        log=lambda line: None,
        spawn=lambda command: spawned.append(FakeProcess(command)) or spawned[-1],
        clock=clock,
    )
    ticks = iter([False, False, True])  # Ctrl-C at the third look

    def sleep(seconds):
        spawned[0].code = 1  # the worker dies as well
        clock.now += seconds

    sup.run(lambda: next(ticks), sleep=sleep)
    assert len(spawned) == 2  # the worker was not started again: its back-off was still running
    assert spawned[1].signals == [15]


def test_real_processes_a_worker_that_exits_is_restarted_and_the_web_server_left_alone():
    python = sys.executable
    sup = Supervisor(
        [
            Child("worker", [python, "-c", "raise SystemExit(3)"]),
            Child("web", [python, "-c", "import time; time.sleep(60)"], restart=False),
        ],
        log=lambda line: None,
    )
    stop_at = time.monotonic() + 2.5
    sup.run(lambda: time.monotonic() > stop_at, interval=0.05)
    worker, web = sup.children
    assert worker.history[:2] == [3, 3] and worker.restarts >= 1
    assert web.history == [] and web.process is not None
    assert web.process.poll() is not None  # stopped at the end, not before


def test_make_run_restarts_the_worker_and_the_beat_but_ends_with_the_web_server():
    roles = {c.name: (c.restart, c.command[1:]) for c in children("python", "127.0.0.1:8000")}
    assert roles["worker"][0] and roles["beat"][0] and not roles["web"][0]
    assert roles["web"][1] == ["manage.py", "runserver", "127.0.0.1:8000"]
    assert roles["beat"][1][:4] == ["-m", "celery", "-A", "kim"] and "beat" in roles["beat"][1]


def test_a_child_that_ignores_the_stop_signal_is_killed_after_the_grace_period():
    sup = Supervisor(
        [
            Child(
                "stubborn",
                [
                    sys.executable,
                    "-c",
                    "import signal, time; signal.signal(15, signal.SIG_IGN); print(1, flush=True); time.sleep(60)",
                ],
            )
        ],
        log=lambda line: None,
        spawn=lambda command: subprocess.Popen(command, stdout=subprocess.PIPE),
    )
    sup.start()
    process = sup.children[0].process
    process.stdout.readline()  # its handler is in place
    started = time.monotonic()
    sup.stop_all(grace=0.3)
    assert process.returncode == -9 and time.monotonic() - started < 5
    process.stdout.close()
