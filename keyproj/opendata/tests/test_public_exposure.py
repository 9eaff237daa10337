"""What the public must not see: an anonymous visitor walks the whole public site and the open-data API.

Before the walk the live register is changed the way real work changes it after a close: a project is
renamed, two projects are created (one with a code one digit off a real one), a person is made a
project's tracker and liaison leader, the organisations of a published project get a contact and a
phone, a published month's approved return gets a 存在问题 and a review comment, a problem is raised,
and the open month (August) gets a distinctive return. Then, with KEYPROJ_PUBLIC on, every page,
download and API answer reachable from /public/ and /public/en/ is fetched and searched for: the open
month's figures, the unpublished projects, every person's name, username and phone, the ledger's
words, a database id, a link into the staff site. With KEYPROJ_PUBLIC off the same addresses are 404
(the API 401/403).

The walk happens once, in a module fixture, inside a transaction that is rolled back afterwards, so the
demo that the module shares is left as it was loaded; each test then judges one kind of leak.
"""

from __future__ import annotations

import heapq
import html
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from keyproj.accounts.models import Role, User
from keyproj.agents.models import KeyStaff
from keyproj.core import clock
from keyproj.core.money import fmt2, num2, yi
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.metrics.models import ProjectMonth
from keyproj.notices.models import Notice
from keyproj.opendata.published import published_closes, published_projects
from keyproj.orgs.models import Organisation
from keyproj.problems.models import Attachment, Problem, ProblemCategory
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.supervision.models import MonthClose
from keyproj.testing import make_plan, make_project

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"
# Every month, language, list page and download, the planted projects in every month, and a spread of the
# other project pages: enough to meet every kind of page many times, few enough for the suite's time.
MAX_URLS = 600
JULY, AUGUST = Period(2019, 7), Period(2019, 8)
FOLLOWED = ("/public/", "/api/v1/open-data/")
# The staff site's addresses: a public page must not link into any of them.
STAFF_PREFIXES = (
    "/projects/",
    "/returns/",
    "/problems/",
    "/accounts/",
    "/admin/",
    "/orgs/",
    "/plans/",
    "/supervision/",
    "/notices/",
    "/agents/",
    "/jobs/",
    "/media/",
    "/i18n/",
    "/api/v1/",
)
# The demo's usernames that are ordinary English words, which the English pages and the OC4IDS
# package use as words (an "owner", a responsible "unit"); their holders' full names are searched instead.
WORD_USERNAMES = {"admin", "staff", "leader", "unit", "owner", "agent", "inspector"}

# What the walk plants, each distinctive enough that finding it anywhere is a leak.
PERSON = {
    "username": "ouyang_tanlou_probe",
    "full_name": "欧阳探漏",
    "first_name": "Tanlou",
    "last_name": "Ouyangprobe",
    "phone": "0592-7316428",
}
CONTACTS = [("司马联络甲", "0592-6203917"), ("司马联络乙", "0592-6203918"), ("司马联络丙", "0592-6203919")]
RETURN_PROBLEM = "存在问题探针：拆迁户诉求未解决"
REVIEW_COMMENT = "审核意见探针：请补充监理月报"
PROBLEM_TITLE = "问题台账探针：高压线迁改受阻"
ATTACHMENT_NAME = "附件探针-协调会纪要.pdf"
NEW_NAME = "更名探针：改名后的项目名称"
NEW_PROJECT = ("2019-350211-99-01-700013", "新建未发布探针项目")
AUGUST_PROGRESS = "八月形象进度探针：主体结构封顶"
AUGUST_INVESTMENT = Decimal("4321.87")


@dataclass
class Page:
    """One fetched address: its status, type, size, and its text made searchable (entities and JSON escapes undone)."""

    url: str
    status: int
    content_type: str
    size: int
    text: str
    links: list[str]


@dataclass
class Walk:
    """What the walk planted, fetched and must not find."""

    pages: dict[str, Page]
    planted: dict[str, Any]
    # kind → the strings whose presence is a leak of that kind
    needles: dict[str, set[str]]
    # needles searched for in the 通报's PDF too (the open month's actual figures)
    pdf_needles: set[str]
    ids: dict[str, set[int]]
    probes: dict[str, int] = field(default_factory=dict)
    hits: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(page.size for page in self.pages.values())


# ------------------------------------------------------------------------------ planting


def _published_project(exclude: set[int]) -> Project:
    """A project the July close published, with an approved July return, an owner and an agent builder."""
    close = MonthClose.objects.get(year=JULY.year, month=JULY.month)
    ids = [row["id"] for row in published_projects(close)]
    approved = ProgressReturn.objects.filter(
        year=2019, month=7, status=ReturnStatus.APPROVED, project_id__in=ids
    ).values_list("project_id", flat=True)
    return (
        Project.objects.filter(pk__in=approved, owner__isnull=False, agent_builder__isnull=False)
        .exclude(pk__in=exclude)
        .order_by("code")
        .first()
    ) or Project.objects.filter(pk__in=approved).exclude(pk__in=exclude).order_by("code").first()


def _plant() -> dict[str, Any]:
    """Change the live register after the closes, as real work would; return what was changed."""
    office = User.objects.filter(memberships__role=Role.OFFICE_ADMIN).first()
    person = User.objects.create_user(password="pw-for-tests-only", **PERSON)
    watched = _published_project(set())
    watched.tracker = person
    watched.liaison_leader = person
    watched.save(update_fields=["tracker", "liaison_leader"])
    orgs = [o for o in (watched.owner, watched.agent_builder, watched.responsible_unit) if o is not None]
    for organisation, (contact, phone) in zip(orgs, CONTACTS, strict=False):
        Organisation.objects.filter(pk=organisation.pk).update(contact=contact, phone=phone)
    ProgressReturn.objects.filter(project=watched, year=2019, month=7).update(
        problems=RETURN_PROBLEM, review_comment=REVIEW_COMMENT
    )
    problem = Problem.objects.create(
        project=watched,
        category=ProblemCategory.objects.order_by("pk").first(),
        title=PROBLEM_TITLE,
        description=PROBLEM_TITLE + "（描述）",
        level_since=clock.today(),
        raised_on=clock.today(),
        raised_by=person,
    )
    Attachment.objects.create(
        problem=problem, token="exposureprobe0001", file="problems/probe.pdf", name=ATTACHMENT_NAME, kind="pdf", size=1
    )
    # The open month: a distinctive August return on the watched project (whatever its state).
    august, _ = ProgressReturn.objects.get_or_create(
        project=watched,
        year=2019,
        month=8,
        defaults={"investment": AUGUST_INVESTMENT, "physical_progress": AUGUST_PROGRESS},
    )
    ProgressReturn.objects.filter(pk=august.pk).update(investment=AUGUST_INVESTMENT, physical_progress=AUGUST_PROGRESS)

    renamed = _published_project({watched.pk})
    old_name = renamed.name
    Project.objects.filter(pk=renamed.pk).update(name=NEW_NAME)

    real = watched.code
    lookalike_code = real[:-1] + str((int(real[-1]) + 1) % 10)
    assert not Project.objects.filter(code=lookalike_code).exists()
    created = []
    for code, name in (NEW_PROJECT, (lookalike_code, "相似代码探针项目")):
        project = make_project(code=code, name=name, district=watched.district, tracker=person)
        try:
            with transaction.atomic():
                make_plan(project, ["123.45"] * 12)
        except Exception:  # a plan refused for closed months still leaves the project in the register
            pass
        created.append(project)
    return {
        "office": office,
        "person": person,
        "watched": watched,
        "renamed": renamed,
        "old_name": old_name,
        "created": created,
        "lookalike_code": lookalike_code,
    }


# ------------------------------------------------------------------------------ what must not be found


def _money_forms(wan: Decimal) -> set[str]:
    """How a page or a package would print an amount of 万元: plain, with separators, and in 元."""
    return {fmt2(wan), num2(wan), str(int(wan * 10000))}


def _published_text() -> str:
    """Every published close's snapshot as text: what the office made public may well be found."""
    return "\n".join(
        json.dumps([close.snapshot, published_projects(close)], ensure_ascii=False, default=str)
        for close in MonthClose.objects.filter(pk__in=published_closes().values("pk"))
    )


def _needles(planted: dict[str, Any]) -> tuple[dict[str, set[str]], set[str]]:
    published = _published_text()
    published_numbers = set(re.findall(r"-?\d+\.\d\d", published))

    def fresh_number(wan: Decimal) -> bool:
        # Six significant characters at least ("1234.56"), and not a value some published month holds anyway.
        return len(fmt2(wan).replace("-", "")) >= 7 and fmt2(wan) not in published_numbers

    def fresh_text(text: str) -> bool:
        return len(text.strip()) >= 4 and text.strip() not in published

    needles: dict[str, set[str]] = defaultdict(set)
    pdf: set[str] = set()

    # The open month's city figures, as the sentence and the tables would print them.
    figures = summary(planted["office"], AUGUST)
    july = summary(planted["office"], JULY)
    needles["open month"].add(figures.sentence())
    needles["open month"] |= {"1-8月", "Jan–Aug", "/public/2019-08/", "/public/en/2019-08/"}
    # Only where August differs from July: with no August return approved yet, August's actual is July's.
    for wan, before in (
        (figures.plan_to_date, july.plan_to_date),
        (figures.actual_to_date, july.actual_to_date),
        (abs(figures.over), abs(july.over)),
    ):
        if wan == before:
            continue
        needles["open month"] |= {str(yi(wan)), num2(yi(wan)), str((yi(wan) / 10).quantize(Decimal("0.001")))}
    for wan, before in ((figures.actual_to_date, july.actual_to_date), (abs(figures.over), abs(july.over))):
        if wan != before:
            pdf |= {str(yi(wan)), num2(yi(wan))}
    for label, rate, before in (
        ("完成序时进度计划", figures.schedule_rate, july.schedule_rate),
        ("完成年度计划", figures.annual_rate, july.annual_rate),
    ):
        if rate is not None and rate != before:
            needles["open month"].add(f"{label}{fmt2(rate)}%")
            pdf.add(f"{label}{fmt2(rate)}%")

    # Each project's August return and figures, where they differ from July's.
    july_returns = {r.project_id: r for r in ProgressReturn.objects.filter(year=2019, month=7)}
    for ret in ProgressReturn.objects.filter(year=2019, month=8):
        before = july_returns.get(ret.project_id)
        if (before is None or ret.investment != before.investment) and fresh_number(ret.investment):
            needles["open month"] |= _money_forms(ret.investment)
        text = ret.physical_progress.strip()
        if text and (before is None or text != before.physical_progress.strip()) and fresh_text(text):
            needles["open month"].add(text)
    july_rows = {row.project_id: row.actual_to_date for row in ProjectMonth.objects.filter(year=2019, month=7)}
    for row in ProjectMonth.objects.filter(year=2019, month=8):
        if row.actual_to_date != july_rows.get(row.project_id) and fresh_number(row.actual_to_date):
            needles["open month"] |= _money_forms(row.actual_to_date)
    assert AUGUST_PROGRESS in needles["open month"]

    # Projects the register holds but no close published, and a published one's new name.
    for project in planted["created"]:
        needles["unpublished project"] |= {project.code, project.name}
    needles["unpublished project"].add(NEW_NAME)

    # People: every user, every organisation's contact and phone, the agent builders' key staff.
    for user in User.objects.all():
        if user.username not in WORD_USERNAMES:
            needles["person"].add(user.username)
        for value in (user.full_name, user.first_name, user.last_name, user.phone, user.email):
            if value and len(value.strip()) >= 2:
                needles["person"].add(value.strip())
    for contact, phone in Organisation.objects.values_list("contact", "phone"):
        needles["person"] |= {v.strip() for v in (contact, phone) if v and len(v.strip()) >= 2}
    for name, phone in KeyStaff.objects.values_list("name", "phone"):
        needles["person"] |= {v.strip() for v in (name, phone) if v and len(v.strip()) >= 2}

    # The ledger and the reviewers' words: 存在问题, review comments, problem titles, attachments.
    for problems, comment in ProgressReturn.objects.values_list("problems", "review_comment"):
        needles["ledger"] |= {t.strip() for t in (problems, comment) if t and fresh_text(t)}
    needles["ledger"] |= {t.strip() for t in Problem.objects.values_list("title", flat=True) if fresh_text(t)}
    needles["ledger"] |= {t.strip() for t in Attachment.objects.values_list("name", flat=True) if fresh_text(t)}
    assert {RETURN_PROBLEM, REVIEW_COMMENT, PROBLEM_TITLE, ATTACHMENT_NAME} <= needles["ledger"]
    assert {PERSON["full_name"], PERSON["username"], CONTACTS[0][0], CONTACTS[0][1]} <= needles["person"]
    return dict(needles), pdf


# ------------------------------------------------------------------------------ the walk


def _searchable(content_type: str, body: bytes) -> str:
    """The response as a reader sees it: entities undone, JSON re-written without \\u escapes, cells and PDF as text."""
    if "json" in content_type:
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body.decode("utf-8", "replace")
    if "spreadsheet" in content_type:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        lines = []
        for name in book.sheet_names:
            lines.append(name)
            for row in book.get_sheet_by_name(name).to_python():
                lines.append("\t".join(str(cell) for cell in row))
        return "\n".join(lines)
    if "pdf" in content_type:
        return _pdf_text(body)
    return html.unescape(body.decode("utf-8", "replace"))


def _pdf_text(body: bytes) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace")


LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _links(content_type: str, body: bytes, text: str) -> list[str]:
    """Every address a response names: attributes of a page, URL strings of a package or a sheet."""
    if "html" in content_type:
        return [html.unescape(m) for m in LINK.findall(body.decode("utf-8", "replace"))]
    return re.findall(r"(?:https?://[^\s\"'<>\t]+|(?<![\w.])/(?:public|api|projects|media|admin)/[^\s\"'<>\t]*)", text)


def _local(base: str, link: str) -> str | None:
    """The site-local form (path and query) of a link, or None for another site's address or a mailto."""
    parts = urlsplit(html.unescape(link))
    site = urlsplit(settings.KEYPROJ_PUBLIC_URL)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in (site.netloc, HOST, "testserver"):
        return None
    path = parts.path
    if not path:
        path = urlsplit(base).path
    elif not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")


def _priority(url: str, special: set[str], seen_per_month: dict[str, int]) -> tuple[int, int]:
    """Seeds, month pages, paging and downloads first; then project pages, round-robin across months and languages."""
    if "/projects/" not in url or any(code in url for code in special):
        return (0, 0)
    month = url.split("/projects/")[0]
    seen_per_month[month] += 1
    return (1, seen_per_month[month])


def _walk(client: Client, seeds: list[str], special: set[str]) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    seen_per_month: dict[str, int] = defaultdict(int)
    queue: list[tuple[tuple[int, int], int, str]] = []
    queued: set[str] = set()
    counter = 0

    def push(url: str) -> None:
        nonlocal counter
        if url in queued:
            return
        queued.add(url)
        counter += 1
        heapq.heappush(queue, (_priority(url, special, seen_per_month), counter, url))

    for seed in seeds:
        push(seed)
    while queue and len(pages) < MAX_URLS:
        _, _, url = heapq.heappop(queue)
        response = client.get(url, HTTP_HOST=HOST)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        text = _searchable(content_type, body) if response.status_code == 200 else body.decode("utf-8", "replace")
        links = _links(content_type, body, text) if response.status_code == 200 else []
        pages[url] = Page(url, response.status_code, content_type, len(body), text, links)
        for link in links:
            local = _local(url, link)
            if local is None:
                continue
            local = local.split("#", 1)[0]
            if local.startswith(FOLLOWED):
                push(local)
    return pages


def _search(pages: dict[str, Page], needles: set[str], *, pdf: bool) -> list[tuple[str, str, str]]:
    """(url, needle, context) for every needle found, bounded so that 1-2 is not found inside 11-23.

    GNU grep's fixed-string search (Aho–Corasick) finds the candidates in one pass over all pages;
    each candidate is then confirmed with a bounded regular expression.
    """
    chosen = {url: p for url, p in pages.items() if p.status == 200 and (("pdf" in p.content_type) == pdf)}
    lines = {n.split("\n")[0].strip() for n in needles if n.strip()}
    if not chosen or not lines:
        return []
    found: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = {}
        for i, (url, page) in enumerate(chosen.items()):
            (folder / f"{i}.txt").write_text(page.text, encoding="utf-8")
            names[f"{i}.txt"] = url
        (folder / "needles").write_text("\n".join(sorted(lines)), encoding="utf-8")
        done = subprocess.run(
            ["grep", "-F", "-o", "-r", "-f", str(folder / "needles"), "--include=*.txt", str(folder)],
            capture_output=True,
            check=False,
            env={"LC_ALL": "C.UTF-8"},
        )
        candidates: dict[str, set[str]] = defaultdict(set)
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            path, _, match = line.partition(":")
            candidates[names[Path(path).name]].add(match)
    for url, matches in candidates.items():
        text = chosen[url].text
        for needle in lines:
            if not any(needle in m or m in needle for m in matches):
                continue
            left = r"(?<![0-9A-Za-z_.,-])" if needle[:1].isascii() and needle[:1].isalnum() else ""
            right = r"(?![0-9A-Za-z_])" if needle[-1:].isascii() and needle[-1:].isalnum() else ""
            for m in re.finditer(left + re.escape(needle) + right, text):
                found.append((url, needle, text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ")))
                break
    return found


@pytest.fixture(scope="module")
def walk(demo_for_module, django_db_blocker) -> Walk:
    """Plant, walk the public site with KEYPROJ_PUBLIC on as an anonymous visitor, then roll the planting back."""
    with django_db_blocker.unblock(), override_settings(KEYPROJ_PUBLIC=True):
        clock.forget()
        cache.clear()  # pages cached by another module's demo load must not answer for this one
        with transaction.atomic():
            planted = _plant()
            needles, pdf_needles = _needles(planted)
            months = [str(c.period) for c in published_closes()]
            seeds = ["/public/", "/public/en/"]
            for month in months:
                seeds += [
                    f"/api/v1/open-data/oc4ids/?period={month}",
                    f"/public/{month}/oc4ids.json",
                    f"/public/{month}/oc4ids.xlsx",
                    f"/public/{month}/notice.pdf",
                    f"/public/{month}/projects/{planted['watched'].code}/",
                    f"/public/en/{month}/projects/{planted['renamed'].code}/",
                ]
            special = {planted["watched"].code, planted["renamed"].code}
            client = Client()
            pages = _walk(client, seeds, special)
            # Addresses the public must not reach: the open month, the new projects in every published month.
            probes = [
                "/public/2019-08/",
                "/public/en/2019-08/",
                "/public/2019-08/notice.pdf",
                "/public/2019-08/oc4ids.json",
                "/public/2019-08/oc4ids.xlsx",
                "/api/v1/open-data/oc4ids/?period=2019-08",
                "/api/v1/open-data/oc4ids/?period=2019-8",
                "/public/2019-8/",
                "/public/2019-07/projects/../../2019-08/",
            ]
            for month in months:
                for project in planted["created"]:
                    probes += [
                        f"/public/{month}/projects/{project.code}/",
                        f"/public/en/{month}/projects/{project.code}/",
                    ]
            statuses = {url: client.get(url, HTTP_HOST=HOST).status_code for url in probes}
            ids = {
                "Project": set(Project.objects.values_list("pk", flat=True)),
                "Organisation": set(Organisation.objects.values_list("pk", flat=True)),
                "Notice": set(Notice.objects.values_list("pk", flat=True)),
                "MonthClose": set(MonthClose.objects.values_list("pk", flat=True)),
                "User": set(User.objects.values_list("pk", flat=True)),
            }
            result = Walk(pages, planted, needles, pdf_needles, ids, statuses)
            for kind, words in needles.items():
                result.hits[kind] = _search(pages, words, pdf=False)
            result.hits["open month (通报 PDF)"] = _search(pages, pdf_needles, pdf=True)
            transaction.set_rollback(True)
        cache.clear()  # nothing of the planted register stays cached for the tests after
    return result


def _report(hits: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{url}: {needle!r} in …{context}…" for url, needle, context in hits[:20])


# ------------------------------------------------------------------------------ the walk itself


def test_the_walk_reaches_every_kind_of_public_address_and_stays_within_its_bound(walk):
    pages = walk.pages
    assert 100 < len(pages) <= MAX_URLS
    ok = [url for url, page in pages.items() if page.status == 200]
    assert "/public/" in ok and "/public/en/" in ok
    assert "/public/2019-07/" in ok and "/public/en/2019-07/" in ok
    assert any("page=2" in url for url in ok), "the walk follows the month's paging"
    assert {"/public/2019-07/oc4ids.json", "/public/2019-07/oc4ids.xlsx", "/public/2019-07/notice.pdf"} <= set(ok)
    assert "/api/v1/open-data/oc4ids/?period=2019-07" in ok
    assert sum("/projects/" in url for url in ok) > MAX_URLS // 2
    assert walk.bytes > 1_000_000
    broken = {url: page.status for url, page in pages.items() if page.status != 200}
    assert not broken, f"links on public pages that do not answer: {broken}"


def test_the_search_finds_what_was_published(walk):
    """The searching itself works: the July sentence and the renamed project's old name are found."""
    july = MonthClose.objects.get(year=2019, month=7).snapshot["city"]["sentence"]
    assert _search(walk.pages, {july}, pdf=False)
    old = _search(walk.pages, {walk.planted["old_name"]}, pdf=False)
    assert any(url == f"/public/2019-07/projects/{walk.planted['renamed'].code}/" for url, _, _ in old)


# ------------------------------------------------------------------------------ what must not be seen


def test_no_public_address_shows_the_open_months_figures(walk):
    assert not walk.hits["open month"], _report(walk.hits["open month"])


def test_the_issued_notice_pdf_shows_no_figure_of_the_open_month(walk):
    """The 通报 is served as it was issued, a document the office published under its 文号, so it is judged only
    for the open month's figures: the people it names (挂牌督办's 责任人) were published by issuing it."""
    assert any("pdf" in p.content_type and p.text.strip() for p in walk.pages.values()), "no PDF text read"
    assert not walk.hits["open month (通报 PDF)"], _report(walk.hits["open month (通报 PDF)"])


def test_no_public_address_shows_a_project_the_register_holds_but_no_close_published(walk):
    assert not walk.hits["unpublished project"], _report(walk.hits["unpublished project"])


def test_no_public_address_names_a_person_or_a_phone(walk):
    assert not walk.hits["person"], _report(walk.hits["person"])


def test_no_public_address_shows_the_problem_ledger_review_comments_or_attachments(walk):
    assert not walk.hits["ledger"], _report(walk.hits["ledger"])


def test_the_open_month_and_unpublished_projects_are_not_found_at_their_addresses(walk):
    answered = {url: status for url, status in walk.probes.items() if status != 404}
    assert not answered, answered


def test_no_link_leads_into_the_staff_site(walk):
    staff = []
    for url, page in walk.pages.items():
        for link in page.links:
            local = _local(url, link)
            if local is not None and local.startswith(STAFF_PREFIXES) and not local.startswith("/api/v1/open-data/"):
                staff.append((url, link))
    assert not staff, staff[:20]


def test_no_public_page_carries_a_form_that_posts_or_a_sign_in(walk):
    for url, page in walk.pages.items():
        if "html" in page.content_type:
            assert not re.search(r"<form[^>]*method=[\"']?post", page.text, re.IGNORECASE), url
            assert "csrfmiddlewaretoken" not in page.text, url


def _int_ids(value: Any, path: str = "") -> list[str]:
    """Paths of JSON keys that hold a bare integer under an id-like name."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            idish = key.lower() in ("pk", "id") or key.lower().endswith(("_id", "_pk", "id"))
            if idish and isinstance(item, int) and not isinstance(item, bool):
                found.append(f"{path}.{key}={item}")
            found += _int_ids(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _int_ids(item, f"{path}[{i}]")
    return found


def test_no_address_carries_a_database_id(walk):
    """Addresses name months as YYYY-MM and projects by their national code, never by a row's id."""
    every_pk = set().union(*walk.ids.values())
    for url, page in walk.pages.items():
        for address in [url, *page.links]:
            local = _local(url, address)
            if local is None:
                continue
            parts = urlsplit(local)
            numeric = [s for s in parts.path.split("/") if s.isdigit()]
            assert not numeric, f"{url} links to {address}: a bare number in the path"
            for key, value in parse_qsl(parts.query):
                assert key in ("q", "page", "period"), f"{url} links to {address}: unexpected parameter {key}"
                if key == "page":
                    assert value.isdigit() and int(value) <= 20, address
    assert every_pk  # the ids exist; none of them is in an address


def test_no_json_published_carries_an_integer_id(walk):
    for url, page in walk.pages.items():
        if page.status != 200:
            continue
        documents = []
        if "json" in page.content_type:
            documents.append(json.loads(page.text))
        elif "html" in page.content_type:
            # Data handed to the page's scripts (json_script) and any data-*id attribute.
            documents += [
                json.loads(m)
                for m in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page.text, re.S)
            ]
            assert not re.search(r"data-[\w-]*id\s*=\s*[\"']?\d+", page.text, re.IGNORECASE), url
        for document in documents:
            assert not _int_ids(document), f"{url}: {_int_ids(document)[:5]}"


def test_the_package_ids_are_the_publishers_prefix_and_codes_not_rows(walk):
    package = json.loads(walk.pages["/public/2019-07/oc4ids.json"].text)
    project_pks = {str(pk) for pk in walk.ids["Project"]}
    for project in package["projects"]:
        assert project["id"].startswith(settings.KEYPROJ_OC4IDS_PREFIX + "-")
        assert project["id"] not in project_pks
        for party in project.get("parties", []):
            # Parties are named by their published codes (GB/T 2260, the credit code) or by a name-based key.
            assert not (party["id"].isdigit() and len(party["id"]) < 6), party


# ------------------------------------------------------------------------------ switched off


def test_with_the_public_site_off_every_address_the_walk_found_is_404(walk, client):
    """The same list of addresses, asked again with KEYPROJ_PUBLIC off: nothing answers, not even a 304."""
    with override_settings(KEYPROJ_PUBLIC=False):
        for url in walk.pages:
            response = client.get(url, HTTP_HOST=HOST, HTTP_IF_NONE_MATCH="*")
            if url.startswith("/api/"):
                assert response.status_code in (401, 403), (url, response.status_code)
            else:
                assert response.status_code == 404, (url, response.status_code)


def test_the_walk_reports_its_size(walk, capsys):
    with capsys.disabled():
        print(f"\npublic walk: {len(walk.pages)} addresses, {walk.bytes:,} bytes")
