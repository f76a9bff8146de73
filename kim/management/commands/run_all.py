"""`make run`: the web server, one Celery worker and exactly one beat, started and stopped together."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run the development web server, a Celery worker and the Celery beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, address, **options):
        python = sys.executable
        commands = {
            "worker": [python, "-m", "celery", "-A", "kim", "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "kim",
                "beat",
                "--loglevel=INFO",
                "--schedule=var/celerybeat-schedule",
            ],
            "web": [python, "manage.py", "runserver", address],
        }
        children = {name: subprocess.Popen(command) for name, command in commands.items()}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            if exited := [name for name, child in children.items() if child.poll() is not None]:
                self.stderr.write(f"{', '.join(exited)} stopped; stopping the rest.")
                break
            time.sleep(0.5)
        self._stop_all(children)

    def _stop_all(self, children):
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
