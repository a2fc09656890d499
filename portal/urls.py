"""The client portal's URLs (namespace `portal`), under /portal/: none yet."""

app_name = "portal"

urlpatterns: list = []
