"""argolint: a static linter and analyzer for Argo Workflows manifests."""

__version__ = "0.1.0"
