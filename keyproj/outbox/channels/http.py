"""A small JSON poster for the group robots, on urllib: a timeout, no redirects, only allowed hosts.

A robot's address is typed in by the office; the allow-list (KEYPROJ_WEBHOOK_HOSTS) keeps the worker
from being pointed at an internal address, and refusing redirects keeps an allowed host from
sending it somewhere else.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

from keyproj.outbox.channels import SendError

# Plain http only to this machine (a local stand-in for the robots' endpoints); anything else is https.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ANSWER_MAX_BYTES = 64 * 1024


def allowed_hosts() -> list[str]:
    return [h.strip().lower() for h in getattr(settings, "KEYPROJ_WEBHOOK_HOSTS", []) if h.strip()]


def url_problems(url: str) -> list[str]:
    """Why a robot's address may not be used (empty when it may): https, an allowed host, no credentials."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return [gettext("地址格式不正确")]
    if parts.scheme not in ("https", "http") or not host:
        return [gettext("地址须以 https:// 开头，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")]
    problems = []
    hosts = allowed_hosts()
    if host not in hosts:
        problems.append(
            gettext("主机“%(host)s”不在允许的机器人地址范围内（允许：%(hosts)s）")
            % {"host": host, "hosts": "、".join(hosts) or gettext("无")}
        )
    elif parts.scheme == "http" and host not in LOOPBACK:
        problems.append(gettext("地址须以 https:// 开头（只有本机地址可以用 http://）"))
    if parts.username or parts.password:
        problems.append(gettext("地址中不能包含用户名或密码"))
    return problems


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        # Answering with a redirect is an error: the next address was not checked against the allow-list.
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, payload: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
    """POST `payload` as JSON to an allowed address and return the JSON answer; any failure is a SendError."""
    problems = url_problems(url)
    if problems:
        raise SendError("；".join(problems))
    if timeout is None:
        timeout = float(getattr(settings, "KEYPROJ_WEBHOOK_TIMEOUT", 10))
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=timeout) as answer:
            raw = answer.read(ANSWER_MAX_BYTES)
    except urllib.error.HTTPError as error:
        raise SendError(gettext("对方返回 HTTP %(code)s") % {"code": error.code}) from None
    except TimeoutError:
        raise SendError(gettext("等待对方应答超时（%(seconds)s秒）") % {"seconds": f"{timeout:g}"}) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise SendError(gettext("等待对方应答超时（%(seconds)s秒）") % {"seconds": f"{timeout:g}"}) from None
        raise SendError(gettext("无法连接：%(reason)s") % {"reason": reason}) from None
    except OSError as error:
        raise SendError(gettext("无法连接：%(reason)s") % {"reason": error}) from None
    try:
        answer_data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SendError(
            gettext("对方的应答不是JSON：%(text)s") % {"text": raw[:200].decode("utf-8", "replace")}
        ) from None
    if not isinstance(answer_data, dict):
        raise SendError(gettext("对方的应答不是JSON对象"))
    return answer_data


def check_errcode(answer: dict[str, Any]) -> None:
    """Both robots answer {"errcode": 0, "errmsg": "ok"} when they took the message."""
    code = answer.get("errcode")
    if code != 0:
        raise SendError(
            gettext("机器人拒收：errcode %(code)s，%(message)s") % {"code": code, "message": answer.get("errmsg", "")}
        )
