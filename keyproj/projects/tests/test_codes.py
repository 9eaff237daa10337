import pytest

from keyproj.projects.codes import code_problem, is_national


@pytest.mark.parametrize("code", ["2019-350203-47-01-012345", "2018-350213-39-03-000001"])
def test_a_national_code_is_recognised(code):
    assert is_national(code)
    assert code_problem(code) is None


@pytest.mark.parametrize("code", ["XM-2019-001", "SJ2019.17", "A1"])
def test_a_local_code_is_allowed(code):
    assert not is_national(code)
    assert code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("2019-35020-47-01-012345", "全国投资项目代码格式"),
        ("2019-350203-47-01-12345", "全国投资项目代码格式"),
        ("1899-350203-47-01-012345", "赋码年份"),
        ("2019-000000-47-01-012345", "行政区划代码"),
        ("", "不能为空"),
        ("项目一", "只能使用字母"),
        ("A" * 41, "最长40个字符"),
        ("has space", "只能使用字母"),
    ],
)
def test_a_bad_code_is_refused_with_the_reason(code, reason):
    assert reason in code_problem(code)
