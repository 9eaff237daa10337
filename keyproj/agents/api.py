"""代建管理 over HTTP: the directory, quarters and their draw, inspections and scoring, credit.

Reads go through the agents querysets' `visible_to` (a firm sees its own records only;
anything out of scope is 404); changes go through keyproj.agents.services and .credit,
exactly as the pages and the commands do.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.agents.credit import (
    AttendanceData,
    CreditData,
    FinalAccountsData,
    accounts_figures,
    attendance_rates,
    record_credit,
    save_attendance,
    save_final_accounts,
)
from keyproj.agents.directory import directory
from keyproj.agents.forms import parse_day
from keyproj.agents.models import (
    AgentRule,
    Attendance,
    CreditEvaluation,
    CreditGrade,
    CreditKind,
    CreditRecord,
    CreditScore,
    FinalAccounts,
    Inspection,
    InspectionRound,
    InspectionScore,
    KeyStaff,
)
from keyproj.agents.querysets import firms_visible_to, visible_round_codes
from keyproj.agents.rules import fingerprint
from keyproj.agents.services import ScoreLine, draw_round, parse_quarter, score_inspection
from keyproj.core import clock
from keyproj.core.api import (
    CONFLICT,
    MAX_ID,
    NOT_FOUND,
    REFUSALS,
    BoundedDateField,
    ServiceErrorsMixin,
    id_field,
    month_field,
    version_field,
    year_field,
)
from keyproj.core.errors import Reason, Refused
from keyproj.core.scoping import scope_for
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.projects.models import Project
from keyproj.projects.querysets import UnknownProject

# --- the directory ---------------------------------------------------------------------------


class ClassSerializer(serializers.Serializer):
    specialty = serializers.CharField(help_text="专业代码")
    name = serializers.CharField(help_text="专业名称")
    grade = serializers.CharField(help_text="类别：A 甲类，B 乙类")


class FirmSerializer(serializers.Serializer):
    """A firm of the directory as of a date."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField(help_text="统一社会信用代码")
    status = serializers.CharField(help_text="active 在库 / suspended 暂停 / removed 清出 / not_admitted 未入库")
    blacklisted = serializers.BooleanField(help_text="是否在建筑市场黑名单有效期内")
    grade = serializers.CharField(help_text="单位类别：任一专业为甲类即为 A")
    admitted_on = serializers.DateField(allow_null=True)
    classes = ClassSerializer(many=True)


AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="名录库截至日期（默认今天）")


class FirmListView(APIView):
    """代建名录库: the firms the caller may see, with their classes and status on a date."""

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("all", OpenApiTypes.BOOL, description="包括暂停、清出、未入库的单位"),
        ],
        responses={200: FirmSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        given = request.query_params.get("as_of", "")
        as_of = parse_day(given) or clock.today()
        if given and parse_day(given) is None:
            # Not read as "today": the caller would take today's directory for the date they asked about.
            message = gettext("“%(text)s”不是有效日期，应写作YYYY-MM-DD") % {"text": given}
            raise serializers.ValidationError({"as_of": message})
        flag = request.query_params.get("all", "false")
        if flag not in ("1", "0", "true", "false"):
            # An unknown value is refused, not read as "no": the caller would think the list complete.
            raise serializers.ValidationError({"all": gettext("应为 true 或 false")})
        include = flag in ("1", "true")
        rows = directory(request.user, as_of, include_inactive=include)
        return Response([row.as_json() for row in rows])


# --- quarters and the draw -----------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    """A quarter: its status and the recorded draw (seed, pool, picks, result)."""

    label = serializers.CharField(read_only=True, help_text="如 2019Q3")
    pool_fingerprint = serializers.SerializerMethodField(help_text="可抽查范围的 sha256 前16位")

    class Meta:
        model = InspectionRound
        fields = ["label", "year", "quarter", "status", "seed", "pool", "pool_fingerprint", "picks", "drawn"]
        fields += ["drawn_at", "rule_version", "version"]
        read_only_fields = fields

    def get_pool_fingerprint(self, obj: InspectionRound) -> str:
        return fingerprint(obj.pool) if obj.pool else ""

    def to_representation(self, instance: InspectionRound) -> Any:
        # The fingerprint is of the whole pool; the codes are cut to the caller's scope, as on the pages.
        data = super().to_representation(instance)
        request = self.context.get("request")
        data.update(visible_round_codes(request.user if request else None, instance))
        return data


class DrawRequestSerializer(serializers.Serializer):
    # Years 2000–2100 only (keyproj.core.period.YEARS): a quarter of 0000Q1 is refused here, not by a crash.
    quarter = serializers.RegexField(r"^(?:20\d\d|2100)[Qq][1-4]$", help_text="季度，如 2019Q3（2000-2100年）")
    seed = serializers.CharField(max_length=64, help_text="公布的随机种子")
    random = serializers.IntegerField(min_value=0, max_value=500, help_text="随机抽查的项目数")
    picks = serializers.ListField(child=serializers.CharField(), required=False, default=list, help_text="重点检查")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="只返回抽取结果，不记录")


class DrawResultSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    seed = serializers.CharField()
    pool = serializers.ListField(child=serializers.CharField())
    pool_fingerprint = serializers.CharField()
    picks = serializers.ListField(child=serializers.CharField())
    drawn = serializers.ListField(child=serializers.CharField())
    recorded = serializers.BooleanField()


class RoundViewSet(ScopedReadOnlyViewSet):
    """季度督查考评: the quarters, and the office's draw."""

    serializer_class = RoundSerializer
    lookup_field = "label"
    lookup_value_regex = r"(?:20\d\d|2100)Q[1-4]"
    problem_fields = {"季度": "quarter", "随机种子": "seed", "随机抽查数": "random", "重点检查": "picks"}

    queryset = InspectionRound.objects.order_by("-year", "-quarter")

    def get_object(self) -> InspectionRound:
        year, quarter = parse_quarter(self.kwargs["label"])
        return get_object_or_404(self.get_queryset(), year=year, quarter=quarter)

    @extend_schema(request=DrawRequestSerializer, responses={200: DrawResultSerializer, **REFUSALS})
    @action(detail=False, methods=["post"])
    def draw(self, request: Request) -> Response:
        """Draw a quarter's projects (随机抽查+重点检查) from the published seed; dry_run shows it only."""
        data = DrawRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        year, quarter = parse_quarter(values["quarter"])
        result = draw_round(
            year,
            quarter,
            seed=values["seed"],
            count=values["random"],
            picks=values["picks"],
            user=request.user,
            dry_run=values["dry_run"],
        )
        body = {
            "quarter": result.quarter,
            "seed": result.seed,
            "pool": result.pool,
            "pool_fingerprint": fingerprint(result.pool),
            "picks": result.picks,
            "drawn": result.drawn,
            "recorded": not values["dry_run"],
        }
        return Response(body)


# --- inspections and scoring ---------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", help_text="评分项代码")
    item_name = serializers.CharField(source="item.name")

    class Meta:
        model = InspectionScore
        fields = ["item", "item_name", "max_points", "points", "note"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """One inspected project: how it was chosen, its score sheet, total and grade."""

    quarter = serializers.CharField(source="round.label")
    project = serializers.CharField(source="project.code", help_text="项目代码")
    project_name = serializers.CharField(source="project.name")
    firm = serializers.CharField(source="firm.name", help_text="代建单位")
    scores = ScoreSerializer(many=True)

    class Meta:
        model = Inspection
        fields = ["id", "quarter", "project", "project_name", "firm", "selection", "inspected_on", "inspectors"]
        fields += ["total", "grade", "rule_version", "findings", "scores", "version"]
        read_only_fields = fields


class ScoreLineSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="评分项代码")
    points = serializers.CharField(help_text="得分，0到该项满分，最多两位小数")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="扣分说明（有扣分时必填）")


class ScoreRequestSerializer(serializers.Serializer):
    inspected_on = BoundedDateField()
    inspectors = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    findings = serializers.CharField(
        required=False, allow_blank=True, default="", style={"base_template": "textarea.html"}
    )  # prose: keeps its line breaks (keyproj.core.api_text)
    lines = ScoreLineSerializer(many=True, help_text="每个启用的评分项一行")
    version = version_field(required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("quarter", OpenApiTypes.STR, description="季度，如 2019Q1"),
            OpenApiParameter("firm", OpenApiTypes.INT, description="代建单位编号"),
        ]
    ),
    retrieve=extend_schema(responses={200: InspectionSerializer, **NOT_FOUND}),
)
class InspectionViewSet(ScopedReadOnlyViewSet):
    """督查考评: inspected projects with their scoring sheets; inspectors score them."""

    serializer_class = InspectionSerializer

    queryset = (
        Inspection.objects.select_related("round", "project", "firm")
        .prefetch_related("scores__item")
        .order_by("-round__year", "-round__quarter", "project__code")
    )

    def narrow(self, found: QuerySet[Inspection]) -> QuerySet[Inspection]:
        quarter = self.request.query_params.get("quarter")
        if quarter:
            year, number = parse_quarter(quarter)
            found = found.filter(round__year=year, round__quarter=number)
        firm = self.request.query_params.get("firm")
        if firm:
            if not firm.isdigit() or int(firm) > MAX_ID:
                raise serializers.ValidationError({"firm": gettext("应为单位编号（正整数）")})
            found = found.filter(firm_id=int(firm))
        return found

    @extend_schema(request=ScoreRequestSerializer, responses={200: InspectionSerializer, **REFUSALS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str | None = None) -> Response:
        """Score the inspection on the sheet; its grade and outcomes follow (优秀/不合格)."""
        inspection = self.get_object()
        data = ScoreRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        score_inspection(
            inspection,
            [ScoreLine(line["item"], line["points"], line["note"]) for line in values["lines"]],
            inspected_on=values["inspected_on"],
            inspectors=values["inspectors"],
            findings=values["findings"],
            user=request.user,
            expected_version=values.get("version"),
        )
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)


# --- credit ---------------------------------------------------------------------------------------


class CreditRecordSerializer(serializers.ModelSerializer):
    """A good or bad behaviour record of a firm."""

    firm_name = serializers.CharField(source="firm.name", read_only=True)
    kind = serializers.ChoiceField(choices=CreditKind.choices)
    grade = serializers.ChoiceField(choices=CreditGrade.choices)

    class Meta:
        model = CreditRecord
        fields = ["id", "firm", "firm_name", "kind", "grade", "points", "valid_from", "valid_until", "source"]
        fields += ["description", "blacklist", "rule_version", "inspection"]
        read_only_fields = ["id", "firm_name", "source", "rule_version", "inspection"]

    def validate_firm(self, firm: Any) -> Any:
        if not firms_visible_to(self.context["request"].user).filter(pk=firm.pk).exists():
            raise serializers.ValidationError("没有该代建单位")
        return firm


class CreditRecordViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """信用记录: a firm sees its own; the office enters new ones (a blacklisting is a bad record with blacklist)."""

    serializer_class = CreditRecordSerializer
    problem_fields = {
        "类型": "kind",
        "等级": "grade",
        "分值": "points",
        "有效期止": "valid_until",
        "事由": "description",
    }

    queryset = CreditRecord.objects.select_related("firm")

    @extend_schema(responses={201: CreditRecordSerializer, **REFUSALS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("inspection", None)
        record = record_credit(CreditData(**values), user=request.user)
        return Response(self.get_serializer(record).data, status=201)


class CreditScoreSerializer(serializers.ModelSerializer):
    firm_name = serializers.CharField(source="firm.name")

    class Meta:
        model = CreditScore
        fields = ["rank", "firm", "firm_name", "inspection_score", "inspection_count", "behaviour_score"]
        fields += ["attendance_score", "final_accounts_score", "total", "flagged"]
        read_only_fields = fields


class EvaluationView(APIView):
    """信用综合评价 of a year: each visible firm's component scores, total, rank and 约谈 flag."""

    @extend_schema(responses={200: CreditScoreSerializer(many=True), **NOT_FOUND})
    def get(self, request: Request, year: int) -> Response:
        evaluation = CreditEvaluation.objects.filter(year=year).first()
        if evaluation is None or scope_for(request.user).is_empty:
            raise NotFound("该年度尚未开展信用综合评价")
        scores = CreditScore.objects.visible_to(request.user).filter(evaluation=evaluation).select_related("firm")
        return Response(CreditScoreSerializer(scores, many=True).data)


class AttendanceRateSerializer(serializers.Serializer):
    firm_id = serializers.IntegerField()
    firm__name = serializers.CharField()
    project__code = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    people = serializers.IntegerField()
    required = serializers.IntegerField(help_text="应出勤人天")
    present = serializers.IntegerField(help_text="实际出勤人天")
    rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, help_text="出勤率 %")


class AttendanceQuerySerializer(serializers.Serializer):
    """The month to narrow to: a year or a month out of range is refused, not ignored."""

    year = year_field(required=False)
    month = month_field(required=False)


class AttendanceRateView(APIView):
    """考勤: the monthly attendance rate per firm and project the caller may see."""

    @extend_schema(
        parameters=[AttendanceQuerySerializer],
        responses={200: AttendanceRateSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        records = Attendance.objects.visible_to(request.user)
        query = AttendanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        records = records.filter(**query.validated_data)
        return Response(AttendanceRateSerializer(attendance_rates(records), many=True).data)


class AttendanceEntrySerializer(serializers.Serializer):
    staff = id_field(help_text="关键人员编号")
    project = serializers.CharField(help_text="项目代码")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    required_days = serializers.IntegerField(min_value=0, max_value=31)
    present_days = serializers.IntegerField(min_value=0, max_value=31)


class AttendanceEntryView(ServiceErrorsMixin, APIView):
    """考勤登记: a firm (or the office) enters person-months; refused whole on any problem."""

    problem_fields = {"项目": "project", "月份": "month", "应出勤天数": "required_days", "实际出勤天数": "present_days"}

    @extend_schema(request=AttendanceEntrySerializer(many=True), responses={201: OpenApiTypes.OBJECT, **REFUSALS})
    def post(self, request: Request) -> Response:
        data = AttendanceEntrySerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        staff = KeyStaff.objects.visible_to(request.user).in_bulk([row["staff"] for row in data.validated_data])
        projects = Project.objects.visible_to(request.user).in_bulk(
            [row["project"] for row in data.validated_data], field_name="code"
        )
        problems = []
        rows = []
        for n, row in enumerate(data.validated_data):
            person, project = staff.get(row["staff"]), projects.get(row["project"])
            if person is None:
                problems.append(Reason(f"{n}.staff", "没有该关键人员"))
            if project is None:
                problems.append(Reason(f"{n}.project", f"没有项目代码为“{row['project']}”的项目"))
            if person is not None and project is not None:
                rows.append(
                    AttendanceData(
                        person, project, row["year"], row["month"], row["required_days"], row["present_days"]
                    )
                )
        if problems:
            raise Refused(problems)
        return Response({"saved": save_attendance(rows, user=request.user)}, status=201)


class FinalAccountsSerializer(serializers.ModelSerializer):
    """A completed project's 竣工决算, with its overdue flags and savings reward as of today."""

    # Its dates are typed by the office: a year outside 2000–2100 is a slip, refused (BoundedDateField).
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, DateField: BoundedDateField}

    project = serializers.CharField(source="project.code")
    firm_name = serializers.CharField(source="firm.name", read_only=True)
    submission_overdue = serializers.SerializerMethodField()
    approval_overdue = serializers.SerializerMethodField()
    savings = serializers.SerializerMethodField()
    reward = serializers.SerializerMethodField()

    class Meta:
        model = FinalAccounts
        fields = ["id", "project", "firm_name", "completed_on", "budget_estimate", "final_amount"]
        fields += ["submission_due", "submitted_on", "approval_due", "approved_on", "version"]
        fields += ["submission_overdue", "approval_overdue", "savings", "reward"]
        read_only_fields = ["id", "firm_name", "version"]

    def _figures(self, obj: FinalAccounts) -> Any:
        today = clock.today()
        return accounts_figures(obj, AgentRule.in_force(today), today)

    def get_submission_overdue(self, obj: FinalAccounts) -> bool:
        return self._figures(obj).submission_overdue

    def get_approval_overdue(self, obj: FinalAccounts) -> bool:
        return self._figures(obj).approval_overdue

    # None until the accounts are approved: the schema says so, or a client would read null as an error.
    @extend_schema_field(serializers.CharField(allow_null=True, help_text="节余（万元）；未决算时为null"))
    def get_savings(self, obj: FinalAccounts) -> str | None:
        value = self._figures(obj).savings
        return None if value is None else str(value)

    # None until the accounts are approved: the schema says so, or a client would read null as an error.
    @extend_schema_field(serializers.CharField(allow_null=True, help_text="节余奖励（万元）；未决算时为null"))
    def get_reward(self, obj: FinalAccounts) -> str | None:
        value = self._figures(obj).reward
        return None if value is None else str(value)


class FinalAccountsViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """竣工决算: a firm sees its own; the office enters or updates them (by project code)."""

    serializer_class = FinalAccountsSerializer
    problem_fields = {"项目": "project", "概算(万元)": "budget_estimate", "决算(万元)": "final_amount"}

    queryset = FinalAccounts.objects.select_related("project", "firm")

    @extend_schema(responses={201: FinalAccountsSerializer, **REFUSALS, **CONFLICT})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("project")["code"]
        try:
            project = Project.objects.by_code(request.user, code)
        except UnknownProject as unknown:
            raise Refused([Reason("项目", str(unknown))]) from None
        saved = save_final_accounts(FinalAccountsData(project=project, **values), user=request.user)
        return Response(self.get_serializer(saved).data, status=201)
