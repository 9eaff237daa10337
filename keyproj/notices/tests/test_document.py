from __future__ import annotations

import datetime
import json

from keyproj.notices.document import (
    OfficialDocument,
    attachment_lines,
    chinese_date,
    is_numeric_text,
    signature_indents,
    to_text,
)
from keyproj.notices.tests.samples import CITY_SENTENCE, all_text, monthly_notice, small_notice


def test_the_date_is_written_with_arabic_numerals_and_no_leading_zeros():
    assert chinese_date(datetime.date(2019, 8, 13)) == "2019年8月13日"
    assert chinese_date(datetime.date(2019, 1, 5)) == "2019年1月5日"


def test_the_text_holds_every_part_of_the_document_in_reading_order():
    doc = monthly_notice(5, attachments=2)
    text = to_text(doc)
    for part in all_text(doc):
        assert part in text, part
    order = [
        doc.issuer,
        doc.number,
        doc.title,
        "各区人民政府、各管委会",
        "一、总体情况",
        CITY_SENTENCE,
        "二、分类推进情况",
    ]
    positions = [text.index(p) for p in order]
    assert positions == sorted(positions)
    # The signature and the date close the body; the attachments follow; the 版记 comes last.
    assert text.index("附件：1．1-7月市重点项目红黄牌名单") < text.index("2019年8月13日\n") < text.index("附件1\n")
    assert text.rstrip().endswith("厦门市重点项目建设领导小组办公室　　2019年8月13日印发")
    assert "抄送：市委办公厅，市政府办公厅，市效能办，市纪委监委，市国资委。" in text


def test_the_same_document_gives_the_same_text():
    assert to_text(monthly_notice(10)) == to_text(monthly_notice(10))


def test_an_empty_signature_means_the_issuer_signs():
    doc = small_notice()
    assert doc.signer == doc.issuer
    assert small_notice(signature="厦门市建设局").signer == "厦门市建设局"


def test_a_document_survives_the_round_trip_through_json():
    doc = monthly_notice(3, attachments=2)
    again = OfficialDocument.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
    assert again == doc
    assert to_text(again) == to_text(doc)


def test_numbers_are_recognised_for_right_alignment_and_codes_are_not():
    for text in ["1", "1,234.56", "-3.5", "130.59%", "+2", "0.00"]:
        assert is_numeric_text(text), text
    for text in ["2019-350203-48-01-000001", "思明区", "—", "1-3", "", "第1名"]:
        assert not is_numeric_text(text), text


def test_the_issuer_sits_two_characters_from_the_right_and_the_date_starts_two_characters_further_in():
    doc = small_notice()  # a 16-character issuer over a 6.5-character date
    signer, date = signature_indents(doc)
    assert signer == 2
    # The date's first character is two characters right of the issuer's first character.
    assert 16 + signer == 6.5 + date + 2


def test_a_short_signature_moves_left_so_the_date_keeps_two_characters_from_the_right():
    signer, date = signature_indents(small_notice(signature="市重点办"))
    assert date == 2
    assert 4 + signer == 6.5 + date + 2


def test_one_attachment_is_named_alone_and_several_are_numbered():
    assert attachment_lines(monthly_notice(1, attachments=1)) == ["附件：1-7月市重点项目红黄牌名单"]
    assert attachment_lines(monthly_notice(1, attachments=2)) == [
        "附件：1．1-7月市重点项目红黄牌名单",
        "2．1-7月挂牌督办事项",
    ]
