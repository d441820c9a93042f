"""Image builders: one image (PNG/JPEG data URI) and a grid of images."""

import base64
import io
import math

import numpy as np

from ..errors import bad_value
from .arrays import is_pil_image, require_numeric, to_array
from .common import Request, prepare_opts, window_body


def _channels_first(img):
    """Return img as CxHxW or HxW; HxWxC input (e.g. from PIL) is transposed."""
    if img.ndim == 3 and img.shape[0] not in (1, 2, 3, 4) and img.shape[2] in (1, 3, 4):
        return np.transpose(img, (2, 0, 1))
    return img


def to_chw(img, argument="img"):
    """Convert an image input to a numeric CxHxW or HxW array, checking its shape."""
    was_pil = is_pil_image(img)
    img = require_numeric(to_array(img, argument), argument)
    if was_pil and img.ndim == 3:
        img = np.transpose(img, (2, 0, 1))
    img = _channels_first(img)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[0] not in (1, 2, 3, 4)):
        raise bad_value(argument, "an HxW or CxHxW image with 1-4 channels", f"shape {img.shape}")
    return img


def to_uint8(img, normalize=False):
    """Return the image as uint8, converting floats as upstream 0.3.0 does.

    Floats within [0, 1] are scaled by 255, floats within [-1, 1] are mapped from [-1, 1]
    to [0, 255], anything else is clipped; normalize=True min-max scales instead. NaN
    becomes 0. Integers are clipped to [0, 255]; booleans become 0 or 255.
    """
    if img.dtype == np.bool_:
        return img.astype(np.uint8) * 255
    if not np.issubdtype(img.dtype, np.floating):
        return np.clip(img, 0, 255).astype(np.uint8)
    finite = img[np.isfinite(img)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if normalize:
        img = (img - low) / (high - low) * 255.0 if high > low else np.zeros_like(img)
    elif low >= -1e-5 and high <= 1.0 + 1e-5:
        img = img * 255.0
    elif low >= -1.0 - 1e-5 and high <= 1.0 + 1e-5:
        img = (img + 1.0) / 2.0 * 255.0
    img = np.nan_to_num(img, nan=0.0, posinf=255.0, neginf=0.0)
    return np.clip(img, 0, 255).astype(np.uint8)


def to_hwc(img):
    """Return a uint8 CxHxW or HxW array as what PIL reads: HxW (gray), HxWx3 or HxWx4."""
    if img.ndim == 2:
        return img
    if img.shape[0] == 1:
        return img[0]
    if img.shape[0] == 2:
        raise bad_value("img", "1 (gray), 3 (RGB) or 4 (RGBA) channels", "2 channels")
    return np.transpose(img, (1, 2, 0))


def encode_pixels(pixels, jpgquality=None):
    """Encode an HxW, HxWx3 or HxWx4 uint8 array as a PNG (or JPEG) data URI.

    RGBA stays PNG even with jpgquality, as JPEG has no alpha channel.
    """
    from PIL import Image

    buffer = io.BytesIO()
    kind, save_args = "png", {}
    if jpgquality is not None and not (pixels.ndim == 3 and pixels.shape[2] == 4):
        kind, save_args = "jpeg", {"quality": jpgquality}
    Image.fromarray(pixels).save(buffer, format=kind.upper(), **save_args)
    return f"data:image/{kind};base64," + base64.b64encode(buffer.getvalue()).decode("utf-8")


def encode_image(img, jpgquality=None, normalize=False):
    """Encode a CxHxW or HxW image array as a data URI (gray stays one channel)."""
    return encode_pixels(to_hwc(to_uint8(img, normalize)), jpgquality)


def image(img, win=None, env=None, opts=None, history_append=False):
    """Return the request showing an image; with opts.store_history, into an image history.

    history_append: add to an existing history window through /update (one request; with
    "append" the server creates the window if it is missing).
    """
    opts = prepare_opts(opts)
    img = to_chw(img)
    opts.setdefault("width", img.shape[-1])
    opts.setdefault("height", img.shape[-2])
    history = bool(opts.get("store_history"))
    src = encode_image(img, opts.get("jpgquality"), bool(opts.get("normalize", False)))
    content = {"src": src, "caption": opts.get("caption")}
    data = [{"content": content, "type": "image_history" if history else "image"}]
    body = window_body(data, win, env, opts)
    if history and history_append and win is not None:
        body["append"] = True
        return Request("update", body)
    return Request("events", body)


def grid(tensor, nrow=8, padding=2):
    """Tile a BxCxHxW batch (or a list of images) into one CxH'xW' image, like upstream."""
    if isinstance(tensor, (list, tuple)):
        items = [to_chw(t, "tensor") for t in tensor]
        tensor = np.stack([t[np.newaxis] if t.ndim == 2 else t for t in items], 0)
    tensor = require_numeric(to_array(tensor, "tensor"), "tensor")
    if tensor.ndim == 2:
        tensor = tensor[np.newaxis]
    if tensor.ndim == 3:
        return np.repeat(tensor, 3, 0) if tensor.shape[0] == 1 else tensor
    if tensor.ndim != 4:
        raise bad_value("tensor", "a BxCxHxW batch or a list of images", f"shape {tensor.shape}")
    if nrow < 1 or padding < 0:
        raise bad_value("nrow/padding", "nrow >= 1 and padding >= 0", f"{nrow}/{padding}")
    if tensor.shape[1] == 1:
        tensor = np.repeat(tensor, 3, 1)
    count = tensor.shape[0]
    cols = min(nrow, count)
    rows = int(math.ceil(float(count) / cols))
    cell_h, cell_w = tensor.shape[2] + 2 * padding, tensor.shape[3] + 2 * padding
    # Upstream places each image one pixel further down/right than the padding; the extra
    # pixel below keeps padding=0 from overflowing (upstream crashes there).
    extra = 1 if padding == 0 else 0
    out = np.ones([tensor.shape[1], cell_h * rows + extra, cell_w * cols + extra])
    for k in range(count):
        top = (k // cols) * cell_h + 1 + padding
        left = (k % cols) * cell_w + 1 + padding
        out[:, top : top + tensor.shape[2], left : left + tensor.shape[3]] = tensor[k]
    return out
