import logging
from smtplib import SMTPException

from django.db import transaction

from kim.accounts.forms import PasswordLinkForm
from kim.accounts.models import User

logger = logging.getLogger(__name__)


def account_send_password_link(*, user: User, request) -> bool:
    """Email the account a link to choose its password; False if the mail could not be handed over."""
    form = PasswordLinkForm(user)
    if not form.is_valid() or not form.get_users(user.email):
        return False
    try:
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/account_created_subject.txt",
            email_template_name="registration/account_created_email.txt",
        )
    except (SMTPException, OSError):
        logger.exception("Could not send the password link to account %s", user.pk)
        return False
    return True


@transaction.atomic
def account_create(*, form) -> User:
    """Save a new account from a valid AccountForm; it has no password until its owner sets one by email."""
    user = form.save(commit=False)
    user.set_unusable_password()
    user.save()
    return user
