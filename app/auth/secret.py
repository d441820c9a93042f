"""The secret key that signs sessions and login cookies: made once, kept in the instance folder."""

import logging
import os
import secrets

from . import files

log = logging.getLogger(__name__)

FILENAME = "secret_key"


def load_or_create(instance_path, force_new=False, given=None):
    """Return the secret in <instance>/secret_key, creating it when missing or forced.

    A new secret is `given` (upstream's VISDOM_COOKIE) when set, else 32 random bytes.
    Rotating the secret logs every browser and client out.
    """
    path = os.path.join(instance_path, FILENAME)
    if not force_new:
        try:
            with open(path, encoding="utf-8") as f:
                value = f.read().strip()
            if value:
                return value
        except FileNotFoundError:
            pass
    if given:
        if len(given) < 16:
            log.warning("VISDOM_COOKIE is short (%d characters): use 16 or more", len(given))
        value = given
    else:
        value = secrets.token_hex(32)
    files.write_private(path, value + "\n")
    log.info("wrote a new secret key to %s", path)
    return value
