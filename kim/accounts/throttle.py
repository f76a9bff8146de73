"""Sign-in throttling: django-axes' fast rule per username and address, and a slow one per account.

The fast rule (settings: AXES_FAILURE_LIMIT failures lock the pair for AXES_COOLOFF_TIME) stops guessing from
one address without letting anyone else lock the owner out: an attacker's failures count against the
attacker's address only. Guessing from many addresses is what the slow rule stops: SIGN_IN_ACCOUNT_FAILURE_LIMIT
failures for one username from anywhere within SIGN_IN_ACCOUNT_WINDOW seconds refuse every password for it,
the right one too, until they age out. That would let an attacker keep the owner from signing in with a
password, so the count starts afresh at the account's last sign-in, and a password-reset link (which signs in
without a password, kim.accounts.urls) always works.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from kim.accounts.models import User


def account_failures(username: str) -> int:
    """Failed sign-ins for this username from any address, within the window and since it last signed in."""
    since = timezone.now() - timedelta(seconds=settings.SIGN_IN_ACCOUNT_WINDOW)
    last_login = User.objects.filter(username=username).values_list("last_login", flat=True).first()
    if last_login and last_login > since:
        since = last_login
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def account_is_locked(username: str) -> bool:
    """The same answer for a username that has no account, so that the lock tells nobody which names exist."""
    return bool(username) and account_failures(username) >= settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with the per-account rule added to its lock (AXES_HANDLER)."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return account_is_locked(get_client_username(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags the request for its lockout page only when the pair's count says so.
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and account_is_locked(get_client_username(request, credentials))
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def locked_out(request, original_response=None, credentials=None):
    """The page a locked sign-in gets (AXES_LOCKOUT_CALLABLE), saying which rule locked it."""
    username = get_client_username(request, credentials)
    context = {"whole_account": account_is_locked(username)}
    return render(request, "registration/locked_out.html", context, status=429)


def sign_in_records_prune() -> int:
    """Delete axes' attempt and failure-log rows older than SIGN_IN_RECORDS_KEPT_DAYS and return how many went.
    Each username typed, made-up ones too, leaves a failure-log row that nothing else removes, and an attempt
    that axes drops only when a later sign-in fails. Rows the per-account window still counts are kept however
    short the setting; running it again deletes nothing more."""
    kept = max(
        timedelta(days=settings.SIGN_IN_RECORDS_KEPT_DAYS), timedelta(seconds=settings.SIGN_IN_ACCOUNT_WINDOW)
    )
    before = timezone.now() - kept
    # An attempt's time is that of its latest failure: an old one locks nothing (AXES_COOLOFF_TIME).
    return _delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=before)) + _delete_in_batches(
        AccessFailureLog.objects.filter(attempt_time__lt=before)
    )


def _delete_in_batches(rows, size: int = 5000) -> int:
    # Batches: the first run after a long flood may find millions, and deleting an attempt loads it (axes
    # listens to post_delete).
    deleted = 0
    while pks := list(rows.order_by().values_list("pk", flat=True)[:size]):
        deleted += rows.model.objects.filter(pk__in=pks).delete()[1].get(rows.model._meta.label, 0)
    return deleted
