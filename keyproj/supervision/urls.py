"""The pages of 月度督办 (namespace `supervision`; the nav links to `supervision:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules_page, name="rules"),
    path("listings/", views.listings_page, name="listings"),
    path("listings/<int:pk>/", views.listing_page, name="listing"),
    path("forecast/panel/", views.forecast_panel, name="forecast_panel"),
    path("projects/<int:pk>/panel/", views.project_panel, name="project_panel"),
    path("<str:period>/", views.close_page, name="close"),
    path("<str:period>/cards/", views.cards_page, name="cards"),
    path("<str:period>/ranking/<str:board>/", views.ranking_page, name="ranking"),
    path("<str:period>/notice.<str:kind>", views.notice_file, name="notice"),
]
