"""Builders for the network graph window and the embeddings window."""

import numpy as np

from ..errors import bad_type, bad_value
from .arrays import to_array
from .common import Request, prepare_opts, window_body
from .traces import normalise_labels


def _edge_order(edges):
    """Return (sorted nodes, edges) deduplicated in the order networkx.Graph reports them."""
    adjacency = {}
    for i, edge in enumerate(edges):
        if len(edge) != 2:
            raise bad_value(f"edges[{i}]", "a (source, target) pair", repr(edge))
        u, v = (int(n) for n in edge)
        adjacency.setdefault(u, {})
        adjacency.setdefault(v, {})
        adjacency[u][v] = None
        adjacency[v][u] = None
    seen, ordered = set(), []
    for node, neighbours in adjacency.items():
        ordered.extend((node, n) for n in neighbours if n not in seen)
        seen.add(node)
    return sorted(adjacency), ordered


def graph(edges, edgeLabels=None, nodeLabels=None, win=None, env=None, opts=None):  # noqa: N803
    """Return the request drawing an undirected or directed network graph."""
    if isinstance(edges, np.ndarray):
        edges = edges.tolist()
    if not isinstance(edges, (list, tuple)):
        raise bad_type("edges", "a list of (source, target) pairs", edges)
    nodes, links = _edge_order(edges)
    for i, node in enumerate(nodes):
        if node != i:
            raise bad_value("edges", f"nodes numbered 0..{len(nodes) - 1}", f"node {i} missing")
    if edgeLabels is not None and len(edgeLabels) != len(links):
        raise bad_value("edgeLabels", f"{len(links)} labels (one per edge)", len(edgeLabels))
    if nodeLabels is not None and len(nodeLabels) != len(nodes):
        raise bad_value("nodeLabels", f"{len(nodes)} labels (one per node)", len(nodeLabels))
    opts = prepare_opts(opts)
    opts.setdefault("directed", False)
    opts.setdefault("showVertexLabels", False)
    opts.setdefault("showEdgeLabels", False)
    opts.setdefault("height", 500)
    opts.setdefault("width", 500)
    opts.setdefault("scheme", "same")
    edge_items = [
        {
            "source": u,
            "target": v,
            "label": str(edgeLabels[i]) if edgeLabels is not None else f"{u}-{v}",
        }
        for i, (u, v) in enumerate(links)
    ]
    node_items = []
    for i, node in enumerate(nodes):
        item = {"name": node, "label": str(nodeLabels[i]) if nodeLabels is not None else str(node)}
        if opts["scheme"] == "different":
            item["club"] = i
        node_items.append(item)
    data = [{"content": {"nodes": node_items, "edges": edge_items}, "type": "network"}]
    return Request("events", window_body(data, win, env, opts))


def embedding_points(labels, positions, indices=None):
    """Return the embeddings point objects for 2-D positions of the selected entities.

    A point's group is its label's index (0.3.0): label - 1 for integer labels >= 1, else
    the rank of the label among the sorted distinct labels.
    """
    labels = [v.item() if isinstance(v, np.generic) else v for v in labels]
    groups, _ = normalise_labels(np.asarray(labels), len(labels))
    indices = range(len(positions)) if indices is None else indices
    return [
        {
            "group": int(groups[i]) - 1,
            "name": f"Entity {i}",
            "label": labels[i],
            "position": [float(positions[n][0]), float(positions[n][1])],
            "idx": int(i),
        }
        for n, i in enumerate(indices)
    ]


def embeddings_loading(win, env, opts):
    """Return the first embeddings request: the window in its loading state."""
    data = [{"content": {"isLoading": True}, "type": "embeddings"}]
    return Request("events", window_body(data, win, env, opts))


def embeddings_content(points, win, env, opts):
    """Return the embeddings request carrying the computed points."""
    data = [{"content": {"data": points}, "type": "embeddings"}]
    return Request("events", window_body(data, win, env, opts))


def embeddings_update(update, win, env, opts):
    """Return an /update request for an embeddings window (EntitySelected/RegionSelected)."""
    return Request("update", window_body(update, win, env, opts))


def check_features(features, labels):
    """Return (features as a 2-D float array, labels as a list), checking they agree."""
    features = np.asarray(to_array(features, "features"), dtype=float)
    if features.ndim != 2:
        raise bad_value("features", "an NxD array", f"shape {features.shape}")
    labels = list(to_array(labels, "labels").tolist())
    if len(labels) != features.shape[0]:
        raise bad_value("labels", f"{features.shape[0]} labels (one per row)", len(labels))
    return features, labels


def prepare_embeddings_opts(opts):
    """Return validated embeddings opts."""
    return prepare_opts(opts)
