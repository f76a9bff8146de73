"""The audit trail's index: one row for each change people made to a tracked model, with its differences.

The full snapshots are django-simple-history's historical tables, one beside each tracked model (its
`history` manager). They answer "what did this object look like then"; this table answers "who changed
what", across every model at once, as one indexed list with the field differences already worked out, so
that the Riwayat perubahan page is one query at any size.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeQuerySet(models.QuerySet):
    def of(self, subject: models.Model) -> "ChangeQuerySet":
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )


class Change(models.Model):
    class Kind(models.TextChoices):
        # simple-history's own history_type codes, so that a row reads the same in both tables.
        CREATED = "+", _("created")
        CHANGED = "~", _("changed")
        DELETED = "-", _("deleted")

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind of change"), max_length=1, choices=Kind.choices)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of object"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.CharField(_("object"), max_length=64)
    subject_repr = models.CharField(_("object"), max_length=200)
    # [[field name, old value, new value], ...]: values as stored (a choice's code, a date in ISO form),
    # except a foreign key's, which is the related object's name then. They are labelled when shown, in the
    # reader's language.
    differences = models.JSONField(_("differences"), default=list, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-id"]
        # One for each way the page filters, each ending in its order.
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_change_at"),
            models.Index(fields=["actor", "-at"], name="audit_change_actor_at"),
            models.Index(fields=["subject_type", "subject_id", "-at"], name="audit_change_subject_at"),
            models.Index(fields=["kind", "-at"], name="audit_change_kind_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_repr}"

    @property
    def is_edit(self) -> bool:
        """An edit, whose differences read old → new (a creation lists only what was set)."""
        return self.kind == self.Kind.CHANGED
