"""The pages of 月度督办 (namespace `supervision`; the nav links to `supervision:index`)."""

from __future__ import annotations

from django.urls import path

from keyproj.supervision.views import cards, close, listings, panels, ranking, rules

app_name = "supervision"

urlpatterns = [
    path("", close.index, name="index"),
    path("rules/", rules.rules_page, name="rules"),
    path("listings/", listings.listings_page, name="listings"),
    path("listings/<int:pk>/", listings.listing_page, name="listing"),
    path("forecast/panel/", panels.forecast_panel, name="forecast_panel"),
    path("projects/<int:pk>/panel/", panels.project_panel, name="project_panel"),
    path("<str:period>/", close.close_page, name="close"),
    path("<str:period>/cards/", cards.cards_page, name="cards"),
    path("<str:period>/ranking/<str:list_key>/", ranking.ranking_page, name="ranking"),
    # Once issued, sent on to the stored file served by its hash (notices:file); before, a draft.
    path("<str:period>/notice.<str:kind>", close.notice_file, name="notice"),
]
