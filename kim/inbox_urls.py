"""Each person's inbox of reminders, their channel choices, and the staff's WhatsApp queue."""

urlpatterns: list = []
