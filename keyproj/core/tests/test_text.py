"""Text is clean at the door: forms, the API and commands strip what XML cannot hold and refuse over-long text."""

from __future__ import annotations

import pytest
from django import forms
from django.core.management.base import CommandError
from rest_framework import serializers

from keyproj.core import text
from keyproj.core.commandline import _clean_option

WORD_PASTE = "第一段\x0b第二段\x00\x1f\x0c第三段\r\n第四段\ufffe"


def test_one_line_text_loses_control_characters_and_line_breaks():
    assert text.clean("厦门\x0b大桥\x00工程\n二期\t标段", multiline=False) == "厦门 大桥工程 二期 标段"


def test_multi_line_text_keeps_tabs_and_line_breaks():
    assert text.clean("甲\t乙\r\n丙\r丁\x0b戊\x01", multiline=True) == "甲\t乙\n丙\n丁\n戊"


def test_a_document_writer_keeps_clean_text_exactly_as_it_was():
    value = "正常文字\t含制表符\n和换行"
    assert text.for_document(value) is value


def test_a_document_writer_turns_a_vertical_tab_into_a_line_break_and_drops_nul():
    assert text.for_document("a\x0bb\x00c\x1fd") == "a\nbcd"


class SampleForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=20)
    description = forms.CharField(label="建设内容", widget=forms.Textarea, required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False, strip=False)


def test_a_form_cleans_a_one_line_field_and_keeps_the_lines_of_a_textarea():
    form = SampleForm(data={"name": " 厦门\x0b大桥\x00 ", "description": WORD_PASTE})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "厦门 大桥"
    assert form.cleaned_data["description"] == "第一段\n第二段\n第三段\n第四段"


def test_a_form_refuses_over_long_text_naming_the_field_and_the_limit():
    form = SampleForm(data={"name": "长" * 21})
    assert not form.is_valid()
    assert form.errors["name"] == ["“项目名称”最多20个字符，现为21个，请删减后再提交"]


def test_a_form_textarea_without_a_limit_is_capped_at_the_text_limit():
    form = SampleForm(data={"name": "甲", "description": "字" * (text.TEXT_LIMIT + 1)})
    assert not form.is_valid()
    assert f"最多{text.TEXT_LIMIT}个字符" in form.errors["description"][0]
    assert SampleForm(data={"name": "甲", "description": "字" * text.TEXT_LIMIT}).is_valid()


def test_a_form_field_of_nothing_but_control_characters_is_empty():
    form = SampleForm(data={"name": "\x00\x0b"})
    assert not form.is_valid()
    assert "name" in form.errors


def test_a_password_is_taken_as_typed():
    form = SampleForm(data={"name": "甲", "password": " p\tw "})
    assert form.is_valid()
    assert form.cleaned_data["password"] == " p\tw "


class SampleSerializer(serializers.Serializer):
    title = serializers.CharField(label="问题", max_length=10)
    note = serializers.CharField(required=False, allow_blank=True, style={"base_template": "textarea.html"})
    code = serializers.CharField(required=False)


def test_the_api_cleans_text_and_keeps_the_lines_of_a_multi_line_field():
    serializer = SampleSerializer(data={"title": "a\x0bb\x00", "note": WORD_PASTE, "code": "x\u0000y"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"title": "a b", "note": "第一段\n第二段\n第三段\n第四段", "code": "xy"}


def test_the_api_refuses_over_long_text_with_the_field_and_the_limit():
    serializer = SampleSerializer(data={"title": "长" * 11})
    assert not serializer.is_valid()
    assert [str(e) for e in serializer.errors["title"]] == ["“问题”最多10个字符，现为11个，请删减后再提交"]


def test_the_api_caps_free_text_without_a_limit():
    serializer = SampleSerializer(data={"title": "a", "note": "x" * 100_000})
    assert not serializer.is_valid()
    assert f"最多{text.TEXT_LIMIT}个字符" in str(serializer.errors["note"][0])


def test_the_api_refuses_text_that_was_only_control_characters_as_blank():
    serializer = SampleSerializer(data={"title": "\x00\x0b"})
    assert not serializer.is_valid()
    assert "title" in serializer.errors


@pytest.mark.django_db
def test_the_api_answers_400_naming_the_field_for_over_long_text(client):
    from keyproj.accounts.models import Role
    from keyproj.testing import make_user

    user = make_user("office", Role.OFFICE_ADMIN)
    client.force_login(user)
    response = client.post(
        "/api/v1/meetings/",
        {"title": "会" * 100_000, "kind": "special", "held_on": "2019-08-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any(p["field"] == "title" and "最多" in p["message"] for p in response.json()["problems"])


def test_a_command_option_is_one_clean_line():
    assert _clean_option("reason", "延期\x0b原因\x00") == "延期 原因"
    assert _clean_option("pick", ["a\x00", "b"]) == ["a", "b"]
    assert _clean_option("verbosity", 1) == 1


def test_a_command_option_over_the_limit_is_refused_naming_it():
    with pytest.raises(CommandError, match="--override-reason"):
        _clean_option("override_reason", "x" * (text.TEXT_LIMIT + 1))
