"""System metrics next to the training curves: a background sampler (CPU, memory, disk,
network, and per NVIDIA GPU through nvidia-ml-py) that appends to windows titled `system/...`.

`SystemSampler(vis, env)` samples every `interval` seconds on a daemon thread and appends
one point per metric through `vis.line(..., update="append")`, so a client created with
`nonblocking=True` only queues the point (the training loop never waits on the network).
The x axis is seconds since the sampler started. Run standalone, for jobs that do not use
this client: `python -m visdom_client.system --env E [--interval S]`.
"""

import atexit
import logging
import threading
import time
import weakref

from ..errors import bad_value

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# The GPU windows' suffixes: system/gpu<i>/<name>.
_GPU_METRICS = ("utilization", "memory_used_mb", "temperature_c", "power_w")


def window_id(title):
    """Return the window id of a metric window: its title with "/" as "_" (system_cpu_percent)."""
    return title.replace("/", "_")


class _Gpus:
    """The NVIDIA GPUs nvidia-ml-py sees; `handles` is empty when there is none or no driver."""

    def __init__(self):
        self.handles = []
        self.nvml = None
        try:
            import pynvml
        except ImportError:
            logger.info("visdom system metrics: no GPU metrics (nvidia-ml-py not installed)")
            return
        try:
            pynvml.nvmlInit()
            count = pynvml.nvmlDeviceGetCount()
            self.handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
        except Exception as exc:  # noqa: BLE001 - NVMLError of any kind: no usable driver
            logger.info("visdom system metrics: no GPU metrics (NVML: %s)", exc)
            return
        self.nvml = pynvml
        if not self.handles:
            logger.info("visdom system metrics: no GPU metrics (NVML found no GPU)")

    def read(self):
        """Return {title: value} for every GPU metric the driver answers."""
        values = {}
        nvml = self.nvml
        for i, handle in enumerate(self.handles):
            for name in _GPU_METRICS:
                try:
                    values[f"system/gpu{i}/{name}"] = self._one(nvml, handle, name)
                except Exception:  # noqa: BLE001 - e.g. power not supported on this board
                    continue
        return values

    @staticmethod
    def _one(nvml, handle, name):
        if name == "utilization":
            return float(nvml.nvmlDeviceGetUtilizationRates(handle).gpu)
        if name == "memory_used_mb":
            return nvml.nvmlDeviceGetMemoryInfo(handle).used / MB
        if name == "temperature_c":
            return float(nvml.nvmlDeviceGetTemperature(handle, nvml.NVML_TEMPERATURE_GPU))
        return nvml.nvmlDeviceGetPowerUsage(handle) / 1000  # milliwatts

    def close(self):
        if self.nvml is not None:
            try:
                self.nvml.nvmlShutdown()
            except Exception:  # noqa: BLE001 - shutting down an already broken driver
                pass
            self.nvml = None


class Probe:
    """Read the machine's and this process's figures; rates are since the previous read."""

    def __init__(self, pid=None):
        import psutil

        self.psutil = psutil
        self.process = psutil.Process(pid)
        # cpu_percent(None) measures since the previous call: prime both now.
        psutil.cpu_percent(None)
        self.process.cpu_percent(None)
        self._io = self._counters()
        self._at = time.monotonic()
        self.gpus = _Gpus()

    def _counters(self):
        disk = self.psutil.disk_io_counters()
        net = self.psutil.net_io_counters()
        return (
            (disk.read_bytes, disk.write_bytes) if disk is not None else None,
            (net.bytes_recv, net.bytes_sent) if net is not None else None,
        )

    def read(self):
        """Return {title: {trace name: value}} for one sample."""
        psutil = self.psutil
        now = time.monotonic()
        io = self._counters()
        elapsed = max(now - self._at, 1e-6)
        values = {
            "system/cpu_percent": {"cpu": psutil.cpu_percent(None)},
            "system/process_cpu_percent": {"process": self.process.cpu_percent(None)},
            "system/memory": {"used %": psutil.virtual_memory().percent},
            "system/process_rss_mb": {"rss": self.process.memory_info().rss / MB},
        }
        for title, names, now_io, before in (
            ("system/disk_mb_s", ("read", "write"), io[0], self._io[0]),
            ("system/network_mb_s", ("recv", "sent"), io[1], self._io[1]),
        ):
            if now_io is not None and before is not None:
                rates = ((a - b) / MB / elapsed for a, b in zip(now_io, before, strict=True))
                values[title] = dict(zip(names, rates, strict=True))
        self._io, self._at = io, now
        for title, value in self.gpus.read().items():
            values[title] = {title.rsplit("/", 1)[1]: value}
        return values

    def close(self):
        self.gpus.close()


class SystemSampler:
    """Append system metrics to `env` (default: the client's) every `interval` seconds.

    Starts at once on a daemon thread; `stop()` (also called at exit and by the client's
    shutdown) ends it. The x of each point is seconds since the sampler started; each
    window is titled `system/<metric>` and has the id `system_<metric>`.
    """

    def __init__(self, vis, env=None, interval=2.0, start=True):
        if (
            not isinstance(interval, int | float)
            or isinstance(interval, bool)
            or not 0 < interval < float("inf")
        ):
            raise bad_value("interval", "a number of seconds > 0", repr(interval))
        self.vis = vis
        self.env = vis.env if env is None else env
        self.interval = float(interval)
        self.samples = 0
        self._stop = threading.Event()
        self._thread = None
        self._probe = Probe()
        self._started = time.monotonic()
        if start:
            self.start()

    def start(self):
        """Start the sampling thread (once)."""
        if self._thread is not None:
            return self
        if self.env != self.vis.env:
            self._create_env()
        self._thread = threading.Thread(target=self._run, name="visdom-system", daemon=True)
        self._thread.start()
        atexit.register(_stop_at_exit, weakref.ref(self))
        return self

    def _create_env(self):
        """Make the env exist (an append to a window of a missing env is refused), as the
        client's constructor does for its own env."""
        try:
            self.vis._send({"eid": self.env}, endpoint="env/" + self.env)
        except Exception as exc:  # noqa: BLE001 - sampling retries every interval anyway
            logger.warning("visdom system metrics: could not create env %r: %s", self.env, exc)

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def sample(self):
        """Take one sample now and append it; return the values sent ({title: {trace: v}})."""
        values = self._probe.read()
        x = round(time.monotonic() - self._started, 3)
        for title, traces in values.items():
            for name, value in traces.items():
                self.vis.line(
                    [value],
                    [x],
                    win=window_id(title),
                    env=self.env,
                    update="append",
                    name=name,
                    opts={"title": title, "xlabel": "seconds", "showlegend": len(traces) > 1},
                )
        self.samples += 1
        return values

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                self.sample()
            except Exception as exc:  # noqa: BLE001 - a lost sample must not end sampling
                if self._stop.is_set():
                    return
                logger.debug("visdom system metrics: sample failed: %s", exc)

    def stop(self, timeout=5.0):
        """Stop sampling; return once the thread has ended (or after `timeout` seconds)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._probe.close()


def _stop_at_exit(ref):
    sampler = ref()
    if sampler is not None:
        sampler.stop(timeout=1.0)
