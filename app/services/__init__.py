"""The one write path: every mutation, from HTTP routes, Socket.IO handlers or the raw
/vis_socket channel, goes through a function here.

A service function checks the caller may edit (app.auth.access), asks the store to
validate, journal and apply the change (the store numbers it and publishes it under the
env's lock, so browsers receive changes in store order), then announces what is not
env-ordered (the env list, saved views, events for callbacks) through app.broadcast.
Views parse and answer; nothing here reads a request or emits directly, and nothing here
imports a view (app.sockets, app.blueprints): tests/unit/test_layers.py checks it.

Two read-side modules sit here too, because they combine several store reads with pane
code and keep state across requests: curves.py (the compare aggregate, x by another
metric, envelopes) and runs.py (the runs table's rows, kept incrementally). They change
nothing in the store.
"""
