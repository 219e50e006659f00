"""Social media baseline audits from a client's own platform exports."""
from __future__ import annotations

__version__ = "0.1.0"

from .config import AuditConfig, load_config  # noqa: E402
from .errors import AuditError, ConfigError, DataError  # noqa: E402
from .session import Audit, open_audit  # noqa: E402

__all__ = ["Audit", "AuditConfig", "AuditError", "ConfigError", "DataError", "explore", "load_config",
           "open_audit", "__version__"]


def explore(*args, **kwargs):
    """The interactive explorer (audit.explorer.explore); imported on first use, so the batch
    runs never load ipywidgets."""
    from .explorer import explore as _explore

    return _explore(*args, **kwargs)
