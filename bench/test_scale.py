"""`python -m bench scale` works end to end at a small N, finds the register's last page from
the page's own link, and refuses SQLite. No timing is asserted."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import bench_scale
from bench.bench_scale import last_page_url
from bench.generate import fingerprint
from keyproj.returns.models import ProgressReturn, ReturnStatus

PAGER = """<main><nav class="pager" aria-label="分页">
  <span class="current" aria-current="page">1</span>
  <a href="?period=2019-07&amp;page=2">2</a><span class="gap">…</span>
  <a href="?period=2019-07&amp;page=40">40</a>
</nav></main>"""
KEYSET = """<nav class="pager"><a href="?after=xyz">下一页</a> <a rel="last" href="?last=1&amp;sort=x">末页</a></nav>
<a href="/elsewhere/">99</a>"""


def test_the_last_page_is_the_highest_numbered_link_of_the_pager():
    assert last_page_url(PAGER, "/projects/?period=2019-07") == "/projects/?period=2019-07&page=40"


def test_a_link_marked_last_wins_and_links_outside_the_pager_do_not_count():
    assert last_page_url(KEYSET, "/projects/?sort=x") == "/projects/?last=1&sort=x"


def test_a_page_without_a_pager_is_its_own_last_page():
    assert last_page_url("<p>共 3 个项目</p>", "/projects/?sort=x") == "/projects/?sort=x"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
@pytest.mark.django_db
def test_it_refuses_sqlite():
    with pytest.raises(SystemExit, match="PostgreSQL"):
        bench_scale.run([10], runs=1, warmup=0, say=lambda message: None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench scale runs on PostgreSQL only")
@pytest.mark.django_db
def test_one_small_size_measures_every_row_and_leaves_the_generated_data_as_it_was():
    done = bench_scale.run([30], months=7, runs=1, warmup=0, import_runs=1, import_rows=20, say=lambda m: None)

    (at,) = done
    measured = {r.what for r in at.results}
    expected = {bench_scale.CITY, bench_scale.DUCKDB, bench_scale.DISTRICT, bench_scale.APPROVE, *bench_scale.PAGES}
    assert expected <= measured
    assert at.ratio is not None and at.ratio[0] > 0
    # The approval was rolled back each time and its return removed: August holds the import's 20 rows only.
    august = ProgressReturn.objects.filter(year=2019, month=8)
    assert august.count() == 20 and not august.exclude(status=ReturnStatus.APPROVED).exists()
    assert "30" in bench_scale.table(done) and bench_scale.as_json(done)[0]["projects"] == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench scale runs on PostgreSQL only")
@pytest.mark.django_db
def test_approving_one_return_in_the_bench_changes_nothing():
    from bench.generate import generate

    generate(20, analyze=False)
    before = fingerprint()

    bench_scale._approval(20, bench_scale.Period(2019, 8), runs=2, warmup=1)

    assert fingerprint() == before
