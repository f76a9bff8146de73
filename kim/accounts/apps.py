from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin in INSTALLED_APPS, with kim.accounts.admin_site's site as `admin.site`."""

    default_site = "kim.accounts.admin_site.StaffAdminSite"
