"""Interactive exploration of one client in JupyterLab (ipywidgets), on the metrics library.

    import audit
    audit.explore("data/demo")      # last line of a cell: the explorer is shown

`data` cuts the client's frames into weeks and windows and calls the metric functions; `app`
holds the widgets; `html` renders escaped tables and safe links. The batch report never uses it.
"""
from __future__ import annotations

from .app import Explorer, explore
from .data import CHOICES, ExploreData

__all__ = ["CHOICES", "ExploreData", "Explorer", "explore"]
