"""Pure functions turning user data into visdom window requests (no network)."""

from .charts import bar, boxplot, dual_axis_lines, histogram, mesh, pie, sunburst
from .common import Request, layout_from_opts, prepare_opts
from .grids import heatmap, surface
from .html import audio, matplot, properties, svg, text, video
from .images import grid, image
from .lines import line, quiver, stem
from .network import graph
from .plotly import plotlyplot
from .traces import remove_trace, scatter

__all__ = [
    "Request",
    "audio",
    "bar",
    "boxplot",
    "dual_axis_lines",
    "graph",
    "grid",
    "heatmap",
    "histogram",
    "image",
    "layout_from_opts",
    "line",
    "matplot",
    "mesh",
    "pie",
    "plotlyplot",
    "prepare_opts",
    "properties",
    "quiver",
    "remove_trace",
    "scatter",
    "stem",
    "sunburst",
    "surface",
    "svg",
    "text",
    "video",
]
