"""The account pages under /accounts/ (sign-in and sign-out are in keyproj.urls)."""

from __future__ import annotations

from django.urls import path

from keyproj.accounts.views import account

app_name = "accounts"

urlpatterns = [
    path("tokens/", account.my_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", account.revoke_token, name="revoke_token"),
    path("security/", account.security, name="security"),
    path("security/unlock/", account.unlock, name="unlock"),
    path("password/", account.PasswordChangeView.as_view(), name="password"),
    path("password/done/", account.PasswordChangeDoneView.as_view(), name="password_done"),
]
