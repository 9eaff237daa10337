"""The workbook pages (namespace `exchange`), at the addresses of the area they serve."""

from __future__ import annotations

from django.urls import path

from keyproj.exchange.views import workbooks

app_name = "exchange"

urlpatterns = [
    path("returns/upload/", workbooks.returns_upload, name="returns_upload"),
    path("returns/template.xlsx", workbooks.returns_template, name="returns_template"),
    path("returns/prefilled.xlsx", workbooks.returns_prefilled, name="returns_prefilled"),
]
