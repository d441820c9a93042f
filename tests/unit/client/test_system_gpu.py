"""The sampler's GPU reads (visdom_client.system._Gpus) over a stand-in NVML module: units,
titles, a board without power readings, and a machine without a driver. The real driver
path runs in tests/client/test_system_metrics.py where a GPU exists."""

import logging
import sys
import types

from visdom_client.system import _Gpus


class NVMLError(Exception):
    pass


def fake_nvml(count=2, init_error=None, power=True):
    nvml = types.ModuleType("pynvml")
    nvml.NVMLError = NVMLError
    nvml.NVML_TEMPERATURE_GPU = 0

    def init():
        if init_error:
            raise NVMLError(init_error)

    def power_usage(handle):
        if not power:
            raise NVMLError("Not Supported")
        return 250_500 + handle  # milliwatts

    nvml.nvmlInit = init
    nvml.nvmlShutdown = lambda: None
    nvml.nvmlDeviceGetCount = lambda: count
    nvml.nvmlDeviceGetHandleByIndex = lambda i: i
    nvml.nvmlDeviceGetUtilizationRates = lambda h: types.SimpleNamespace(gpu=40 + h, memory=3)
    nvml.nvmlDeviceGetMemoryInfo = lambda h: types.SimpleNamespace(used=(h + 1) * 2**30)
    nvml.nvmlDeviceGetTemperature = lambda h, sensor: 60 + h
    nvml.nvmlDeviceGetPowerUsage = power_usage
    return nvml


def test_every_gpu_metric_in_its_unit(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", fake_nvml(count=2))
    values = _Gpus().read()
    assert values == {
        "system/gpu0/utilization": 40.0,
        "system/gpu0/memory_used_mb": 1024.0,
        "system/gpu0/temperature_c": 60.0,
        "system/gpu0/power_w": 250.5,
        "system/gpu1/utilization": 41.0,
        "system/gpu1/memory_used_mb": 2048.0,
        "system/gpu1/temperature_c": 61.0,
        "system/gpu1/power_w": 250.501,
    }


def test_a_board_without_power_readings_leaves_power_out(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", fake_nvml(count=1, power=False))
    assert sorted(_Gpus().read()) == [
        "system/gpu0/memory_used_mb",
        "system/gpu0/temperature_c",
        "system/gpu0/utilization",
    ]


def test_no_driver_or_no_gpu_is_one_info_line(monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="visdom_client.system")
    for nvml, why in (
        (fake_nvml(init_error="Driver Not Loaded"), "Driver Not Loaded"),
        (fake_nvml(count=0), "found no GPU"),
        (None, "not installed"),
    ):
        caplog.clear()
        monkeypatch.setitem(sys.modules, "pynvml", nvml)  # None: the import fails
        gpus = _Gpus()
        assert gpus.read() == {}
        (record,) = caplog.records
        assert record.levelno == logging.INFO and why in record.getMessage()
