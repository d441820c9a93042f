"""Schemathesis against a live server with login on, with the document it serves then:
every operation answers as documented to a signed-in caller (upstream's login cookie) and
to an anonymous one (a documented 401, or the public operations' answers)."""

import hashlib

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from app.api_spec import build_spec

from .conftest import PASSWORD
from .test_schemathesis import CHECKS

# Logging out would end the login the other cases use: the auth operations are left to
# tests/api/test_auth_login.py.
schema = schemathesis.openapi.from_dict(build_spec(login=True)).exclude(tag="auth")

# Fewer examples than the login-off run: every case is sent twice (signed in, anonymous).
EXAMPLES = 8


@pytest.fixture(scope="module")
def login_cookie(login_schema_server):
    """Sign in as upstream's client does; return the `user_password` login cookie."""
    secret = hashlib.sha256(PASSWORD.encode()).hexdigest()
    response = requests.post(
        login_schema_server.url + "/", json={"username": "alice", "password": secret}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.cookies["user_password"]


def test_the_served_document_is_the_login_one(login_schema_server):
    served = requests.get(login_schema_server.url + "/api/openapi.json", timeout=30).json()
    assert served == build_spec(login=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.timeout(180)
def test_every_operation_answers_as_documented_with_login_on(
    case, login_schema_server, login_cookie
):
    url = login_schema_server.url
    documented_method = case.method.upper() == case.operation.method.upper()
    public = case.operation.definition.raw.get("security") == []
    # As generated: the security parameters are fuzzed too (empty or junk credentials).
    anonymous = case.call_and_validate(base_url=url, checks=CHECKS, timeout=30)
    if documented_method and not public:
        assert anonymous.status_code in (401, 302), (case.path, anonymous.status_code)
    # Signed in: the generated credentials replaced by a real login.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = headers
    case.cookies = {**(case.cookies or {}), "user_password": login_cookie}
    case.cookies.pop("session", None)
    signed_in = case.call_and_validate(base_url=url, checks=CHECKS, timeout=30)
    if documented_method:
        assert signed_in.status_code != 401, (case.path, signed_in.text[:200])
