from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts import services
from kim.accounts.access import staff_admin_required
from kim.accounts.forms import AccountFilterForm, AccountForm
from kim.accounts.models import User

ACCOUNTS_PAGE_SIZE = 50


@require_GET
@staff_admin_required
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    accounts = User.objects.select_related("village", "agency").order_by("first_name", "username")
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            accounts = accounts.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(email__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            accounts = accounts.filter(role="" if role == AccountFilterForm.NO_ROLE else role)
    page = Paginator(accounts, ACCOUNTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kim/account_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
@staff_admin_required
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(form=form)
        if services.account_send_password_link(user=user, request=request):
            messages.success(
                request, _("The account was created and a link to set its password was emailed.")
            )
        else:
            messages.warning(
                request, _("The account was created, but the email could not be sent. Try again.")
            )
        return redirect("accounts:list")
    return render(request, "kim/account_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_admin_required
def account_edit(request, user_id):
    account = get_object_or_404(User, pk=user_id)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        if account == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        else:
            form.save()
            messages.success(request, _("The account was saved."))
            return redirect("accounts:list")
    return render(request, "kim/account_form.html", {"form": form, "account": account})


@require_POST
@staff_admin_required
def account_send_link(request, user_id):
    account = get_object_or_404(User, pk=user_id, is_active=True)
    if services.account_send_password_link(user=account, request=request):
        messages.success(
            request, _("A link to set the password was emailed to %(email)s.") % {"email": account.email}
        )
    else:
        messages.error(request, _("The email could not be sent. Check the address and try again."))
    return redirect("accounts:edit", user_id=account.pk)
