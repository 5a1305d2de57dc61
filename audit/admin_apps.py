from django.contrib.admin.apps import AdminConfig


class TeichakuAdminConfig(AdminConfig):
    """django.contrib.admin with its default site replaced (audit/admin_site.py)."""

    default_site = "audit.admin_site.TeichakuAdminSite"
