from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CreditscoreConfig(AppConfig):
    # The project package is an app too: its management commands (create_demo_users)
    # sit at the top, beside the demo, because they reach into every app below.
    name = "creditscore"
    verbose_name = "creditscore (project)"


class AdminSiteConfig(admin_apps.AdminConfig):
    default = False  # "creditscore" alone names CreditscoreConfig
    # Django's admin with the site of creditscore/admin_site.py, which declares its access rule.
    default_site = "creditscore.admin_site.AdminSite"
