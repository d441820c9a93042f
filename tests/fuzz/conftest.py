"""Fuzz fixtures: one app per test (state accumulates across examples) and its restart."""

import pytest

from tests.support.app_fixtures import no_developer_settings  # noqa: F401 - autouse fixture

from . import helpers  # noqa: F401 - registers and loads the hypothesis profiles


@pytest.fixture
def restart(make_app):
    """Close an app's store and build a new app on the same env path (a clean restart)."""

    def again(app):
        app.extensions["visdom_store"].close()
        settings = {
            key: app.config[key]
            for key in ("ENABLE_LOGIN", "PASSWORD_HASH_METHOD", "READONLY", "BASE_URL")
            if key in app.config
        }
        return make_app(**settings)

    return again
