"""What a signed-in session leaves behind: nothing in a cache, and nothing usable once it has gone idle or old."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# The session's two clocks, in seconds since the epoch.
SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"
# The last-seen stamp is written at most this often, so that an active session is not saved on every request
# (the idle time is then honoured to within this much).
SEEN_AT_RESOLUTION = 60


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response the app's views give, whoever asks.

    Signed-in pages hold personal data (NIK, phone numbers, accounts, inboxes), and those that seem not to are
    the lists and exports of the same; the pages a visitor may open are the sign-in and password forms (with
    tokens), the calendar feed (a person's schedule behind a secret link) and the health check, none worth
    caching. So no list to keep up: neither a shared proxy nor the browser's disk on a shared village-office
    computer keeps any page. Static files are served (and cached long) by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


def stamp_signed_in(sender, request, user, **kwargs) -> None:
    """Starts a new signed-in session's two clocks (a receiver of user_logged_in, kim.apps): saved with the
    sign-in itself, rather than by one more write on the session's first page."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(time.time())


class SessionTimeoutMiddleware:
    """Signs out a session idle for SESSION_IDLE_TIMEOUT seconds, or signed in more than SESSION_COOKIE_AGE
    seconds ago however busy, and says why on the sign-in page it is then sent to.

    After AuthenticationMiddleware (it reads request.user) and MessageMiddleware (it leaves a message); the
    sign-in redirect itself is LoginRequiredMiddleware's, whose check runs after every middleware's first half.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session, now = request.session, int(time.time())
        # A session signed in before the clocks existed starts them now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        if (
            now - seen_at >= settings.SESSION_IDLE_TIMEOUT
            or now - signed_in_at >= settings.SESSION_COOKIE_AGE
        ):
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return
        if SEEN_AT not in session or now - seen_at >= SEEN_AT_RESOLUTION:
            session[SEEN_AT] = now
