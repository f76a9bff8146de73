"""Staff pages for reminders: the rules, the outbox, and what was sent about one session, formation or KIM."""

urlpatterns: list = []
