"""The yardstick import really imports: same rows and same total as the workbook, keyed like ours."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from bench.bench_import import write_workbook
from bench.bench_import_export import _generic_import
from bench.generate import generate
from keyproj.returns.models import ProgressReturn, ReturnStatus


@pytest.mark.django_db
@pytest.mark.parametrize("bulk", [False, True])
def test_the_generic_resource_writes_every_row_of_the_workbook(tmp_path, bulk):
    generate(20, months=7, analyze=False)
    path = tmp_path / "returns.xlsx"
    total = write_workbook(path, rows=20, month=8)

    _generic_import(path, bulk)

    august = ProgressReturn.objects.filter(year=2019, month=8)
    assert august.filter(status=ReturnStatus.APPROVED).count() == 20
    assert august.aggregate(s=Sum("investment"))["s"] == total
    # Keyed on (project, year, month): the same file again adds nothing.
    _generic_import(path, bulk)
    assert august.count() == 20
