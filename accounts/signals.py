"""Signals of the accounts app, for the layers above it (the audit trail records them).

accounts sits below audit (README, Architecture): it cannot record an event itself,
so it says what happened and audit/receivers.py writes it down.
"""

from __future__ import annotations

from django.dispatch import Signal

# Staff revoked API tokens in the admin site: `request` (who, from where), `tokens`.
# (The API's own revocation, DELETE /auth/token, is recorded by the API view.)
api_tokens_revoked_by_staff = Signal()
