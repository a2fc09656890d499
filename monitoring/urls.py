"""The risk staff's monitoring pages (namespace `monitoring`), under /monitoring/: none yet."""

app_name = "monitoring"

urlpatterns: list = []
