"""Plans approved before baselines existed: their current figures are the best baseline there is."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):
    AnnualPlan = apps.get_model("plans", "AnnualPlan")
    MonthlyPlan = apps.get_model("plans", "MonthlyPlan")
    PlanBaseline = apps.get_model("plans", "PlanBaseline")
    BaselineLine = apps.get_model("plans", "BaselineLine")
    plans = list(AnnualPlan.objects.filter(status="approved", baseline__isnull=True))
    if not plans:
        return
    PlanBaseline.objects.bulk_create(
        [
            PlanBaseline(
                plan=plan,
                investment=plan.investment,
                start_month=plan.start_month,
                completion_month=plan.completion_month,
                land_acquisition=plan.land_acquisition,
                land_handover=plan.land_handover,
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    by_plan = dict(PlanBaseline.objects.filter(plan__in=plans).values_list("plan_id", "pk"))
    BaselineLine.objects.bulk_create(
        [
            BaselineLine(baseline_id=by_plan[plan_id], month=month, investment=amount)
            for plan_id, month, amount in MonthlyPlan.objects.filter(plan__in=plans).values_list(
                "plan_id", "month", "investment"
            )
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_baselines_and_amendments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
