"""The one poll helper: call a predicate until it returns something truthy."""

import time


def wait_for(predicate, timeout=10.0, what="a condition", interval=0.05):
    """Call predicate() until it returns something truthy and return that value; raise
    AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# The browser tests' name for it.
poll = wait_for
