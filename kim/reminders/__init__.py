"""Reminders and follow-ups: rules staff keep, an outbox planned from them, and a sweep that sends it.

Services call `plan(subject)` when a subject changes; the beat's sweep sends what is due; see
kim.reminders.planning and kim.reminders.sending."""

from kim.reminders.planning import plan

__all__ = ["plan"]
