"""Properties of the figures over arbitrary programmes: the parts add up to the whole,
and the rollup always equals what the plans and approved returns say."""

from decimal import Decimal

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.figures import BREAKDOWNS, breakdown, summary
from keyproj.plans.models import MonthlyPlan
from keyproj.projects.models import Category, Project
from keyproj.returns.models import ProgressReturn
from keyproj.testing import DISTRICTS, district, make_plan, make_project, make_returns, org

money = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
project_strategy = st.fixed_dictionaries(
    {
        "district": st.sampled_from(sorted(DISTRICTS)),
        "category": st.sampled_from(["industry", "social", "infrastructure", "new_city"]),
        "unit": st.sampled_from(["市交通局", "市教育局", "市建设局"]),
        "plan": st.lists(money, min_size=12, max_size=12),
        "actual": st.lists(money, min_size=0, max_size=12),
        "approved": st.booleans(),
    }
)


class FiguresAddUp(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(projects=st.lists(project_strategy, min_size=1, max_size=6), month=st.integers(1, 12))
    def test_breakdowns_add_up_to_the_whole_and_match_the_sources(self, projects, month):
        for spec in projects:
            project = make_project(
                district=district(spec["district"]),
                category=Category.objects.get(code=spec["category"]),
                responsible_unit=org("responsible_unit", spec["unit"]),
            )
            make_plan(project, spec["plan"])
            if spec["actual"]:
                make_returns(project, spec["actual"], approve=spec["approved"])
        period = Period(2019, month)
        whole = summary(CONSOLE, period)

        for by in BREAKDOWNS:
            rows = breakdown(CONSOLE, period, by)
            for name in ("project_count", "annual_plan", "plan_to_date", "actual_to_date"):
                assert sum(getattr(r.figures, name) for r in rows) == getattr(whole, name), (by, name)

        # The rollup says what the sources say.
        plan_to_date = MonthlyPlan.objects.filter(plan__year=2019, month__lte=month).aggregate(s=Sum("investment"))
        actual = ProgressReturn.objects.approved().filter(year=2019, month__lte=month).aggregate(s=Sum("investment"))
        assert whole.plan_to_date == (plan_to_date["s"] or 0)
        assert whole.actual_to_date == (actual["s"] or 0)
        assert whole.project_count == Project.objects.count()
