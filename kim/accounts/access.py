"""Who may do what, each rule written once.

A rule about one role is the account's own property (`user.is_dinkominfo`, `user.is_village_head`, ...); a
rule that binds a role to a village or an agency is a predicate here (`manages_agency`, `answers_for_village`).
Views declare who may open them with the decorators below, reach objects through scoped selectors, and hand
templates flags (`can_report`, `can.plan_sessions`); templates never restate a role.
"""

from collections.abc import Callable
from functools import cached_property, wraps

from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

from kim.accounts.models import Role

STAFF_ROLES = (Role.STAFF, Role.STAFF_ADMIN)


def is_planner(user) -> bool:
    """Staff and agency officers: who plan sessions in KIMs, keep resource persons and owe session reports."""
    return user.is_dinkominfo or user.is_opd_officer


def keeps_villages(user) -> bool:
    """Staff and village heads: who follow the forming of groups and keep KIM officers."""
    return user.is_dinkominfo or user.is_village_head


def reads_formations(user) -> bool:
    """Who read formations: those who follow them (staff, village heads) and leaders."""
    return keeps_villages(user) or user.is_leader


def reads_resource_persons(user) -> bool:
    """Who read the resource persons: those who plan sessions (staff, officers) and leaders."""
    return is_planner(user) or user.is_leader


def heads_village(user, village_id) -> bool:
    return user.is_village_head and user.village_id == village_id


def manages_agency(user, agency_id) -> bool:
    """Staff, or an officer of this agency: who changes, reschedules, cancels and reports the agency's
    sessions and edits its resource persons."""
    return user.is_dinkominfo or (user.is_opd_officer and user.agency_id == agency_id)


def answers_for_village(user, village_id) -> bool:
    """Staff, or the head of this village: who confirms what is proposed there (a new group, a session) and
    keeps its contacts and its KIM's officers."""
    return user.is_dinkominfo or heads_village(user, village_id)


def requires(rule: Callable[..., bool]):
    """A view decorator: 403 for a signed-in account that the rule refuses (sign-in itself, and having a
    role at all, are enforced by middleware)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def leader_may_post(view):
    """Marks a view whose POST a leader may send although leaders change nothing: it asks for something for
    the leader alone (an export) or changes only the leader's own account (the password, the notification
    choices, the calendar link, messages marked read), never a record of the programme.

    Apply it inside (below) other decorators or on the outermost one: `functools.wraps` carries the mark."""
    view.leader_may_post = True
    return view


# Every role reads the registers, the sessions and the calendar.
reader_required = requires(lambda user: user.has_role)
# Staff pages that change the programme (every form): leaders are refused, as are all but staff.
staff_required = requires(lambda user: user.is_dinkominfo)
# Staff pages that only read (lists, the audit trail, reminder rules): leaders read them too.
programme_reader_required = requires(lambda user: user.reads_programme)
formation_reader_required = requires(reads_formations)
resource_person_reader_required = requires(reads_resource_persons)
staff_admin_required = requires(lambda user: user.is_staff_admin)
village_head_required = requires(lambda user: user.is_village_head)
planner_required = requires(is_planner)
village_keeper_required = requires(keeps_villages)


class Abilities:
    """What the signed-in person may do across the site, for the navbar and the pages' shared parts."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def run_programme(self) -> bool:
        """Change the programme: every staff form and button (leaders read, and are never offered one)."""
        return self.user.is_authenticated and self.user.is_dinkominfo

    @cached_property
    def read_programme(self) -> bool:
        """Read what staff read (targets, agencies, topics, reminder rules, the WhatsApp queue): staff and
        leaders."""
        return self.user.is_authenticated and self.user.reads_programme

    @cached_property
    def see_changes(self) -> bool:
        """Riwayat perubahan, the audit trail: staff and leaders."""
        return self.read_programme

    @cached_property
    def read_resource_persons(self) -> bool:
        return self.user.is_authenticated and reads_resource_persons(self.user)

    @cached_property
    def manage_accounts(self) -> bool:
        return self.user.is_authenticated and self.user.is_staff_admin

    @cached_property
    def plan_sessions(self) -> bool:
        return self.user.is_authenticated and is_planner(self.user)

    @cached_property
    def follow_formations(self) -> bool:
        """Open the formations (the list, a formation's page): staff, village heads and leaders."""
        return self.user.is_authenticated and reads_formations(self.user)

    @cached_property
    def answer_as_village_head(self) -> bool:
        return self.user.is_authenticated and self.user.is_village_head


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RoleRequiredMiddleware(MiddlewareMixin):
    """403 on every page for a signed-in account without a role, except what a visitor who is not signed in
    may open too (views marked `login_not_required`: the health check, the language switch, the sign-in and
    password-reset pages) and signing out.

    And 403 to a leader for every request that could change something (any method but GET, HEAD and
    OPTIONS), with the same exemptions and the views marked `leader_may_post`. The views refuse leaders
    their forms already (each write rule leaves them out); this second guard keeps a new view that forgets
    it from letting a leader change the programme.

    One check here, placed after LoginRequiredMiddleware, rather than one in each view: many pages serve
    every signed-in account and carry no role decorator, and some choose what to show by elimination (the
    home page's last branch is the staff's). Having a role is, like being signed in, a precondition of every
    page, so it is enforced where signing in is, with the same exemption, and no new page can forget it.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or _signs_out(view_func):
            return None
        if request.user.is_authenticated and not request.user.has_role:
            return render(request, "kim/account_without_role.html", status=403)
        if (
            request.user.is_leader
            and request.method not in SAFE_METHODS
            and not getattr(view_func, "leader_may_post", False)
        ):
            raise PermissionDenied
        return None


def _signs_out(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return view_class is not None and issubclass(view_class, LogoutView)


def sign_in_throttle_username(request, credentials=None) -> str:
    """The username django-axes counts failures against, cut to what the database column holds.

    Axes reads it straight from the POST data, before the sign-in form has validated it: a 5,000-character
    or NUL-bearing name would otherwise reach its attempts table and fail there.
    """
    data = credentials or getattr(request, "data", request.POST)
    username = str(data.get("username") or "")
    return username.replace("\x00", "")[:150]
