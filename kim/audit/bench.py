"""What the audit trail costs a save: for `manage.py bench`.

The same saves run through the app's services with the trail on and off (django-simple-history's
SIMPLE_HISTORY_ENABLED setting, read at every save), in many short alternating rounds so that a drift of the
machine falls on both. Only the service call is timed; the form is built and validated outside the clock.
On SQLite, which runs inside this process, the clock is the process's CPU time: other work on a shared
machine then slows neither side; on PostgreSQL it is wall time, the server's work included.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import override_settings

from kim.register import services as register_services
from kim.register.forms import KimForm
from kim.register.models import Kim
from outreach.sessions import services as session_services
from outreach.sessions.models import Session

MAX_OVERHEAD = 0.20  # the aim: the trail adds under 20% to a KIM's or a session's save


@dataclass(frozen=True)
class SaveCost:
    label: str
    with_trail_ms: float
    without_trail_ms: float

    @property
    def overhead(self) -> float:
        return self.with_trail_ms / self.without_trail_ms - 1


def clock() -> Callable[[], float]:
    return time.process_time if connection.vendor == "sqlite" else time.perf_counter


def save_costs(*, kim: Kim, session: Session, actor, saves: int = 20, rounds: int = 15) -> list[SaveCost]:
    return [
        _cost("KIM save (register kim_update)", lambda n: _save_kim(kim, n), saves, rounds),
        _cost(
            "session save (sessions session_update)",
            lambda n: _save_session(session, actor, n),
            saves,
            rounds,
        ),
    ]


def _cost(label: str, save: Callable[[int], float], saves: int, rounds: int) -> SaveCost:
    timings: dict[bool, list[float]] = {True: [], False: []}
    number = 0
    for _round in range(rounds):
        for enabled in (True, False):
            with override_settings(SIMPLE_HISTORY_ENABLED=enabled):
                spent = 0.0
                for _save in range(saves):
                    number += 1
                    spent += save(number)
            timings[enabled].append(spent / saves * 1000)
    return SaveCost(label, statistics.median(timings[True]), statistics.median(timings[False]))


def _save_kim(kim: Kim, number: int) -> float:
    data = {"name": f"KIM Bench {number}", "status": kim.status, "level": kim.level_id or ""}
    form = KimForm(data, instance=Kim.objects.get(pk=kim.pk))
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    now = clock()
    start = now()
    register_services.kim_update(form=form)
    return now() - start


def _save_session(session: Session, actor, number: int) -> float:
    now = clock()
    start = now()
    changed = session_services.session_update(
        session=session,
        actor=actor,
        title=f"Sosialisasi bench {number}",
        venue=session.venue,
        topic=session.topic,
    )
    spent = now() - start
    if not changed:
        raise ValueError("the bench session did not change")
    return spent
