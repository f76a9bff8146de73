"""Each person's inbox and channel choices; staff's WhatsApp queue, rules, outbox and per-subject history."""

from django.urls import path

from kim.reminders import views

app_name = "reminders"
urlpatterns = [
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/<int:reminder_id>/baca/", views.inbox_read, name="inbox_read"),
    path("kotak-masuk/baca-semua/", views.inbox_read_all, name="inbox_read_all"),
    path("kotak-masuk/pilihan/", views.notification_settings, name="notification_settings"),
    path("kotak-masuk/whatsapp/", views.whatsapp_queue, name="whatsapp_queue"),
    path("kotak-masuk/whatsapp/<int:reminder_id>/terkirim/", views.whatsapp_sent, name="whatsapp_sent"),
    path("pengingat/", views.rule_list, name="rules"),
    path("pengingat/baru/", views.rule_form, name="rule_create"),
    path("pengingat/<int:rule_id>/", views.rule_form, name="rule_edit"),
    path("pengingat/kiriman/", views.outbox, name="outbox"),
    path("pengingat/kiriman/<int:reminder_id>/kirim-ulang/", views.retry, name="retry"),
    path("pengingat/tentang/<str:kind>/<int:pk>/", views.reminders_about, name="about"),
]
