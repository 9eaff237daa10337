"""The pages of 月度填报 (namespace `returns`; the nav links to `returns:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.returns.views import entry, office, review

app_name = "returns"

urlpatterns = [
    path("", entry.index, name="index"),
    path("save/", entry.entry_save, name="save"),
    path("<int:pk>/resubmit/", entry.resubmit, name="resubmit"),
    path("review/", review.review, name="review"),
    path("review/approve/", review.approve_bulk, name="approve_bulk"),
    path("<int:pk>/decide/", review.decide, name="decide"),
    path("<int:pk>/", office.detail, name="detail"),
    path("locks/", office.locks, name="locks"),
    path("timeliness/", office.timeliness_page, name="timeliness"),
    path("timeliness/reminders.xlsx", office.reminders_xlsx, name="reminders"),
    path("amendments/", office.amendments, name="amendments"),
    path("amendments/<int:pk>/decide/", office.decide_amendment_view, name="decide_amendment"),
]
