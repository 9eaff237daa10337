"""One demo for the whole open-data test package rather than one per module.

Every module here reads the published demo months; a test that changes them (reopens July,
withdraws a notice, closes August) does so inside its test's transaction, which is rolled back
after it, and the exposure walk rolls back its own planted changes. So the modules can share
one load of the demo (which takes ~20 s, most of it rendering the notices' PDFs), torn down when
the package is done.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def demo_for_module(django_db_setup, django_db_blocker):
    """The Xiamen demo, loaded once for the open-data tests (overrides the root conftest's per-module load)."""
    from keyproj.demo import loader
    from keyproj.testing.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        loader.clear()
