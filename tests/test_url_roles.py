"""Every URL of the site, tried by every kind of caller, answers as its declared rule says.

tests/test_url_access.py checks that each pattern of the URL resolver declares
an access rule; this test checks the rule is what the view does. It walks the
resolver (admin, API, portal, dashboard, monitoring, accounts: a pattern added
tomorrow is tried tomorrow, with no list to update), builds a real URL for each
pattern, filling its parameters by name from objects made here (an `sk_id_curr`
is the caller's own client or another portfolio's, a `score_id` that client's
score, a `batch_id` a batch of the caller's or of another account), and sends
it as each caller:

    anonymous       no credentials
    client/own      a client, about their own record
    client/other    the same client, about another client's record
    advisor/own     an advisor, about a client of their portfolio
    advisor/other   the same advisor, about a colleague's client
    supervisor      every portfolio (second factor confirmed)
    staff           risk staff, is_staff (second factor confirmed)
    integration     an integration account's API token (on a page: a header that means nothing)
    no role         signed in, no role at all

What the answer must be follows from the rule alone (`AccessRule.allows` and
its `scoped` flag, `Application.objects.for_user`): refused by the rule, an
anonymous caller is sent to log in (a page) or gets 401 (the API), a signed-in
one gets 403 (the admin site sends them to its login page); let in, a record
outside the caller's scope is a 404 and anything else is served (which
includes a 400 for the empty form this test posts), never a 5xx.

A method the pattern does not serve (405) is tried again with POST, so that the
rule of a POST-only view is reached. The pattern list and the number of
(pattern x caller) pairs tried are printed (`pytest -s`) and shown at the end
of the run.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.views import APIView

from accounts.access import REDIRECT, AccessRule, is_portal_client, view_access_rules
from accounts.middleware import portal_client_may_open
from accounts.roles import Role
from accounts.services import api_token_issue
from clients.models import Application
from scoring.models import BatchJob, ReviewRequest, Score
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

# A summary line for the end of the run (conftest.py's pytest_terminal_summary).
SUMMARY_KEY = pytest.StashKey[str]()

# -- the resolver, pattern by pattern --------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the patterns' text, joined (what the listing prints)
    name: str
    view: Callable
    chain: tuple  # the pattern objects from the root down, to build a URL from


def walk(resolver: URLResolver, chain: tuple = ()) -> Iterator[Pattern]:
    for entry in resolver.url_patterns:
        here = (*chain, entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, here)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if resolver.namespace and name:
                name = f"{resolver.namespace}:{name}"
            route = "".join(str(p) for p in here)
            yield Pattern(route=route, name=name, view=entry.callback, chain=here)


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def build_path(pattern: Pattern, value: Callable[[str, str], str]) -> str:
    """A path that `pattern` matches, each parameter given by `value(name, converter)`."""
    parts = []
    for part in pattern.chain:
        if isinstance(part, RoutePattern):
            parts.append(
                ROUTE_PARAMETER.sub(
                    lambda m: value(m["name"], m["converter"] or "str"), str(part._route)
                )
            )
        elif isinstance(part, RegexPattern):
            text = REGEX_GROUP.sub(lambda m: value(m["name"], "regex:" + m["body"]), part._regex)
            parts.append(text.lstrip("^").rstrip("$").replace("\\", ""))
        else:  # LocalePrefixPattern and the like: their text is the prefix itself
            parts.append(str(part))
    return "/" + "".join(parts)


def any_value(name: str, converter: str) -> str:
    """A value of the converter's shape, for a parameter that names no scoped object."""
    if converter == "int":
        return "1"
    if converter == "uuid":
        return str(uuid.UUID(int=1))
    if converter.startswith("regex:"):
        body = converter.removeprefix("regex:")
        if re.fullmatch(r"[\w|-]+", body):  # alternatives: the first one
            return body.split("|")[0]
        return "no-such-page/"
    if converter == "slug":
        return "no-such-thing"
    return "1"


# -- the callers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    label: str
    user_fixture: str | None  # None: anonymous
    side: str  # "own" or "other": which objects fill the URL
    token: bool = False


CALLERS = (
    Caller("anonymous", None, "own"),
    Caller("client/own", "client_user", "own"),
    Caller("client/other", "client_user", "other"),
    Caller("advisor/own", "advisor", "own"),
    Caller("advisor/other", "advisor", "other"),
    Caller("supervisor", "supervisor", "other"),
    Caller("staff", "risk_staff", "other"),
    Caller("integration", "integration", "own", token=True),
    Caller("no role", "stranger", "own"),
)


def verified_session(client: Client, user) -> None:
    """Signed in with the second factor confirmed, as after typing a code (django-otp)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    client.force_login(user)
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


# -- the objects URL parameters name ---------------------------------------------------------


@dataclass(frozen=True)
class Objects:
    """One URL parameter name: its own-side and other-side values, and who may see which."""

    own: str
    other: str
    in_scope: Callable[[object, str], bool]


def application_in_scope(user, sk_id_curr: str) -> bool:
    return Application.objects.for_user(user).filter(pk=int(sk_id_curr)).exists()


def score_in_scope(user, score_id: str) -> bool:
    return Score.objects.filter(
        pk=score_id, application__in=Application.objects.for_user(user)
    ).exists()


def review_in_scope(user, review_id: str) -> bool:
    return ReviewRequest.objects.filter(
        pk=int(review_id), application__in=Application.objects.for_user(user)
    ).exists()


def batch_in_scope(user, batch_id: str) -> bool:
    return user.is_authenticated and BatchJob.objects.filter(pk=batch_id, created_by=user).exists()


@pytest.fixture
def objects(
    advisor, colleague, client_user, integration, score_now, active_model_version
) -> dict[str, Objects]:
    own = ApplicationFactory(advisor=advisor, portal_user=client_user)
    other_client = UserFactory(username="client-oscar", role=Role.CLIENT)
    other = ApplicationFactory(advisor=colleague, portal_user=other_client)
    own_score, other_score = score_now(own), score_now(other)
    other_integration = UserFactory(username="integration-other", role=Role.INTEGRATION)
    own_batch = BatchJob.objects.create(created_by=integration, source="batch/in/own.csv")
    other_batch = BatchJob.objects.create(created_by=other_integration, source="batch/in/other.csv")
    own_review = ReviewRequest.objects.create(
        application=own, requested_by=client_user, message="Own."
    )
    other_review = ReviewRequest.objects.create(
        application=other, requested_by=other_client, message="Someone else's."
    )
    return {
        "sk_id_curr": Objects(str(own.pk), str(other.pk), application_in_scope),
        "score_id": Objects(str(own_score.pk), str(other_score.pk), score_in_scope),
        "batch_id": Objects(str(own_batch.pk), str(other_batch.pk), batch_in_scope),
        "review_id": Objects(str(own_review.pk), str(other_review.pk), review_in_scope),
    }


# -- what an answer means --------------------------------------------------------------------

LOGIN, REFUSED, HIDDEN, SERVED, ERROR = "login", "refused", "hidden", "served", "ERROR"
UNSERVED_METHOD = "405"


def is_login_redirect(response) -> bool:
    """A redirect to a login page that asks to come back (`?next=`): "log in first".

    The logout pages also end on the login page, without a `next`: that is their service.
    """
    location = urlsplit(response["Location"])
    logins = (settings.LOGIN_URL, reverse("admin:login"))
    return location.path in logins and "next=" in location.query


def outcome(response) -> str:
    status = response.status_code
    if status == 401:
        return LOGIN
    if status in (301, 302, 303, 307, 308):
        return LOGIN if is_login_redirect(response) else SERVED
    if status == 403:
        return REFUSED
    if status == 404:
        return HIDDEN
    if status == 405:
        return UNSERVED_METHOD
    # A 503 is an answer (no model, a degraded /healthz); an unexpected crash is a 500.
    if status >= 500 and status != 503:
        return ERROR
    return SERVED


def expected(rule: AccessRule, user, in_scope: bool, *, admin: bool, confined: bool) -> set[str]:
    if confined:
        # A client's session lives in /portal/: everything else refuses it, whatever
        # the page's own rule (accounts.middleware.PortalConfinementMiddleware).
        return {REFUSED}
    if not rule.allows(user):
        if not user.is_authenticated or admin:
            # Django's admin sends whoever is not active staff to its login page.
            return {LOGIN}
        return {REFUSED}
    if rule.scoped and not in_scope:
        return {HIDDEN}
    if admin:
        # Past the site's rule, each admin page asks for its model's permission and the
        # object the URL names (made up here) may not exist.
        return {SERVED, REFUSED, HIDDEN}
    return {SERVED}


def is_api_view(view) -> bool:
    view_class = getattr(view, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def forget_throttling() -> None:
    """Throttle counts live in Redis, outside the test's transaction: start each API call afresh."""
    cache = settings.CACHES["default"]
    client = redis.Redis.from_url(cache["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{cache['KEY_PREFIX']}:*throttle_*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# -- the test --------------------------------------------------------------------------------


def test_every_url_answers_every_caller_as_its_rule_says(request, settings, objects, capsys):
    settings.OTP_REQUIRED = True  # as in production: staff and supervisors confirm a code
    users = {
        c.user_fixture: request.getfixturevalue(c.user_fixture) for c in CALLERS if c.user_fixture
    }
    for user in (users["supervisor"], users["risk_staff"]):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    admin_prefix = reverse("admin:index")

    # Throttles would turn the later calls of a caller into 429s: no limit in this test.
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {
        scope: "100000/minute" for scope in framework.get("DEFAULT_THROTTLE_RATES", {})
    }
    settings.REST_FRAMEWORK = framework
    forget_throttling()

    clients: dict[str, Client] = {}

    def client_for(caller: Caller, *, fresh: bool) -> Client:
        """The caller's client, signed in; `fresh` for a request that may end the session
        or revoke the token (a logout, DELETE of the token): the next one starts anew."""
        if caller.label in clients and not fresh:
            return clients[caller.label]
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if caller.token:
            _token, key = api_token_issue(user=users[caller.user_fixture])
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
        elif caller.user_fixture:
            verified_session(client, users[caller.user_fixture])
        if not fresh:
            clients[caller.label] = client
        return client

    patterns = list(walk(get_resolver()))
    failures: list[str] = []
    lines: list[str] = []
    pairs = 0
    for pattern in patterns:
        rules = view_access_rules(pattern.view)
        assert rules is not None, f"{pattern.route} declares no rule (tests/test_url_access.py)"
        admin = pattern.route.startswith(admin_prefix.lstrip("/"))
        named_kwargs = [m["name"] for m in ROUTE_PARAMETER.finditer(pattern.route)]
        # Methods to send: those the rules name, else GET (then POST if GET is not served).
        methods = sorted(m for m in rules if m not in ("*", "HEAD", "OPTIONS")) or ["GET"]
        scoped = any(rule.scoped for rule in rules.values())
        unknown = [k for k in named_kwargs if k not in objects]
        if scoped and unknown:
            failures.append(
                f"{pattern.route}: a scoped rule, but no own/other objects for the URL "
                f"parameter(s) {unknown}: add them to the `objects` fixture"
            )
            continue

        row = []
        for caller in CALLERS:
            side = caller.side

            def value(name: str, converter: str, side=side) -> str:
                if name in objects:
                    return getattr(objects[name], side)
                return any_value(name, converter)

            path = build_path(pattern, value)
            match = resolve(path)
            assert match.func == pattern.view, f"{path} resolves elsewhere than {pattern.route}"
            user = users[caller.user_fixture] if caller.user_fixture else AnonymousUser()
            if caller.token and not is_api_view(pattern.view):
                user = AnonymousUser()  # a token authenticates API calls only
            in_scope = all(
                objects[name].in_scope(
                    user,
                    match.kwargs[name]
                    if isinstance(match.kwargs[name], str)
                    else str(match.kwargs[name]),
                )
                for name in named_kwargs
                if name in objects
            )
            pairs += 1
            cells = []
            for method in methods:
                got, status = send(client_for, caller, path, method, rules)
                if got == UNSERVED_METHOD and method == "GET" and "*" in rules:
                    method = "POST"
                    got, status = send(client_for, caller, path, method, rules)
                rule = rules.get(method) or rules.get("*")
                confined = is_portal_client(user) and not portal_client_may_open(match)
                want = expected(rule, user, in_scope, admin=admin, confined=confined)
                if rule is REDIRECT:
                    # Serves nothing but a redirect: where it leads has its own rule (and row).
                    want, got = {"redirect"}, "redirect" if 300 <= status < 400 else got
                cells.append(f"{method} {status}")
                if got not in want:
                    failures.append(
                        f"{pattern.route} ({pattern.name or '-'}) as {caller.label}: "
                        f"{method} {path} answered {status} ({got}), rule {rule.key!r} "
                        f"expects {' or '.join(sorted(want))}"
                    )
            row.append(f"{caller.label}={'/'.join(cells)}")
        lines.append(f"{pattern.route} [{pattern.name or '-'}]: " + " ".join(row))

    summary = (
        f"URL x role: {len(patterns)} URL patterns checked, {pairs} (pattern x caller) pairs "
        f"tried ({len(CALLERS)} callers)"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines) + "\n" + summary)
    request.config.stash[SUMMARY_KEY] = summary
    assert not failures, f"{len(failures)} answers break their rule:\n" + "\n".join(failures)
    # The walk reached every audience's part of the site.
    routes = " ".join(p.route for p in patterns)
    for part in ("admin/", "api/v1/", "clients/<int:sk_id_curr>/", "accounts/login/", "healthz"):
        assert part in routes
    assert pairs == len(patterns) * len(CALLERS)


def resolve_or_none(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


def send(client_for, caller: Caller, path: str, method: str, rules: dict) -> tuple[str, int]:
    """(outcome, status) of `method path` sent by `caller`, following redirects within the site.

    A redirect to another page of the site is followed (as GET, at most 3 hops): the
    admin sends a non-staff caller of its logout page to its index, which sends them to
    log in. A login redirect anywhere along the way means "log in first".
    """
    client = client_for(caller, fresh=method != "GET")
    if method == "GET":
        response = client.get(path)
    elif method == "POST":
        response = client.post(path)
    else:
        response = client.generic(method, path)
    status = response.status_code
    for _hop in range(3):
        if response.status_code not in (301, 302, 303, 307, 308) or is_login_redirect(response):
            break
        location = urlsplit(response["Location"])
        if location.netloc and location.netloc != "testserver":
            break
        # A redirect to a page under another rule is the service itself (the language
        # switch sends back home): only a redirect within the same rule is followed.
        target = resolve_or_none(location.path)
        if target is None or view_access_rules(target.func) != rules:
            break
        response = client.get(
            f"{location.path}?{location.query}" if location.query else location.path
        )
    return outcome(response), status
