"""The version of routeplan (one place; the package, the CLI and export manifests read it)."""

__version__ = "0.1.0"
