"""The wandb-style media types: Image, Histogram, Table, Html (what `log` accepts beside numbers).

Each is built eagerly (a bad input fails at the constructor, naming it) and knows how to
draw itself into one window of a run with `draw(vis, env, win, key, step)`.
"""

import html
import io
import os
import pathlib

import numpy as np

MAX_GRID_COLUMNS = 8


def _numpy(data):
    """Return a numpy array of an array-like or a tensor (torch never imported here)."""
    if hasattr(data, "detach"):  # a torch tensor: off the graph and the device first
        data = data.detach().cpu()
    if hasattr(data, "numpy") and not isinstance(data, np.ndarray):
        data = data.numpy()
    return np.asarray(data)


def _to_uint8(array, normalize=True):
    """Return an image array as uint8: floats in [0, 1] scaled, in [-1, 1] mapped, else clipped."""
    if array.dtype == np.uint8:
        return array
    array = np.nan_to_num(array.astype(np.float64), nan=0.0, posinf=255.0, neginf=0.0)
    if normalize and array.size:
        low, high = float(array.min()), float(array.max())
        if low >= 0 and high <= 1:
            array = array * 255
        elif low >= -1 and high <= 1:
            array = (array + 1) * 127.5
    return np.clip(np.rint(array), 0, 255).astype(np.uint8)


class Image:
    """An image to log: a numpy array (HxW, HxWxC or CxHxW), a torch tensor (CxHxW), a PIL
    image or a file path. Float pixels in [0, 1] are scaled to 0-255, in [-1, 1] mapped."""

    def __init__(self, data_or_path, mode=None, caption=None, normalize=True, **kwargs):
        unsupported = sorted(k for k, v in kwargs.items() if v is not None)
        if unsupported:
            raise NotImplementedError(
                f"wandb.Image({', '.join(unsupported)}=...): not supported by visdom_client.wandb "
                "(log the image, and boxes or masks drawn into it)"
            )
        from PIL import Image as PILImage

        self.caption = None if caption is None else str(caption)
        if isinstance(data_or_path, (str, pathlib.Path)):
            if not os.path.isfile(data_or_path):
                raise FileNotFoundError(f"wandb.Image: no image file at {str(data_or_path)!r}")
            with PILImage.open(data_or_path) as opened:
                image = opened.convert(mode) if mode else opened.copy()
        elif isinstance(data_or_path, PILImage.Image):
            image = data_or_path.convert(mode) if mode else data_or_path.copy()
        else:
            tensor = hasattr(data_or_path, "detach")
            array = _numpy(data_or_path)
            if array.ndim == 3 and array.shape[-1] not in (1, 3, 4) and array.shape[0] in (1, 3, 4):
                array = array.transpose(1, 2, 0)  # CxHxW
            elif tensor and array.ndim == 3 and array.shape[0] in (1, 3, 4):
                array = array.transpose(1, 2, 0)  # torch's layout, as wandb reads it
            if array.ndim == 3 and array.shape[-1] == 1:
                array = array[..., 0]
            if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
                raise ValueError(
                    f"wandb.Image: expected HxW, HxWxC or CxHxW pixels (C = 1, 3 or 4), got "
                    f"shape {array.shape}"
                )
            if not np.issubdtype(array.dtype, np.number) and array.dtype != np.bool_:
                raise TypeError(f"wandb.Image: expected numeric pixels, got {array.dtype}")
            image = PILImage.fromarray(_to_uint8(array, normalize))
            if mode:
                image = image.convert(mode)
        self.image = image

    @property
    def width(self):
        return self.image.width

    @property
    def height(self):
        return self.image.height

    def __repr__(self):
        return f"<wandb.Image {self.width}x{self.height}>"

    @staticmethod
    def draw_all(images, vis, env, win, key, step):
        """Draw one image (or a grid of several) as a new frame of the key's history window."""
        captions = [i.caption for i in images if i.caption]
        picture = images[0].image if len(images) == 1 else _grid([i.image for i in images])
        caption = f"step {step}" + (": " + " | ".join(captions) if captions else "")
        opts = {"store_history": True, "title": key, "caption": caption}
        return vis.image(
            picture.convert("RGBA" if picture.mode == "RGBA" else "RGB"),
            win=win,
            env=env,
            opts=opts,
        )


def _grid(pictures, pad=2):
    """Return the pictures tiled in rows of up to MAX_GRID_COLUMNS, white between them."""
    from PIL import Image as PILImage

    columns = min(len(pictures), MAX_GRID_COLUMNS)
    rows = -(-len(pictures) // columns)
    cell_w = max(p.width for p in pictures)
    cell_h = max(p.height for p in pictures)
    sheet = PILImage.new(
        "RGB", (columns * (cell_w + pad) + pad, rows * (cell_h + pad) + pad), "white"
    )
    for n, picture in enumerate(pictures):
        row, column = divmod(n, columns)
        sheet.paste(
            picture.convert("RGB"), (pad + column * (cell_w + pad), pad + row * (cell_h + pad))
        )
    return sheet


class Histogram:
    """A distribution to log: `sequence` (any array of numbers; NaN and ±Inf left out) binned
    into `num_bins`, or `np_histogram=(counts, bin_edges)` as numpy.histogram returns it.

    Each log adds a frame to the key's window (a slider walks through the steps)."""

    def __init__(self, sequence=None, np_histogram=None, num_bins=64):
        if np_histogram is not None:
            counts, edges = (_numpy(part).astype(np.float64) for part in np_histogram)
            if counts.ndim != 1 or edges.shape != (counts.size + 1,):
                raise ValueError(
                    "wandb.Histogram(np_histogram=...): expected (counts, bin_edges) with one "
                    f"more edge than counts, got shapes {counts.shape} and {edges.shape}"
                )
        elif sequence is not None:
            values = _numpy(sequence).astype(np.float64).ravel()
            values = values[np.isfinite(values)]
            if not values.size:
                raise ValueError("wandb.Histogram: the sequence holds no finite number")
            counts, edges = np.histogram(values, bins=int(num_bins))
        else:
            raise ValueError("wandb.Histogram: give `sequence` or `np_histogram`")
        self.histogram = counts
        self.bins = edges

    def __repr__(self):
        return f"<wandb.Histogram {self.histogram.size} bins>"

    def draw(self, vis, env, win, key, step):
        """Add this histogram as the step's frame of the key's plot-history window."""
        centers = (self.bins[:-1] + self.bins[1:]) / 2
        opts = {
            "store_history": True,
            "title": key,
            "caption": f"step {step}",
            "xlabel": key,
            "ylabel": "count",
            "fillarea": True,
        }
        return vis.line(Y=self.histogram, X=centers, win=win, env=env, opts=opts)


class Table:
    """Rows under named columns, shown as an HTML table window (every cell escaped).

    Table(columns=[...], data=[[...], ...]) or Table(dataframe=df); add_data(*row) and
    add_column(name, values) add to it. An Image in a cell is shown by its size and caption.
    """

    def __init__(self, columns=None, data=None, rows=None, dataframe=None, **_ignored):
        if dataframe is not None:
            columns = [str(c) for c in dataframe.columns]
            data = dataframe.values.tolist()
        data = data if data is not None else rows
        data = [list(row) for row in (data or [])]
        if columns is None:
            width = len(data[0]) if data else 0
            columns = [f"col{i + 1}" for i in range(width)]
        self.columns = [str(c) for c in columns]
        self.data = []
        for row in data:
            self.add_data(*row)

    def add_data(self, *row):
        """Append one row (one cell per column)."""
        if len(row) != len(self.columns):
            raise ValueError(
                f"wandb.Table.add_data: expected {len(self.columns)} cells "
                f"({', '.join(self.columns)}), got {len(row)}"
            )
        self.data.append(list(row))

    def add_column(self, name, data):
        """Append a column: one value per existing row."""
        if self.data and len(data) != len(self.data):
            raise ValueError(
                f"wandb.Table.add_column: expected {len(self.data)} values, got {len(data)}"
            )
        self.columns.append(str(name))
        if not self.data:
            self.data = [[] for _ in data]
        for row, value in zip(self.data, data, strict=True):
            row.append(value)

    def get_column(self, name):
        """Return the values of column `name`."""
        index = self.columns.index(name)
        return [row[index] for row in self.data]

    def __repr__(self):
        return f"<wandb.Table {len(self.data)}x{len(self.columns)}>"

    def draw(self, vis, env, win, key, step):
        """Show the table (replacing the key's previous one)."""
        rows = [[_cell(value) for value in row] for row in self.data]
        return vis.table(self.columns, rows, win=win, env=env, opts={"title": key})


def _cell(value):
    if isinstance(value, Image):
        return (
            f"[image {value.width}x{value.height}{': ' + value.caption if value.caption else ''}]"
        )
    if isinstance(value, float):
        return repr(value)
    return str(value)


class Html:
    """HTML to log (a string, a pathlib.Path or an open file); sanitized by the page like any text."""

    def __init__(self, data, inject=True):
        if isinstance(data, pathlib.Path):
            data = pathlib.Path(data).read_text(encoding="utf-8")
        elif isinstance(data, io.IOBase) or hasattr(data, "read"):
            data = data.read()
        if not isinstance(data, str):
            raise TypeError(
                f"wandb.Html: expected a string, a path or a file, got {type(data).__name__}"
            )
        self.html = data

    def __repr__(self):
        return f"<wandb.Html {len(self.html)} chars>"

    def draw(self, vis, env, win, key, step):
        """Show the HTML in the key's text window (replacing the previous one)."""
        return vis.text(self.html, win=win, env=env, opts={"title": key})


def text_line(value, step):
    """Return one escaped line "step N: value" for a string logged under a key."""
    return f"<div>step {step}: {html.escape(value)}</div>"
