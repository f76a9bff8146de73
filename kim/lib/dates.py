from django.utils import timezone


def current_year() -> int:
    """The year in Jakarta now (a status year turns over at midnight WIB, not UTC)."""
    return timezone.localdate().year
