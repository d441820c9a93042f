"""Turn user inputs (numpy, lists, scalars, torch tensors, PIL images) into numpy arrays."""

import math
import numbers
import sys

import numpy as np

from ..errors import bad_type, bad_value, describe


def is_torch_tensor(value):
    """Return True if value is a torch tensor; never imports torch itself."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def is_pil_image(value):
    """Return True if value is a PIL image; never imports PIL itself."""
    image_mod = sys.modules.get("PIL.Image")
    return image_mod is not None and isinstance(value, image_mod.Image)


def to_array(value, argument, allow_none=False):
    """Convert value to a numpy array, or raise a TypeError naming the argument."""
    if value is None:
        if allow_none:
            return None
        raise bad_type(argument, "an array, list or number", value)
    if isinstance(value, np.ndarray):
        return value
    if is_torch_tensor(value):
        return value.detach().cpu().numpy()
    if is_pil_image(value):
        return pil_to_array(value)
    if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, bool):
        return np.asarray([value])
    if isinstance(value, (list, tuple, range)):
        try:
            converted = [to_array(v, argument) if is_torch_tensor(v) else v for v in value]
            return np.asarray(converted)
        except ValueError as exc:
            raise bad_value(argument, "a rectangular (non-ragged) list", describe(value)) from exc
    if hasattr(value, "__array__"):
        return np.asarray(value)
    raise bad_type(argument, "a numpy array, list, number or torch tensor", value)


def pil_to_array(image):
    """Return a PIL image as an HxW or HxWxC uint8 array."""
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return np.asarray(image)


def require_ndim(array, argument, allowed):
    """Raise ArgumentError unless array.ndim is one of allowed."""
    if array.ndim not in allowed:
        dims = " or ".join(f"{d}-D" for d in allowed)
        raise bad_value(argument, f"a {dims} array", f"shape {array.shape}")
    return array


def require_numeric(array, argument):
    """Raise ArgumentTypeError unless the array holds numbers."""
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise bad_type(argument, "numeric values", f"dtype {array.dtype}")
    return array


def nan_to_none(values):
    """Replace NaN by None in a (nested) list of numbers, in place; return the list."""
    for i, v in enumerate(values):
        if isinstance(v, list):
            nan_to_none(v)
        elif isinstance(v, float) and math.isnan(v):
            values[i] = None
    return values


def json_default(value):
    """Serialize numpy scalars and arrays for json.dumps."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if is_torch_tensor(value):
        return value.detach().cpu().tolist()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
