"""The shared cast: a city admin, district officers, a unit officer, an owner, a leader, an outsider."""

from __future__ import annotations

import pytest

from keyproj.accounts.models import Role
from keyproj.orgs.models import OrgKind
from keyproj.testing import district, make_project, make_user, org

# The rows the migrations seed (rules, lists, numbering), as the test database starts: a
# transactional test ends by emptying every table, and the tests after it on the same worker
# rely on those rows.
_seeded_rows: list[str] = []


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in getattr(item, "fixturenames", ())


# Test packages whose modules share one package-scoped demo (their conftest says why it is safe):
# the workers are handed such a package whole, so that it is loaded once rather than per module.
SHARED_DEMO_PACKAGES = ("keyproj/opendata/tests/",)

# The fixtures that load the demo: a module that asks for one of them takes tens of seconds.
DEMO_FIXTURES = frozenset({"demo_for_module", "demo_server"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules that load the demo first, the rest after, each module's tests kept together.

    The two workers take the next module as they finish one (`make test` hands out whole files in
    this order, --no-loadscope-reorder). Long modules at the end leave one worker running
    while the other waits; at the start they are spread between both.
    """
    heavy = {item.nodeid.split("::", 1)[0] for item in items if DEMO_FIXTURES & set(item.fixturenames)}
    position = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (item.nodeid.split("::", 1)[0] not in heavy, position[id(item)]))


@pytest.hookimpl(optionalhook=True)  # xdist's hook: unknown in a run without it (-p no:xdist)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With --dist loadfile, a package of SHARED_DEMO_PACKAGES goes to one worker as one unit."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByFileOrSharedPackage(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((package for package in SHARED_DEMO_PACKAGES if path.startswith(package)), path)

    return ByFileOrSharedPackage(config, log)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrations leave it, kept for putting back after transactional tests."""
    from django.db import connection

    with django_db_blocker.unblock():
        _seeded_rows[:] = [connection.creation.serialize_db_to_string()]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    yield
    # After the last test the test database is gone with the session; nothing follows that needs the rows.
    if _is_transactional(item) and _seeded_rows and nextitem is not None:
        from django.core.management import call_command
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            # Emptied once more without post-migrate's content types, whose new ids would clash with the saved ones.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(_seeded_rows[0])
            # The rows came back with their ids; the id sequences must move past them (PostgreSQL).
            from django.apps import apps
            from django.core.management.color import no_style

            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """Stored files (notices, attachments) go to a folder of this run, never into the checkout's var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fresh_clock():
    """Each test starts without a cached business day: the stored day belongs to its own database."""
    from keyproj.core import clock

    clock.forget()
    yield
    clock.forget()


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker):
    """The Xiamen demo, loaded once for a module that asks for it and taken out again after it.

    Loading takes seconds (seven notices are rendered), so modules that read the demo share one load.
    """
    from keyproj.demo import loader
    from keyproj.testing.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        loader.clear()


@pytest.fixture
def siming(db):
    return district("350203")


@pytest.fixture
def haicang(db):
    return district("350205")


@pytest.fixture
def unit_org(db):
    return org(OrgKind.RESPONSIBLE_UNIT, "市交通局")


@pytest.fixture
def owner_org(db):
    return org(OrgKind.OWNER, "厦门路桥建设集团有限公司")


@pytest.fixture
def agent_org(db):
    return org(OrgKind.AGENT_BUILDER, "厦门鹭城项目管理有限公司")


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.OFFICE_ADMIN)


@pytest.fixture
def staff_user(db):
    return make_user("staff", Role.OFFICE_STAFF)


@pytest.fixture
def leader_user(db):
    return make_user("leader", Role.LEADER)


@pytest.fixture
def siming_officer(siming):
    return make_user("siming", Role.DISTRICT_OFFICER, siming)


@pytest.fixture
def haicang_officer(haicang):
    return make_user("haicang", Role.DISTRICT_OFFICER, haicang)


@pytest.fixture
def unit_officer(unit_org):
    return make_user("unit", Role.UNIT_OFFICER, unit_org)


@pytest.fixture
def owner_user(owner_org):
    return make_user("owner", Role.OWNER, owner_org)


@pytest.fixture
def agent_user(agent_org):
    return make_user("agent", Role.AGENT_BUILDER, agent_org)


@pytest.fixture
def inspector_user(db):
    return make_user("inspector", Role.INSPECTOR)


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role anywhere."""
    return make_user("outsider")


@pytest.fixture
def siming_project(siming, unit_org, owner_org, agent_org):
    return make_project(district=siming, responsible_unit=unit_org, owner=owner_org, agent_builder=agent_org)


@pytest.fixture
def haicang_project(haicang):
    return make_project(district=haicang)
