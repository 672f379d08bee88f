"""The field app (``routeplan serve``) over the plan store.

Sign-in links, the reps' phone pages, the managers' live page and the JSON API ``/api/v1``.
"""

from routeplan.serve.app import create_app
from routeplan.serve.options import ServeOptions

__all__ = ["ServeOptions", "create_app"]
