"""-logdir, VISDOM_LOGDIR and the poll interval: parsed, made absolute, checked."""

import os

import pytest

from app import load_settings
from app.__main__ import build_parser, overrides


def test_flag_and_variable(clean_environ, monkeypatch, tmp_path):
    args = build_parser().parse_args(["-logdir", "runs", "-logdir_env_prefix", "tb_"])
    assert overrides(args) == {"LOGDIR": "runs", "LOGDIR_ENV_PREFIX": "tb_"}
    assert "LOGDIR" not in overrides(build_parser().parse_args([]))
    monkeypatch.setenv("VISDOM_LOGDIR", "~/logs")
    monkeypatch.setenv("VISDOM_LOGDIR_POLL_INTERVAL", "2")
    settings = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert settings["LOGDIR"] == os.path.join(os.path.expanduser("~"), "logs")
    assert settings["LOGDIR_POLL_INTERVAL"] == 2.0
    assert settings["LOGDIR_ENV_PREFIX"] == ""


@pytest.mark.parametrize("value", ["0", "-1", "61", "soon"])
def test_a_bad_poll_interval_is_refused_at_start(clean_environ, monkeypatch, tmp_path, value):
    monkeypatch.setenv("VISDOM_LOGDIR_POLL_INTERVAL", value)
    with pytest.raises(ValueError, match="LOGDIR_POLL_INTERVAL"):
        load_settings({"INSTANCE_PATH": str(tmp_path)})


def test_no_logdir_no_mirror(make_app):
    app = make_app()
    assert "visdom_tensorboard" not in app.extensions
