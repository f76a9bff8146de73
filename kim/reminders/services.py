"""Writes for the staff reminder pages: saving a rule re-plans the outbox in the same transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kim.accounts.models import User
from kim.reminders import planning
from kim.reminders.models import ReminderRule


@dataclass(frozen=True)
class RuleSaved:
    rule: ReminderRule
    planned: int  # rows planned (or planned again) for the rule's future occurrences
    withdrawn: int  # rows withdrawn because the rule was turned off


@transaction.atomic
def reminder_rule_save(*, form, actor: User) -> RuleSaved:
    """Save a valid ReminderRuleForm and bring the outbox in line with it: the rule, new or edited, applies
    from now on only (past occurrences are never reached back to); turned off, it withdraws what it planned."""
    rule: ReminderRule = form.save(commit=False)
    rule.effective_from = timezone.now()
    rule.updated_by = actor
    rule.save()
    if not rule.is_active:
        return RuleSaved(rule, planned=0, withdrawn=planning.withdraw_rule(rule))
    return RuleSaved(rule, planned=planning.plan_rule(rule), withdrawn=0)
