"""A user's own account pages (API tokens, password) and the office's view of everyone's tokens and lockouts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from keyproj.accounts import services, tokens
from keyproj.core import clock
from keyproj.core.errors import Refused

# The office page lists at most this many tokens: the newest first, narrowed by a username.
OFFICE_TOKEN_ROWS = 200


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    """我的API令牌: the user's tokens; a new one is shown once, right after it is issued."""
    context: dict = {"nav": "", "name_max": tokens.NAME_MAX, "may_manage_all": tokens.may_manage_all(request.user)}
    if request.method == "POST":
        try:
            token, key = tokens.issue(request.user, name=request.POST.get("name", ""), actor=request.user)
        except Refused as refused:
            context["errors"] = [str(p) for p in refused.problems]
            context["name"] = request.POST.get("name", "")[: tokens.NAME_MAX * 2]
        else:
            context["new_key"] = key
            context["new_token"] = token
    rows = tokens.tokens_visible_to(request.user).filter(user_id=request.user.pk)
    context.update(tokens=rows, now=clock.real_now(), days=settings.KEYPROJ_TOKEN_DAYS)
    return render(request, "accounts/tokens.html", context, status=400 if context.get("errors") else 200)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one token the user may see (their own; the office: anyone's). Others' tokens are not there."""
    token = get_object_or_404(tokens.tokens_visible_to(request.user), pk=pk)
    tokens.revoke(token, user=request.user)
    messages.success(request, gettext("令牌 %(prefix)s… 已撤销。") % {"prefix": token.prefix})
    back = (
        "accounts:security"
        if request.POST.get("back") == "security" and tokens.may_manage_all(request.user)
        else "accounts:tokens"
    )
    return redirect(back)


def _office(request: HttpRequest) -> None:
    # Not the office's: the page does not exist for them, as anything out of scope.
    if not tokens.may_manage_all(request.user):
        raise Http404


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The office's page: everyone's tokens, and the usernames and addresses locked out now."""
    _office(request)
    username = request.GET.get("user", "").strip()[:150]
    rows = tokens.tokens_visible_to(request.user)
    if username:
        rows = rows.filter(user__username=username)
    now = clock.real_now()
    if request.GET.get("all") != "1":
        rows = rows.filter(revoked_at__isnull=True, expires_at__gt=now)
    context = {
        "tokens": rows[:OFFICE_TOKEN_ROWS],
        "row_limit": OFFICE_TOKEN_ROWS,
        "username": username,
        "show_all": request.GET.get("all") == "1",
        "lockouts": services.lockouts(),
        "now": now,
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    """Lift one lockout (a username or an address)."""
    _office(request)
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "")[:255]
    try:
        count = services.unlock_login(kind=kind, value=value, user=request.user)
    except (Refused, PermissionDenied) as refused:
        messages.error(request, str(refused))
    else:
        if count:
            messages.success(request, gettext("已解除“%(value)s”的登录锁定。") % {"value": value})
        else:
            messages.info(request, gettext("“%(value)s”当前没有登录锁定。") % {"value": value})
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: Django's form, which applies the password rules (AUTH_PASSWORD_VALIDATORS)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
