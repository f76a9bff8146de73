"""Staff pages for reminders: the rules (each previewed before it is saved), the outbox with its retry
button, and everything sent or due about one session, formation or KIM."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import leader_may_post, programme_reader_required, staff_required
from kim.lib.pagination import ListPaginator
from kim.reminders import planning, registry, selectors, sending, services
from kim.reminders.filters import OutboxFilter
from kim.reminders.forms import NotificationSettingsForm, ReminderRuleForm
from kim.reminders.selectors import (
    get_message_for_user,
    get_whatsapp_message,
    inbox_messages,
    local_path,
    unread_messages,
    whatsapp_messages,
    with_whatsapp_links,
)

PAGE_SIZE = 25


@require_GET
@programme_reader_required
def rule_list(request):
    return render(request, "kim/reminders/rule_list.html", {"rules": selectors.rule_list()})


@require_http_methods(["GET", "POST"])
@staff_required
def rule_form(request, rule_id=None):
    """Preview first: "Save" only saves what a preview showed; otherwise it shows the preview."""
    rule = selectors.get_rule(rule_id) if rule_id else None
    trigger = rule.trigger if rule else request.GET.get("trigger", "")
    if trigger not in registry.trigger_values():
        return render(request, "kim/reminders/rule_trigger.html", {"triggers": registry.trigger_choices()})
    form = ReminderRuleForm(request.POST or None, instance=rule, trigger=trigger)
    context = {"form": form, "rule": rule, "trigger": form.trigger, "preview": None}
    # Change notices belong to a change: none is planned ahead, so the preview is always empty.
    context["planned_on_change"] = form.trigger.on_change
    if request.method == "POST" and form.is_valid():
        fingerprint = form.fingerprint()
        if request.POST.get("action") == "save":
            if request.POST.get("previewed") == fingerprint:
                saved = services.reminder_rule_save(form=form, actor=request.user)
                messages.success(request, _saved_message(saved))
                return redirect("reminders:rules")
            # Never previewed, or changed since: show what saving would do first.
            context["unseen"] = "changed" if request.POST.get("previewed") else "never"
        context.update(preview=selectors.rule_preview(form.save(commit=False)), fingerprint=fingerprint)
    return render(request, "kim/reminders/rule_form.html", context)


def _saved_message(saved: services.RuleSaved) -> str:
    if not saved.rule.is_active:
        return ngettext(
            "The rule was saved and is off: %(count)d planned message was withdrawn.",
            "The rule was saved and is off: %(count)d planned messages were withdrawn.",
            saved.withdrawn,
        ) % {"count": saved.withdrawn}
    return ngettext(
        "The rule was saved: %(count)d message was planned.",
        "The rule was saved: %(count)d messages were planned.",
        saved.planned,
    ) % {"count": saved.planned}


@require_GET
@programme_reader_required
def outbox(request):
    filterset = OutboxFilter(request.GET or None, queryset=selectors.outbox_rows())
    page = ListPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    return render(request, "kim/reminders/outbox.html", context)


@require_POST
@staff_required
def retry(request, reminder_id):
    row = selectors.get_reminder(reminder_id)
    if sending.retry(row):
        messages.success(
            request,
            _(
                "The message to %(name)s goes out again with the next sweep (within a minute), if still called for."
            )
            % {"name": row.recipient_name or row.recipient},
        )
    else:
        messages.info(
            request,
            _("This message has not failed (it is %(state)s): nothing was changed.")
            % {"state": row.get_state_display()},
        )
    return redirect(_safe_next(request) or "reminders:outbox")


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@require_GET
@programme_reader_required
def reminders_about(request, kind, pk):
    subject, title, subject_url = selectors.get_subject(kind, pk)
    context = {
        "subject": subject,
        "title": title,
        "subject_url": subject_url,
        **selectors.reminders_about(kind, pk),
    }
    return render(request, "kim/reminders/about.html", context)


PAGE_SIZE = 25


@require_GET
def inbox(request):
    page = ListPaginator(inbox_messages(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kim/inbox/inbox.html", {"page": page})


@require_POST
@leader_may_post
def inbox_read(request, reminder_id):
    """Mark one message read and open the page it asks to act on."""
    message = get_message_for_user(request.user, reminder_id)
    # Only the first reading counts: a second click keeps the time it was first read.
    unread_messages(request.user).filter(pk=message.pk).update(read_at=timezone.now())
    return redirect(local_path(message.url) or "reminders:inbox")


@require_POST
@leader_may_post
def inbox_read_all(request):
    marked = unread_messages(request.user).update(read_at=timezone.now())
    if marked:
        messages.success(request, _("All messages are marked as read."))
    return redirect("reminders:inbox")


@require_GET
@programme_reader_required
def whatsapp_queue(request):
    relayed = request.GET.get("status") == "sent"
    page = ListPaginator(whatsapp_messages(relayed=relayed), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_whatsapp_links(page.object_list)
    return render(
        request,
        "kim/inbox/whatsapp_queue.html",
        {"page": page, "relayed": relayed, "query": "status=sent" if relayed else ""},
    )


@require_POST
@staff_required
def whatsapp_sent(request, reminder_id):
    """Staff tick off a message they sent from their phone. A second tick (another tab, a colleague) keeps
    the first one's time and name."""
    row = get_whatsapp_message(reminder_id)
    ticked = (
        whatsapp_messages(relayed=False)
        .filter(pk=row.pk)
        .update(relayed_at=timezone.now(), relayed_by=request.user)
    )
    if ticked:
        messages.success(
            request, _("Marked as sent to %(name)s.") % {"name": row.recipient_name or row.address}
        )
    else:
        messages.info(request, _("This message was already marked as sent."))
    return redirect("reminders:whatsapp_queue")


@require_http_methods(["GET", "POST"])
@leader_may_post
def notification_settings(request):
    # Bound on every POST: unticking both channels and clearing the phone sends no field at all.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        # Only these fields: a staff administrator may be editing the rest of the account at the same time.
        with transaction.atomic():
            form.save(commit=False).save(update_fields=list(form.Meta.fields))
            planning.plan_for_person(request.user)
        messages.success(request, _("Your notification choices were saved."))
        return redirect("reminders:notification_settings")
    return render(request, "kim/inbox/notification_settings.html", {"form": form})
