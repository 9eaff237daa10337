"""Every published month of the demo passes the standard's own validator (libcoveoc4ids) against the offline 0.9.5 copy.

Valid means: no schema error, no value outside a closed codelist and no malformed project id.
The additional checks (empty values, missing currencies, dangling organisation references) are
kept at zero as well. A deliberately broken package is caught, so the harness cannot pass
because it checked nothing.
"""

from __future__ import annotations

import copy

import pytest

from keyproj.core.period import Period
from keyproj.opendata.oc4ids import build_package
from keyproj.opendata.published import published_closes
from keyproj.opendata.validate import schema_dir, validate_package

pytestmark = pytest.mark.django_db

# The offline copy of the schema and codelists, beside the checkout (its README says why).
SCHEMA = schema_dir()


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


def test_the_demo_publishes_january_to_july():
    assert [(c.year, c.month) for c in published_closes()] == [(2019, m) for m in range(1, 8)]


@pytest.mark.parametrize("month", range(1, 8))
def test_every_published_months_package_is_valid(month):
    package = build_package(Period(2019, month))

    report = validate_package(package, SCHEMA)

    assert report.validation_errors == []
    assert report.additional_closed_codelist_values == {}
    assert report.conformance_errors == []
    assert report.additional_checks == []
    assert report.valid
    # The one open-codelist value outside the lists: the GB/T 2260 gazetteer, which the list does not name.
    assert set(report.additional_open_codelist_values) <= {"projects/locations/gazetteer/scheme"}


def test_a_broken_package_is_caught():
    package = build_package(Period(2019, 7))
    broken = copy.deepcopy(package)
    broken["projects"] = broken["projects"][:2]
    broken["projects"][0]["status"] = "underway"
    broken["projects"][0]["id"] = "xmzdxm-" + broken["projects"][0]["identifiers"][0]["id"]
    broken["projects"][1]["budget"]["amount"]["amount"] = "a lot"
    broken["projects"][1]["description"] = " "

    report = validate_package(broken, SCHEMA)

    assert not report.valid
    assert len(report.validation_errors) >= 1
    assert "projects/status" in report.additional_closed_codelist_values
    assert [c["check_id"] for c in report.conformance_errors] == ["invalid-project-ids"]
    assert "missing-values" in {c["check_id"] for c in report.additional_checks}
