"""The runs table: every experiment of the server in one sortable, filterable page."""

from flask import Blueprint, current_app, render_template

from .common import caller_page_data

bp = Blueprint("runs", __name__)

# How often the page reads /api/experiments again (new runs and metrics show up live).
POLL_MS = 3000


@bp.get("/runs")
def runs_page():
    """Show the runs table (the rows come from GET /api/experiments, read by runs.js)."""
    config = current_app.config
    page = {
        "base_url": config["BASE_URL"],
        **caller_page_data(),
        "poll_ms": int(config.get("RUNS_POLL_MS") or POLL_MS),
    }
    return render_template("runs.html", page=page)
