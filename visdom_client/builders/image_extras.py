"""Image helpers of 0.3.0: a heatmap blended over an image, and the image-history slider."""

import math
import numbers

import numpy as np

from ..errors import bad_type, bad_value
from .arrays import require_numeric, to_array
from .common import Request, is_number, prepare_opts, window_body
from .images import encode_pixels, to_chw, to_uint8


def _colormap(name):
    """Return a function mapping values in [0, 1] to RGB floats in [0, 1]."""
    try:
        from matplotlib import colormaps
    except ImportError:  # matplotlib is optional: a blue-to-red ramp

        def ramp(values):
            return np.stack([values, np.zeros_like(values), 1.0 - values], axis=-1)

        return ramp
    cmap = colormaps[name] if name in colormaps else colormaps["jet"]
    return lambda values: cmap(values)[..., :3]


def _heat_values(heatmap, shape):
    heat = np.asarray(require_numeric(to_array(heatmap, "heatmap"), "heatmap"), dtype=np.float32)
    if heat.shape != shape:
        raise bad_value("heatmap", f"the image's height x width {shape}", f"shape {heat.shape}")
    heat = np.nan_to_num(heat, nan=0.0, posinf=1.0, neginf=0.0)
    low, high = float(heat.min()), float(heat.max())
    if low < 0.0 or high > 1.0:  # outside [0, 1]: min-max scale
        heat = (heat - low) / (high - low) if high > low else np.zeros_like(heat)
    return heat


def image_heatmap(img, heatmap, win=None, env=None, opts=None):
    """Return the request showing `heatmap` (HxW) blended over `img` as one image window.

    opts: alpha (blend strength in [0, 1], default 0.5; a pixel's weight is alpha times
    its heat), colormap (a matplotlib colormap name, default "jet"), normalize (min-max
    scale the image), caption, jpgquality.
    """
    opts = prepare_opts(opts)
    alpha = opts.get("alpha", 0.5)
    if not is_number(alpha) or not 0.0 <= alpha <= 1.0:
        raise bad_value("opts['alpha']", "a number in [0, 1]", repr(alpha))
    base = to_chw(img)
    if base.ndim == 3 and base.shape[0] == 2:
        raise bad_value("img", "1, 3 or 4 channels", "2 channels")
    if not np.issubdtype(base.dtype, np.floating) and base.dtype != np.uint8:
        base = base.astype(np.float64)
    base = to_uint8(base, bool(opts.get("normalize", False)))
    if base.ndim == 2:
        base = base[np.newaxis]
    rgb = np.repeat(base, 3, axis=0) if base.shape[0] == 1 else base[:3]
    rgb = np.transpose(rgb, (1, 2, 0)).astype(np.float32)
    height, width = rgb.shape[:2]
    heat = _heat_values(heatmap, (height, width))
    colours = (_colormap(opts.get("colormap", "jet"))(heat) * 255).astype(np.uint8)
    weight = (heat * float(alpha))[:, :, np.newaxis].astype(np.float32)
    blended = ((1.0 - weight) * rgb + weight * colours.astype(np.float32)).clip(0, 255)
    src = encode_pixels(blended.astype(np.uint8), opts.get("jpgquality"))
    opts.setdefault("width", width)
    opts.setdefault("height", height)
    data = [{"content": {"src": src, "caption": opts.get("caption")}, "type": "image"}]
    return Request("events", window_body(data, win, env, opts))


def slider_index(index, argument="index"):
    """Return a frame index as an int: ints, integral floats, numpy integer scalars or 0-d
    arrays; bools, fractions and non-finite values are refused."""
    if isinstance(index, np.ndarray):
        if index.size != 1:
            raise bad_type(argument, "one integer", index)
        index = index.item()
    elif isinstance(index, np.generic):
        index = index.item()
    if isinstance(index, bool):
        raise bad_type(argument, "an integer (not a bool)", index)
    if isinstance(index, numbers.Integral):
        return int(index)
    if isinstance(index, numbers.Real):
        if not math.isfinite(index) or not float(index).is_integer():
            raise bad_value(argument, "an integer frame index", repr(index))
        return int(index)
    raise bad_type(argument, "an integer frame index", index)


def select_frame(win, index, env=None):
    """Return the /update request showing frame `index` of an image-history window."""
    if win is None:
        raise bad_value("win", "the id of an image-history window", "None")
    data = [{"type": "image_update_selected", "selected": index}]
    return Request("update", {"data": data, "win": win, "eid": env})
