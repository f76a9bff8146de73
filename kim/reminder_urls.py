"""Staff pages for reminders: the rules, the outbox, and what was sent about one session, formation or KIM."""

from django.urls import path

from kim.views import reminders

urlpatterns = [
    path("", reminders.rule_list, name="reminder_rules"),
    path("baru/", reminders.rule_form, name="reminder_rule_create"),
    path("<int:rule_id>/", reminders.rule_form, name="reminder_rule_edit"),
    path("kiriman/", reminders.outbox, name="reminder_outbox"),
    path("kiriman/<int:reminder_id>/kirim-ulang/", reminders.retry, name="reminder_retry"),
    path("tentang/<str:kind>/<int:pk>/", reminders.reminders_about, name="reminders_about"),
]
