"""Whether a manifest sits in a kustomize tree: kustomize's ``namespace:`` then fills in what
the file leaves out (a ServiceAccount subject's namespace), so its absence is not certain to
reach the API server."""

from __future__ import annotations

import os
from functools import lru_cache

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: How many folders up to look: a base is rarely deeper below its kustomization.
MAX_LEVELS = 6


def under_kustomize(path: str) -> bool:
    """Whether a kustomization file is in the folder of ``path`` or one above it (up to
    ``MAX_LEVELS`` folders, stopping at a repository root)."""
    return _kustomized(os.path.dirname(os.path.abspath(path)), MAX_LEVELS)


@lru_cache(maxsize=1024)
def _kustomized(folder: str, levels: int) -> bool:
    if any(os.path.isfile(os.path.join(folder, name)) for name in KUSTOMIZATION_FILES):
        return True
    parent = os.path.dirname(folder)
    if levels <= 1 or parent == folder or os.path.exists(os.path.join(folder, ".git")):
        return False
    return _kustomized(parent, levels - 1)
