"""The account pages under /accounts/ (sign-in and sign-out are in keyproj.urls)."""

from __future__ import annotations

from django.urls import path

from keyproj.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.my_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("security/", views.security, name="security"),
    path("security/unlock/", views.unlock, name="unlock"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_done"),
]
