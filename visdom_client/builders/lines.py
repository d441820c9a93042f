"""Line, stem and quiver builders, expressed as scatter traces."""

import warnings

import numpy as np

from ..errors import bad_value
from .arrays import require_ndim, require_numeric, to_array
from .common import is_number, prepare_opts
from .fastpath import point_append
from .traces import UPDATE_MODES, UPDATE_MODES_TEXT, remove_trace, scatter


def line(
    Y,
    X=None,
    win=None,
    env=None,
    opts=None,
    update=None,
    name=None,
    first_append=False,
    Z=None,
    is3d=False,
):
    """Return the request drawing (or updating) one line per column of Y.

    Z (same shape as Y, or N shared by every line) makes 3-D lines; is3d=True requires Z.
    """
    if update not in UPDATE_MODES:
        raise bad_value("update", UPDATE_MODES_TEXT, repr(update))
    if update == "remove":
        return remove_trace(win, env, name, opts)
    if is3d and Z is None:
        raise bad_value("Z", "the z-values of a 3-D line (is3d=True)", "None")
    if Z is None:
        fast = point_append(Y, X, win, env, opts, update, name, first_append)
        if fast is not None:
            return fast
    if update is not None and X is None:
        raise bad_value("X", "the x-values of the points to add (update needs X)", "None")
    Y = require_numeric(require_ndim(to_array(Y, "Y"), "Y", (1, 2)), "Y")
    if Y.shape[-1] == 0:
        raise bad_value("Y", "at least one line (a non-empty last dimension)", f"shape {Y.shape}")
    if X is not None:
        X = require_numeric(require_ndim(to_array(X, "X"), "X", (1, 2)), "X")
    if Z is not None:
        Z = require_numeric(require_ndim(to_array(Z, "Z"), "Z", (1, 2)), "Z")
    if Y.ndim == 2 and Y.shape[1] == 1:  # one column is one line, named "1"
        Y = Y.ravel()
        X = X.ravel() if X is not None and X.ndim == 2 and X.shape[1] == 1 else X
        Z = Z.ravel() if Z is not None and Z.ndim == 2 and Z.shape[1] == 1 else Z
    if X is None:
        X = np.linspace(0, 1, Y.shape[0])
    if Y.ndim == 2 and X.ndim == 1:
        X = np.tile(X, (Y.shape[1], 1)).transpose()
    if Z is not None and Y.ndim == 2 and Z.ndim == 1:
        Z = np.tile(Z, (Y.shape[1], 1)).transpose()
    if X.shape != Y.shape:
        raise bad_value("X", f"the shape of Y {Y.shape}", f"shape {X.shape}")
    if Z is not None and Z.shape != Y.shape:
        raise bad_value("Z", f"the shape of Y {Y.shape}", f"shape {Z.shape}")
    opts = _line_opts(opts, is3d=Z is not None)
    columns = [X.ravel(order="F"), Y.ravel(order="F")]
    if Z is not None:
        columns.append(Z.ravel(order="F"))
    points = np.column_stack(columns)
    labels = None if Y.ndim == 1 else np.repeat(np.arange(1, Y.shape[1] + 1), Y.shape[0])
    return scatter(points, labels, win, env, opts, update, name, first_append)


def _line_opts(opts, is3d=False):
    opts = prepare_opts(opts)
    opts.setdefault("markers", False)
    opts.setdefault("fillarea", False)
    if is3d and opts["fillarea"]:
        warnings.warn("fillarea is not supported for 3-D lines; ignored", UserWarning, stacklevel=4)
        opts["fillarea"] = False
    opts["mode"] = "lines+markers" if opts.get("markers") else "lines"
    return opts


def stem(X, Y=None, win=None, env=None, opts=None):
    """Return the request drawing a stem plot of the columns of X (timestamps Y)."""
    X = require_numeric(require_ndim(np.squeeze(to_array(X, "X")), "X", (1, 2)), "X")
    if X.ndim == 1:
        X = X[:, None]
    Y = np.arange(1, X.shape[0] + 1) if Y is None else require_numeric(to_array(Y, "Y"), "Y")
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.shape[0] != X.shape[0] or Y.shape[1] not in (1, X.shape[1]):
        raise bad_value("Y", f"{X.shape[0]} rows and 1 or {X.shape[1]} columns", f"{Y.shape}")
    if Y.shape[1] < X.shape[1]:
        Y = np.tile(Y, (1, X.shape[1]))
    zeros = np.zeros(Y.shape)
    nans = np.full(Y.shape, np.nan)
    rows, cols = X.shape
    X = np.column_stack((zeros, X, nans)).reshape((rows * 3, cols))
    Y = np.column_stack((Y, Y, nans)).reshape((rows * 3, cols))
    points = np.column_stack((Y.flatten(), X.flatten()))
    labels = np.tile(np.arange(1, cols + 1), rows * 3)
    opts = prepare_opts(opts)
    opts["mode"] = "lines"
    return scatter(points, labels, win, env, opts)


def quiver(X, Y, gridX=None, gridY=None, win=None, env=None, opts=None):
    """Return the request drawing arrows (X[i,j], Y[i,j]) at grid points, as line segments."""
    X = require_numeric(require_ndim(to_array(X, "X"), "X", (2,)), "X")
    Y = require_numeric(require_ndim(to_array(Y, "Y"), "Y", (2,)), "Y")
    if Y.shape != X.shape:
        raise bad_value("Y", f"the shape of X {X.shape}", f"shape {Y.shape}")
    n, m = X.shape
    gx = (
        np.broadcast_to(np.arange(n)[:, None], (n, m))
        if gridX is None
        else to_array(gridX, "gridX")
    )
    gy = (
        np.broadcast_to(np.arange(m)[None, :], (n, m))
        if gridY is None
        else to_array(gridY, "gridY")
    )
    for arg, grid in (("gridX", gx), ("gridY", gy)):
        if grid.shape != X.shape:
            raise bad_value(arg, f"the shape of X {X.shape}", f"shape {grid.shape}")
    opts = prepare_opts(opts)
    opts["mode"] = "lines"
    opts.setdefault("arrowheads", True)
    norm = opts.get("normalize", False)
    if norm:
        if not is_number(norm) or norm <= 0:
            raise bad_value("opts['normalize']", "a positive number", repr(norm))
        longest = np.sqrt(np.add(np.multiply(X, X), np.multiply(Y, Y))).max()
        X = X / (longest / norm)
        Y = Y / (longest / norm)
    nans = np.full(n * m, np.nan)
    tip_x, tip_y = gx + X, gy + Y
    seg_x = np.column_stack((gx.flatten(), tip_x.flatten(), nans)).reshape(-1)
    seg_y = np.column_stack((gy.flatten(), tip_y.flatten(), nans)).reshape(-1)
    points = np.column_stack((seg_x, seg_y))
    if opts["arrowheads"]:
        alpha, beta = 0.33, 0.33  # head length and half-width, relative to the arrow
        x_beta, y_beta = (X + 1e-5) * beta, (Y + 1e-5) * beta
        left_x = np.add(-alpha * np.add(X, y_beta), tip_x)
        right_x = np.add(-alpha * np.add(X, -y_beta), tip_x)
        left_y = np.add(-alpha * np.add(Y, -x_beta), tip_y)
        right_y = np.add(-alpha * np.add(Y, x_beta), tip_y)
        head_x = np.column_stack((left_x.flatten(), tip_x.flatten(), right_x.flatten(), nans))
        head_y = np.column_stack((left_y.flatten(), tip_y.flatten(), right_y.flatten(), nans))
        heads = np.column_stack((head_x.reshape(-1), head_y.reshape(-1)))
        points = np.concatenate((points, heads), axis=0)
    return scatter(points, None, win, env, opts)
