from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, apps=None, **kwargs) -> None:
    from django.apps import apps as global_apps

    from accounts.roles import sync_role_groups

    # migrate passes the migration state's registry; flush passes none.
    sync_role_groups(apps or global_apps)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.receivers import session_start

        # The data migration creates the groups once; this keeps them in step
        # after every migrate and after a flush (which empties them, e.g.
        # between transactional tests).
        post_migrate.connect(_sync_role_groups, sender=self)
        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")
