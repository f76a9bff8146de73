from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic task ran, so that a stopped beat or a stuck worker is noticed."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_stale(self) -> bool:
        age = (timezone.now() - self.beat_at).total_seconds()
        return age > settings.HEARTBEAT_STALE_AFTER_SECONDS
