"""The monitoring app's admin pages, one module per topic (imported for their registrations)."""

from monitoring import admin_audit  # noqa: F401  (the audit trail, read-only)
