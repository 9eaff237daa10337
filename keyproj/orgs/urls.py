"""The organisation pages: the list of districts, units, SOEs and area commands, and one's page."""

from __future__ import annotations

from django.urls import path

from keyproj.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.org_list, name="list"),
    path("<int:pk>/", views.org_detail, name="detail"),
]
