"""考勤: the key staff's monthly attendance, entered by month or imported as a workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from keyproj.accounts.permissions import is_office
from keyproj.agents.attendance_import import import_attendance
from keyproj.agents.credit import AttendanceData, attendance_rates, save_attendance
from keyproj.agents.forms import AttendanceForm
from keyproj.agents.models import Attendance, KeyStaff
from keyproj.agents.querysets import own_firm_ids, reads_firm_files
from keyproj.agents.views.common import require_scope, saved
from keyproj.core.errors import Refused, refusal_texts
from keyproj.core.scoping import scope_for
from keyproj.core.workbooks.reader import WorkbookError, guarded_bytes
from keyproj.projects.models import Project


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    """考勤: the monthly attendance rate per firm and project; firms and the office enter months here."""
    user = request.user
    require_scope(user)
    staff = KeyStaff.objects.visible_to(user).filter(active=True).select_related("firm")
    projects = Project.objects.visible_to(user).filter(agent_builder__isnull=False).order_by("name", "code")
    can_enter = is_office(user) or bool(own_firm_ids(scope_for(user)))
    form = AttendanceForm(staff=staff, projects=projects)
    upload_errors: list[str] = []
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if "file" in request.FILES or request.POST.get("action") == "upload":
            answer, upload_errors = _import_attendance(request)
            if answer is not None:
                return answer
        else:
            form = AttendanceForm(request.POST, staff=staff, projects=projects)
            if form.is_valid():
                data = form.cleaned_data
                row = AttendanceData(
                    data["staff"],
                    data["project"],
                    data["year"],
                    data["month"],
                    data["required_days"],
                    data["present_days"],
                )
                answer = saved(
                    request,
                    form,
                    lambda: save_attendance([row], user=user),
                    gettext("考勤已登记"),
                    lambda _: redirect("agents:attendance"),
                )
                if answer is not None:
                    return answer
    records = Attendance.objects.visible_to(user)
    year = request.GET.get("year", "")
    month = request.GET.get("month", "")
    if year.isdigit():
        records = records.filter(year=int(year))
    if month.isdigit():
        records = records.filter(month=int(month))
    rows = attendance_rates(records, limit=300)
    context = {
        "nav": "agents",
        "rows": rows,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "years": list(Attendance.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()),
        "form": form,
        "upload_errors": upload_errors,
        "can_enter": can_enter,
        "limited": not reads_firm_files(scope_for(user)),
    }
    return render(request, "agents/attendance.html", context)


def _import_attendance(request: HttpRequest) -> tuple[HttpResponse | None, list[str]]:
    """A whole attendance workbook from the page: every error by row and column, or all of it saved."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, [gettext("请选择要导入的 .xlsx 文件")]
    try:
        result = import_attendance(guarded_bytes(upload), user=request.user)
    except WorkbookError as error:
        return None, [str(error)]
    except Refused as refused:
        return None, refusal_texts(refused)
    if result.errors:
        return None, result.errors
    messages.success(request, gettext("已导入考勤%(n)s条") % {"n": len(result.rows)})
    return redirect("agents:attendance"), []
