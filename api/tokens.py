"""/api/v1/auth/token: tokens of integration accounts (obtain and revoke)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import HOLD_TOKEN, OBTAIN_TOKEN
from api.serializers.tokens import TokenSerializer
from api.throttling import AnonRateThrottle, UserRateThrottle
from audit.models import Action
from audit.services import audit_event_record


class TokenView(APIView):
    """Obtain (POST username + password) or revoke (DELETE) an API token.

    Who: POST - anyone may try; only integration accounts (accounts.use_api)
    get a token (400 for wrong credentials, 403 for other roles; throttled per
    address). DELETE - the token's owner revokes their own token (204); an
    administrator revokes anyone's in the admin site (Auth Token > Tokens).
    Send it as `Authorization: Token <key>`.
    """

    serializer_class = AuthTokenSerializer

    def get_authenticators(self):
        # Obtaining a token needs no prior authentication (nor a CSRF token).
        # (The schema generator builds views without a request.)
        if getattr(self.request, "method", None) == "POST":
            return []
        return super().get_authenticators()

    access_rules = {"POST": OBTAIN_TOKEN, "DELETE": HOLD_TOKEN}

    def get_throttles(self):
        if self.request.method == "POST":
            return [AnonRateThrottle()]
        return [UserRateThrottle()]

    @extend_schema(
        tags=["auth"],
        summary="Obtain the token of an integration account",
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(description="Not an integration account."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not HOLD_TOKEN.allows(user):
            raise PermissionDenied(HOLD_TOKEN.refusal)
        token, created = Token.objects.get_or_create(user=user)
        # A token handed out is a way in: recorded like a login (a wrong password is
        # recorded by the login failure signal, audit/receivers.py).
        audit_event_record(action=Action.TOKEN_CREATED, actor=user, detail={"new": created})
        return Response({"token": token.key})

    @extend_schema(
        tags=["auth"],
        summary="Revoke one's own token",
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        revoked, _ = Token.objects.filter(user=request.user).delete()
        audit_event_record(
            action=Action.TOKEN_REVOKED, actor=request.user, detail={"revoked": revoked}
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
