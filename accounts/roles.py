"""Who may do what: the one place that maps roles to permissions.

A role is a Django group of the same name. The data migrations of `accounts`
create the groups and give them exactly the permissions listed here; views,
APIs and querysets check permissions (never group names), so a change of
policy is a change of this table plus a migration that calls
`sync_role_groups`.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    # A relationship manager: sees and explains the clients of their portfolio.
    ADVISOR = "advisor", "Advisor"
    # An advisor who may see every portfolio (team lead, credit committee).
    SUPERVISOR = "supervisor", "Supervisor"
    # A borrower: the portal shows them their own record and explanation only.
    CLIENT = "client", "Client"
    # Risk and operations staff: monitoring pages and the admin site.
    STAFF = "staff", "Risk staff"
    # A machine account of a partner system: API only, with a token.
    INTEGRATION = "integration", "Integration"


# "app_label.codename" of every permission each role holds.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADVISOR: (
        "clients.view_portfolio",
        "clients.request_score",
        "clients.record_decision",
    ),
    Role.SUPERVISOR: (
        "clients.view_portfolio",
        "clients.view_all_applications",
        "clients.request_score",
        "clients.record_decision",
        # Sees every client's file: a stolen password must not be enough.
        "accounts.verify_second_factor",
    ),
    Role.CLIENT: ("clients.view_own_application",),
    Role.STAFF: (
        "accounts.view_monitoring",
        "clients.import_data",
        "clients.view_all_applications",
        "accounts.verify_second_factor",
        # Support in the admin site: unlock a locked login (django-axes' access attempts),
        # remove the authenticator of a lost phone, read and revoke API tokens.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "accounts.view_apitoken",
        "accounts.delete_apitoken",
        # The audit trail, read-only in the admin (monitoring/admin_audit.py): who did what.
        "audit.view_auditevent",
        # Model governance: read the registry and validation reports in the admin,
        # approve a version another person registered (four eyes), put a challenger
        # in shadow and switch manual review (scoring/governance.py).
        "scoring.view_modelversion",
        "scoring.approve_modelversion",
        "scoring.oversee_scoring",
        # Monitoring in the admin site: read and run drift reports, read and acknowledge
        # alerts, set their limits, change when the scheduled reports run.
        "monitoring.view_driftreport",
        "monitoring.add_driftreport",
        "monitoring.view_alert",
        "monitoring.change_alert",
        "monitoring.view_alertlimits",
        "monitoring.change_alertlimits",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "django_celery_beat.view_intervalschedule",
        "django_celery_beat.add_intervalschedule",
        "django_celery_beat.change_intervalschedule",
    ),
    Role.INTEGRATION: (
        "accounts.use_api",
        "clients.request_score",
        "clients.view_all_applications",
    ),
}


def sync_role_groups(apps, *, missing_ok: bool = False) -> None:
    """Create one group per role holding exactly the permissions above.

    Called from data migrations with the historical `apps` registry. Missing
    permissions are created first: Django only creates them after migrate
    finishes, too late for a fresh database. `missing_ok` skips permissions the
    historical models do not declare yet (an early migration, on a fresh
    database: a later one adds them and syncs again, as does post_migrate).
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app whose models_module is unset, as it
        # is in a migration's registry. Put back what was there: with the
        # global registry (post_migrate after a flush), leaving None would make
        # every later create_permissions skip every app.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                if missing_ok:
                    continue
                raise Permission.DoesNotExist(f"no permission {code} (role {role})")
            permissions.append(permission)
        group.permissions.set(permissions)
