"""Social media baseline audits from a client's own platform exports."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562): `audit run` then starts its kernel
# server before pandas and the rest are loaded, and the batch runs never load ipywidgets.
_LAZY = {"AuditConfig": ".config", "load_config": ".config", "AuditError": ".errors", "ConfigError": ".errors",
         "DataError": ".errors", "Audit": ".session", "open_audit": ".session", "explore": ".explorer"}

__all__ = ["Audit", "AuditConfig", "AuditError", "ConfigError", "DataError", "explore", "load_config",
           "open_audit", "__version__"]

if TYPE_CHECKING:
    from .config import AuditConfig, load_config
    from .errors import AuditError, ConfigError, DataError
    from .explorer import explore
    from .session import Audit, open_audit


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'audit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
