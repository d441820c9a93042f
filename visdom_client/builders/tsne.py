"""A small exact t-SNE in numpy (no extra dependency), normalised to [-1, 1] like upstream."""

import numpy as np


def perplexity_for(count):
    """Return the perplexity upstream uses for `count` entities."""
    if count >= 150:
        return 50
    if count >= 21:
        return count // 3
    return 7


def _affinities(features, perplexity, tol=1e-5, steps=50):
    """Return the symmetric joint probabilities P of the high-dimensional points."""
    squared = np.sum(features**2, axis=1)
    dist = np.maximum(squared[:, None] + squared[None, :] - 2 * features @ features.T, 0)
    n = len(features)
    target = np.log(min(perplexity, max(n - 1, 1)))
    P = np.zeros((n, n))
    for i in range(n):
        d = np.delete(dist[i], i)
        beta, lo, hi = 1.0, 0.0, np.inf
        for _ in range(steps):
            p = np.exp(-(d - d.min()) * beta)
            total = p.sum()
            entropy = np.log(total) + beta * np.sum(d * p) / total - beta * d.min()
            if abs(entropy - target) < tol:
                break
            if entropy > target:
                lo, beta = beta, beta * 2 if hi == np.inf else (beta + hi) / 2
            else:
                hi, beta = beta, (beta + lo) / 2
        P[i, np.arange(n) != i] = p / total
    P = (P + P.T) / (2 * n)
    return np.maximum(P, 1e-12)


def tsne(features, iterations=500, seed=0):
    """Return an Nx2 t-SNE embedding of the rows of `features`."""
    X = np.asarray(features, dtype=float)
    n = len(X)
    if n < 3:
        return np.random.default_rng(seed).normal(size=(n, 2))
    X = X - X.mean(axis=0)
    P = _affinities(X, perplexity_for(n))
    Y = np.random.default_rng(seed).normal(scale=1e-4, size=(n, 2))
    velocity = np.zeros_like(Y)
    for step in range(iterations):
        exaggeration = 12.0 if step < 100 else 1.0
        momentum = 0.5 if step < 250 else 0.8
        squared = np.sum(Y**2, axis=1)
        num = 1.0 / (1.0 + squared[:, None] + squared[None, :] - 2 * Y @ Y.T)
        np.fill_diagonal(num, 0)
        Q = np.maximum(num / num.sum(), 1e-12)
        weights = (exaggeration * P - Q) * num
        grad = 4 * ((np.diag(weights.sum(axis=1)) - weights) @ Y)
        velocity = momentum * velocity - 200.0 * grad
        Y = Y + velocity
        Y = Y - Y.mean(axis=0)
    return Y


def normalise(Y):
    """Scale each column of Y to [-1, 1]."""
    Y = np.asarray(Y, dtype=float)
    low, high = Y.min(axis=0), Y.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((Y - low) / span) * 2 - 1


def embed(features):
    """Return 2-D positions in [-1, 1] for the rows of `features`."""
    return normalise(tsne(features))
