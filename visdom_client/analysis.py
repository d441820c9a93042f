"""Plot methods added by upstream 0.3.0: evaluation curves, distributions, flows, tables."""

import numpy as np

from .builders import charts, distributions, evaluation, html
from .builders.arrays import require_numeric, to_array
from .errors import bad_type, bad_value


class AnalysisMixin:
    """Methods with upstream 0.3.0's signatures; the builders document the opts."""

    def table(self, headers, data, win=None, env=None, opts=None):
        """Show rows (lists or tuples, one cell per header) as a styled HTML table."""
        return self._request(html.table(headers, data, win, env, opts))

    def sankey(self, source, target, value, labels=None, win=None, env=None, opts=None):
        """Draw a Sankey diagram of links source[i] -> target[i] carrying value[i]."""
        return self._request(charts.sankey(source, target, value, labels, win, env, opts))

    def violin(self, X, win=None, env=None, opts=None):
        """Draw one violin per column of X (N or NxM)."""
        return self._request(distributions.violin(X, win, env, opts))

    def histogram2d(self, X, Y, win=None, env=None, opts=None):
        """Draw a 2-D histogram of the points (X[i], Y[i])."""
        return self._request(distributions.histogram2d(X, Y, win, env, opts))

    def parallel_coordinates(self, X, Y=None, win=None, env=None, opts=None):
        """Draw each row of X (N experiments x M dimensions) across M axes, coloured by Y."""
        return self._request(distributions.parallel_coordinates(X, Y, win, env, opts))

    def confusion_matrix(
        self,
        y_true=None,
        y_pred=None,
        cm=None,
        labels=None,
        normalize=None,
        update=None,
        win=None,
        env=None,
        opts=None,
    ):
        """Draw a confusion matrix from label vectors or a count matrix `cm`.

        normalize: None, 'true' (rows), 'pred' (columns) or 'all'. update='replace' redraws
        window `win`; update='remove' deletes it.
        """
        request = evaluation.confusion_matrix(
            y_true, y_pred, cm, labels, normalize, update, win, env, opts
        )
        return self._request(request)

    def roc_curve(
        self,
        y_true=None,
        y_score=None,
        fpr=None,
        tpr=None,
        pos_label=1,
        win=None,
        env=None,
        opts=None,
    ):
        """Draw the ROC curve of scores y_score for labels y_true (or given fpr and tpr)."""
        request = evaluation.roc_curve(y_true, y_score, fpr, tpr, pos_label, win, env, opts)
        return self._request(request)

    def pr_curve(
        self,
        y_true=None,
        y_score=None,
        precision=None,
        recall=None,
        pos_label=1,
        win=None,
        env=None,
        opts=None,
    ):
        """Draw the precision-recall curve of y_score for y_true (or given precision, recall)."""
        request = evaluation.pr_curve(y_true, y_score, precision, recall, pos_label, win, env, opts)
        return self._request(request)

    def learning_curve(self, metrics, step=None, win=None, env=None, opts=None, update=None):
        """Draw one line per metric of {name: value or series} against `step`.

        With update ('append', 'replace', 'remove') each metric is one request to the trace
        of its name; 'append' needs `step`. Returns the window id.
        """
        names, series = _metric_series(metrics)
        if step is None:
            if update == "append":
                raise bad_value("step", "the x-value(s) of the points to append", "None")
            X = np.arange(len(series[0]))
        else:
            X = np.atleast_1d(np.squeeze(require_numeric(to_array(step, "step"), "step")))
            if X.ndim != 1 or len(X) != len(series[0]):
                raise bad_value("step", f"{len(series[0])} x-values", f"shape {X.shape}")
        opts = {} if opts is None else dict(opts)
        opts.setdefault("title", "Learning Curve")
        opts.setdefault("xlabel", "step")
        opts.setdefault("ylabel", "metric")
        if opts.get("legend") is None:
            opts["legend"] = names
        elif not isinstance(opts["legend"], list | tuple) or len(opts["legend"]) < len(names):
            raise bad_value("opts['legend']", f"at least {len(names)} names", opts["legend"])
        if update is None:
            return self.line(np.column_stack(series), X, win=win, env=env, opts=opts)
        result = None
        for name, values in zip(names, series, strict=True):
            metric_opts = None if update == "remove" else {**opts, "legend": [name]}
            result = self.line(
                values, X, win=win, env=env, opts=metric_opts, update=update, name=name
            )
        return result


def _metric_series(metrics):
    """Return (names, equal-length 1-D arrays) from a {name: value or series} mapping."""
    if not hasattr(metrics, "items"):
        raise bad_type("metrics", "a mapping {name: value or series}", metrics)
    names, series = [], []
    for key, value in metrics.items():
        name = str(key)
        values = np.atleast_1d(np.squeeze(require_numeric(to_array(value, name), name)))
        if values.ndim != 1 or values.shape[0] == 0:
            raise bad_value(
                f"metrics[{name!r}]", "a number or a non-empty 1-D series", values.shape
            )
        names.append(name)
        series.append(values)
    if not names:
        raise bad_value("metrics", "at least one metric", "an empty mapping")
    for name, values in zip(names, series, strict=True):
        if len(values) != len(series[0]):
            raise bad_value(f"metrics[{name!r}]", f"{len(series[0])} values", len(values))
    return names, series
