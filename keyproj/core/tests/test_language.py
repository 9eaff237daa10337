"""Chinese first, English complete: the header's switch, the pages in English, the catalogue itself."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from keyproj.core.models import AuditEntry
from keyproj.testing import make_plan, make_project, make_returns

HOME = "/"
PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")

# Words of the Chinese interface that must not survive on an English page (headings, labels, units).
UI_WORDS = [
    "首页",
    "项目库",
    "单位",
    "项目名称",
    "所属区",
    "项目类别",
    "责任单位",
    "业主单位",
    "代建单位",
    "计划投资",
    "实际完成",
    "完成序时进度计划",
    "完成年度计划",
    "亿元",
    "万元",
    "统计月份",
    "退出",
    "月度填报",
    "节点目标",
    "变更记录",
    "市重点",
    "省重大",
    "合计",
    "查看",
    "年",
    "月",
]


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """The middleware leaves the request's language active in the thread: later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def city(siming, haicang, unit_org, owner_org):
    """A Siming project ahead of plan and a Haicang project behind it, reported to July 2019."""
    ahead = make_project(district=siming, name="思明示范道路", responsible_unit=unit_org, owner=owner_org)
    behind = make_project(district=haicang, name="海沧示范学校", responsible_unit=unit_org, owner=owner_org)
    make_plan(ahead, ["100"] * 12)
    make_plan(behind, ["200"] * 12)
    make_returns(ahead, ["150"] * 7)
    make_returns(behind, ["50"] * 7)
    return ahead, behind


def _switch(client, language: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": HOME})
    assert response.status_code == 302


def _visible_text(html: str) -> str:
    """What a reader sees: the page without scripts, data blocks and tags."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


def _leftover_chinese(html: str, proper_nouns: set[str]) -> set[str]:
    """Chinese runs on the page other than proper nouns and the published sentence."""
    text = _visible_text(html)
    text = re.sub(r'<span lang="zh-Hans">.*?</span>', " ", text)
    text = re.sub(r"\d+-?\d*月，.*?。", " ", text)  # the published sentence, shown as published
    for noun in sorted(proper_nouns, key=len, reverse=True):
        text = text.replace(noun, " ")
    return set(CJK.findall(text)) - {"中文"}  # the switch names Chinese in Chinese


def _pages(city) -> list[str]:
    ahead, _behind = city
    return [HOME, reverse("projects:list"), ahead.get_absolute_url(), reverse("orgs:detail", args=[ahead.district_id])]


def _proper_nouns(city) -> set[str]:
    ahead, behind = city
    nouns = set()
    for project in (ahead, behind):
        nouns |= {project.name, project.district.name, project.responsible_unit.name, project.owner.name}
        nouns |= {project.location, project.description, str(project.tracker or ""), str(project.liaison_leader or "")}
        for entry in project.returns.all():
            nouns |= {entry.physical_progress, entry.problems}
    # The change history quotes each object as it was named when the change was recorded: stored text.
    nouns |= set(AuditEntry.objects.values_list("object_repr", flat=True))
    return {noun for noun in nouns if noun}


def test_pages_are_chinese_by_default_even_when_the_browser_asks_for_english(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "zh-hans"
    assert "项目库" in response.content.decode()
    assert "Project register" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page_in_either_language(client):
    _switch(client, "en")

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_speaks_english_after_the_switch(client):
    _switch(client, "en")

    page = client.get(reverse("login")).content.decode()

    assert "Sign in" in page
    assert "用户名" not in page


def test_after_switching_to_english_the_main_pages_have_english_headings(client, admin_user, city):
    client.force_login(admin_user)
    _switch(client, "en")
    expected = {
        HOME: ["Of plan to date", "By district", "Published sentence (Chinese)", "CNY 100m"],
        reverse("projects:list"): ["Project register", "Filters", "Export to Excel", "CNY 10k"],
        city[0].get_absolute_url(): ["Project facts", "Milestones", "Monthly returns", "Change history"],
        reverse("orgs:detail", args=[city[0].district_id]): ["Organisations", "Projects furthest behind"],
    }

    for url, headings in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"
        page = response.content.decode()
        for heading in headings:
            assert heading in page, (url, heading)


def test_english_pages_leave_no_chinese_interface_words(client, admin_user, city):
    client.force_login(admin_user)
    _switch(client, "en")
    # The header names the user's organisation: a proper noun too.
    nouns = _proper_nouns(city) | {m.organisation.label for m in admin_user.memberships.all()}

    for url in _pages(city):
        page = client.get(url).content.decode()
        leftover = _leftover_chinese(page, nouns)
        assert not {word for word in UI_WORDS if any(word in run for run in leftover)}, (url, leftover)
        assert not leftover, (url, leftover)


def test_the_english_dashboard_renders_the_published_figures_in_english(client, admin_user, city):
    client.force_login(admin_user)
    _switch(client, "en")

    page = client.get(HOME).content.decode()

    # The city: plan to date 7×100 + 7×200 = 2,100 万元 = 0.021 bn; actual 7×150 + 7×50 = 1,400 万元.
    assert "Jan–Jul, city-wide: 2 city key projects" in page
    assert "planned investment CNY 0.021 bn, actual investment CNY 0.014 bn, CNY 0.007 bn behind plan" in page
    assert "1-7月，全市2个市重点项目" in page  # the published sentence itself, as published


def test_list_names_are_shown_in_english_from_their_name_en(client, admin_user, city):
    client.force_login(admin_user)
    category = city[0].category
    _switch(client, "en")

    page = client.get(city[0].get_absolute_url()).content.decode()

    assert category.name_en
    assert category.name_en in page
    assert category.name not in page


def test_switching_back_to_chinese_works(client, admin_user, city):
    client.force_login(admin_user)
    _switch(client, "en")
    assert "Project register" in client.get(reverse("projects:list")).content.decode()

    _switch(client, "zh-hans")

    page = client.get(reverse("projects:list")).content.decode()
    assert "项目库" in page
    assert "Project register" not in page


def test_an_out_of_scope_project_is_still_404_in_english(client, siming_officer, city):
    client.force_login(siming_officer)
    _switch(client, "en")

    assert client.get(city[1].get_absolute_url()).status_code == 404


def test_the_summary_command_still_prints_chinese(city):
    out = StringIO()

    call_command("summary", "--period", "2019-07", stdout=out)

    assert out.getvalue().startswith("1-7月，全市2个市重点项目计划投资")


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if re.search(r"^msgid ", block, re.M)]


def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy():
    entries = _entries(PO_FILE.read_text(encoding="utf-8"))[1:]  # the first is the header

    assert len(entries) > 200
    for entry in entries:
        assert "fuzzy" not in entry, entry
        assert not entry.startswith("#~"), entry
        # A long translation is written over several quoted lines after an empty first one.
        translations = [
            "".join(re.findall(r'"(.*)"', block))
            for block in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"(?:\n|$))+)', entry, re.M)
        ]
        assert translations and all(translations), entry
        placeholders = set(re.findall(r"%\(\w+\)s", entry.split("msgstr")[0]))
        for msgstr in translations:
            assert set(re.findall(r"%\(\w+\)s", msgstr)) == placeholders, entry


def test_the_compiled_catalogue_is_not_older_than_its_source():
    assert PO_FILE.with_suffix(".mo").stat().st_mtime >= PO_FILE.stat().st_mtime - 1
