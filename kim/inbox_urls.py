"""Each person's inbox of reminders, their channel choices, and the staff's WhatsApp queue."""

from django.urls import path

from kim.views import inbox

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("<int:reminder_id>/baca/", inbox.inbox_read, name="inbox_read"),
    path("baca-semua/", inbox.inbox_read_all, name="inbox_read_all"),
    path("pilihan/", inbox.notification_settings, name="notification_settings"),
    path("whatsapp/", inbox.whatsapp_queue, name="whatsapp_queue"),
    path("whatsapp/<int:reminder_id>/terkirim/", inbox.whatsapp_sent, name="whatsapp_sent"),
]
