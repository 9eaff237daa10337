"""Every page a demo user can reach speaks only words a user knows, in one number and date format.

The demo is loaded once; each demo user signs in, in Chinese and in English, and opens every
page of the navigation (the links of the rendered header), each of those pages' first-level
links (one per kind of address: one project page, one problem page …) and the panels they load
with htmx. Every page must answer 200 (a linked page may deliberately answer 403 or 404), and
its visible text (with the placeholders of empty fields; without scripts, styles, other
attribute values and hidden inputs) must contain none of the internal words below. The lists
are kept here: when a page shows a new kind of internal word, add its pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import translation

from keyproj.accounts.models import User
from keyproj.demo.data.organisations import DEMO_USERNAMES

pytestmark = pytest.mark.django_db

# What no page may show, in any language: (what it is, pattern over the visible text).
FORBIDDEN = [
    # An audit or status code (problem.raise, return.amendment.decide); file names and a.m./e.g. are not codes.
    ("an internal code", re.compile(r"\b[a-z][a-z_]+(?:\.[a-z][a-z_]+)+\b(?<!\.xlsx)(?<!\.docx)(?<!\.pdf)(?<!\.json)")),
    ("an empty choice written as dashes", re.compile(r"-{5,}")),
    ("a command line", re.compile(r"\bkeyproj\s+[a-z]")),
    ("a rule version written as a code", re.compile(r"(?<![/\w])v\d+\b")),
    ("a quarter written as a code", re.compile(r"\b\d{4}-?Q[1-4]\b")),
    ("an ISO date", re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")),
    ("an ISO month", re.compile(r"(?<![\d-])\d{4}-\d{1,2}(?![\d-])")),
    ("money without thousands separators", re.compile(r"(?<![\d,.])\d{4,}\.\d{2}(?!\d)")),
    ("a percentage with one decimal", re.compile(r"(?<![\d.])\d+\.\d%")),
]

# English words of the interface that must not appear on a Chinese page (None and True are Python's).
ENGLISH_WORDS = re.compile(
    r"\b(?:None|True|False|Submit|Save|Cancel|Search|Status|Draft|Approved|Submitted|Page|Next|Previous|Yes|No"
    r"|Delete|Edit|Filter|Total|Loading|Please|Error|Forbidden|Not Found|Choose|Select)\b"
)

# Chinese words of the interface that must not appear on an English page (outside text marked as Chinese:
# the published sentence and the official documents are Chinese on purpose).
CHINESE_WORDS = re.compile(
    r"首页|项目库|月度填报|督办通报|问题协调|代建管理|万元|亿元|请选择|合计|查看|切换|退出|状态|操作|第\d+版"
)

SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/", "/accounts/logout")


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """The middleware leaves the request's language active in the thread: later tests expect the default."""
    yield
    translation.deactivate()


class _Page(HTMLParser):
    """A page's visible text (outside script, style and template), its links, and which of them are the header's."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.chinese_on_purpose: list[str] = []  # the tags of open elements marked lang="zh…"
        self.text: list[str] = []
        self.text_outside_chinese: list[str] = []
        self.navigation: list[str] = []
        self.links: list[str] = []
        self._in_navigation = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        # Nested elements of the same tag count too, so that the right end tag closes the Chinese part.
        nested = bool(self.chinese_on_purpose) and tag == self.chinese_on_purpose[-1]
        if nested or ((a.get("lang") or "").startswith("zh") and tag != "html"):
            self.chinese_on_purpose.append(tag)
        if tag == "nav" and (self._in_navigation or "areas" in (a.get("class") or "").split()):
            self._in_navigation += 1
        href = a.get("href") if tag == "a" else None
        if href:
            (self.navigation if self._in_navigation else self.links).append(href)
        if a.get("hx-get"):
            self.links.append(a["hx-get"] or "")
        if a.get("placeholder") and not self.hidden:
            # A placeholder is read in the empty field: it is visible text.
            self.handle_data(f" {a['placeholder']} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if self.chinese_on_purpose and tag == self.chinese_on_purpose[-1]:
            self.chinese_on_purpose.pop()
        if tag == "nav" and self._in_navigation:
            self._in_navigation -= 1

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.text.append(data)
        if not self.chinese_on_purpose:
            self.text_outside_chinese.append(data)


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _squeeze(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(parts))


def _shape(url: str) -> str:
    """One kind of address: /projects/99/ and /projects/170/ are the same kind."""
    parts = urlsplit(url)
    query = re.sub(r"=[^&]*", "=", parts.query)
    return re.sub(r"\d+", "N", parts.path) + ("?" + query if query else "")


@dataclass
class Walk:
    """What one user saw in one language: the pages opened and what was wrong on them."""

    client: Client
    language: str
    seen: set[str] = field(default_factory=set)
    shapes: set[str] = field(default_factory=set)
    offences: list[str] = field(default_factory=list)

    def visit(self, url: str, *, linked: bool) -> _Page | None:
        if url in self.seen:
            return None
        self.seen.add(url)
        # A link may lead on to the page that serves this user (a leader's 月度填报 opens the timeliness list).
        response = self.client.get(url, follow=True)
        allowed = {200, 403, 404} if linked else {200}
        if response.status_code not in allowed:
            self.offences.append(f"{url}: answered {response.status_code}")
            return None
        chain = getattr(response, "redirect_chain", [])
        if chain and urlsplit(chain[-1][0]).path.startswith("/accounts/login"):
            self.offences.append(f"{url}: sends a signed-in user to the login page")
            return None
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        page = _read(response.content.decode())
        self.check(url, page)
        return page

    def check(self, url: str, page: _Page) -> None:
        text = _squeeze(page.text)
        found = [(what, m) for what, pattern in FORBIDDEN for m in pattern.finditer(text)]
        if self.language == "en":
            own = _squeeze(page.text_outside_chinese)
            found += [("a Chinese interface word on an English page", m) for m in CHINESE_WORDS.finditer(own)]
        else:
            found += [("an English interface word on a Chinese page", m) for m in ENGLISH_WORDS.finditer(text)]
        for what, match in found[:5]:
            around = match.string[max(0, match.start() - 30) : match.end() + 20]
            self.offences.append(f"{url}: {what} “{match.group(0)}” in …{around}…")
        if len(found) > 5:
            self.offences.append(f"{url}: and {len(found) - 5} more")

    def follow(self, base: str, href: str) -> str | None:
        """The address of a first-level link worth opening: on this site, a page, one of its kind."""
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            return None
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc or parts.path.startswith(SKIPPED_PREFIXES) or "page=" in parts.query:
            return None
        if parts.path.endswith((".xlsx", ".docx", ".pdf", ".csv", ".json")):
            return None
        shape = _shape(url)
        if shape in self.shapes:
            return None
        self.shapes.add(shape)
        return url


def _walk(username: str, language: str) -> Walk:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = language
    walk = Walk(client, language)
    home = walk.visit("/", linked=False)
    assert home is not None, walk.offences
    top = ["/", *dict.fromkeys(urljoin("/", h) for h in home.navigation)]
    assert len(top) > 2, f"{username} sees no navigation"
    for url in top:
        walk.shapes.add(_shape(url))
    pages = [(url, walk.visit(url, linked=False) if url != "/" else home) for url in top]
    for url, page in pages:
        for href in page.links if page else []:
            target = walk.follow(url, href)
            if target:
                walk.visit(target, linked=True)
    return walk


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_page_a_demo_user_reaches_speaks_only_words_a_user_knows(username, language):
    walk = _walk(username, language)

    assert len(walk.seen) > 5
    assert not walk.offences, f"{username} ({language}), {len(walk.seen)} pages:\n" + "\n".join(walk.offences)


def test_the_walk_notices_an_internal_code_in_visible_text_but_not_in_attributes_or_scripts():
    page = _read(
        '<p title="problem.raise">提出问题</p><script>var a = "problem.raise";</script>'
        '<input type="hidden" name="x" value="2019-08"><p>2019年8月</p>'
    )
    walk = Walk(Client(), "zh-hans")
    walk.check("/x/", page)
    assert walk.offences == []

    walk.check("/y/", _read("<td>problem.raise</td><option>---------</option><td>19013.76</td><td>108.2%</td>"))
    assert len(walk.offences) == 4

    walk.check("/z/", _read('<input name="period" placeholder="2019-07">'))
    assert len(walk.offences) == 5


def test_the_walk_leaves_text_marked_chinese_alone_on_an_english_page():
    walk = Walk(Client(), "en")
    walk.check("/x/", _read('<p>Published: <span lang="zh-Hans">计划投资595.31亿元</span></p>'))
    assert walk.offences == []

    walk.check("/y/", _read("<p>Total 595.31 亿元</p>"))
    assert walk.offences
