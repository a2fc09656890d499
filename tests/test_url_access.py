"""Every URL of the site declares who may use it (accounts.access.AccessRule).

The resolver is walked pattern by pattern (admin, API, portal, dashboard,
monitoring, accounts): a pattern whose view declares no rule fails the test,
named, so that a new view cannot go unnoticed. What each rule lets each role
do is checked against the views in tests/test_url_roles.py.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import AccessRule, view_access_rules

HTTP_METHODS = {"*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def url_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """(route, name, view) of every pattern under `resolver`, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if resolver.namespace and name:
                name = f"{resolver.namespace}:{name}"
            yield route, name, entry.callback


def test_every_url_pattern_declares_an_access_rule():
    patterns = list(url_patterns())
    undeclared = [
        f"{route} ({name or view.__qualname__})"
        for route, name, view in patterns
        if view_access_rules(view) is None
    ]
    assert not undeclared, "URL patterns without an access rule:\n" + "\n".join(undeclared)
    # The walk reached every part of the site.
    routes = " ".join(route for route, _name, _view in patterns)
    for part in ("admin/", "api/", "clients/", "accounts/login/", "healthz"):
        assert part in routes


def test_rules_are_declared_per_known_http_method():
    for route, _name, view in url_patterns():
        rules = view_access_rules(view) or {}
        assert set(rules) <= HTTP_METHODS, route
        assert all(isinstance(rule, AccessRule) for rule in rules.values()), route


def test_a_view_without_a_rule_is_reported(settings):
    def bare_view(request):  # pragma: no cover - never called
        raise AssertionError

    assert view_access_rules(bare_view) is None
