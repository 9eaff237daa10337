"""The outbox over HTTP: the office reads the deliveries; each caller reads and sets their own channels."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.accounts.permissions import is_office
from keyproj.core.api import NOT_FOUND, REFUSALS, ServiceErrorsMixin
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.outbox import services
from keyproj.outbox.filtersets import DeliveryFilterSet
from keyproj.outbox.models import Delivery, Mode


class IsOffice(BasePermission):
    """The deliveries carry everyone's messages and addresses: the office's only (403 for anyone else)."""

    message = _("只有市重点办可以查看外发消息")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_office(request.user)


class DeliverySerializer(serializers.ModelSerializer):
    """One message on its way through one channel to a user or a group robot."""

    channel_display = serializers.CharField(source="get_channel_display", read_only=True, help_text="渠道（中文）")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")
    user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="接收人（用户名）；发往群机器人时为null"
    )
    robot = serializers.SerializerMethodField(help_text="群机器人（单位 · 名称）；发往用户邮箱时为null")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "channel",
            "channel_display",
            "user",
            "robot",
            "kind",
            "title",
            "url",
            "status",
            "status_display",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "sent_at",
            "digest",
        ]
        read_only_fields = fields

    def get_robot(self, delivery: Delivery) -> str | None:
        return str(delivery.robot) if delivery.robot_id else None


@extend_schema_view(
    list=extend_schema(summary="外发消息（市重点办）", responses={200: DeliverySerializer(many=True), **REFUSALS}),
    retrieve=extend_schema(summary="一条外发消息（市重点办）", responses={200: DeliverySerializer, **NOT_FOUND}),
)
class DeliveryViewSet(ScopedReadOnlyViewSet):
    """Every delivery, newest first, filtered by status and channel; the office's only."""

    permission_classes = [IsOffice]
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    queryset = Delivery.objects.select_related("user", "robot__organisation")

    def narrow(self, rows: QuerySet[Delivery]) -> QuerySet[Delivery]:
        return rows.order_by("-created_at", "-pk")


class PreferenceSerializer(serializers.Serializer):
    """The caller's channels beyond the app."""

    email = serializers.CharField(read_only=True, help_text="接收邮件的地址（账号登记的邮箱）；为空时收不到邮件")
    email_enabled = serializers.BooleanField(help_text="是否通过邮件接收通知")
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        help_text="immediate：即时发送；digest：每日汇总（当天的通知合并为一封邮件）",
        error_messages={"invalid_choice": _("应为 immediate（即时发送）或 digest（每日汇总）")},
    )


def _answer(user: Any) -> dict[str, Any]:
    preference = services.preference_for(user)
    return {"email": user.email, "email_enabled": preference.email_enabled, "mode": preference.mode}


class PreferenceView(ServiceErrorsMixin, APIView):
    """The caller's own notification settings: read them, or replace them whole."""

    serializer_class = PreferenceSerializer
    problem_fields = {"发送方式": "mode"}

    @extend_schema(summary="本人的通知设置", responses={200: PreferenceSerializer, **REFUSALS})
    def get(self, request: Request) -> Response:
        return Response(_answer(request.user))

    @extend_schema(
        summary="修改本人的通知设置", request=PreferenceSerializer, responses={200: PreferenceSerializer, **REFUSALS}
    )
    def put(self, request: Request) -> Response:
        # A form body leaves out an unticked box, which DRF would read as "no": a replacement names both.
        missing = [name for name in ("email_enabled", "mode") if name not in request.data]
        if missing:
            raise serializers.ValidationError({name: [_("此项为必填项")] for name in missing})
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.save_preference(
            request.user,
            email_enabled=serializer.validated_data["email_enabled"],
            mode=serializer.validated_data["mode"],
            actor=request.user,
        )
        return Response(_answer(request.user))
