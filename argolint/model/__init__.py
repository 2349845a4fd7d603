"""Thin, read-only views over the YAML nodes of Argo documents.

Every view keeps its node, so every fact a rule states has a position. Views tolerate any
shape (a template that is a string, ``templates: null``): what is malformed is simply
absent here, and the schema rule reports it.
"""

from argolint.model.manifest import Manifest, manifest_of
from argolint.model.template import (
    TEMPLATE_TYPES,
    Artifact,
    Parameter,
    Step,
    Task,
    Template,
)

__all__ = [
    "TEMPLATE_TYPES",
    "Artifact",
    "Manifest",
    "Parameter",
    "Step",
    "Task",
    "Template",
    "manifest_of",
]
