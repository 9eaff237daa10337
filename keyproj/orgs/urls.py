"""The organisation pages: the list of districts, units, SOEs and area commands, and one's page."""

from __future__ import annotations

from django.urls import path

from keyproj.orgs.views import organisations

app_name = "orgs"

urlpatterns = [
    path("", organisations.org_list, name="list"),
    path("<int:pk>/", organisations.org_detail, name="detail"),
]
