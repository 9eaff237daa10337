"""The tests' demo loads (keyproj/testing/demo.py): a copy put back holds exactly what a real load
wrote, the database goes on from it, and a database that starts differently has no copy to take."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from keyproj.accounts.models import User
from keyproj.demo import loader
from keyproj.notices.models import Notice
from keyproj.projects.models import Project
from keyproj.testing import make_project
from keyproj.testing.demo import _rows, copy_for, forget_copies, load_demo

# Outside a test's transaction, as the fixtures load the demo: SQLite copies a database only when
# no transaction is open on it. The module's demo is its fixture's, which the tests clear first.
pytestmark = pytest.mark.django_db(transaction=True)


class RolledBack(Exception):
    pass


def test_a_database_that_differs_in_one_row_has_no_copy_to_put_back(demo_for_module, django_db_blocker):
    with django_db_blocker.unblock():
        loader.clear()
        load_demo()  # from the emptied database: put back from its copy, or loaded and copied
        loader.clear()
        assert copy_for(_rows()) is not None
        visitor = User.objects.create_user("visitor-not-in-the-demo")
        try:
            assert copy_for(_rows()) is None  # so the demo would be loaded for real
        finally:
            visitor.delete()
        assert copy_for(_rows()) is not None


def test_a_demo_put_back_from_its_copy_holds_every_row_and_file_a_real_load_wrote(demo_for_module, django_db_blocker):
    with django_db_blocker.unblock():
        # From the database as clear() leaves it after a load (a transactional test's flush before
        # this one leaves it a little different: rows the demo changes and clear() leaves).
        loader.clear()
        load_demo()
        loader.clear()
        forget_copies()
        assert load_demo() is False
        written = _rows()
        notices = {n.pdf.name: n.pdf_sha256 for n in Notice.objects.all()}
        loader.clear()
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "notices")

        assert load_demo() is True

        assert _rows() == written
        assert Project.objects.count() == 357
        for name, sha in notices.items():
            assert hashlib.sha256((Path(settings.MEDIA_ROOT) / name).read_bytes()).hexdigest() == sha
        # New rows take ids after the restored ones (PostgreSQL's sequences were moved on).
        try:
            with transaction.atomic():
                made = make_project(code="COPY-0001", name="复制之后新建的项目")
                assert made.pk > max(Project.objects.exclude(pk=made.pk).values_list("pk", flat=True))
                raise RolledBack
        except RolledBack:
            pass
        except IntegrityError as clash:  # pragma: no cover - the failure this test is for
            pytest.fail(f"a new project clashed with a restored one: {clash}")
