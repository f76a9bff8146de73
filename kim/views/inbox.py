"""Each person's inbox of reminders and their channel choices; the staff's queue of WhatsApp messages to send."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.access import staff_required
from kim.forms_inbox import NotificationSettingsForm
from kim.pagination import ListPaginator
from kim.reminders import planning
from kim.selectors_inbox import (
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
def inbox(request):
    page = ListPaginator(inbox_messages(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kim/inbox/inbox.html", {"page": page})


@require_POST
def inbox_read(request, reminder_id):
    """Mark one message read and open the page it asks to act on."""
    message = get_message_for_user(request.user, reminder_id)
    # Only the first reading counts: a second click keeps the time it was first read.
    unread_messages(request.user).filter(pk=message.pk).update(read_at=timezone.now())
    return redirect(local_path(message.url) or "inbox")


@require_POST
def inbox_read_all(request):
    marked = unread_messages(request.user).update(read_at=timezone.now())
    if marked:
        messages.success(request, _("All messages are marked as read."))
    return redirect("inbox")


@require_GET
@staff_required
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
    return redirect("whatsapp_queue")


@require_http_methods(["GET", "POST"])
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
        return redirect("notification_settings")
    return render(request, "kim/inbox/notification_settings.html", {"form": form})
