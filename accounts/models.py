from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.roles import Role


class User(AbstractUser):
    """A person or a machine that logs in. Roles are groups (see accounts.roles)."""

    # Applications an integration account creates through the API go to this
    # advisor's portfolio; without one, to the least-loaded advisor
    # (clients.selectors.advisors): an application nobody's portfolio holds
    # would never be seen by an advisor.
    default_advisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Integration accounts: the advisor in charge of the applications this account "
            "creates through the API. Empty: the advisor with the fewest applications."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("use_api", "Call the scoring API with a token"),
            ("view_monitoring", "See the monitoring pages (drift, score distributions)"),
        ]

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=str(role)).exists()
