"""Config precedence: defaults < instance/config.py < VISDOM_* environment < test dict."""

import os

import pytest

from app import config as config_module
from app import load_settings

# The developer's VISDOM_* settings must not leak into these tests.
pytestmark = pytest.mark.usefixtures("clean_environ")


@pytest.fixture
def instance(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


def write_instance_config(instance, text):
    (instance / "config.py").write_text(text, encoding="utf-8")


def test_defaults(instance, tmp_path):
    settings = load_settings({"INSTANCE_PATH": str(instance)})
    assert settings["PORT"] == 8097
    assert settings["BASE_URL"] == ""
    assert settings["ENV_PATH"] == os.path.join(os.path.expanduser("~"), ".visdom")
    assert settings["ASYNC_MODE"] == "threading"
    assert settings["READONLY"] is False
    assert settings["LOGGING_LEVEL"] == "INFO"


def test_instance_config_overrides_defaults(instance):
    write_instance_config(instance, "PORT = 9001\nREADONLY = True\n")
    settings = load_settings({"INSTANCE_PATH": str(instance)})
    assert settings["PORT"] == 9001
    assert settings["READONLY"] is True


def test_environment_overrides_instance_config(instance, monkeypatch):
    write_instance_config(instance, "PORT = 9001\nREADONLY = True\n")
    monkeypatch.setenv("VISDOM_PORT", "9002")
    monkeypatch.setenv("VISDOM_READONLY", "off")
    settings = load_settings({"INSTANCE_PATH": str(instance)})
    assert settings["PORT"] == 9002
    assert settings["READONLY"] is False


def test_test_dict_overrides_everything(instance, monkeypatch, tmp_path):
    write_instance_config(instance, "PORT = 9001\n")
    monkeypatch.setenv("VISDOM_PORT", "9002")
    monkeypatch.setenv("VISDOM_ENV_PATH", str(tmp_path / "from-env"))
    settings = load_settings(
        {"INSTANCE_PATH": str(instance), "PORT": 9003, "ENV_PATH": str(tmp_path / "dict")}
    )
    assert settings["PORT"] == 9003
    assert settings["ENV_PATH"] == str(tmp_path / "dict")


def test_instance_path_from_the_environment(tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    write_instance_config(other, "HOSTNAME = 'from-instance'\n")
    monkeypatch.setenv("VISDOM_INSTANCE_PATH", str(other))
    assert load_settings()["HOSTNAME"] == "from-instance"


@pytest.mark.parametrize(
    "raw, expected",
    [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("", False)],
)
def test_boolean_environment_values(raw, expected):
    assert config_module.from_environ({"VISDOM_EAGER_DATA_LOADING": raw}) == {
        "EAGER_DATA_LOADING": expected
    }


@pytest.mark.parametrize(
    "name, raw",
    [("VISDOM_READONLY", "maybe"), ("VISDOM_PORT", "eighty"), ("VISDOM_SAVE_INTERVAL", "x")],
)
def test_bad_environment_values_name_the_variable(name, raw):
    with pytest.raises(ValueError, match=name):
        config_module.from_environ({name: raw})


def test_unknown_visdom_variables_are_ignored():
    assert config_module.from_environ({"VISDOM_NOT_A_SETTING": "1", "PATH": "/bin"}) == {}


@pytest.mark.parametrize(
    "raw, expected",
    [("/", ""), ("", ""), (None, ""), ("/vis", "/vis"), ("vis/", "/vis"), (" /a/b/ ", "/a/b")],
)
def test_base_url_normalization(raw, expected):
    assert config_module.normalize_base_url(raw) == expected


@pytest.mark.parametrize("raw, expected", [("debug", "DEBUG"), ("10", 10), (" 30 ", 30)])
def test_logging_level_names_or_numbers(instance, raw, expected):
    settings = load_settings({"INSTANCE_PATH": str(instance), "LOGGING_LEVEL": raw})
    assert settings["LOGGING_LEVEL"] == expected


def test_env_path_is_expanded(instance):
    settings = load_settings({"INSTANCE_PATH": str(instance), "ENV_PATH": "~/somewhere"})
    assert settings["ENV_PATH"] == os.path.join(os.path.expanduser("~"), "somewhere")


def test_unknown_async_mode_is_refused(instance):
    with pytest.raises(ValueError, match="ASYNC_MODE"):
        load_settings({"INSTANCE_PATH": str(instance), "ASYNC_MODE": "tornado"})


@pytest.mark.parametrize("raw", ["0", "70000", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(raw, capsys):
    from app.__main__ import build_parser

    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["-port", raw])
    assert info.value.code == 2
    assert "-port" in capsys.readouterr().err
    assert build_parser().parse_args(["-port", "8097"]).port == 8097
