"""audit.yml: the client description. Loaded with PyYAML's safe loader (no object construction)
and validated with pydantic; every error names the setting and says what is expected."""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .paths import CONFIG_NAME

Objective = Literal[
    "sales", "leads", "traffic", "image", "engagement", "customer_service", "recruitment", "innovation"
]
PLATFORMS = (
    "facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "pinterest",
    "ga4", "ua", "search_console", "google_ads", "meta_ads", "listening", "inbox", "reviews", "surveys",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Account(_Model):
    """The brand or a competitor: its label in the report and how to recognise it in data."""

    name: str = Field(min_length=1)
    # Account names/handles per platform, as they appear in exports (page name, @handle...).
    accounts: dict[str, list[str]] = Field(default_factory=dict)
    # Words that identify it in mentions and search queries (case-insensitive).
    keywords: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)

    @field_validator("accounts", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        if isinstance(v, dict):
            return {k: ([x] if isinstance(x, str) else x) for k, x in v.items()}
        return v

    def handles(self) -> set[str]:
        return {_norm_handle(h) for hs in self.accounts.values() for h in hs} | {_norm_handle(self.name)}


class Period(_Model):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Costs(_Model):
    call_centre_cost_per_contact: float | None = Field(None, ge=0)
    team_hourly_cost: float | None = Field(None, ge=0)
    # Hours per month the team spends on social care, or the share of its time (0-1) with team_hours_per_month.
    social_care_hours_per_month: float | None = Field(None, ge=0)
    team_hours_per_month: float | None = Field(None, ge=0)
    social_care_time_share: float | None = Field(None, ge=0, le=1)
    tool_costs_per_month: float | None = Field(None, ge=0)
    # Revenue attributed to social outside web analytics (e.g. in-store promo codes), per audit period.
    other_social_revenue: float | None = Field(None, ge=0)


class Target(_Model):
    """The target persona the audience is compared with."""

    age_bands: list[str] = Field(default_factory=list)  # e.g. "25-34"
    genders: list[Literal["female", "male", "other"]] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # ISO 3166 alpha-2 codes or names
    cities: list[str] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)


class BusinessHours(_Model):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = ["mon", "tue", "wed", "thu", "fri"]
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)


class Website(_Model):
    # URL path patterns (glob, matched against the page path) of the pages that matter per objective.
    page_patterns: dict[str, list[str]] = Field(default_factory=lambda: {
        "sales": ["/shop*", "/boutique*", "/product*", "/produit*", "/cart*", "/panier*", "/checkout*", "/commande*"],
        "image": ["/about*", "/a-propos*", "/news*", "/actualites*", "/blog*", "/press*"],
        "engagement": ["/newsletter*", "/contact*", "/forum*", "/community*", "/form*"],
        "recruitment": ["/jobs*", "/careers*", "/recrutement*", "/emploi*"],
    })


class Source(_Model):
    """Per-file settings for exports the sniffer cannot place on its own: which account a
    file belongs to, which format it is, and how a tool's custom columns map to ours."""

    match: str  # glob relative to the client folder, e.g. "listening/*.csv" or "**/rival_*"
    account: str | None = None  # brand name or a competitor's name
    platform: str | None = None
    format: str | None = None  # a format id from `audit formats`
    columns: dict[str, str] = Field(default_factory=dict)  # canonical column -> header in the file
    day_first: bool | None = None  # settle ambiguous dates such as 03/04/2025

    def matches(self, relpath: str) -> bool:
        return fnmatch.fnmatch(relpath, self.match) or fnmatch.fnmatch(Path(relpath).name, self.match)


class AuditConfig(_Model):
    client: str = Field(min_length=1)
    brand: Account
    competitors: list[Account] = Field(default_factory=list)
    objectives: list[Objective] = Field(min_length=1)
    period: Period | None = None  # default: the 12 full months before the latest data
    comparison_period: Period | None = None  # default: the 12 months before the period
    timezone: str = "UTC"
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    language: Literal["en", "fr"] = "en"
    costs: Costs = Costs()
    target: Target = Target()
    business_hours: BusinessHours | None = None
    website: Website = Website()
    sources: list[Source] = Field(default_factory=list)
    anonymize: bool = False
    # Extra keyword rules for suggestions/ideas (innovation), added to the built-in EN/FR rules.
    idea_keywords: list[str] = Field(default_factory=list)
    complaint_keywords: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (use an IANA name such as 'Europe/Paris')") from None
        return v

    @model_validator(mode="after")
    def _distinct_names(self):
        names = [self.brand.name] + [c.name for c in self.competitors]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"brand and competitor names must differ; repeated: {sorted(dup)}")
        for s in self.sources:
            if s.account is not None and s.account not in names:
                raise ValueError(f"sources: account {s.account!r} is neither the brand nor a competitor")
        return self

    # --- helpers used by loaders and metrics -------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def accounts(self) -> list[Account]:
        return [self.brand, *self.competitors]

    @property
    def competitor_names(self) -> list[str]:
        return [c.name for c in self.competitors]

    def account_for(self, handle: str | None, platform: str | None = None) -> str | None:
        """Map an account name/handle found in an export to the brand or a competitor name."""
        if not handle:
            return None
        h = _norm_handle(handle)
        for acc in self.accounts:
            if platform and platform in acc.accounts:
                if h in {_norm_handle(x) for x in acc.accounts[platform]}:
                    return acc.name
        for acc in self.accounts:
            if h in acc.handles():
                return acc.name
        return None

    def source_for(self, relpath: str) -> Source | None:
        for s in self.sources:
            if s.matches(relpath):
                return s
        return None


def _norm_handle(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lstrip("@").casefold())


def _format_validation_error(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {msg}")
    return "; ".join(lines)


def load_config(path: str | Path) -> AuditConfig:
    """Read and validate audit.yml (a client folder or the file itself)."""
    p = Path(path)
    if p.is_dir():
        p = p / CONFIG_NAME
    if not p.exists():
        raise ConfigError(f"{p}: no {CONFIG_NAME} found; every client folder needs one (see docs/audit-yml.md)")
    try:
        # libyaml's safe loader where PyYAML has it: the same documents, ten times faster (every kernel reads the file)
        raw = yaml.load(p.read_text(encoding="utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML ({e})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected a mapping of settings at the top level")
    try:
        return AuditConfig.model_validate(raw)
    except ValidationError as e:
        raise ConfigError(f"{p}: {_format_validation_error(e)}") from None
