"""How the dashboard answers: the fragment for htmx, the same fragment in a page otherwise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from clients.models import Application
from dashboard.access import is_htmx


def client_url(application: Application, anchor: str = "") -> str:
    """The client's page, at `anchor` when given."""
    url = reverse("dashboard:client", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def render_fragment_or_page(
    request: HttpRequest, template: str, context: dict, *, title: str, status: int = 200
) -> HttpResponse:
    """The fragment for htmx; the same fragment in a full page otherwise (no JavaScript)."""
    if is_htmx(request):
        response = render(request, template, context, status=status)
    else:
        page = {**context, "fragment": template, "page_title": title}
        response = render(request, "dashboard/client_fragment_page.html", page, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
