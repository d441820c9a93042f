"""Plot methods of Visdom (line, scatter, heatmap, bar, ...): build, then send."""

from . import builders
from .builders import charts, grids, lines, traces
from .builders.fastpath import point_append
from .builders.plotly import save_figure


class PlotMixin:
    """Plotting methods with upstream's signatures; see the builders for the opts."""

    def _is_drawn(self, win, env):  # pragma: no cover - provided by Visdom
        raise NotImplementedError

    def _first_append(self, update, win, env):
        return update == "append" and win is not None and not self._is_drawn(win, env)

    def line(
        self, Y, X=None, win=None, env=None, opts=None, update=None, name=None, Z=None, is3d=False
    ):
        """Draw one line per column of Y (N or NxM) against X; update='append' adds points.

        Z (like Y) draws 3-D lines. update: 'append', 'replace' (or 'insert', the same:
        the trace `name` is replaced, or added if missing), 'remove' (trace `name`).
        opts: fillarea, markers, markersymbol, markersize, linecolor, dash, legend,
        store_history (keep every call as a frame of a plot_history window), plus the
        generic title/xlabel/ylabel/... opts.
        """
        first = self._first_append(update, win, env)
        if update == "append" and Z is None:
            request = point_append(Y, X, win, env, opts, update, name, first)
            if request is not None:
                return self._request(request)
        request = lines.line(Y, X, win, env, opts, update, name, first, Z=Z, is3d=is3d)
        return self._request(self._history_endpoint(request, opts, win, env))

    def scatter(self, X, Y=None, win=None, env=None, opts=None, update=None, name=None):
        """Draw an Nx2 or Nx3 scatter plot, coloured by the labels Y (any values).

        opts.store_history keeps every call as a frame of a plot_history window.
        """
        first = self._first_append(update, win, env)
        request = traces.scatter(X, Y, win, env, opts, update, name, first)
        return self._request(self._history_endpoint(request, opts, win, env))

    def _history_endpoint(self, request, opts, win, env):
        """Send a plot_history frame to /update when its window exists (as 0.3.0 does)."""
        if not (isinstance(opts, dict) and opts.get("store_history")) or win is None:
            return request
        if self.win_exists(win, env):
            return request._replace(endpoint="update")
        return request

    def stem(self, X, Y=None, win=None, env=None, opts=None):
        """Draw a stem plot of the columns of X, at timestamps Y."""
        return self._request(lines.stem(X, Y, win, env, opts))

    def quiver(self, X, Y, gridX=None, gridY=None, win=None, env=None, opts=None):  # noqa: N803
        """Draw arrows of components (X, Y) at grid points; opts: normalize, arrowheads."""
        return self._request(lines.quiver(X, Y, gridX, gridY, win, env, opts))

    def heatmap(self, X, win=None, env=None, update=None, opts=None):
        """Draw (or update row/column-wise) a heatmap of the NxM array X."""
        return self._request(grids.heatmap(X, win, env, opts, update))

    def surf(self, X, win=None, env=None, opts=None):
        """Draw the NxM array X as a 3-D surface."""
        return self._request(grids.surface(X, "surface", win, env, opts))

    def contour(self, X, win=None, env=None, opts=None):
        """Draw the NxM array X as a contour plot."""
        return self._request(grids.surface(X, "contour", win, env, opts))

    def bar(self, X, Y=None, win=None, env=None, opts=None):
        """Draw bars for the N or NxM array X at x-values Y; opts: stacked, legend, rownames."""
        return self._request(charts.bar(X, Y, win, env, opts))

    def histogram(self, X, win=None, env=None, opts=None):
        """Draw a histogram of the 1-D data X; opts: numbins."""
        return self._request(charts.histogram(X, win, env, opts))

    def boxplot(self, X, win=None, env=None, opts=None):
        """Draw one box per column of X; opts: legend."""
        return self._request(charts.boxplot(X, win, env, opts))

    def pie(self, X, win=None, env=None, opts=None):
        """Draw a pie chart of the non-negative values X; opts: legend."""
        return self._request(charts.pie(X, win, env, opts))

    def mesh(self, X, Y=None, win=None, env=None, opts=None):
        """Draw a mesh of vertices X and polygons Y; opts: color, opacity."""
        return self._request(charts.mesh(X, Y, win, env, opts))

    def sunburst(self, labels, parents, values=None, win=None, env=None, opts=None):
        """Draw a sunburst chart; opts: size, font_color, opacity, marker_width."""
        return self._request(charts.sunburst(labels, parents, values, win, env, opts))

    def dual_axis_lines(self, X=None, Y1=None, Y2=None, opts=None, win=None, env=None):  # noqa: N803
        """Draw Y1 and Y2 against X with a second y axis on the right."""
        env = self.env if env is None else env
        return self._request(charts.dual_axis_lines(X, Y1, Y2, win, env, opts))

    def plotlyplot(self, figure, win=None, env=None, save_path=None, save_kwargs=None):
        """Draw a plotly Figure (or a {"data", "layout"} dict) as it is.

        save_path also writes the figure to that image file (see save_plotly_figure), with
        save_kwargs passed to plotly's write_image.
        """
        if save_path is not None:
            self.save_plotly_figure(figure, save_path, **(save_kwargs or {}))
        return self._request(builders.plotlyplot(figure, win, env))

    def save_plotly_figure(self, figure, filepath, **kwargs):
        """Write a plotly Figure to an image file (png, svg, pdf... from the extension).

        Runs figure.write_image(filepath, **kwargs) locally, which needs kaleido; sends
        nothing.
        """
        save_figure(figure, filepath, **kwargs)

    def update_window_opts(self, win, opts, env=None):
        """Change the opts (title, axis labels, ...) of an existing plot without new data."""
        body = {"win": win, "eid": env, "layout": builders.layout_from_opts(opts), "opts": opts}
        return self._send(body, endpoint="update")
