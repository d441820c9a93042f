"""The runs table: every experiment of the server in one sortable, filterable page."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

bp = Blueprint("runs", __name__)

# How often the page reads /api/experiments again (new runs and metrics show up live).
POLL_MS = 3000


@bp.get("/runs")
def runs_page():
    """Show the runs table (the rows come from GET /api/experiments, read by runs.js)."""
    config = current_app.config
    login = bool(config.get("ENABLE_LOGIN"))
    role = getattr(current_user, "role", None) if login else "editor"
    page = {
        "base_url": config["BASE_URL"],
        "readonly": bool(config.get("READONLY")) or role == "viewer",
        "user": getattr(current_user, "id", None) if login else None,
        "login_enabled": login,
        "poll_ms": int(config.get("RUNS_POLL_MS") or POLL_MS),
    }
    return render_template("runs.html", page=page)
