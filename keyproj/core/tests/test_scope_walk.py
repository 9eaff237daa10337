"""Scope by construction: every URL the site answers, walked as someone who may not see what it names.

The walk reads the URL patterns from the resolver (keyproj.urls, the API router's routes included),
so a new page or endpoint is walked the day it is added. Each pattern's parameters are filled with
the id (or month, or quarter) of a real object of the demo the walker may not see — a 思明区 project's,
where the object hangs off a project. A pattern with a parameter nobody taught the walk to fill fails
`test_every_url_pattern_has_a_parameter_filler`: whoever adds a route adds its filler here.

Walkers:
* an outsider: signed in, but a member of no organisation (their organisation holds no projects);
  walks every pattern;
* a 海沧区 district officer: walks the patterns that name an object, filled with 思明区 objects.

What a walker may get:
* a pattern that names an object: 404 (out of scope is the same as not there) or 403;
* a pattern without parameters (a list, a dashboard, a form): 404 or 403, or the walker's own empty
  view (200, or a redirect) in which no project of anyone else appears;
* the documented public answers of PUBLIC below, each with why;
* the Django admin: its own login page for anyone who is not staff, before it reads any id.

A GET the route does not take (405) is sent again as an empty POST (then a DELETE), so actions are walked too.
Static files are served by whitenoise before the URL resolver and hold no data; they are not walked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from keyproj.accounts.models import Role, User
from keyproj.agents.models import CreditRecord, FinalAccounts, Inspection, InspectionRound, Interview
from keyproj.agents.querysets import firms_visible_to
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE, scoped
from keyproj.notices.models import Notice
from keyproj.orgs.models import Organisation
from keyproj.plans.models import AnnualPlan, PlanAmendment, PlanStatus
from keyproj.plans.services import plan_data, request_plan_amendment
from keyproj.problems.models import Attachment, Finding, Meeting, Problem, SiteVisit
from keyproj.problems.services import add_attachment
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnAmendment, ReturnStatus
from keyproj.returns.services import ReturnData, request_amendment
from keyproj.supervision.models import Listing, MonthClose
from keyproj.testing import district, make_user

pytestmark = pytest.mark.django_db

SIMING = "350203"

# Routes anyone may reach, signed in or not, with why. Their answer must still show no project.
PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out concerns only the one who asks",
    "healthz": "the load balancer's probe: each part's state (database, cache, jobs), never an error's text",
    "set_language": "the language switch stores a cookie for the one who asks",
    "schema": "the OpenAPI document describes the API, not its data",
    "api-docs": "the page that renders the OpenAPI document",
    "api:api-root": "the router's list of endpoints: links, no data",
    "api:token": "exchanging one's own username and password for one's own token",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "signing out of the admin concerns only the one who asks",
}


# ------------------------------------------------------------------------------ the patterns


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full name (or route when unnamed), its path template and its parameters."""

    key: str
    template: str
    params: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")

    @property
    def names_object(self) -> bool:
        """Its parameters name a row of someone's (a format suffix alone names nothing)."""
        return bool(set(self.params) - {"format"}) and not self.is_admin and self.key not in OPEN_PARAMETERS

    def url(self, values: dict[str, Any]) -> str:
        path = self.template
        for name in self.params:
            value = str(values[name])
            # A regex group first: its `(?P<pk>…)` holds what a route's `<pk>` looks like.
            path = re.sub(rf"\(\?P<{name}>[^)]*\)", value, path)
            path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
        # What is left of a regex pattern: anchors and escapes, and DRF's optional trailing slash.
        path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
        return "/" + path


def _params(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "", params: tuple[str, ...] = ()) -> Iterator[Route]:
    for pattern in patterns:
        here = params + tuple(_params(pattern.pattern))
        template = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, template, inner, here)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(key=name or template, template=template, params=here)


def routes() -> list[Route]:
    """Every pattern the site answers, as the resolver holds them (the API router's routes included)."""
    return list(_walk(get_resolver().url_patterns))


# ------------------------------------------------------------------------------ the fillers

Filler = Callable[[Any], "dict[str, Any] | None"]


def unseen(rows: QuerySet[Any] | type[Model], user: Any, **siming: Any) -> Any:
    """A real row the user may not see (one of 思明区's when `siming` says how to reach the district), or None."""
    queryset = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    queryset = queryset.filter(**siming).exclude(pk__in=scoped(queryset.model, user).values("pk"))
    return queryset.order_by("pk").first()


def off_project(model: type[Model], path: str, user: Any) -> Any:
    """A real row (with no scope of its own) on a 思明区 project the user may not see, or None."""
    hidden = Project.objects.filter(district__code=SIMING).exclude(pk__in=Project.objects.visible_to(user).values("pk"))
    return model._default_manager.filter(**{f"{path}__in": hidden}).order_by("pk").first()


def pk(found: Any, **more: Any) -> dict[str, Any] | None:
    return None if found is None else {"pk": found.pk, **more}


def period(found: Any, **more: Any) -> dict[str, Any] | None:
    return None if found is None else {"period": f"{found.year}-{found.month:02d}", **more}


def quarter(found: Any, **more: Any) -> dict[str, Any] | None:
    return None if found is None else {"year": found.year, "quarter": found.quarter, **more}


def project(user: Any) -> Any:
    return unseen(Project, user, district__code=SIMING)


def problem(user: Any) -> Any:
    return unseen(Problem, user, project__district__code=SIMING)


def ret(user: Any) -> Any:
    return unseen(ProgressReturn, user, project__district__code=SIMING)


def plan(user: Any) -> Any:
    return unseen(AnnualPlan, user, project__district__code=SIMING, status=PlanStatus.APPROVED)


def listing(user: Any) -> Any:
    return unseen(Listing, user, project__district__code=SIMING)


def inspection(user: Any) -> Any:
    return unseen(Inspection, user, project__district__code=SIMING)


def firm(user: Any) -> Any:
    return firms_visible_to(CONSOLE).exclude(pk__in=firms_visible_to(user).values("pk")).order_by("pk").first()


def attachment(user: Any) -> dict[str, Any] | None:
    """A photo on a 思明区 problem (uploaded here when the demo holds none)."""
    found = off_project(Attachment, "problem__project", user)
    if found is None and (held := problem(user)) is not None:
        found = add_attachment(held, user=CONSOLE, name="现场.png", content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return None if found is None else {"pk": found.problem_id, "attachment_id": found.pk}


def finding(user: Any) -> dict[str, Any] | None:
    found = off_project(Finding, "project", user)
    return None if found is None else {"pk": found.visit_id, "finding_id": found.pk}


def plan_amendment(user: Any) -> dict[str, Any] | None:
    """A request to change a 思明区 plan (asked here when the demo holds none)."""
    found = off_project(PlanAmendment, "plan__project", user)
    if found is None and (approved := plan(user)) is not None:
        data = plan_data(approved)
        largest = data.monthly.index(max(data.monthly))
        data.monthly[largest] -= Decimal("0.01")  # a cent moved to the next month: a real change, same total
        data.monthly[(largest + 1) % 12] += Decimal("0.01")
        found = request_plan_amendment(approved, data, user=CONSOLE, reason="调整")
    return pk(found)


def return_amendment(user: Any) -> dict[str, Any] | None:
    """A request to correct a 思明区 return (asked here when the demo holds none)."""
    found = off_project(ReturnAmendment, "progress_return__project", user)
    approved = unseen(ProgressReturn, user, project__district__code=SIMING, status=ReturnStatus.APPROVED)
    if found is None and approved is not None:
        data = ReturnData(
            project=approved.project,
            year=approved.year,
            month=approved.month,
            investment=approved.investment + Decimal("1"),
            physical_progress=approved.physical_progress,
            started=approved.started,
            completed=approved.completed,
        )
        found = request_amendment(approved, data, user=CONSOLE, reason="更正")
    return pk(found)


def token(user: Any) -> dict[str, Any] | None:
    """Another user's API token (issued here: the demo issues none)."""
    from keyproj.accounts import tokens

    owner = User.objects.filter(is_active=True, memberships__isnull=False).exclude(pk=user.pk).order_by("pk").first()
    return {"pk": tokens.issue(owner, name="scope walk")[0].pk}


def outbox_robot(user: Any) -> Any:
    """A group robot of 思明区 (set up here: the demo sets none); robots are the office's alone."""
    from keyproj.outbox.models import Robot

    return Robot.objects.order_by("pk").first() or Robot.objects.create(
        organisation=district(SIMING),
        name="走查群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=scope-walk",
    )


def outbox_delivery(user: Any) -> Any:
    """A delivery given up on (written here); deliveries are the office's alone."""
    from keyproj.outbox.models import Delivery

    return Delivery.objects.order_by("pk").first() or Delivery.objects.create(
        event="scope-walk", channel="wecom", robot=outbox_robot(user), title="走查", status="failed"
    )


def photo(user: Any) -> dict[str, Any] | None:
    """A photo on a 思明区 return (uploaded here: the demo holds none)."""
    from keyproj.photos.models import Photo
    from keyproj.photos.services import add_photo
    from keyproj.photos.tests.images import jpeg

    found = off_project(Photo, "project", user)
    if found is None and (held := ret(user)) is not None:
        found = add_photo(held, jpeg(), user=CONSOLE)
    return pk(found)


def api(fill: Filler) -> Filler:
    """The same object through the API router: its routes name the id `pk`, and each has a `.json` twin."""
    return lambda user: None if (values := fill(user)) is None else {**values, "format": "json"}


FILLERS: dict[str, Filler] = {
    # pages
    "projects:detail": lambda u: pk(project(u)),
    # a project's point is set on its page: another district's project is not there to locate
    "projects:location": lambda u: pk(project(u)),
    "orgs:detail": lambda u: pk(unseen(Organisation, u)),
    "plans:decide": plan_amendment,
    "plans:edit": lambda u: None if (p := plan(u)) is None else {"pk": p.project_id, "year": p.year},
    "returns:resubmit": lambda u: pk(ret(u)),
    "returns:decide": lambda u: pk(ret(u)),
    "returns:detail": lambda u: pk(ret(u)),
    "returns:decide_amendment": return_amendment,
    "supervision:listing": lambda u: pk(listing(u)),
    "supervision:project_panel": lambda u: pk(project(u)),
    "supervision:close": lambda u: period(unseen(MonthClose, u)),
    "supervision:cards": lambda u: period(unseen(MonthClose, u)),
    "supervision:ranking": lambda u: period(unseen(MonthClose, u), list_key="districts"),
    "supervision:notice": lambda u: period(unseen(MonthClose, u), kind="docx"),
    "problems:detail": lambda u: pk(problem(u)),
    "problems:action": lambda u: pk(problem(u), action="resolve"),
    "problems:attachment": attachment,
    "problems:meeting": lambda u: pk(unseen(Meeting, u)),
    "problems:meeting_update": lambda u: pk(unseen(Meeting, u)),
    "problems:minutes": lambda u: pk(unseen(Meeting, u)),
    "problems:visit": lambda u: pk(unseen(SiteVisit, u)),
    "problems:finding_problem": finding,
    "problems:project_panel": lambda u: pk(project(u)),
    # photos hang off a return or a visit of a project: another district's are not there
    "photos:return_upload": lambda u: pk(ret(u)),
    "photos:visit_upload": lambda u: pk(unseen(SiteVisit, u)),
    "photos:file": photo,
    "photos:thumbnail": photo,
    "photos:delete": photo,
    "api:return-photos": lambda u: pk(ret(u)),
    "api:site-visit-photos": lambda u: pk(unseen(SiteVisit, u)),
    "agents:firm": lambda u: pk(firm(u)),
    "agents:interview_held": lambda u: pk(unseen(Interview, u)),
    "agents:round": lambda u: quarter(unseen(InspectionRound, u)),
    "agents:round_close": lambda u: quarter(unseen(InspectionRound, u)),
    "agents:round_issue": lambda u: quarter(unseen(InspectionRound, u)),
    "agents:round_draw": lambda u: quarter(unseen(InspectionRound, u)),
    "agents:round_notice": lambda u: quarter(unseen(InspectionRound, u), fmt="docx"),
    "agents:inspection": lambda u: pk(inspection(u)),
    "agents:old_inspection": lambda u: pk(inspection(u)),
    "agents:old_rounds": lambda u: {"rest": ""},
    "agents:project_panel": lambda u: pk(project(u)),
    "notices:detail": lambda u: pk(unseen(Notice, u)),
    "notices:download": lambda u: pk(unseen(Notice, u), fmt="docx"),
    "notices:file": lambda u: None if (n := unseen(Notice, u)) is None else pk(n, sha=n.docx_sha256[:16], fmt="docx"),
    "accounts:revoke_token": token,
    "outbox:retry": lambda u: pk(outbox_delivery(u)),
    "outbox:edit_robot": lambda u: pk(outbox_robot(u)),
    "outbox:toggle_robot": lambda u: pk(outbox_robot(u)),
    # the schedule is the office's: a job's code names no one's data, and no one else may change or run it
    "jobs:edit": lambda u: {"code": "escalate"},
    "jobs:run": lambda u: {"code": "chase_returns"},
    # a rule is the whole programme's: only the office and the city leaders may read it
    "rule": lambda u: {"slug": "card"},
    # the public site: a published month and one of its projects, by code (every route a 404 while it is off)
    "public:month": lambda u: {"period": "2019-07"},
    "public:month_en": lambda u: {"period": "2019-07"},
    "public:notice": lambda u: {"period": "2019-07"},
    "public:package": lambda u: {"period": "2019-07", "fmt": "json"},
    "public:project": lambda u: None if (p := project(u)) is None else {"period": "2019-07", "code": p.code},
    "public:project_en": lambda u: None if (p := project(u)) is None else {"period": "2019-07", "code": p.code},
    # the API
    "api:lock": lambda u: {"year": 2019, "month": 7},
    "api:api-root": lambda u: {"format": "json"},
    "api:project-list": lambda u: {"format": "json"},
    "api:project-detail": api(lambda u: pk(project(u))),
    "api:project-location": api(lambda u: pk(project(u))),
    "api:organisation-list": lambda u: {"format": "json"},
    "api:organisation-detail": api(lambda u: pk(unseen(Organisation, u))),
    "api:return-list": lambda u: {"format": "json"},
    "api:return-detail": api(lambda u: pk(ret(u))),
    "api:return-approve": api(lambda u: pk(ret(u))),
    "api:return-send-back": api(lambda u: pk(ret(u))),
    "api:return-submit": api(lambda u: pk(ret(u))),
    "api:plan-list": lambda u: {"format": "json"},
    "api:plan-detail": api(lambda u: pk(plan(u))),
    "api:plan-approve": api(lambda u: pk(plan(u))),
    "api:supervision-close-detail": lambda u: period(unseen(MonthClose, u)),
    "api:supervision-close-cards": lambda u: period(unseen(MonthClose, u)),
    "api:supervision-close-issue": lambda u: period(unseen(MonthClose, u)),
    "api:supervision-close-reopen": lambda u: period(unseen(MonthClose, u)),
    "api:supervision-close-ranking": lambda u: period(unseen(MonthClose, u), list_key="districts"),
    "api:supervision-listing-detail": lambda u: pk(listing(u)),
    "api:supervision-listing-accept": lambda u: pk(listing(u)),
    "api:supervision-listing-close-listing": lambda u: pk(listing(u)),
    "api:supervision-listing-decline": lambda u: pk(listing(u)),
    "api:supervision-listing-progress": lambda u: pk(listing(u)),
    "api:supervision-listing-refer": lambda u: pk(listing(u)),
    "api:problem-detail": lambda u: pk(problem(u)),
    "api:problem-escalate": lambda u: pk(problem(u)),
    "api:problem-resolve": lambda u: pk(problem(u)),
    "api:problem-take-up": lambda u: pk(problem(u)),
    "api:meeting-detail": lambda u: pk(unseen(Meeting, u)),
    "api:site-visit-detail": lambda u: pk(unseen(SiteVisit, u)),
    "api:agent-evaluation": lambda u: {"year": 2019},
    "api:agent-round-detail": lambda u: (
        None if (r := unseen(InspectionRound, u)) is None else {"label": f"{r.year}Q{r.quarter}"}
    ),
    "api:agent-inspection-detail": lambda u: pk(inspection(u)),
    "api:agent-inspection-score": lambda u: pk(inspection(u)),
    "api:agent-credit-record-detail": lambda u: pk(unseen(CreditRecord, u)),
    "api:agent-final-accounts-detail": lambda u: pk(unseen(FinalAccounts, u)),
    "api:notice-detail": lambda u: pk(unseen(Notice, u)),
    "api:delivery-list": lambda u: {"format": "json"},
    "api:delivery-detail": api(lambda u: pk(outbox_delivery(u))),
    "api:notice-files": lambda u: pk(unseen(Notice, u), fmt="docx"),
    "api:token-revoke": token,
    "api:rule-detail": lambda u: {"slug": "card"},
    # the audit log is the office's: an entry of anyone's change is no one else's to read
    "api:audit-entry-detail": lambda u: pk(AuditEntry.objects.order_by("pk").first()),
    "api:job-list": lambda u: {"format": "json"},
    "api:job-run-list": lambda u: {"format": "json"},
}

# Parameters that name no object of anyone's: a year or a month open to every signed-in user, the
# admin's ids (the admin answers anyone who is not staff with its login page before it reads one).
OPEN_PARAMETERS = {
    "api:lock": "a month's lock is the same for everyone; the month names no one's data",
    "api:agent-evaluation": "a year's credit evaluation lists only the firms the caller may see",
}
ADMIN_FILL = {"object_id": "1", "content_type_id": "1", "id": "1", "app_label": "projects", "url": "nothing/"}


def fill(route: Route, user: Any) -> dict[str, Any] | None:
    if route.is_admin:
        return {name: ADMIN_FILL[name] for name in route.params}
    return FILLERS[route.key](user)


# ------------------------------------------------------------------------------ the walk


@pytest.fixture
def walkers(demo_for_module, settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path  # an attachment the walk uploads
    return {
        "outsider": make_user("scope-walk-outsider"),
        "haicang": make_user("scope-walk-haicang", Role.DISTRICT_OFFICER, district("350205")),
    }


@pytest.fixture
def secrets(demo_for_module) -> list[str]:
    """What no walker may read anywhere: the codes of the projects they may not see (every project, for the
    outsider) — every page that lists or names a project shows its code."""
    return list(Project.objects.filter(district__code=SIMING).values_list("code", flat=True))


def answer(client: Client, route: Route, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:
        if route.key.startswith("api:"):
            response = client.post(url, data={}, content_type="application/json")
        else:
            response = client.post(url, data={})
    if response.status_code == 405:
        response = client.delete(url)
    return response


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_every_url_pattern_has_a_parameter_filler():
    missing = sorted({r.key for r in routes() if r.params and not r.is_admin and r.key not in FILLERS})
    assert not missing, f"URL patterns the scope walk cannot fill (add a filler in FILLERS): {missing}"


def test_the_walk_finds_the_api_routers_routes_and_the_pages():
    keys = {r.key for r in routes()}
    assert {"api:project-detail", "api:problem-escalate", "projects:detail", "admin:index", "healthz"} <= keys


def test_the_outsider_gets_nothing_from_any_url(walkers, secrets):
    outsider = walkers["outsider"]
    client = Client()
    client.force_login(outsider)
    wrong: list[str] = []
    for route in routes():
        values = fill(route, outsider) if route.params else {}
        assert values is not None, f"{route.key}: the demo holds no object for the walk to name"
        url = route.url(values)
        client.force_login(outsider)  # again: a sign-out route on the walk signs the walker out
        response = answer(client, route, url)
        code = response.status_code
        if route.is_admin:
            ok = route.key in PUBLIC or (code == 302 and "/admin/login/" in response.get("Location", ""))
        elif route.names_object:
            ok = code in (403, 404)
        else:
            ok = code in (200, 204, 302, 400, 403, 404, 405)
        leaked = [s for s in secrets if s in body(response)] if code < 400 else []
        if not ok or leaked:
            wrong.append(f"{route.key} {url} → {code}{' shows ' + leaked[0] if leaked else ''}")
    assert not wrong, "answers that are not 'not there':\n" + "\n".join(wrong)


def test_a_district_officer_gets_404_for_every_url_naming_another_districts_object(walkers):
    officer = walkers["haicang"]
    client = Client()
    client.force_login(officer)
    wrong: list[str] = []
    walked = 0
    for route in routes():
        if not route.names_object:
            continue
        values = fill(route, officer)
        if values is None:
            continue  # they may see every object of this kind (the monthly notices, the closed months)
        walked += 1
        url = route.url(values)
        client.force_login(officer)
        code = answer(client, route, url).status_code
        if code not in (403, 404):
            wrong.append(f"{route.key} {url} → {code}")
    assert walked > 40
    assert not wrong, "a 思明区 object answered to a 海沧区 officer:\n" + "\n".join(wrong)


def test_public_routes_are_the_documented_ones():
    assert set(PUBLIC) <= {r.key for r in routes()}
