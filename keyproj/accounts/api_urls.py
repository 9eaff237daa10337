"""The /api/v1/ routes of 用户与权限 (API tokens); included by keyproj.api_urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from keyproj.accounts.api import TokenListView, TokenRevokeView, TokenView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<int:pk>/", TokenRevokeView.as_view(), name="token-revoke"),
]
