"""Keep a few child processes running: one that exits is started again after a back-off, unless it is the one
whose exit ends the run (`make run`'s web server)."""

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
# A child that ran at least this long before it exited was healthy: its back-off starts again from the first.
STABLE_AFTER_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0


@dataclass
class Child:
    name: str
    command: Sequence[str]
    restart: bool = True  # False: its exit stops everything
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_exits: int = 0  # exits in a row, each within STABLE_AFTER_SECONDS of its start
    restarts: int = 0
    start_at: float | None = None  # when a child that exited is due to start again
    history: list[int] = field(default_factory=list)  # exit codes, for the log and the tests


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        log: Callable[[str], None],
        spawn: Callable[[Sequence[str]], subprocess.Popen] = subprocess.Popen,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = list(children)
        self.log = log
        self.spawn = spawn
        self.clock = clock

    def start(self) -> None:
        for child in self.children:
            self._start(child)

    def step(self) -> bool:
        """Look at every child once: restart what is due, schedule what exited. False when the run must end."""
        now = self.clock()
        for child in self.children:
            if child.process is None:
                if child.start_at is not None and now >= child.start_at:
                    child.restarts += 1
                    self.log(f"{child.name}: starting again (restart {child.restarts})")
                    self._start(child)
                continue
            code = child.process.poll()
            if code is None:
                continue
            child.history.append(code)
            child.process = None
            if not child.restart:
                self.log(f"{child.name} stopped (exit code {code}); stopping the rest.")
                return False
            self._schedule(child, code, now)
        return True

    def run(self, stopping: Callable[[], bool], *, interval: float = 0.5, sleep=time.sleep) -> None:
        """Until `stopping()` says so or a child that is not restarted exits; then stop every child."""
        self.start()
        try:
            while not stopping() and self.step():
                sleep(interval)
        finally:
            self.stop_all()

    def stop_all(self, grace: float = STOP_GRACE_SECONDS) -> None:
        running = [child.process for child in self.children if child.process is not None]
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = self.clock() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _start(self, child: Child) -> None:
        child.process = self.spawn(child.command)
        child.started_at = self.clock()
        child.start_at = None

    def _schedule(self, child: Child, code: int, now: float) -> None:
        ran = now - child.started_at
        child.quick_exits = 0 if ran >= STABLE_AFTER_SECONDS else child.quick_exits + 1
        delay = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** max(0, child.quick_exits - 1))
        child.start_at = now + delay
        self.log(
            f"{child.name} stopped (exit code {code}) after {ran:.0f} s; starting it again in {delay:.0f} s"
        )
