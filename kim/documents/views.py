"""The documents' pages: a record's draft (to print, or as PDF), issuing, an issued document's page, its file,
revoking; and the public check page, the one page here open without signing in."""

import datetime as dt
import hashlib
import hmac

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import reader_required
from kim.documents import registry, selectors, services
from kim.documents.forms import CheckCodeForm, CheckFileForm, RevokeForm
from kim.documents.models import CheckAttempt, IssuedDocument
from kim.documents.rendering import render_html, render_pdf
from kim.lib.uploads import document_response


def _kind_and_subject(request, kind_name: str, subject_id: int):
    kind = registry.kind(kind_name)
    if kind is None:
        raise Http404
    subject = get_object_or_404(kind.subjects(request.user), pk=subject_id)
    if not kind.may_read(request.user, subject):
        raise Http404
    return kind, subject


@require_GET
@reader_required
def draft(request, kind_name, subject_id):
    kind, subject = _kind_and_subject(request, kind_name, subject_id)
    toolbar = {"subject_url": kind.subject_url(subject), "missing": kind.missing(subject)}
    return HttpResponse(render_html(kind, subject, for_pdf=False, toolbar=toolbar))


@require_GET
@reader_required
def draft_pdf(request, kind_name, subject_id):
    kind, subject = _kind_and_subject(request, kind_name, subject_id)
    response = HttpResponse(render_pdf(kind, subject), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draf-{kind.filename(subject)}.pdf"'
    return response


@require_POST
@reader_required
def issue(request, kind_name, subject_id):
    kind, subject = _kind_and_subject(request, kind_name, subject_id)
    if not kind.may_issue(request.user, subject):
        raise PermissionDenied
    replaces = None
    if request.POST.get("replaces"):
        try:
            replaces = IssuedDocument.objects.get(pk=int(request.POST["replaces"]), kind=kind.name)
        except (ValueError, IssuedDocument.DoesNotExist):
            messages.error(request, _("The document to replace was not found: nothing was issued."))
            return redirect(kind.subject_url(subject))
    try:
        document = services.issue(kind, subject, request.user, replaces=replaces)
    except ValidationError as error:
        messages.error(request, _("Nothing was issued: %(reason)s") % {"reason": " ".join(error.messages)})
        return redirect(kind.subject_url(subject))
    messages.success(request, _("Issued as number %(number)s.") % {"number": document.number})
    return redirect("documents:detail", document.pk)


def _issued_for(request, pk) -> tuple[registry.DocumentKind, object, IssuedDocument]:
    document = get_object_or_404(IssuedDocument.objects.select_related("replaced_by", "replaces"), pk=pk)
    kind, subject = _kind_and_subject(request, document.kind, document.subject_id)
    return kind, subject, document


@require_GET
@reader_required
def detail(request, pk):
    kind, subject, document = _issued_for(request, pk)
    return render(
        request,
        "kim/documents/document_detail.html",
        {
            "document": document,
            "kind": kind,
            "subject_url": kind.subject_url(subject),
            "may_issue": kind.may_issue(request.user, subject),
            "revoke_form": RevokeForm(),
        },
    )


@require_GET
@reader_required
def download(request, pk):
    _kind, _subject, document = _issued_for(request, pk)
    return document_response(document.file, filename=document.filename)


@require_http_methods(["GET", "POST"])
@reader_required
def revoke(request, pk):
    kind, subject, document = _issued_for(request, pk)
    if not kind.may_issue(request.user, subject):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(document, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document is revoked; the check page says so."))
            return redirect("documents:detail", document.pk)
    return render(
        request, "kim/documents/revoke_form.html", {"document": document, "kind": kind, "form": form}
    )


def _client(request) -> str:
    address = get_client_ip_address(request) or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _over_limit(request) -> bool:
    """Counts this use; True when the address has used the check pages more than the limit allows in the
    window. Kept in the database: it holds with Redis down and across the server's processes."""
    now = timezone.now()
    since = now - dt.timedelta(seconds=settings.DOCUMENT_CHECK_WINDOW_SECONDS)
    client = _client(request)
    CheckAttempt.objects.filter(at__lt=since).delete()
    CheckAttempt.objects.create(client=client, at=now)
    return CheckAttempt.objects.filter(client=client, at__gte=since).count() > settings.DOCUMENT_CHECK_LIMIT


def _too_many(request):
    response = render(request, "kim/documents/check_limited.html", status=429)
    response["Retry-After"] = str(settings.DOCUMENT_CHECK_WINDOW_SECONDS)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def check_start(request):
    """Where a person types the code printed under the QR."""
    form = CheckCodeForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request):
            return _too_many(request)
        if form.is_valid():
            document = selectors.by_code(form.cleaned_data["code"])
            if document is not None:
                return redirect("documents:check", document.code)
            form.add_error("code", _("No issued document has this code. Check the letters and digits again."))
    return render(request, "kim/documents/check_start.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request, code):
    if _over_limit(request):
        return _too_many(request)
    document = selectors.by_code(code)
    if document is None or document.code != code:
        raise Http404
    form = CheckFileForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = selectors.matches(document, form.cleaned_data["file"])
    return render(
        request,
        "kim/documents/check.html",
        {"document": document, "form": form, "verdict": verdict, "states": IssuedDocument.State},
    )
