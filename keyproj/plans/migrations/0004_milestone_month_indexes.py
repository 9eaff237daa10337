"""Annual plans by year and planned start (or completion) month, for the home page's milestones ahead."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_existing_baselines")]

    operations = [
        migrations.AddIndex(
            model_name="annualplan",
            index=models.Index(fields=["year", "start_month", "status"], name="plan_year_start_month"),
        ),
        migrations.AddIndex(
            model_name="annualplan",
            index=models.Index(fields=["year", "completion_month", "status"], name="plan_year_completion_month"),
        ),
    ]
