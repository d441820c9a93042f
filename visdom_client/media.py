"""Non-plot methods of Visdom: text, images, media, properties, graphs and embeddings."""

import logging

import numpy as np

from .builders import html, image_extras, images, network, tsne
from .errors import bad_type

logger = logging.getLogger("visdom_client")


class MediaMixin:
    """Window methods whose content is not a plotly plot."""

    def text(self, text, win=None, env=None, opts=None, append=False):
        """Show HTML text; append=True adds it (after a <br>) to an existing text window."""
        return self._request(html.text(text, win, env, opts, append))

    def properties(self, data, win=None, env=None, opts=None):
        """Show editable properties: a list of {"type", "name", "value"(, "values")} dicts.

        Types: text, number, button, checkbox, select. Edits reach event handlers as
        PropertyUpdate events with `propertyId` and `value`.
        """
        return self._request(html.properties(data, win, env, opts))

    def svg(self, svgstr=None, svgfile=None, win=None, env=None, opts=None):
        """Show an SVG given as a string or a file name."""
        return self._request(html.svg(svgstr, svgfile, win, env, opts))

    def matplot(self, plot, opts=None, env=None, win=None):
        """Show a matplotlib figure (as SVG); opts.resizable scales it with the pane."""
        return self._request(html.matplot(plot, win, env, opts))

    def audio(self, tensor=None, audiofile=None, win=None, env=None, opts=None):
        """Play a waveform (N or Nx2) or an audio file; opts: sample_frequency."""
        return self._request(html.audio(tensor, audiofile, win, env, opts))

    def video(self, tensor=None, dim="LxHxWxC", videofile=None, win=None, env=None, opts=None):
        """Play frames (LxHxWxC or LxCxHxW, needs PyAV) or a video file; opts: fps, loop."""
        return self._request(html.video(tensor, dim, videofile, win, env, opts))

    def image(self, img, win=None, env=None, opts=None):
        """Show an image (CxHxW or HxW array, PIL image or tensor; floats in [0, 1]).

        opts: caption, jpgquality, store_history (keep earlier images behind a slider).
        """
        history = bool(opts and opts.get("store_history")) and win is not None
        return self._request(images.image(img, win, env, opts, history_append=history))

    def image_heatmap(self, img, heatmap, win=None, env=None, opts=None):
        """Show a heatmap (HxW, values in [0, 1] or min-max scaled) blended over an image.

        opts: alpha (default 0.5), colormap (matplotlib name, default "jet"), normalize,
        caption, jpgquality. The blend is computed here and sent as a plain image.
        """
        return self._request(image_extras.image_heatmap(img, heatmap, win, env, opts))

    def image_select(self, win, selected, env=None):
        """Show frame `selected` (an int; the server clamps it) of an image-history window."""
        if isinstance(selected, bool) or not isinstance(selected, int):
            raise bad_type("selected", "an int frame index", selected)
        return self._request(image_extras.select_frame(win, selected, env))

    def update_image_slider(self, win, index, env=None):
        """Like image_select, but `index` may also be an integral float or a numpy integer."""
        index = image_extras.slider_index(index)
        return self._request(image_extras.select_frame(win, index, env))

    def images(self, tensor, nrow=8, padding=2, win=None, env=None, opts=None):
        """Show a BxCxHxW batch (or a list of images) as one grid, nrow images per row."""
        return self.image(images.grid(tensor, nrow, padding), win, env, opts)

    def graph(self, edges, edgeLabels=None, nodeLabels=None, opts=None, env=None, win=None):  # noqa: N803
        """Draw a network of nodes 0..n-1 from (source, target) edges.

        opts: directed, showVertexLabels, showEdgeLabels, scheme ("same"/"different").
        """
        return self._request(network.graph(edges, edgeLabels, nodeLabels, win, env, opts))

    def embeddings(
        self, features, labels, data_getter=None, data_type=None, win=None, env=None, opts=None
    ):
        """Show a 2-D t-SNE map of NxD features, grouped by label; returns the window id.

        data_getter(i) -> HTML previews entity i on hover (data_type="html"); a lasso
        selection re-runs t-SNE (openTSNE) on the selected points.
        opts.register_embedding_events=False leaves the hover/lasso events unanswered.
        """
        features, labels = network.check_features(features, labels)
        opts = network.prepare_embeddings_opts(opts)
        win = self._request(network.embeddings_loading(win, env, opts))
        points = network.embedding_points(labels, tsne.embed(features))
        win = self._request(network.embeddings_content(points, win, env, opts))
        self.win_data[win] = {
            "features": features,
            "labels": labels,
            "points": points,
            "data": data_getter,
            "data_type": data_type,
            "env": env,
            "opts": opts,
        }
        if self.use_socket and opts.get("register_embedding_events", True):
            handler = _EmbeddingsHandler(self, features, labels, data_getter, data_type, env, opts)
            self.register_event_handler(handler, win, env)
        return win


class _EmbeddingsHandler:
    """Answer embeddings events: previews on hover, a new t-SNE map for a lasso selection."""

    def __init__(self, vis, features, labels, data_getter, data_type, env, opts):
        self.vis, self.features, self.labels = vis, features, labels
        self.data_getter, self.data_type, self.env, self.opts = data_getter, data_type, env, opts

    def __call__(self, event):
        kind = event.get("event_type")
        if kind == "EntitySelected":
            html = "<div>No preview available</div>"
            if self.data_getter is not None and self.data_type == "html":
                html = self.data_getter(int(event["idx"]))
            update = {
                "update_type": "EntitySelected",
                "selected": {"html": html, "entityId": event["entityId"]},
            }
        elif kind == "RegionSelected":
            chosen = [int(i) for i in event["selectedIdxs"]]
            positions = tsne.embed(np.take(self.features, chosen, axis=0))
            points = network.embedding_points(self.labels, positions, chosen)
            update = {"update_type": "RegionSelected", "points": points}
        else:
            return
        request = network.embeddings_update(update, event["target"], self.env, self.opts)
        self.vis._request(request)
