"""Accounts, login views, tokens and the users CLI (wired up by app.security.init_app)."""
