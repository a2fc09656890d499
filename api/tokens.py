"""/api/v1/auth/token: tokens of integration accounts (obtain and revoke)."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_login_failed
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.services import api_token_issue, api_token_revoke, api_tokens_revoke
from api.permissions import HOLD_TOKEN, OBTAIN_TOKEN, request_user
from api.serializers.tokens import TokenRequestSerializer, TokenSerializer
from api.throttling import AnonRateThrottle, UserRateThrottle
from audit.models import Action
from audit.services import audit_event_record


class TokenView(APIView):
    """Obtain (POST username + password) or revoke (DELETE) an API token.

    Who: POST - anyone may try; only integration accounts (accounts.use_api)
    get a token. A wrong password, an unknown account and the right password of
    an account that may not hold a token all get the same 400 with the same
    text, and all count as failures for the login lockout (django-axes: per
    account and per client address); a locked account or address gets 429.
    Each POST issues a new token, valid `API_TOKEN_LIFETIME_DAYS` days (the
    answer says until when); the key is shown this once, the database keeps
    only its digest.
    DELETE - revokes the token the request carries (with a session: every token
    of the account); an administrator revokes any in the admin site (API tokens).
    Send the token as `Authorization: Token <key>`.
    """

    serializer_class = TokenRequestSerializer
    access_rules = {"POST": OBTAIN_TOKEN, "DELETE": HOLD_TOKEN}

    def get_authenticators(self):
        # Obtaining a token needs no prior authentication (nor a CSRF token).
        # (The schema generator builds views without a request.)
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    def get_throttles(self):
        if self.request.method == "POST":
            return [AnonRateThrottle()]
        return [UserRateThrottle()]

    @extend_schema(
        tags=["auth"],
        summary="Obtain a token for an integration account",
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description="Wrong credentials, or not an integration account (one answer)."
            ),
            429: OpenApiResponse(description="Too many failed attempts: locked for a while."),
        },
    )
    def post(self, request: Request) -> Response:
        # A JSON body may be a list or a scalar: then neither field is there.
        data = request.data if isinstance(request.data, dict) else {}
        username = data.get("username")
        password = data.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise serializers.ValidationError(
                {"non_field_errors": [_('Must include "username" and "password".')]}
            )
        # Bounded, no NUL character: a 400 naming the field, before any lookup.
        TokenRequestSerializer(data={"username": username, "password": password}).is_valid(
            raise_exception=True
        )
        # The DRF request is passed: django-axes reads the client address from it and
        # refuses a locked account or address before the password is even tried.
        user = authenticate(request=request, username=username, password=password)
        if user is not None and not HOLD_TOKEN.allows(user):
            # Right password, wrong role: counted and answered as a wrong password, so
            # the endpoint never confirms a person's password.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
            user = None
        if getattr(request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed attempts: this login is locked for a while.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        token, key = api_token_issue(user=user)
        # A token handed out is a way in: recorded like a login (a wrong password is
        # recorded by the login failure signal, audit/receivers.py).
        audit_event_record(
            action=Action.TOKEN_CREATED,
            actor=user,
            detail={"prefix": token.prefix, "expires_at": token.expires_at},
        )
        return Response({"token": key, "expires_at": token.expires_at})

    @extend_schema(
        tags=["auth"],
        summary="Revoke the token used (with a session: every token of the account)",
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            api_token_revoke(token=request.auth)
            revoked = {"revoked": 1, "prefix": request.auth.prefix}
        else:
            revoked = {"revoked": api_tokens_revoke(user=request_user(request))}
        audit_event_record(action=Action.TOKEN_REVOKED, actor=request.user, detail=revoked)
        return Response(status=status.HTTP_204_NO_CONTENT)
