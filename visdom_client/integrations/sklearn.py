"""Log every scikit-learn fit() to visdom (scikit-learn is imported only by autolog())."""

import datetime
import functools
import threading
import time
from html import escape

from ..client import Visdom

KEY_STYLE = "style='padding:2px 10px 2px 0;color:#555;white-space:nowrap;vertical-align:top'"
VALUE_STYLE = "style='padding:2px 0;vertical-align:top'"
BOX_STYLE = "style='font-family:monospace;font-size:12px;padding:6px;line-height:1.5'"
TITLE_STYLE = (
    "style='font-size:14px;font-weight:bold;border-bottom:1px solid #ddd;"
    "padding-bottom:4px;margin-bottom:6px'"
)
SECTION_STYLE = (
    "style='font-size:10px;font-weight:bold;text-transform:uppercase;color:#888;margin:8px 0 4px'"
)


def _row(key, value):
    return f"<tr><td {KEY_STYLE}>{escape(str(key))}</td><td {VALUE_STYLE}>{escape(str(value))}</td></tr>"


def _card(name, summary_rows, section, param_rows):
    return (
        f"<div {BOX_STYLE}><div {TITLE_STYLE}>{escape(name)}</div>"
        f"<table>{''.join(summary_rows)}</table>"
        f"<div {SECTION_STYLE}>{section}</div><table>{''.join(param_rows)}</table></div>"
    )


class VisdomSklearnLogger:
    """Send a summary of every estimator fit() to visdom.

    VisdomSklearnLogger.autolog(vis) patches fit() of every scikit-learn estimator: a plain
    fit shows a text window (dataset shape, train score, fit time, parameters); a
    GridSearchCV/RandomizedSearchCV fit shows a bar chart of the mean test score per
    parameter combination and a text window with the best parameters. Only the outermost
    fit() of nested fits is logged. `restore()` undoes the patching.
    """

    active = None
    _originals = {}  # estimator class -> its own fit, before patching

    def __init__(self, viz=None, env=None):
        if viz is None:
            viz = Visdom()
        self.viz = viz
        self.env = env
        self._local = threading.local()

    @classmethod
    def autolog(cls, viz=None, env=None):
        """Patch every estimator's fit(); env defaults to the client's env, or
        "sklearn_<timestamp>" when that is "main". Returns the logger."""
        try:
            from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
            from sklearn.utils import all_estimators
        except ImportError as exc:
            raise ImportError("autolog() needs scikit-learn: pip install scikit-learn") from exc
        logger = cls(viz, env)
        own_env = getattr(logger.viz, "env", None)
        stamp = datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
        logger.env = env or (own_env if own_env not in (None, "main") else f"sklearn_{stamp}")
        cls.active = logger
        for search in (GridSearchCV, RandomizedSearchCV):
            cls._patch(search, search=True)
        for _, estimator in all_estimators():
            cls._patch(estimator, search=False)
        return logger

    @classmethod
    def restore(cls):
        """Put every patched fit() back and stop logging."""
        for estimator, original in cls._originals.items():
            if original is None:
                del estimator.fit
            else:
                estimator.fit = original
        cls._originals.clear()
        cls.active = None

    @classmethod
    def _patch(cls, estimator, search):
        fit = getattr(estimator, "fit", None)
        if fit is None or getattr(fit, "_visdom_patched", False):
            return
        cls._originals[estimator] = estimator.__dict__.get("fit")

        @functools.wraps(fit)
        def patched_fit(model, *args, **kwargs):
            logger = cls.active
            if logger is None:
                return fit(model, *args, **kwargs)
            depth = getattr(logger._local, "depth", 0)
            logger._local.depth = depth + 1
            started = time.time()
            try:
                result = fit(model, *args, **kwargs)
            finally:
                logger._local.depth = depth
            if depth == 0:
                seconds = time.time() - started
                if search:
                    logger.log_search(model, seconds)
                else:
                    logger.log_fit(model, args[0] if args else None, args[1:2], seconds)
            return result

        patched_fit._visdom_patched = True
        estimator.fit = patched_fit

    def log_search(self, search, seconds):
        """Show a CV search: mean test score per parameter combination, best parameters."""
        results = search.cv_results_
        refit = getattr(search, "refit", None)
        key = f"mean_test_{refit}" if isinstance(refit, str) else None
        if key not in results:
            key = next((k for k in results if k.startswith("mean_test_")), "mean_test_score")
        scores = results[key]
        opts = {
            "title": f"{type(search).__name__} CV scores",
            "xlabel": "param combo",
            "ylabel": key,
            "rownames": [f"combo_{i}" for i in range(len(scores))],
        }
        self.viz.bar(X=scores, env=self.env, opts=opts)
        if hasattr(search, "best_score_"):
            summary = [_row("best_score", f"{search.best_score_:.4f}")]
            summary.append(_row("fit_time", f"{seconds:.2f}s"))
            params = [_row(k, v) for k, v in sorted(search.best_params_.items())]
        else:
            summary = [_row("fit_time", f"{seconds:.2f}s")]
            summary.append(_row("note", "refit=False: best_score_/best_params_ unavailable"))
            params = []
        name = type(search).__name__
        self.viz.text(_card(name, summary, "Best Params", params), env=self.env)

    def log_fit(self, model, X, rest, seconds):
        """Show a plain fit: dataset shape, train score, fit time and parameters."""
        summary = [_row("fit_time", f"{seconds:.2f}s")]
        shape = getattr(X, "shape", None)
        if shape is not None:
            columns = shape[1] if len(shape) > 1 else 1
            summary.insert(0, _row("dataset", f"{shape[0]} x {columns}"))
        try:
            score = model.score(X, *rest)
            summary.append(_row("train_score", f"{score:.4f}"))
        except Exception:  # noqa: BLE001 - models without score(), or unscorable data
            pass
        params = [_row(k, v) for k, v in sorted(model.get_params().items())]
        self.viz.text(_card(type(model).__name__, summary, "Params", params), env=self.env)
