"""experiment_tails: what changed in each env's experiment since what the caller knows."""

import pytest


def log(store, eid, **args):
    return store.log_experiment(eid, args)


def known_of(tails):
    return {
        eid: (e["gen"], e["seq"], e["start"] + len(e["metrics"]))
        for eid, e in tails.items()
        if "record" in e
    }


def test_tails_hand_over_only_new_metric_entries(backend):
    store = backend.open_store()
    log(store, "run", action="log", params={"lr": 0.1}, tags={"seed": "0"})
    log(store, "run", action="metrics", metrics={"loss": 1.0}, step=0)
    store.put_window("plain", {"win": "w", "data": [{"x": [0], "y": [1]}]})  # no experiment
    first = store.experiment_tails()
    assert set(first) == {"run"}
    entry = first["run"]
    assert entry["start"] == 0 and [m["value"] for m in entry["metrics"]] == [1.0]
    assert entry["record"]["params"] == [{"key": "lr", "value": 0.1, "dtype": "float"}]
    assert "metrics" not in entry["record"]
    known = known_of(first)
    assert store.experiment_tails(known) == {"run": {"gen": entry["gen"], "seq": entry["seq"]}}
    log(store, "run", action="metrics", metrics={"loss": 0.5, "acc": 0.9}, step=1)
    second = store.experiment_tails(known)["run"]
    assert second["gen"] == entry["gen"] and second["seq"] > entry["seq"]
    assert second["start"] == 1 and [m["key"] for m in second["metrics"]] == ["loss", "acc"]
    heads = store.experiment_tails(eids=["run", "ghost"], with_metrics=False)
    assert heads["run"]["metrics"] == [] and heads["run"]["start"] == 3


def test_a_deleted_and_remade_env_is_a_new_generation(backend):
    store = backend.open_store()
    log(store, "run", action="metrics", metrics={"loss": 1.0}, step=0)
    known = known_of(store.experiment_tails())
    store.delete_env("run")
    assert store.experiment_tails(known) == {}
    log(store, "run", action="metrics", metrics={"loss": 9.0}, step=0)
    again = store.experiment_tails(known)["run"]
    assert again["gen"] != known["run"][0]
    assert again["start"] == 0 and [m["value"] for m in again["metrics"]] == [9.0]


def test_another_process_sees_the_tail(backend):
    if not backend.shared:
        pytest.skip("one process per store: nothing is shared")
    one, two = backend.open_store(), backend.open_store()
    log(one, "run", action="metrics", metrics={"loss": 1.0}, step=0)
    known = known_of(two.experiment_tails())
    log(one, "run", action="metrics", metrics={"loss": 2.0}, step=1)
    tail = two.experiment_tails(known)["run"]
    assert tail["start"] == 1 and [m["value"] for m in tail["metrics"]] == [2.0]
