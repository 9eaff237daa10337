"""Signing in over HTTP: a username and password exchanged for a token that expires; tokens listed and revoked."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.accounts import tokens
from keyproj.accounts.lockout import lockout_message
from keyproj.core import clock
from keyproj.core.api import NOT_FOUND, REFUSALS, DetailSerializer, ServiceErrorsMixin

LOCKED = {
    429: OpenApiResponse(
        DetailSerializer, description="登录失败次数过多，该用户名或地址已被暂时锁定；detail 说明何时可再试"
    )
}


class TokenRequestSerializer(serializers.Serializer):
    """The credentials of a user who may sign in."""

    username = serializers.CharField(
        label=_("用户名"),
        max_length=150,
        error_messages={"required": _("请填写用户名"), "blank": _("请填写用户名"), "max_length": _("用户名过长")},
    )
    password = serializers.CharField(
        label=_("密码"),
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
        write_only=True,
        error_messages={"required": _("请填写密码"), "blank": _("请填写密码"), "max_length": _("密码过长")},
    )
    name = serializers.CharField(
        label=_("用途"),
        required=False,
        allow_blank=True,
        max_length=tokens.NAME_MAX,
        help_text="可选：令牌的用途（如“统计报表同步”），便于在“我的API令牌”中辨认",
        error_messages={"max_length": _("最多60个字")},
    )


class TokenSerializer(serializers.Serializer):
    """A newly issued token: send it as `Authorization: Token <token>` until it expires."""

    token = serializers.CharField(help_text="令牌；请求时放在请求头 Authorization: Token <令牌>。只在签发时返回一次")
    id = serializers.IntegerField(help_text="令牌编号（撤销时用）")
    expires_at = serializers.DateTimeField(help_text="到期时间；到期后答401，需重新获取")


class TokenInfoSerializer(serializers.Serializer):
    """A token as listed: never its key, only its first characters."""

    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username", help_text="令牌所属用户的用户名")
    prefix = serializers.CharField(help_text="令牌的前8个字符")
    name = serializers.CharField(help_text="用途（可为空字符串）")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    active = serializers.SerializerMethodField(help_text="当前可用（未过期、未撤销）")

    def get_active(self, token: Any) -> bool:
        return token.is_valid_at(self.context["now"])


class TokenView(ServiceErrorsMixin, APIView):
    """Exchange a username and password for a new API token that expires after KEYPROJ_TOKEN_DAYS days."""

    # Anyone may ask; a session cookie must not turn this into a CSRF-checked request.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token",
        summary="获取令牌（用户名、密码 → token）",
        description=(
            "每次签发一个新令牌，到期时间见 expires_at（默认30天）。用返回的令牌访问其余接口：请求头 "
            "`Authorization: Token <令牌>`；过期或被撤销的令牌答401。用户名或密码不对时答400；"
            "同一用户名或同一地址连续失败过多时暂时锁定，答429。"
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: REFUSALS[400], **LOCKED},
        auth=[],
        examples=[
            OpenApiExample("请求", request_only=True, value={"username": "owner", "password": "……"}),
            OpenApiExample(
                "应答",
                response_only=True,
                value={
                    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
                    "id": 12,
                    "expires_at": "2019-10-03T09:00:00+08:00",
                },
            ),
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
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            # One message for an unknown user, a wrong password and a disabled account: none is revealed.
            raise serializers.ValidationError(gettext("用户名或密码不正确"))
        token, key = tokens.issue(user, name=serializer.validated_data.get("name", ""), actor=user)
        return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})


class TokenListView(ServiceErrorsMixin, APIView):
    """The caller's own tokens; the office sees everyone's (optionally one user's)."""

    @extend_schema(
        operation_id="auth_tokens_list",
        summary="列出令牌",
        description=(
            "本人的令牌；市重点办可看所有用户的令牌，可用 user=用户名 筛选。从不返回令牌本身，只返回前8个字符。"
        ),
        parameters=[OpenApiParameter("user", str, description="用户名（仅市重点办）", required=False)],
        responses={200: TokenInfoSerializer(many=True), 401: REFUSALS[401]},
    )
    def get(self, request: Request) -> Response:
        rows = tokens.tokens_visible_to(request.user)
        username = request.query_params.get("user", "")
        if username:
            rows = rows.filter(user__username=username)
        serializer = TokenInfoSerializer(rows, many=True, context={"now": clock.real_now()})
        return Response(serializer.data)


class TokenRevokeView(ServiceErrorsMixin, APIView):
    """Revoke a token: its owner's or, for the office, anyone's."""

    @extend_schema(
        operation_id="auth_tokens_revoke",
        summary="撤销令牌",
        description="立即撤销：此后用它的请求答401。撤销已撤销的令牌不改变什么。",
        request=None,
        responses={204: None, 401: REFUSALS[401], **NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        token = get_object_or_404(tokens.tokens_visible_to(request.user), pk=pk)
        tokens.revoke(token, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
