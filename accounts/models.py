from __future__ import annotations

from django.contrib.auth.models import AbstractUser

from accounts.roles import Role


class User(AbstractUser):
    """A person or a machine that logs in. Roles are groups (see accounts.roles)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("use_api", "Call the scoring API with a token"),
            ("view_monitoring", "See the monitoring pages (drift, score distributions)"),
        ]

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=str(role)).exists()
