"""Project codes: the national investment-project code or a local one.

The national code (GB/T 40058-2021) reads YYYY-RRRRRR-DD-TT-NNNNNN: the year it was
assigned, the six-digit division where it was filed, a two-digit industry code, a
two-digit type code and a six-digit serial. A code that starts like a national code
(four digits and a dash) must be one; anything else is a local code.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

NATIONAL = re.compile(r"^(?P<year>\d{4})-(?P<region>\d{6})-(?P<industry>\d{2})-(?P<type>\d{2})-(?P<serial>\d{6})$")
LOOKS_NATIONAL = re.compile(r"^\d{4}-")
LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./]{0,39}$")


def is_national(code: str) -> bool:
    return bool(NATIONAL.match(code))


def code_problem(code: str) -> str | None:
    """What is wrong with a project code, in Chinese, or None if it is acceptable."""
    if not code:
        return "项目代码不能为空"
    if LOOKS_NATIONAL.match(code):
        match = NATIONAL.match(code)
        if not match:
            return f"“{code}”不符合全国投资项目代码格式YYYY-RRRRRR-DD-TT-NNNNNN"
        year = int(match.group("year"))
        if not 1990 <= year <= 2100:
            return f"“{code}”中的赋码年份{year}不合理"
        if match.group("region")[:2] in {"00", "99"}:
            return f"“{code}”中的行政区划代码{match.group('region')}无效"
        return None
    if not LOCAL.match(code):
        return f"“{code}”不是有效的项目代码：只能使用字母、数字和 - _ . /，最长40个字符"
    return None


def validate_project_code(code: str) -> None:
    problem = code_problem(code)
    if problem:
        raise ValidationError(problem)
