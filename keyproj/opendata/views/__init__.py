"""The public site (/public/): what the office published each month, to anyone, read-only; off by default.

Only published months (closed, their 通报 issued) exist here, and only what their frozen snapshots
hold (keyproj.opendata.views.data): the city's sentence, the category paragraphs and the red/black
lists as the 通报 printed them, each published project's public fields and figures, the 通报's PDF
and the OC4IDS package. No person, no problem ledger, no attachment, no database id: projects are
named by their code, months by YYYY-MM.

With KEYPROJ_PUBLIC off (the default) every address here is the site's 404, read at request time.
The pages need no sign-in and show no staff navigation; each is also served in English under
/public/en/, whatever the visitor's language cookie says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotModified,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_lazy

from keyproj.core.money import yi
from keyproj.notices.models import Notice, StoredFileChanged
from keyproj.opendata import files
from keyproj.opendata.published import NotPublished, published_close
from keyproj.opendata.views import data
from keyproj.projects.models import ProjectLevel
from keyproj.supervision.models import RankingList

ZH, EN = "zh-hans", "en"
# Browsers and proxies may keep a page this long; a withdrawn month is gone for everyone after it.
MAX_AGE = 300
PAGE_SIZE = 50
# Bumped when the pages change shape, so that a browser's stored copy is not taken for the new one.
PAGES_VERSION = "1"

LIST_TITLES = {
    RankingList.DISTRICTS.value: gettext_lazy("各区"),
    RankingList.UNITS.value: gettext_lazy("各责任单位"),
    RankingList.AREAS.value: gettext_lazy("各片区指挥部"),
    RankingList.SOES.value: gettext_lazy("各市属国有企业"),
}
BOARD_LABELS = {"red": gettext_lazy("红榜"), "black": gettext_lazy("黑榜")}
PAGE_NAMES = ("index", "month", "project")


def names(lang: str) -> dict[str, str]:
    """The URL names of the pages in `lang` (the English ones end in _en)."""
    suffix = "_en" if lang == EN else ""
    return {page: f"public:{page}{suffix}" for page in PAGE_NAMES}


def public_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer only while KEYPROJ_PUBLIC is on (the site's 404 otherwise), to GET and HEAD, in the URL's language.

    The page language comes from the address, not the cookie: /public/en/ is English for everyone,
    so that a cached copy and a shared link read the same.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, lang: str = ZH, **kwargs: Any) -> HttpResponseBase:
        if not settings.KEYPROJ_PUBLIC:
            raise Http404
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        fingerprint = data.state()
        # A download's JSON is gzipped on the wire for those who take it: the two are different bodies.
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        seen = f"{PAGES_VERSION}|{fingerprint}|{lang}|{gzipped}|{request.get_full_path()}"
        etag = '"' + hashlib.sha256(seen.encode()).hexdigest()[:32] + '"'
        if etag in request.headers.get("If-None-Match", ""):
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            with translation.override(lang):
                request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]
                response = view(request, *args, lang=lang, fingerprint=fingerprint, **kwargs)
        response["ETag"] = etag
        response["Content-Language"] = "en" if lang == EN else "zh-Hans"
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper


def _months_and_month(fingerprint: str, period: str) -> tuple[list[data.PublishedMonth], data.PublishedMonth]:
    months = data.published_months(fingerprint)
    month = data.find_month(months, period)
    if month is None:
        raise Http404
    return months, month


def _bn(wan: str | None) -> Decimal | None:
    """万元 → billions of yuan for the English sentence, from the published 亿元 figure (as the home page does)."""
    return None if wan is None else (yi(Decimal(wan)) / 10).quantize(Decimal("0.001"))


def _published_sentence(city: dict[str, Any], month: data.PublishedMonth) -> dict[str, Any]:
    """What the site's sentence template (_sentence.html) reads: the published text and its English figures."""
    over = Decimal(city.get("over") or "0")
    return {
        "sentence": city.get("sentence", ""),
        "months": month.period.to_date_display,
        "scope": gettext("全市"),
        "qualifier": "",
        "count": city.get("project_count"),
        "plan_bn": _bn(city.get("plan_to_date")),
        "actual_bn": _bn(city.get("actual_to_date")),
        "over_bn": abs(_bn(str(over)) or Decimal(0)),
        "ahead": over >= 0,
        "schedule_rate": city.get("schedule_rate"),
        "annual_rate": city.get("annual_rate"),
    }


def _other_language(request: HttpRequest, lang: str, page: str, **kwargs: Any) -> str:
    """The same page in the other language, with its query string."""
    url = reverse(names(ZH if lang == EN else EN)[page], kwargs=kwargs)
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _base(request: HttpRequest, lang: str, page: str, issuer: str, **kwargs: Any) -> dict[str, Any]:
    return {
        "lang": lang,
        "names": names(lang),
        "issuer": issuer,
        "other_language_url": _other_language(request, lang, page, **kwargs),
    }


def _yi(wan: str | None) -> str | None:
    return None if wan is None else str(yi(Decimal(wan)))


@public_view
def index(request: HttpRequest, *, lang: str, fingerprint: str) -> HttpResponse:
    """The published months, newest first, the latest month's sentence and the year's city curve."""
    months = data.published_months(fingerprint)
    latest = months[0] if months else None
    context = _base(request, lang, "index", latest.issuer if latest else "")
    if latest is not None:
        year = sorted((m for m in months if m.year == latest.year), key=lambda m: m.month)
        context.update(
            latest=latest,
            published=_published_sentence(latest.city, latest),
            months=months,
            chart={
                "months": [str(m.period.short_label) for m in year],
                "plan": [_yi(m.city.get("plan_to_date")) for m in year],
                "actual": [_yi(m.city.get("actual_to_date")) for m in year],
                "labels": {
                    "plan": gettext("计划投资（累计）"),
                    "actual": gettext("实际完成投资（累计）"),
                    "unit": gettext("亿元"),
                },
            },
            year=latest.year,
        )
    return render(request, "opendata/public/index.html", context)


def _matches(row: data.Row, words: list[str]) -> bool:
    text = f"{row.code} {row.name}".casefold()
    return all(word in text for word in words)


@public_view
def month(request: HttpRequest, period: str, *, lang: str, fingerprint: str) -> HttpResponse:
    """A published month: the sentence, category paragraphs, red/black lists, downloads and the projects."""
    months, found = _months_and_month(fingerprint, period)
    bundle = data.month_bundle(found)
    if bundle is None:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    words = query.casefold().split()
    rows = [row for row in bundle["rows"] if _matches(row, words)] if words else bundle["rows"]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _base(request, lang, "month", bundle["issuer"], period=period)
    context.update(
        month=found,
        bundle=bundle,
        published=_published_sentence(bundle["city"], found),
        rankings=[
            {**ranking, "title": LIST_TITLES.get(ranking["key"], ranking["key"])} for ranking in bundle["rankings"]
        ],
        board_labels=BOARD_LABELS,
        categories=[
            {
                **cat,
                "plan_yi": _yi(cat["figures"].get("plan_to_date")),
                "actual_yi": _yi(cat["figures"].get("actual_to_date")),
            }
            for cat in bundle["categories"]
        ],
        query=query,
        page=page,
        total=len(bundle["rows"]),
        found_count=len(rows),
        other_months=[m for m in months if m.year == found.year],
    )
    return render(request, "opendata/public/month.html", context)


@public_view
def project(request: HttpRequest, period: str, code: str, *, lang: str, fingerprint: str) -> HttpResponse:
    """A project as the month published it: its public fields, the month's figures and the year's curve."""
    months, found = _months_and_month(fingerprint, period)
    block = data.public_project(found, code)
    if block is None:
        raise Http404
    figures = block.get("figures") or {}
    annual, plan, actual = (figures.get(key) for key in ("annual_plan", "plan_to_date", "actual_to_date"))
    points, milestones = data.project_year(months, found, code)
    level = (block.get("level") or {}).get("code")
    ret = block.get("return") or {}
    context = _base(request, lang, "project", found.issuer, period=period, code=code)
    context.update(
        month=found,
        p=block,
        level=dict(ProjectLevel.choices).get(level or "", (block.get("level") or {}).get("name", "")),
        figures={
            "annual_plan": annual,
            "plan_to_date": plan,
            "actual_to_date": actual,
            "schedule_rate": data._rate(actual, plan),
            "annual_rate": data._rate(actual, annual),
            "month_investment": ret.get("investment"),
        },
        physical_progress=ret.get("physical_progress", ""),
        milestones=milestones,
        chart={
            "months": [str(point["period"].short_label) for point in points],
            "plan": [point["plan_to_date"] for point in points],
            "actual": [point["actual_to_date"] for point in points],
            "labels": {
                "plan": gettext("计划投资（累计）"),
                "actual": gettext("实际完成投资（累计）"),
                "unit": gettext("万元"),
            },
        },
    )
    return render(request, "opendata/public/project.html", context)


@public_view
def notice_pdf(request: HttpRequest, period: str, *, lang: str, fingerprint: str) -> HttpResponse:
    """The month's issued 通报 as stored when it was issued; a withdrawn or missing file is not there."""
    _months, found = _months_and_month(fingerprint, period)
    # The same rule as keyproj.opendata.published.close_notice: the notice the snapshot names, never a withdrawn one.
    notice = Notice.objects.filter(pk=found.notice_id, withdrawn_at__isnull=True).first() if found.notice_id else None
    if notice is None:
        raise Http404
    try:
        content = notice.file_bytes("pdf")
    except StoredFileChanged:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="keyproj-notice-{found.period}.pdf"'
    return response


@public_view
def package(request: HttpRequest, period: str, fmt: str, *, lang: str, fingerprint: str) -> HttpResponseBase:
    """The month's OC4IDS project package, as JSON or as a workbook, built once per close and then stored."""
    if fmt not in files.CONTENT_TYPES:
        raise Http404
    _months, found = _months_and_month(fingerprint, period)
    try:
        close = published_close(found.period)
    except NotPublished:
        raise Http404 from None
    if close.pk != found.pk:
        raise Http404
    return files.package_response(request, close, fmt)
