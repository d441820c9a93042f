"""WSGI entry point: `gunicorn wsgi:app` (see gunicorn.conf.py) or `flask --app wsgi run`."""

from app import create_app
from app.__main__ import freeze_startup

app = create_app()
freeze_startup()  # as `python -m app` does: see there
