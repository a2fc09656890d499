from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models
from django.utils import timezone

from accounts.roles import Role


# The plugin cannot type `user.portfolio` (Application's reverse relation): Application's
# Kaggle columns come from a base built at run time (clients/models.py), so it finds no
# default manager there and falls back to a plain related manager.
class User(AbstractUser):  # type: ignore[django-manager-missing]
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
            (
                "verify_second_factor",
                "Confirm every login with a one-time code (TOTP): sees every client's file",
            ),
        ]

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=str(role)).exists()

    def save(self, *args, **kwargs) -> None:
        # Django's set_password() keeps the new raw password in `_password` until the
        # save. A password change logs the account out everywhere: other sessions by
        # Django's session hash, API tokens here (whoever obtained one with the old
        # password keeps nothing). Every way of changing a password ends in this save.
        # (`_password` is private to Django, hence not in django-stubs.)
        password_changed = self.pk is not None and self._password is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self).usable().update(revoked_at=timezone.now())


def api_token_digest(key: str) -> str:
    """What the database keeps of a token: its SHA-256 (the key itself is never stored).

    A plain, fast hash is enough here, unlike for passwords: a key is 160 random
    bits, nothing a dictionary or a brute force can find from its digest.
    """
    return hashlib.sha256(key.encode()).hexdigest()


# Whoever a request carries (`request.user`): an account, or a visitor not signed in.
AnyUser = User | AnonymousUser


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, *, at=None) -> ApiTokenQuerySet:
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class ApiToken(models.Model):
    """An API token of an integration account, stored as a digest, with an expiry.

    The key is shown once, when it is issued (`accounts.services.api_token_issue`);
    afterwards only its first characters (`prefix`) identify it, in the admin and
    in the logs.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
