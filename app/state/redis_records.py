"""RedisStore's records outside the envs: saved views, run liveness, alert rules and alerts.

Each is one Redis key shared by every server process (redis_keys.py names them); none
takes an env lock.
"""

import json

from .redis_keys import ALERTS_KEY, CLAIM_PREFIX, LIVENESS_KEY, RULES_KEY, VIEWS_KEY


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


class Records:
    """The views, liveness and alert methods of RedisStore (uses its `redis` client)."""

    def _read_views(self):
        return _text(self.redis.get(VIEWS_KEY) or b"")

    def _write_views(self, text):
        self.redis.set(VIEWS_KEY, text)

    def heartbeat(self, eid, beat):
        self.redis.hset(LIVENESS_KEY, eid, json.dumps(beat))

    def liveness(self):
        return {_text(k): json.loads(v) for k, v in self.redis.hgetall(LIVENESS_KEY).items()}

    def alert_rules(self):
        rules = [json.loads(v) for v in self.redis.hvals(RULES_KEY)]
        return sorted(rules, key=lambda r: (r.get("created_at") or 0, str(r.get("id"))))

    def put_alert_rule(self, rule):
        self.redis.hset(RULES_KEY, rule["id"], json.dumps(rule))

    def delete_alert_rule(self, rule_id):
        return bool(self.redis.hdel(RULES_KEY, rule_id))

    def add_alert(self, alert, keep=1000):
        pipe = self.redis.pipeline()
        pipe.rpush(ALERTS_KEY, json.dumps(alert))
        pipe.ltrim(ALERTS_KEY, -keep, -1)
        pipe.execute()

    def alerts(self, since=None):
        found = [json.loads(v) for v in self.redis.lrange(ALERTS_KEY, 0, -1)]
        if since is not None:
            found = [a for a in found if (a.get("time") or 0) > since]
        return found

    def claim_alert(self, key, seconds):
        ms = max(1, int(seconds * 1000))
        return bool(self.redis.set(CLAIM_PREFIX + key, "1", nx=True, px=ms))
