"""t-SNE for the embeddings window, through openTSNE (imported on first use)."""

import numpy as np


def perplexity_for(count):
    """Return the perplexity upstream 0.3.0 uses for `count` entities."""
    if count >= 150:
        base = 50
    elif count >= 21:
        base = count // 3
    else:
        base = 7
    return min(base, max(1, (count - 1) // 3))


def tsne(features, seed=0):
    """Return an Nx2 t-SNE embedding of the rows of `features` (openTSNE, fixed seed)."""
    try:
        from openTSNE import TSNE
    except ImportError as exc:
        raise ImportError("embeddings() needs openTSNE: pip install openTSNE") from exc
    X = np.asarray(features, dtype=float)
    if len(X) < 4:  # too few points for a neighbourhood: any layout is as good
        return np.random.default_rng(seed).normal(size=(len(X), 2))
    model = TSNE(n_components=2, perplexity=perplexity_for(len(X)), random_state=seed, n_jobs=1)
    return np.asarray(model.fit(X))


def normalise(Y):
    """Scale each column of Y to [-1, 1] (a constant column becomes 0)."""
    Y = np.asarray(Y, dtype=float)
    low, high = Y.min(axis=0), Y.max(axis=0)
    span = high - low
    return np.where(span > 0, (Y - low) / np.where(span > 0, span, 1.0) * 2 - 1, 0.0)


def embed(features):
    """Return 2-D positions in [-1, 1] for the rows of `features`."""
    return normalise(tsne(features))
