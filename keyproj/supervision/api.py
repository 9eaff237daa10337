"""月度督办 over HTTP: closes, cards, rankings, listings, rules and the forecast.

Reads go through keyproj.supervision.results (the snapshot of a closed month, cut to the
caller's scope; a preview of an open month for the office only); changes go through
keyproj.supervision.services, exactly as the pages and the commands do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.accounts.permissions import is_office
from keyproj.core import params
from keyproj.core.api import (
    CONFLICT,
    NOT_FOUND,
    REFUSALS,
    BoundedDateField,
    DetailSerializer,
    ServiceErrorsMixin,
    choice_param,
    id_field,
    version_field,
)
from keyproj.core.audit import ConflictError
from keyproj.core.money import fmt2
from keyproj.core.period import Period, PeriodError
from keyproj.core.rules import VersionedRule, publish_rule
from keyproj.core.scoping import scope_for
from keyproj.core.viewsets import ScopedReadOnlyViewSet, ScopedViewSet
from keyproj.metrics.dashboard import latest_reported
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject
from keyproj.supervision import forecast as forecasting
from keyproj.supervision import services
from keyproj.supervision.compute import (
    card_rule_json,
    completeness_rule_json,
    ranking_rule_json,
)
from keyproj.supervision.filtersets import ListingFilterSet
from keyproj.supervision.models import CardRule, CompletenessRule, Listing, ListingProgress, MonthClose, RankingRule
from keyproj.supervision.results import LIST_KEYS, may_see_rankings, month_results, visible_cards, visible_ranking

LISTING_FIELDS = {
    "督办事项": "matter",
    "责任单位/责任人": "responsible",
    "督办目标": "target",
    "办结期限": "due",
    "进展情况": "note",
    "销号依据": "evidence",
    "原因": "reason",
    "移送": "to",
    "问题": "problem",
}
RULE_FIELDS = {
    "黄牌阈值": "yellow_below",
    "红牌阈值": "red_below",
    "逾期未开工黄牌月数": "start_yellow_months",
    "逾期未开工红牌月数": "start_red_months",
    "整改期限": "rectify_months",
    "投资完成率权重": "weight_investment",
    "开工率权重": "weight_start",
    "竣工率权重": "weight_completion",
    "按时填报率权重": "weight_timeliness",
    "权重": "weights",
    "投资完成率封顶": "investment_cap",
    "已审核月报比例": "min_approved_share",
    "红榜/黑榜名额": "list_size",
    "生效日期": "effective_from",
    # What model validation names by a field's verbose name (keyproj.core.rules.publish_rule).
    **{
        str(field.verbose_name): field.name
        for model in (CardRule, RankingRule, CompletenessRule)
        for field in model._meta.concrete_fields
        if field.name in model.setting_names()
    },
}
PERIOD_PARAM = OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.PATH, description="月份 YYYY-MM")


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError:
        raise Http404 from None


def _results(request: Request, text: str) -> Any:
    """The month's results the caller may read: the close, or (office only) a preview; otherwise 404."""
    if scope_for(request.user).is_empty:
        raise Http404
    results = month_results(_period(text), preview=is_office(request.user))
    if results is None:
        raise Http404
    return results


class CardSerializer(serializers.Serializer):
    """A card as `keyproj cards --json` gives it (money in 万元, rates in %, as strings)."""

    project = serializers.CharField(help_text="项目代码")
    name = serializers.CharField(help_text="项目名称")
    district = serializers.CharField(help_text="所属区")
    colour = serializers.ChoiceField(choices=["yellow", "red"], help_text="yellow 黄牌 / red 红牌")
    rules = serializers.ListField(child=serializers.CharField(), help_text="触发的规则：rate、start、repeat")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="原因（中文）")
    plan_to_date = serializers.CharField(help_text="累计计划投资（万元）")
    actual_to_date = serializers.CharField(help_text="累计完成投资（万元）")
    schedule_rate = serializers.CharField(allow_null=True, help_text="完成序时进度计划%")
    path_to_green = serializers.CharField(help_text="下月需完成投资（万元），完成后回到序时计划的黄牌线")
    deadline = serializers.DateField(help_text="整改期限")


class RankingRowSerializer(serializers.Serializer):
    """One organisation's row of a ranking list."""

    organisation_id = serializers.IntegerField()
    name = serializers.CharField()
    project_count = serializers.IntegerField()
    plan_to_date = serializers.CharField(help_text="万元")
    actual_to_date = serializers.CharField(help_text="万元")
    schedule_rate = serializers.CharField(allow_null=True, help_text="完成序时进度计划%")
    investment_rate = serializers.CharField(allow_null=True, help_text="投资完成率%（封顶后）")
    start_rate = serializers.CharField(allow_null=True, help_text="开工率%；无应开工项目为null（按满分计）")
    completion_rate = serializers.CharField(allow_null=True, help_text="竣工率%")
    timeliness = serializers.CharField(allow_null=True, help_text="按时填报率%")
    inputs = serializers.DictField(
        child=serializers.IntegerField(), help_text="应开工/已开工、应竣工/已竣工、应报/按时"
    )
    score = serializers.CharField(help_text="得分")
    rank = serializers.IntegerField(help_text="名次（得分相同名次相同）")
    board = serializers.CharField(help_text="red 红榜 / black 黑榜 / 空")
    met_plan = serializers.BooleanField(help_text="是否完成序时计划")
    move = serializers.IntegerField(allow_null=True, help_text="较上月上升(+)/下降(−)的名次")
    long_unresolved = serializers.IntegerField(help_text="久拖未决问题个数（指标，不计分）")


class CloseSerializer(serializers.ModelSerializer):
    """A month's close: its state and the rule versions it applied."""

    period = serializers.SerializerMethodField(help_text="YYYY-MM")
    card_rule = serializers.IntegerField(source="card_rule.version", help_text="红黄牌规则版本")
    ranking_rule = serializers.IntegerField(source="ranking_rule.version", help_text="红黑榜规则版本")
    completeness_rule = serializers.IntegerField(
        source="completeness_rule.version", allow_null=True, help_text="关账完整性规则版本"
    )
    number = serializers.SerializerMethodField(help_text="该次关账印发的通报文号；未印发为null（关账不取文号）")
    approved_returns = serializers.SerializerMethodField(help_text="关账时已审核月报数")
    due_returns = serializers.SerializerMethodField(help_text="关账时应报月报数（有已批准年度计划的项目）")
    sentence = serializers.SerializerMethodField(help_text="全市情况（通报原文）")

    class Meta:
        model = MonthClose
        fields = [
            "period",
            "status",
            "closed_on",
            "number",
            "card_rule",
            "ranking_rule",
            "completeness_rule",
            "approved_returns",
            "due_returns",
            "override_reason",
            "sentence",
            "version",
        ]

    def get_period(self, obj: MonthClose) -> str:
        return str(obj.period)

    def get_number(self, obj: MonthClose) -> str | None:
        return (obj.snapshot.get("notice") or {}).get("number")

    def get_approved_returns(self, obj: MonthClose) -> int | None:
        return (obj.snapshot.get("completeness") or {}).get("approved")

    def get_due_returns(self, obj: MonthClose) -> int | None:
        return (obj.snapshot.get("completeness") or {}).get("due")

    def get_sentence(self, obj: MonthClose) -> str:
        # The city's figures are for city-wide users, as on the month's page.
        request = self.context.get("request")
        if request is None or not may_see_rankings(request.user):
            return ""
        return obj.snapshot.get("city", {}).get("sentence", "")


class CloseRequestSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="要关账的月份 YYYY-MM；须已过填报截止日，且本年此前各月均已关账")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="已审核月报低于关账完整性规则时仍要关账的理由（此时必填），记入快照并印在通报中",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="重新打开的原因（必填）")


class CloseViewSet(ScopedViewSet):
    """Closed months; closing and reopening (the office); a month's cards and ranking lists."""

    lookup_field = "period"
    lookup_value_regex = r"\d{4}-\d{1,2}"
    problem_fields = {"月份": "period", "原因": "reason", "关账理由": "override_reason"}
    queryset = MonthClose.objects.select_related("card_rule", "ranking_rule")
    pagination_class = None  # a year holds twelve months at most: the lists are answered whole

    @extend_schema(summary="已关账（及重新打开）的月份", responses={200: CloseSerializer(many=True)})
    def list(self, request: Request) -> Response:
        closes = self.get_queryset()
        return Response(CloseSerializer(closes, many=True, context={"request": request}).data)

    @extend_schema(
        summary="某月的关账",
        parameters=[PERIOD_PARAM],
        responses={200: CloseSerializer, **NOT_FOUND},
    )
    def retrieve(self, request: Request, period: str) -> Response:
        month = _period(period)
        close = get_object_or_404(self.get_queryset(), year=month.year, month=month.month)
        return Response(CloseSerializer(close, context={"request": request}).data)

    @extend_schema(
        summary="关账（重点办）：计算并冻结红黑榜、红黄牌和挂牌督办建议",
        description=(
            "已关账的月份再次关账不作任何修改（答200）；新关账答201。填报截止日前、本年此前月份尚未关账、"
            "或已审核月报低于关账完整性规则而未给出理由时被拒绝（400），不写入任何内容。关账不取文号，"
            "通报另行印发（issue）。同时有人关账同一月份时只关账一次：其余请求答200（已关账的结果），"
            "或在对方尚未完成时答409，均不写入任何内容。"
        ),
        request=CloseRequestSerializer,
        responses={
            200: CloseSerializer,
            201: CloseSerializer,
            **REFUSALS,
            409: OpenApiResponse(DetailSerializer, description="同一月份正由他人关账，本次未保存；请稍后查看"),
        },
    )
    def create(self, request: Request) -> Response:
        form = CloseRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        month = params.period(form.validated_data["period"])
        try:
            outcome = services.close_month(
                month, user=request.user, override_reason=form.validated_data.get("override_reason", "")
            )
        except services.CloseRaced as raced:
            # Another closer of the month has not finished: not the request's fault, so not a 400.
            return Response({"detail": str(raced)}, status=status.HTTP_409_CONFLICT)
        data = dict(CloseSerializer(outcome.close, context={"request": request}).data)
        data["missing_returns"] = outcome.missing_returns
        return Response(data, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)

    @extend_schema(
        summary="印发某月通报（重点办）：取得下一个文号",
        description="只有已关账的月份可以印发；已印发的再次印发返回原通报（文号不变）。成文日期为印发当日。",
        parameters=[PERIOD_PARAM],
        request=None,
        responses={200: CloseSerializer, **REFUSALS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, period: str) -> Response:
        month = _period(period)
        close = get_object_or_404(self.get_queryset(), year=month.year, month=month.month)
        services.issue_close_notice(close, user=request.user)
        return Response(CloseSerializer(close, context={"request": request}).data)

    @extend_schema(
        summary="重新打开已关账的月份（重点办，须写明原因）",
        parameters=[PERIOD_PARAM],
        request=ReasonSerializer,
        responses={200: CloseSerializer, **REFUSALS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, period: str) -> Response:
        month = _period(period)
        close = get_object_or_404(self.get_queryset(), year=month.year, month=month.month)
        form = ReasonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        close = services.reopen_month(close, user=request.user, reason=form.validated_data["reason"])
        return Response(CloseSerializer(close, context={"request": request}).data)

    @extend_schema(
        summary="某月的红黄牌（本人可见的项目）",
        description="已关账月份取关账快照；未关账月份仅重点办可预览，其他人答404。",
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter("colour", OpenApiTypes.STR, enum=["red", "yellow"], required=False),
        ],
        responses={200: CardSerializer(many=True), **NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def cards(self, request: Request, period: str) -> Response:
        results = _results(request, period)
        colour = choice_param(request.query_params, "colour", ("red", "yellow"))
        return Response(visible_cards(request.user, results.snapshot, colour))

    @extend_schema(
        summary="某月的一个红黑榜（districts/units/areas/soes）",
        description="市级用户看到整个榜单，其他用户只看到本单位的行。",
        parameters=[
            PERIOD_PARAM,
            OpenApiParameter("list_key", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[*LIST_KEYS]),
        ],
        responses={200: RankingRowSerializer(many=True), **NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path=r"ranking/(?P<list_key>[a-z]+)")
    def ranking(self, request: Request, period: str, list_key: str) -> Response:
        if list_key not in LIST_KEYS:
            raise Http404
        results = _results(request, period)
        return Response(visible_ranking(request.user, results.snapshot, list_key))


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListingProgress
        fields = ["on", "note", "created_at"]


class ListingSerializer(serializers.ModelSerializer):
    """A listing (挂牌督办) and its progress."""

    project = serializers.CharField(source="project.code", read_only=True, help_text="项目代码")
    project_name = serializers.CharField(source="project.name", read_only=True)
    progress = ProgressSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "project",
            "project_name",
            "problem",
            "status",
            "matter",
            "responsible",
            "target",
            "due",
            "reason",
            "listed_on",
            "closed_on",
            "evidence",
            "referral",
            "version",
            "progress",
        ]
        read_only_fields = fields


class ListingCreateSerializer(serializers.Serializer):
    project = serializers.CharField(help_text="项目代码")
    problem = id_field(required=False, allow_null=True, help_text="问题编号（可选）")
    matter = serializers.CharField(allow_blank=True, help_text="督办事项")
    responsible = serializers.CharField(allow_blank=True, help_text="责任单位/责任人")
    target = serializers.CharField(allow_blank=True, help_text="督办目标")
    due = BoundedDateField(required=False, allow_null=True, help_text="办结期限")


class AcceptSerializer(serializers.Serializer):
    matter = serializers.CharField(allow_blank=True)
    responsible = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)
    due = BoundedDateField(required=False, allow_null=True)
    version = version_field(required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="进展、销号依据或不予挂牌的原因"
    )
    version = version_field(required=False)


class ReferSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["efficiency", "discipline"], help_text="efficiency 效能 / discipline 纪检")
    version = version_field(required=False)


def _check_version(obj: Any, version: int | None) -> None:
    if version is not None and version != obj.version:
        raise ConflictError(obj)


@extend_schema_view(
    list=extend_schema(summary="挂牌督办（本人可见的项目）", responses={200: ListingSerializer(many=True)}),
    retrieve=extend_schema(summary="一项挂牌督办", responses={200: ListingSerializer, **NOT_FOUND}),
)
class ListingViewSet(ScopedReadOnlyViewSet):
    """Listings of the projects the caller may see; the office lists, records progress, closes and refers."""

    serializer_class = ListingSerializer
    problem_fields = LISTING_FIELDS

    filterset_class = ListingFilterSet
    queryset = Listing.objects.select_related("project").prefetch_related("progress")

    def narrow(self, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        return queryset.order_by("pk")

    @extend_schema(
        summary="挂牌督办一个项目或问题（重点办）",
        request=ListingCreateSerializer,
        responses={201: ListingSerializer, **REFUSALS},
    )
    def create(self, request: Request) -> Response:
        if not is_office(request.user):
            raise PermissionDenied("只有重点办可以挂牌督办")
        form = ListingCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            project = Project.objects.by_code(request.user, data["project"])
        except UnknownProject as exc:
            raise serializers.ValidationError({"project": [str(exc)]}) from None
        problem = None
        if data.get("problem"):
            problem = project.problems.filter(pk=data["problem"]).first()
            if problem is None:
                raise serializers.ValidationError({"problem": ["该项目没有这个问题"]})
        listing = services.create_listing(
            project,
            services.ListingData(data["matter"], data["responsible"], data["target"], data.get("due"), problem),
            user=request.user,
        )
        return Response(ListingSerializer(listing).data, status=status.HTTP_201_CREATED)

    def _answer(self, listing: Listing) -> Response:
        return Response(ListingSerializer(self.get_queryset().get(pk=listing.pk)).data)

    @extend_schema(
        summary="采纳挂牌建议：明确责任、目标和期限",
        request=AcceptSerializer,
        responses={200: ListingSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        listing = self.get_object()
        form = AcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        services.accept_proposal(
            listing,
            services.ListingData(data["matter"], data["responsible"], data["target"], data.get("due")),
            user=request.user,
            expected_version=data.get("version"),
        )
        return self._answer(listing)

    @extend_schema(
        summary="不予挂牌（须写明原因 note）",
        request=NoteSerializer,
        responses={200: ListingSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        listing = self.get_object()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.decline_proposal(
            listing,
            user=request.user,
            reason=form.validated_data["note"],
            expected_version=form.validated_data.get("version"),
        )
        return self._answer(listing)

    @extend_schema(
        summary="记录督办进展",
        request=NoteSerializer,
        responses={200: ListingSerializer, **REFUSALS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        listing = self.get_object()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.record_progress(listing, user=request.user, note=form.validated_data["note"])
        return self._answer(listing)

    @extend_schema(
        summary="销号（须写明依据 note）",
        request=NoteSerializer,
        responses={200: ListingSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close_listing(self, request: Request, pk: str | None = None) -> Response:
        listing = self.get_object()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.close_listing(
            listing,
            user=request.user,
            evidence=form.validated_data["note"],
            expected_version=form.validated_data.get("version"),
        )
        return self._answer(listing)

    @extend_schema(
        summary="记录移送效能或纪检部门",
        request=ReferSerializer,
        responses={200: ListingSerializer, **REFUSALS, **NOT_FOUND, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str | None = None) -> Response:
        listing = self.get_object()
        form = ReferSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.refer_listing(
            listing,
            user=request.user,
            to=form.validated_data["to"],
            expected_version=form.validated_data.get("version"),
        )
        return self._answer(listing)


RULES_RESPONSE = inline_serializer(
    "SupervisionRules",
    {
        "card": serializers.DictField(help_text="红黄牌规则（当前版本）"),
        "ranking": serializers.DictField(help_text="红黑榜规则（当前版本）"),
        "completeness": serializers.DictField(
            help_text="关账完整性规则（当前版本）：已审核月报不低于 min_approved_share %"
        ),
    },
)


class RulesView(ServiceErrorsMixin, APIView):
    """The rules in force; the office writes a new version of one of them."""

    problem_fields = RULE_FIELDS

    @extend_schema(
        operation_id="supervision_rules", summary="当前的红黄牌和红黑榜规则", responses={200: RULES_RESPONSE}
    )
    def get(self, request: Request) -> Response:
        if scope_for(request.user).is_empty:
            raise Http404
        return Response(
            {
                "card": card_rule_json(CardRule.current()),
                "ranking": ranking_rule_json(RankingRule.current()),
                "completeness": completeness_rule_json(CompletenessRule.current()),
            }
        )

    @extend_schema(
        operation_id="supervision_rules_update",
        summary="保存新版本规则（重点办）",
        description=(
            '请求体 {"card": {...}}、{"ranking": {...}} 或 {"completeness": {...}}，只需给出要改的字段；'
            "黄牌阈值不能低于红牌阈值，四项权重之和须为100，已审核月报比例在0到100之间。"
        ),
        request=RULES_RESPONSE,
        responses={200: RULES_RESPONSE, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        note = str(data.get("note", ""))
        for key, (model, numbers) in RULE_MODELS.items():
            if isinstance(data.get(key), dict):
                publish_rule(model, _rule_values(data[key], numbers), user=request.user, note=note)
                return self.get(request)
        raise serializers.ValidationError({"": ["请给出 card、ranking 或 completeness"]})


CARD_NUMBERS = {
    "yellow_below": serializers.DecimalField(max_digits=5, decimal_places=2),
    "red_below": serializers.DecimalField(max_digits=5, decimal_places=2),
    "start_yellow_months": serializers.IntegerField(),
    "start_red_months": serializers.IntegerField(),
    "repeat_to_red": serializers.BooleanField(),
    "rectify_months": serializers.IntegerField(),
}
COMPLETENESS_NUMBERS = {"min_approved_share": serializers.DecimalField(max_digits=5, decimal_places=2)}
RANKING_NUMBERS = {
    "weight_investment": serializers.DecimalField(max_digits=5, decimal_places=2),
    "weight_start": serializers.DecimalField(max_digits=5, decimal_places=2),
    "weight_completion": serializers.DecimalField(max_digits=5, decimal_places=2),
    "weight_timeliness": serializers.DecimalField(max_digits=5, decimal_places=2),
    "investment_cap": serializers.DecimalField(max_digits=4, decimal_places=2),
    "list_size": serializers.IntegerField(),
}
# The body's key for each rule, and how its settings are read.
RULE_MODELS: dict[str, tuple[type[VersionedRule], dict[str, serializers.Field]]] = {
    "card": (CardRule, CARD_NUMBERS),
    "ranking": (RankingRule, RANKING_NUMBERS),
    "completeness": (CompletenessRule, COMPLETENESS_NUMBERS),
}


def _rule_values(given: dict[str, Any], fields: dict[str, serializers.Field]) -> dict[str, Any]:
    """The given fields, each read as its type (a value that is not a number is a 400)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in given.items():
        if name not in fields:
            continue
        try:
            values[name] = fields[name].to_internal_value(raw)
        except serializers.ValidationError:
            errors[name] = ["应为数字" if name != "repeat_to_red" else "应为true或false"]
    if errors:
        raise serializers.ValidationError(errors)
    return values


class ForecastView(APIView):
    """The year-end forecast of what the caller may see, and the projects likely to miss the annual plan."""

    @extend_schema(
        operation_id="supervision_forecast",
        summary="预计全年完成（可能完不成年度计划的项目）",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=False, description="YYYY-MM，默认最近有填报的月份")
        ],
        responses={
            200: inline_serializer(
                "Forecast",
                {
                    "period": serializers.CharField(allow_null=True),
                    "annual_plan": serializers.CharField(allow_null=True, help_text="万元"),
                    "forecast": serializers.CharField(allow_null=True, help_text="万元"),
                    "rate": serializers.CharField(allow_null=True, help_text="%"),
                    "likely_to_miss": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        period = params.read(request, "period", params.period) or latest_reported(request.user)
        if period is None:
            return Response({"period": None, "annual_plan": None, "forecast": None, "rate": None, "likely_to_miss": []})
        city = forecasting.city_forecast(request.user, period)
        short = forecasting.likely_to_miss(request.user, period)[:100]
        return Response(
            {
                "period": str(period),
                "annual_plan": fmt2(city.annual_plan),
                "forecast": fmt2(city.forecast),
                "rate": fmt2(city.rate),
                "likely_to_miss": [
                    {
                        "project": row.project.code,
                        "name": row.project.name,
                        "annual_plan": fmt2(row.annual_plan),
                        "forecast": fmt2(_decimal(row.forecast)),
                    }
                    for row in short.select_related("project")
                ],
            }
        )


def _decimal(value: float) -> Any:
    return Decimal(str(value))
