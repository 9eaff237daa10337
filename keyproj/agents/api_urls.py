"""The /api/v1/ routes of 代建管理; included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from keyproj.agents.api import (
    AttendanceEntryView,
    AttendanceRateView,
    CreditRecordViewSet,
    EvaluationView,
    FinalAccountsViewSet,
    FirmListView,
    InspectionViewSet,
    RoundViewSet,
)

router = SimpleRouter()
router.register("agents/rounds", RoundViewSet, basename="agent-round")
router.register("agents/inspections", InspectionViewSet, basename="agent-inspection")
router.register("agents/credit-records", CreditRecordViewSet, basename="agent-credit-record")
router.register("agents/final-accounts", FinalAccountsViewSet, basename="agent-final-accounts")

urlpatterns: list[URLPattern | URLResolver] = [
    path("agents/firms/", FirmListView.as_view(), name="agent-firms"),
    path("agents/evaluations/<int:year>/", EvaluationView.as_view(), name="agent-evaluation"),
    path("agents/attendance/", AttendanceRateView.as_view(), name="agent-attendance"),
    path("agents/attendance/entries/", AttendanceEntryView.as_view(), name="agent-attendance-entries"),
    *router.urls,
]
