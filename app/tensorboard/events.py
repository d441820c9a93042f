"""Decode serialized TensorBoard `Event`s into plain items the mirror stores.

The protobufs are tensorboard's own (tensorboard.compat.proto, the hparams plugin's
plugin_data_pb2); nothing here imports TensorFlow or torch. Both summary styles are read:
the TF1 one (simple_value, Summary.Image, HistogramProto) that tensorboardX and
torch.utils.tensorboard write, and the TF2 one (a tensor with a plugin name: "scalars",
"images", "histograms", "text").

Items are tuples `(kind, tag, step, wall, payload)`:

    scalar     payload float
    image      payload (bytes, caption)              (checked and encoded by the mirror)
    text       payload str
    histogram  payload [9 values]                   TensorBoard's distribution percentiles
    hparams    payload {"params": {...}} / {"status": "finished"|"failed"} /
               {"metrics": [names]}                  (tag None)
"""

import numpy as np
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.proto.types_pb2 import DT_DOUBLE, DT_FLOAT, DT_HALF
from tensorboard.plugins.hparams import plugin_data_pb2

# TensorBoard's distribution dashboard shows these percentiles (in basis points): the
# median, the bands of ±1, ±1.5 and ±2 standard deviations of a normal, and min/max.
BASIS_POINTS = (0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000)
PERCENTILE_NAMES = tuple(f"p{bp / 100:g}" for bp in BASIS_POINTS)
TEXT_SUFFIX = "/text_summary"  # tensorboardX's and torch's add_text append it to the tag
HPARAMS_PREFIX = "_hparams_/"
# tensorboard.plugins.hparams.api_pb2.Status: SUCCESS 1, FAILURE 2, RUNNING 3, UNKNOWN 0
_STATUS = {1: "finished", 2: "failed"}
_FLOATS = {DT_FLOAT: np.float32, DT_DOUBLE: np.float64, DT_HALF: np.float16}


class BadEvent(ValueError):
    """An event (or one value of it) that cannot be read; the message says why."""


def parse_event(data):
    """Return the `Event` protobuf of one record's data, or raise BadEvent."""
    try:
        return event_pb2.Event.FromString(data)
    except Exception as exc:  # protobuf's DecodeError, or invalid UTF-8 in a string field
        raise BadEvent(f"not an Event protobuf ({exc})") from None


def decode(event):
    """Return the items of one Event (a list; empty for file versions, graphs, ...)."""
    if not event.HasField("summary"):
        return []
    step, wall = event.step, event.wall_time
    items = [_decode_value(value, step, wall) for value in event.summary.value]
    return [item for item in items if item is not None]


def _decode_value(value, step, wall):
    kind = value.WhichOneof("value")
    if kind == "simple_value":  # the common case first: TF1-style scalars carry no plugin
        return ("scalar", value.tag, step, wall, value.simple_value)
    plugin = value.metadata.plugin_data.plugin_name if value.HasField("metadata") else ""
    tag = value.tag
    if plugin == "hparams":
        return ("hparams", None, step, wall, _hparams(value.metadata.plugin_data.content))
    if kind == "image":
        return ("image", tag, step, wall, (value.image.encoded_image_string, None))
    if kind == "histo":
        h = value.histo
        limits = np.asarray(h.bucket_limit, dtype=np.float64)
        counts = np.asarray(h.bucket, dtype=np.float64)
        if len(limits) != len(counts):
            raise BadEvent(f"histogram {tag!r}: {len(limits)} limits for {len(counts)} buckets")
        lefts = np.concatenate(([h.min], limits[:-1])) if len(limits) else limits
        return ("histogram", tag, step, wall, percentiles(lefts, limits, counts, h.min, h.max))
    if kind != "tensor":
        return None
    tensor = value.tensor
    if plugin == "scalars":
        values = _floats(tensor, tag)
        if values.size != 1:
            raise BadEvent(f"scalar {tag!r} holds {values.size} values")
        return ("scalar", tag, step, wall, float(values.reshape(-1)[0]))
    if plugin == "text":
        texts = [s.decode("utf-8", "replace") for s in tensor.string_val]
        title = tag[: -len(TEXT_SUFFIX)] if tag.endswith(TEXT_SUFFIX) else tag
        return ("text", title, step, wall, "\n\n".join(texts))
    if plugin == "images":
        # [width, height, image, image, ...]: the first image (as TensorBoard shows by default)
        if len(tensor.string_val) < 3:
            raise BadEvent(f"image {tag!r} holds no image")
        return ("image", tag, step, wall, (tensor.string_val[2], None))
    if plugin == "histograms":
        rows = _floats(tensor, tag)
        if rows.size == 0:
            return None
        rows = rows.reshape(-1, 3)  # [left, right, count] per bucket
        lo, hi = float(rows[:, 0].min()), float(rows[:, 1].max())
        return (
            "histogram",
            tag,
            step,
            wall,
            percentiles(rows[:, 0], rows[:, 1], rows[:, 2], lo, hi),
        )
    return None


def _floats(tensor, tag):
    dtype = _FLOATS.get(tensor.dtype)
    if dtype is None:
        raise BadEvent(f"{tag!r}: tensor dtype {tensor.dtype} is not a float type")
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, dtype=dtype).astype(np.float64)
    if tensor.dtype == DT_DOUBLE:
        return np.asarray(tensor.double_val, dtype=np.float64)
    if tensor.dtype == DT_HALF:
        return np.asarray(tensor.half_val, dtype=np.uint16).view(np.float16).astype(np.float64)
    return np.asarray(tensor.float_val, dtype=np.float64)


def percentiles(lefts, rights, counts, lo, hi):
    """Return the BASIS_POINTS percentiles of a bucketed histogram (interpolated in buckets).

    Bucket edges beyond the histogram's own min/max (TensorFlow's ±DBL_MAX outer
    limits) are clamped to them. An empty histogram gives NaN everywhere.
    """
    counts = np.clip(np.nan_to_num(np.asarray(counts, dtype=np.float64)), 0, None)
    total = counts.sum()
    if total <= 0 or not len(counts):
        return [float("nan")] * len(BASIS_POINTS)
    lo, hi = float(lo), float(hi)
    lefts = np.clip(np.asarray(lefts, dtype=np.float64), lo, hi)
    rights = np.clip(np.asarray(rights, dtype=np.float64), lo, hi)
    cum = np.cumsum(counts)
    out = []
    for bp in BASIS_POINTS:
        target = total * bp / 10000.0
        i = min(int(np.searchsorted(cum, target, side="left")), len(counts) - 1)
        while i < len(counts) - 1 and counts[i] == 0:
            i += 1  # the first bucket that holds the target point
        before = cum[i - 1] if i else 0.0
        frac = (target - before) / counts[i] if counts[i] else 0.0
        value = lefts[i] + min(max(frac, 0.0), 1.0) * (rights[i] - lefts[i])
        out.append(float(min(max(value, lo), hi)))
    return out


def _hparams(content):
    try:
        data = plugin_data_pb2.HParamsPluginData.FromString(content)
    except Exception as exc:
        raise BadEvent(f"hparams plugin data cannot be read ({exc})") from None
    which = data.WhichOneof("data")
    if which == "session_start_info":
        params = {}
        for name, v in data.session_start_info.hparams.items():
            kind = v.WhichOneof("kind")
            if kind == "number_value":
                number = v.number_value
                params[name] = (
                    int(number) if number.is_integer() and abs(number) < 2**53 else number
                )
            elif kind in ("string_value", "bool_value"):
                params[name] = getattr(v, kind)
        return {"params": params}
    if which == "session_end_info":
        return {"status": _STATUS.get(data.session_end_info.status, "finished")}
    if which == "experiment":
        return {"metrics": [m.name.tag for m in data.experiment.metric_infos if m.name.tag]}
    return {}
