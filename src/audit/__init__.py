"""Social media baseline audits from a client's own platform exports."""
from __future__ import annotations

__version__ = "0.1.0"

from .config import AuditConfig, load_config  # noqa: E402
from .errors import AuditError, ConfigError, DataError  # noqa: E402
from .session import Audit, open_audit  # noqa: E402

__all__ = ["Audit", "AuditConfig", "AuditError", "ConfigError", "DataError", "load_config", "open_audit",
           "__version__"]
