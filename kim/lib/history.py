"""A line of history: who did what to a subject, and when. Formations, sessions and villages keep one each."""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryEvent(models.Model):
    """The shared columns of a history line. A subclass adds the foreign key to its subject, named in
    `subject_field`, and what happened (a kind, a step...); lines are written through `record`."""

    subject_field: ClassVar[str]

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    @classmethod
    def record(cls, subject: models.Model, *, actor, **what) -> Self:
        """Add a line to `subject`'s history, by `actor`, now. Text longer than its column is cut to fit:
        a long reason must not undo the change it explains."""
        for name, value in what.items():
            max_length = getattr(cls._meta.get_field(name), "max_length", None)
            if isinstance(value, str) and max_length:
                what[name] = value[:max_length]
        return cls._default_manager.create(**{cls.subject_field: subject}, actor=actor, **what)
