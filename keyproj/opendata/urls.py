"""The public site's addresses (/public/, namespace "public"); each page also under /public/en/ in English.

Months are named YYYY-MM and projects by their code, never by a database id. The downloads (the
通报's PDF, the OC4IDS package) are the same in both languages and live under the Chinese pages only.
"""

from __future__ import annotations

from django.urls import path

from keyproj.opendata import views

app_name = "public"

EN = {"lang": views.EN}

urlpatterns = [
    # Before the Chinese pages, whose <period> would otherwise take "en".
    path("en/", views.index, EN, name="index_en"),
    path("en/<str:period>/", views.month, EN, name="month_en"),
    path("en/<str:period>/projects/<str:code>/", views.project, EN, name="project_en"),
    path("", views.index, name="index"),
    path("<str:period>/", views.month, name="month"),
    path("<str:period>/projects/<str:code>/", views.project, name="project"),
    path("<str:period>/notice.pdf", views.notice_pdf, name="notice"),
    path("<str:period>/oc4ids.<str:fmt>", views.package, name="package"),
]
