"""Signing in over HTTP: a username and password exchanged for the token an API client sends."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.api import REFUSALS, ServiceErrorsMixin


class TokenRequestSerializer(serializers.Serializer):
    """The credentials of a user who may sign in."""

    username = serializers.CharField(
        label=_("用户名"), error_messages={"required": _("请填写用户名"), "blank": _("请填写用户名")}
    )
    password = serializers.CharField(
        label=_("密码"),
        trim_whitespace=False,
        style={"input_type": "password"},
        write_only=True,
        error_messages={"required": _("请填写密码"), "blank": _("请填写密码")},
    )


class TokenSerializer(serializers.Serializer):
    """The token to send as `Authorization: Token <token>`."""

    token = serializers.CharField(help_text="令牌；请求时放在请求头 Authorization: Token <令牌>")


class TokenView(ServiceErrorsMixin, APIView):
    """Exchange a username and password for the user's API token (the same token each time)."""

    # Anyone may ask; a session cookie must not turn this into a CSRF-checked request.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token",
        summary="获取令牌（用户名、密码 → token）",
        description="用返回的令牌访问其余接口：请求头 `Authorization: Token <令牌>`。用户名或密码不对时答400。",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: REFUSALS[400]},
        auth=[],
        examples=[
            OpenApiExample("请求", request_only=True, value={"username": "owner", "password": "……"}),
            OpenApiExample("应答", response_only=True, value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            # One message for an unknown user, a wrong password and a disabled account: none is revealed.
            raise serializers.ValidationError(gettext("用户名或密码不正确"))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
