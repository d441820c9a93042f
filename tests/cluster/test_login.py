"""Login through any process: shared secret and accounts, logouts shared through Redis."""

import os

import pytest
import redis
import requests

from tests.support.server import FAST_HASH


@pytest.fixture(scope="module")
def login_cluster(cluster_factory):
    return cluster_factory(
        n=2, args=["-enable_login"], env=FAST_HASH, accounts=[("alice", "s3cret")]
    )


def test_a_login_on_one_process_works_on_the_other_until_logout(login_cluster):
    a, b = login_cluster.servers
    s = requests.Session()
    form = {"username": "alice", "password": "s3cret", "next": "/"}
    r = s.post(a.url + "/login", data=form, headers={"Origin": a.root}, allow_redirects=False)
    assert r.status_code == 303, r.text
    cookies = dict(s.cookies)
    page = requests.get(b.url + "/env/main", cookies=cookies, allow_redirects=False, timeout=10)
    assert page.status_code == 200
    # The origin rule is the same on every process: another site may not change anything.
    foreign = requests.post(
        b.url + "/env_state",
        data="{}",
        cookies=cookies,
        headers={"Origin": "http://evil.example"},
        timeout=10,
    )
    assert foreign.status_code == 403
    assert s.post(a.url + "/logout", headers={"Origin": a.root}, allow_redirects=False).ok
    # The copied cookie is still correctly signed: only the shared revocation refuses it.
    again = requests.get(b.url + "/env/main", cookies=cookies, allow_redirects=False, timeout=10)
    assert again.status_code == 401
    # Kept in Redis (so machines without a shared folder see it), not in the instance folder.
    assert redis.Redis.from_url(login_cluster.store_url).keys("visdom:revoked:*")
    assert not os.path.exists(os.path.join(login_cluster.instance, "revoked_logins.json"))
    # ... and the same cookie was accepted by A too before, and is refused there now.
    assert requests.get(a.url + "/env/main", cookies=cookies, timeout=10).status_code == 401
