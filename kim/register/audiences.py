"""Who a KIM's people are (its ketua, mentors and village head), for every feature whose reminders are about
something that belongs to a KIM. This module registers audience labels only, no subject kind or trigger, so
that importing it does not change the order in which features register their triggers (kim/apps.py)."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from kim.accounts.models import Role
from kim.register.models import Kim, Member
from kim.reminders import recipients, registry
from kim.reminders.registry import People, Recipient

KETUA = registry.register_audience("ketua", gettext_lazy("the KIM's ketua"))
VILLAGE_HEAD = registry.register_audience("village_head", gettext_lazy("the village head"))
MENTORS = registry.register_audience("mentors", gettext_lazy("the KIM's mentors"))


# A KIM's people


def village_heads(village_ids) -> dict[Any, list[Recipient]]:
    return recipients.accounts_by("village_id", village_ids, role=Role.VILLAGE_HEAD)


def mentors(kim_ids) -> dict[int, list[Recipient]]:
    through = Kim.mentors.through.objects.filter(kim_id__in=kim_ids, user__is_active=True)
    grouped: dict[int, list[Recipient]] = defaultdict(list)
    for link in through.select_related("user").order_by("user_id"):
        grouped[link.kim_id].append(recipients.account(link.user))
    return grouped


def ketuas(kim_ids) -> dict[int, list[Recipient]]:
    members = Member.objects.current().filter(kim_id__in=kim_ids, position=Member.Position.KETUA)
    return {m.kim_id: [Recipient(f"member:{m.pk}", m.name, phone=m.phone)] for m in members}


def through_kim(kim_of: Callable[[Any], Kim | None], find, key: Callable[[Kim], Any]) -> People:
    """An audience of subjects that belong to a KIM: `find` looks the people up by `key(kim)` in one query."""

    def people(subjects: list) -> dict[int, list[Recipient]]:
        kims = {subject.pk: kim_of(subject) for subject in subjects}
        found = find({key(kim) for kim in kims.values() if kim is not None})
        return {pk: found.get(key(kim), []) if kim is not None else [] for pk, kim in kims.items()}

    return people


def kim_audiences(kim_of: Callable[[Any], Kim | None]) -> dict[str, People]:
    """The ketua, the village head and the mentors of the KIM each subject belongs to."""
    return {
        KETUA: through_kim(kim_of, ketuas, lambda kim: kim.pk),
        VILLAGE_HEAD: through_kim(kim_of, village_heads, lambda kim: kim.village_id),
        MENTORS: through_kim(kim_of, mentors, lambda kim: kim.pk),
    }
