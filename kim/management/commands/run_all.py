"""`make run`: the web server, one Celery worker and exactly one beat, started and stopped together.

A worker or beat that dies is started again after a back-off (1, 2, 4 … up to 60 s while it keeps dying at
once), so that the web server keeps serving meanwhile; the web server's own exit, or Ctrl-C, stops all three.
"""

import signal
import sys

from django.core.management.base import BaseCommand

from kim.lib.supervisor import Child, Supervisor


def children(python: str, address: str) -> list[Child]:
    celery = [python, "-m", "celery", "-A", "kim"]
    return [
        Child("worker", [*celery, "worker", "--loglevel=INFO", "--concurrency=2"]),
        Child("beat", [*celery, "beat", "--loglevel=INFO", "--schedule=var/celerybeat-schedule"]),
        Child("web", [python, "manage.py", "runserver", address], restart=False),
    ]


class Command(BaseCommand):
    help = "Run the development web server, a Celery worker and the Celery beat until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, address, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        supervisor = Supervisor(children(sys.executable, address), log=self.stderr.write)
        supervisor.run(lambda: stopping)
