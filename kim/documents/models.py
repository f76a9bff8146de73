"""Issued documents: a PDF frozen when it was issued, with its number in the office's register, its SHA-256,
who issued it and when, and the code its QR leads to. A correction replaces a document (the old row stays,
marked replaced); a revoked one stays too, with its reason. Nothing here is ever deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.uploads import PrivatePath


class IssuedDocumentQuerySet(models.QuerySet):
    def of(self, subject_type: str, subject_id: int):
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class IssuedDocument(models.Model):
    class State(models.TextChoices):
        VALID = "valid", _("valid")
        REPLACED = "replaced", _("replaced")
        REVOKED = "revoked", _("revoked")

    kind = models.CharField(_("document"), max_length=40)  # a registered kind's name
    subject_type = models.CharField(max_length=20)  # the kind's subject_type: "formation", "session", "visit"
    subject_id = models.PositiveBigIntegerField()
    # What the public check page shows: the kind's title, written when issued. No personal data beyond it.
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence in the year"))
    # The check page's address: 80 random bits in base 32 (16 letters and digits), never a counter.
    code = models.CharField(_("check code"), max_length=16, unique=True)
    file = models.FileField(_("file"), upload_to=PrivatePath("documents"), max_length=200)
    filename = models.CharField(_("file name"), max_length=150)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    objects = IssuedDocumentQuerySet.as_manager()
    history = HistoricalRecords()  # issuing and revoking are on the audit trail

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="document_subject")]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="document_sequence_once"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoked_reason=""),
                name="document_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def state(self) -> "IssuedDocument.State":
        """Revoked wins over replaced: a revoked document is not valid whatever came after it."""
        if self.revoked_at:
            return self.State.REVOKED
        if getattr(self, "replaced_by", None) is not None:
            return self.State.REPLACED
        return self.State.VALID

    def get_state_display(self) -> str:
        return str(self.state.label)

    @property
    def is_valid(self) -> bool:
        return self.state == self.State.VALID

    @property
    def code_display(self) -> str:
        """The code in groups of four, as printed under the QR: ABCD-EFGH-JKMN-PQRS."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class DocumentCounter(models.Model):
    """The office's register (buku agenda) for one year: the last sequence number given. Issuing locks the
    year's row, so two documents issued at once never share a number and a failed issue leaves no gap."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")

    def __str__(self):
        return f"{self.year}: {self.last}"


class CheckAttempt(models.Model):
    """One use of the public check page, by a hashed address: the rate limit counts them in the database, so it
    holds with Redis down and across the server's processes. The beat prunes old rows."""

    client = models.CharField(max_length=64)  # SHA-256 of the address, keyed with SECRET_KEY
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["client", "at"], name="check_attempt_client")]

    def __str__(self):
        return f"{self.client[:8]} {self.at:%Y-%m-%d %H:%M}"
