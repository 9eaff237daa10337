"""What a close publishes about a project: free text with telephone numbers masked, nothing else touched."""

from __future__ import annotations

import pytest

from keyproj.supervision.publication import PHONE_MASK, public_text


@pytest.mark.parametrize(
    "text",
    [
        "联系人张工13912345678",
        "现场电话 139 1234 5678",
        "咨询0592-5551234",
        "咨询05925551234",
        "（0592） 5551234",
        "(0592)5551234",
    ],
)
def test_a_telephone_number_in_free_text_is_masked(text):
    published = public_text(text)

    assert PHONE_MASK in published
    assert not any(run in published for run in ("13912345678", "1234 5678", "5551234"))


@pytest.mark.parametrize(
    "text",
    [
        "2014-350203-48-02-928319",  # a national project code
        "累计完成投资123456789012元",  # an amount
        "服务热线400-800-1234",  # a business hotline, published on purpose
        "完成总工程量约68%，主体结构施工至第13层",
        "",
    ],
)
def test_codes_amounts_and_ordinary_text_are_left_alone(text):
    assert public_text(text) == text
