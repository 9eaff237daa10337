"""The home page (unnamespaced: settings name `home` as where a login lands) and 一张图."""

from __future__ import annotations

from django.urls import path

from keyproj.dashboard.views import city_map, home

urlpatterns = [
    path("", home.home, name="home"),
    path("map/", city_map.map_page, name="map"),
    path("map/boundary.geojson", city_map.boundary, name="map_boundary"),
]
