"""Charts and table helpers the notebooks share, so that every section looks the same.

Each chart function draws one finished chart (titled and labelled through `style.finish`)
and returns its matplotlib Figure; the notebook then calls `plt.show()`. Nothing here
computes a metric: the figures come from `audit.metrics`, these functions only lay them out.
Colours: the brand and competitors from `style.account_colors`, verdicts and sentiment from
the Okabe-Ito palette (colour-blind safe) below.
"""
from __future__ import annotations

import textwrap
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from . import style

VERDICT_COLORS = {
    "higher": "#009E73",                   # bluish green
    "lower": "#D55E00",                    # vermillion
    "no reliable difference": "#8C8C8C",
    "not enough data": "#D9D9D9",
}
SENTIMENT_COLORS = {"positive": "#009E73", "neutral": "#BBBBBB", "negative": "#D55E00"}
HIGHLIGHT_COLOR = "#D55E00"

PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "linkedin": "LinkedIn",
                  "youtube": "YouTube", "tiktok": "TikTok", "pinterest": "Pinterest", "other web": "Other web"}
# A verdict in a table cell: short, and readable without colour.
VERDICT_SHORT = {"higher": "▲ higher", "lower": "▼ lower", "no reliable difference": "no difference",
                 "not enough data": "too few posts"}

# How compare_content / top_posts name the per-post value they used, in words.
MEASURE_LABELS = {
    "er_reach": "engagement rate by reach",
    "er_impressions": "engagement rate by impressions",
    "er_followers": "engagement rate by followers",
    "engagement": "engagements per post",
}

# Posting slots: the report compares three parts of the day rather than 24 single hours
# (24 comparisons would show a "significant" hour by chance alone).
SLOTS = (("morning (before 11:00)", 0, 11), ("midday (11:00-14:59)", 11, 15), ("evening (from 15:00)", 15, 24))
SLOT_ORDER = [s[0] for s in SLOTS]


# ------------------------------------------------------------------------------ small helpers
def pretty(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """The columns a reader needs, in this order, under readable names:
    `pretty(summary, {"platform": "Platform", "posts": "Posts"})`. Missing columns are skipped;
    a `platform` column shows the platforms' own names ('tiktok' -> 'TikTok')."""
    keep = [c for c in columns if c in df.columns]
    out = df[keep]
    if "platform" in keep:
        out = out.assign(platform=platform_names(out["platform"]))
    return out.rename(columns=dict(columns))


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, str(measure).replace("_", " "))


def platform_name(platform: Any) -> str:
    """'tiktok' -> 'TikTok'; unknown names are capitalised."""
    p = str(platform)
    return PLATFORM_NAMES.get(p.casefold(), p[:1].upper() + p[1:])


def platform_names(platforms: pd.Series) -> pd.Series:
    return platforms.map(platform_name)


def measure_value(value: float, measure: str) -> str:
    """A per-post value as the reader expects it: rates as percentages, counts as numbers."""
    return _fmt(value, str(measure).startswith("er_"))


def persona_text(target: Any) -> str:
    """The target persona of audit.yml in words: 'women; aged 25-34, 35-44; in France; ...'
    ('' when the persona is not described)."""
    genders = list(target.genders)
    words = {"female": "women", "male": "men", "other": "other genders"}
    parts = [" and ".join(words.get(g, g) for g in genders),
             "aged " + ", ".join(target.age_bands) if target.age_bands else "",
             "in " + ", ".join(target.countries) if target.countries else "",
             "cities: " + ", ".join(target.cities) if target.cities else "",
             "languages: " + ", ".join(target.languages) if target.languages else "",
             "interests: " + ", ".join(target.interests) if target.interests else ""]
    return "; ".join(p for p in parts if p)


def rates_long(summary: pd.DataFrame, bases: Sequence[str] = ("reach", "impressions", "followers")) -> pd.DataFrame:
    """channel_summary's engagement rates, one row per platform and basis that has a value, for
    a chart that shows them side by side: platform, account, basis, value, low, high, posts,
    label ('Instagram · by reach')."""
    parts = []
    for b in bases:  # three bases at most
        if f"er_{b}" not in summary.columns:
            continue
        d = summary[["platform", "account", f"er_{b}", f"er_{b}_low", f"er_{b}_high", f"er_{b}_posts"]]
        d = d.set_axis(["platform", "account", "value", "low", "high", "posts"], axis=1).assign(basis=b)
        parts.append(d[d["value"].notna()])
    cols = ["platform", "account", "basis", "value", "low", "high", "posts", "label"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["label"] = platform_names(out["platform"]) + " · by " + out["basis"]
    return out[cols]


def posting_slot(hour: pd.Series) -> pd.Series:
    """The part of the day of each post, as labelled in SLOTS, from its local posting hour
    (channels.post_frame's `hour`, missing for exports that give the day only): missing stays missing."""
    h = pd.to_numeric(hour, errors="coerce")
    out = pd.Series(pd.NA, index=hour.index, dtype="str")
    for label, start, end in SLOTS:
        out[((h >= start) & (h < end)).fillna(False).to_numpy(dtype=bool)] = label
    return out


def _fmt(v: float, percent: bool) -> str:
    if v is None or not np.isfinite(v):
        return ""
    if percent:
        return f"{v * 100:.1f} %" if abs(v) < 0.1 else f"{v * 100:.0f} %"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _percent_axis(ax, axis: str, top: float) -> None:
    """Percent ticks with a decimal when the values are small (0.5 %, 1.0 %), none otherwise."""
    from matplotlib.ticker import PercentFormatter

    getattr(ax, f"{axis}axis").set_major_formatter(PercentFormatter(1.0, decimals=1 if top < 0.05 else 0))


def _new_ax(ax, height: float | None = None):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=(style.FIGSIZE[0], height or style.FIGSIZE[1]))
    style.layout(fig)
    return fig, ax


def _bar_height(n: int) -> float:
    """Figure height for n horizontal bars: readable without wasting space."""
    return min(9.0, max(2.4, 0.9 + 0.42 * n))


def _whiskers(values, low, high) -> np.ndarray | None:
    if low is None or high is None:
        return None
    v, lo, hi = (np.asarray(x, dtype=float) for x in (values, low, high))
    err = np.vstack([v - lo, hi - v])
    err = np.where(np.isfinite(err), np.clip(err, 0, None), 0)
    return err


# ------------------------------------------------------------------------------ bar charts
def bars(df: pd.DataFrame, *, x: str, y: str, title: str, xlabel: str, low: str | None = None,
         high: str | None = None, colors: Mapping[str, str] | str | None = None, percent: bool = False,
         sort: bool = True, ax=None, labels: bool = True, source: str | None = None):
    """Horizontal bars of `x` for each category `y` (largest on top when `sort`), with the 95 %
    interval [`low`, `high`] as whiskers when given, and the value written at the end of each bar.
    `colors`: one colour, or a colour per category (e.g. style.account_colors). A `y` column named
    'platform' shows the platforms' own names."""
    d = df[[c for c in dict.fromkeys([y, x, low, high]) if c]].dropna(subset=[x])
    if sort:
        d = d.sort_values(x, ascending=True, kind="stable")
    else:
        d = d.iloc[::-1]
    fig, ax = _new_ax(ax, _bar_height(len(d)))
    cats = (platform_names(d[y]) if y == "platform" else d[y].astype(str)).tolist()
    vals = d[x].to_numpy(dtype=float)
    if isinstance(colors, Mapping):
        col = [colors.get(c, style.OTHER_COLOR) for c in cats]
    else:
        col = colors or style.BRAND_COLOR
    err = _whiskers(vals, d[low] if low else None, d[high] if high else None)
    pos = np.arange(len(d))
    ax.barh(pos, vals, color=col, xerr=err, error_kw={"ecolor": "#444444", "capsize": 3, "lw": 1})
    ax.set_yticks(pos, cats)
    ax.grid(axis="y", visible=False)
    if labels and len(vals):
        right = vals if err is None else vals + err[1]
        span = np.nanmax(np.abs(right)) if np.isfinite(right).any() else 1.0
        for p, v, r in zip(pos, vals, right):
            if np.isfinite(v):
                ax.text(r + 0.01 * span, p, _fmt(v, percent), va="center", fontsize=9)
        ax.set_xlim(left=min(0, np.nanmin(vals)), right=(span or 1.0) * 1.15)
    style.finish(ax, title=title, x=xlabel, y=None, percent="x" if percent else None, source=source)
    if percent:
        _percent_axis(ax, "x", ax.get_xlim()[1])
    return fig


def comparison_panels(res: pd.DataFrame, *, title: str, group_label: str, order: Sequence[str] | None = None):
    """What works, per platform: each group's median per-post value with its 95 % interval,
    coloured by the verdict against the account's other posts (compare_content / compare_many
    output: platform, group, value, low, high, verdict, measure). One panel per platform,
    each on its own scale because platforms count engagement differently; a platform whose posts
    all fall in one group (nothing to compare with) is left out."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    d = _compared(res).dropna(subset=["value"])
    platforms = list(dict.fromkeys(d["platform"])) if len(d) else []
    n = max(1, len(platforms))
    groups_per = [d[d["platform"] == p]["group"].nunique() for p in platforms] or [1]
    # each panel: 0.3 in a bar, plus its title, tick labels and axis label; then the title and the legend
    height = sum(1.15 + 0.3 * g for g in groups_per) + 1.15
    fig, axes = plt.subplots(n, 1, figsize=(style.FIGSIZE[0], min(16.0, max(2.6, height))), squeeze=False,
                             gridspec_kw={"height_ratios": [max(1, g) for g in groups_per]})  # bars equally thick
    for ax, platform in zip(axes[:, 0], platforms):
        g = d[d["platform"] == platform].copy()
        g["group"] = g["group"].astype(str)
        if order is not None:
            rank = {k: i for i, k in enumerate(order)}
            g = g.assign(_o=g["group"].map(rank).fillna(len(rank))).sort_values(["_o", "group"], ascending=False)
        else:
            g = g.sort_values("value")
        measure = str(g["measure"].iloc[0]) if "measure" in g else ""
        percent = measure.startswith("er_")
        pos = np.arange(len(g))
        vals = g["value"].to_numpy(dtype=float)
        err = _whiskers(vals, g["low"], g["high"])
        ax.barh(pos, vals, color=[VERDICT_COLORS.get(v, style.OTHER_COLOR) for v in g["verdict"]], xerr=err,
                error_kw={"ecolor": "#444444", "capsize": 3, "lw": 1})
        ax.set_yticks(pos, g["group"].tolist())
        ax.grid(axis="y", visible=False)
        right = vals + (err[1] if err is not None else 0)
        span = np.nanmax(right) if np.isfinite(right).any() else 1.0
        for p, v, r in zip(pos, vals, right):
            ax.text(r + 0.01 * span, p, _fmt(v, percent), va="center", fontsize=9)
        ax.set_xlim(0, span * 1.18 if span > 0 else 1)
        style.finish(ax, title=platform_name(platform), x=f"Median {measure_label(measure)}"
                     + (" (%)" if percent else " (count)"), y=None, percent="x" if percent else None)
        if percent:
            _percent_axis(ax, "x", ax.get_xlim()[1])
        ax.title.set_fontsize(11)
    if not platforms:
        axes[0, 0].set_axis_off()
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=13)
    handles = [Patch(color=c, label=k) for k, c in VERDICT_COLORS.items()]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=9,
               title=f"{group_label} against the account's other posts", title_fontsize=9)
    style.layout(fig, bottom=min(0.3, 0.62 / fig.get_figheight()))  # the tight layout makes room for the suptitle itself
    return fig


def _compared(res: pd.DataFrame) -> pd.DataFrame:
    """Rows of a compare_many result that have something to be compared with."""
    if "rest_n" not in res.columns:
        return res
    return res[res["rest_n"].fillna(0).to_numpy(dtype=float) > 0]


def comparison_table(res: pd.DataFrame, group_label: str) -> pd.DataFrame:
    """A compare_content / compare_many result as a table to read: Platform, the group, Posts,
    Median, Other posts, Difference with its 95 % interval, Verdict. Rates read as percentages and
    their differences as percentage points; rows with nothing to compare with are left out."""
    d = _compared(res)
    rate = d["measure"].astype(str).str.startswith("er_").to_numpy() if "measure" in d else np.zeros(len(d), bool)
    diff = []
    for r, is_rate in zip(d.itertuples(), rate):  # one formatted string per row
        if not np.isfinite(r.diff if r.diff is not None else np.nan):
            diff.append("")
        elif is_rate:
            diff.append(f"{r.diff * 100:+.1f} pts ({r.diff_low * 100:+.1f} to {r.diff_high * 100:+.1f})")
        else:
            diff.append(f"{r.diff:+,.0f} ({r.diff_low:+,.0f} to {r.diff_high:+,.0f})")
    out = pd.DataFrame({
        "Platform": platform_names(d["platform"]).to_numpy() if "platform" in d else "",
        group_label: d["group"].astype(str).to_numpy(),
        "Posts": d["n"].to_numpy(),
        "Median": [_fmt(v, p) for v, p in zip(d["value"].to_numpy(dtype=float), rate)],
        "Other posts": [_fmt(v, p) for v, p in zip(d["rest_value"].to_numpy(dtype=float), rate)],
        "Difference (95 % interval)": diff,
        "Verdict": d["verdict"].to_numpy(),
    })
    return out


def stacked_shares(df: pd.DataFrame, *, category: str, parts: Sequence[str], title: str,
                   colors: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None,
                   xlabel: str = "Share (%)", ax=None):
    """100 % stacked horizontal bars: for each `category` row, the shares in columns `parts`
    (fractions that sum to about 1), with the percentage written in segments of 5 % or more."""
    d = df.dropna(subset=list(parts), how="all").iloc[::-1]
    fig, ax = _new_ax(ax, _bar_height(len(d)) + 0.4)
    colors = colors or SENTIMENT_COLORS
    names = names or {}
    left = np.zeros(len(d))
    pos = np.arange(len(d))
    for part in parts:
        v = d[part].fillna(0).to_numpy(dtype=float)
        ax.barh(pos, v, left=left, color=colors.get(part, style.OTHER_COLOR), label=names.get(part, part))
        for p, l0, w in zip(pos, left, v):
            if w >= 0.05:
                ax.text(l0 + w / 2, p, f"{w * 100:.0f} %", ha="center", va="center", fontsize=9,
                        color="white" if part != "neutral" else style.TEXT_COLOR)
        left += v
    ax.set_yticks(pos, d[category].astype(str).tolist())
    ax.set_xlim(0, 1)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32 - 0.6 / max(len(d), 1)), ncol=len(parts))
    style.finish(ax, title=title, x=xlabel, y=None, percent="x")
    return fig


# ------------------------------------------------------------------------------ lines over time
def account_lines(df: pd.DataFrame, *, x: str, y: str, hue: str, colors: Mapping[str, str], title: str,
                  ylabel: str, percent: bool = False, order: Sequence[str] | None = None, xlabel: str | None = None,
                  ax=None, band: tuple[str, str] | None = None):
    """One line per `hue` value (an account, a platform), coloured by `colors`, in `order`
    (default: the order of `colors`, then the others); `band` = (low, high) columns to shade."""
    fig, ax = _new_ax(ax)
    present = list(dict.fromkeys(df[hue].astype(str)))
    names = [n for n in (order or list(colors)) if n in present] + [n for n in present if n not in (order or colors)]
    for name in names:
        g = df[df[hue].astype(str) == name].sort_values(x)
        c = colors.get(name, style.OTHER_COLOR)
        ax.plot(g[x], g[y], color=c, label=name, marker="o", markersize=3.5)
        if band:
            ax.fill_between(g[x], g[band[0]].astype(float), g[band[1]].astype(float), color=c, alpha=0.15, lw=0)
    if len(names) > 1:
        ax.legend(loc="best")
    ax.set_ylim(bottom=0)
    style.finish(ax, title=title, x=xlabel, y=ylabel, percent="y" if percent else None)
    fig.autofmt_xdate()
    return fig


def spike_episodes(spikes: pd.DataFrame) -> pd.DataFrame:
    """The unusual days of brand.spikes grouped into episodes of consecutive days, to show and
    mark them: start, end, days, mentions, expected (sum of the days' baselines), peak_day,
    peak_mentions; the episode with the most mentions first."""
    cols = ["start", "end", "days", "mentions", "expected", "peak_day", "peak_mentions"]
    s = spikes.sort_values("day").reset_index(drop=True)
    hit = s["is_spike"].astype(bool)
    if not hit.any():
        return pd.DataFrame(columns=cols)
    new_run = hit & ~(hit.shift(fill_value=False) & (s["day"].diff() == pd.Timedelta(days=1)))
    run = new_run.cumsum().where(hit)
    g = s[hit].groupby(run[hit])
    peak = s.loc[g["mentions"].idxmax()].set_index(run[g["mentions"].idxmax()].to_numpy())
    out = pd.DataFrame({"start": g["day"].min(), "end": g["day"].max(), "days": g.size(),
                        "mentions": g["mentions"].sum(), "expected": g["baseline"].sum(),
                        "peak_day": peak["day"], "peak_mentions": peak["mentions"]})
    return out.sort_values(["mentions", "start"], ascending=[False, True]).reset_index(drop=True)[cols]


def spike_chart(spikes: pd.DataFrame, *, title: str, ylabel: str = "Mentions per day (count)",
                window: tuple[Any, Any] | None = None, window_label: str | None = None, ax=None):
    """Mentions per day (brand.spikes output: day, mentions, threshold, is_spike) with the
    threshold above which a day is unusual, the unusual days marked, and `window` (start, end)
    shaded and labelled (e.g. the crisis)."""
    fig, ax = _new_ax(ax)
    s = spikes.sort_values("day")
    ax.plot(s["day"], s["mentions"], color=style.BRAND_COLOR, lw=1.2, label="mentions per day")
    ax.plot(s["day"], s["threshold"], color="#666666", lw=1, ls="--", label="unusual above this line")
    hit = s[s["is_spike"].astype(bool)]
    ax.scatter(hit["day"], hit["mentions"], color=HIGHLIGHT_COLOR, s=22, zorder=3, label="unusual day")
    if window is not None:
        w0, w1 = pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(hours=23)
        ax.axvspan(w0, w1, color=HIGHLIGHT_COLOR, alpha=0.12, lw=0)
        if window_label:
            top = float(s["mentions"].max()) if len(s) else 1.0
            ax.annotate(window_label, xy=(w1, top), xytext=(8, -4), textcoords="offset points", va="top",
                        fontsize=9.5, color=HIGHLIGHT_COLOR, fontweight="bold")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=9)
    style.finish(ax, title=title, x=None, y=ylabel)
    fig.autofmt_xdate()
    return fig


# ------------------------------------------------------------------------------ audience
def age_gender(demo: pd.DataFrame, *, title: str, target_bands: Sequence[str] = (),
               target_genders: Sequence[str] = ()):
    """Audience by age band and gender, one panel per platform (audience.demographics output,
    dimension 'age_gender'): women and men side by side per age band, the persona's age bands
    shaded and its gender(s) outlined."""
    import matplotlib.pyplot as plt

    d = demo[demo["dimension"] == "age_gender"].dropna(subset=["age_band"])
    platforms = list(dict.fromkeys(d["platform"]))
    n = max(1, len(platforms))
    fig, axes = plt.subplots(1, n, figsize=(style.FIGSIZE[0], 3.6), sharey=True, squeeze=False)
    bands = sorted(d["age_band"].astype(str).unique(), key=lambda b: float(b.split("-")[0].rstrip("+") or 0))
    genders = [("female", "women", style.OKABE_ITO[3]), ("male", "men", style.OKABE_ITO[5])]
    for ax, platform in zip(axes[0], platforms):
        g = d[d["platform"] == platform]
        pos = np.arange(len(bands))
        for k, (gender, word, color) in enumerate(genders):
            v = g[g["gender"] == gender].groupby("age_band")["share"].sum().reindex(bands).fillna(0)
            edge = style.TEXT_COLOR if gender in target_genders else "none"
            ax.bar(pos + (k - 0.5) * 0.4, v.to_numpy(), width=0.4, color=color, label=word, edgecolor=edge, lw=0.8)
        for i, b in enumerate(bands):
            if b in target_bands:
                ax.axvspan(i - 0.5, i + 0.5, color="#F0E442", alpha=0.25, lw=0, zorder=0)
        ax.set_xticks(pos, bands, rotation=0, fontsize=9)
        ax.grid(axis="x", visible=False)
        style.finish(ax, title=platform_name(platform), x="Age band", y="Share of the audience (%)" if ax is axes[0, 0]
                     else None, percent="y")
        ax.title.set_fontsize(11)
    if not platforms:
        axes[0, 0].set_axis_off()
    handles, labels = axes[0, 0].get_legend_handles_labels()
    from matplotlib.patches import Patch

    handles.append(Patch(color="#F0E442", alpha=0.4, label="target age"))
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=9)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=13)
    style.layout(fig, bottom=0.08, top=0.95)
    return fig


# ------------------------------------------------------------------------------ groups side by side, waterfalls
GAIN_COLOR, LOSS_COLOR = "#009E73", "#D55E00"  # Okabe-Ito bluish green and vermillion


def grouped_bars(df: pd.DataFrame, *, category: str, group: str, x: str, title: str, xlabel: str,
                 low: str | None = None, high: str | None = None, colors: Mapping[str, str] | None = None,
                 percent: bool = False, order: Sequence[str] | None = None,
                 group_order: Sequence[str] | None = None, ax=None):
    """Horizontal bars of `x` for each `category` (first on top), one bar per `group` side by side
    (e.g. 'answered within 1 h / 4 h / 24 h', weekday against weekend), with the 95 % interval
    [`low`, `high`] as whiskers and the value written at the end of each bar. Rows whose `x` is
    missing leave a gap. `colors` maps a group to its colour (default: the Okabe-Ito palette)."""
    d = df.dropna(subset=[x])
    cats = list(order) if order is not None else list(dict.fromkeys(d[category].astype(str)))
    groups = list(group_order) if group_order is not None else list(dict.fromkeys(d[group].astype(str)))
    cats = [c for c in cats if c in set(d[category].astype(str))]
    fig, ax = _new_ax(ax, _bar_height(max(1, len(cats)) * max(1, len(groups)) * 0.7) + 0.5)
    width = 0.8 / max(1, len(groups))
    palette = colors or dict(zip(groups, style.OKABE_ITO))
    pos = np.arange(len(cats))[::-1]  # first category on top
    span = 0.0
    for k, g in enumerate(groups):
        sel = d[d[group].astype(str) == g]
        sel = sel.set_index(sel[category].astype(str))
        vals = sel[x].reindex(cats).to_numpy(dtype=float)
        err = _whiskers(vals, sel[low].reindex(cats) if low else None, sel[high].reindex(cats) if high else None)
        y = pos + (len(groups) - 1) / 2 * width - k * width  # first group on top within a category
        ax.barh(y, np.nan_to_num(vals), height=width * 0.92, color=palette.get(g, style.OTHER_COLOR), label=g,
                xerr=err, error_kw={"ecolor": "#444444", "capsize": 2.5, "lw": 1})
        right = vals if err is None else vals + err[1]
        for yy, v, r in zip(y, vals, right):
            if np.isfinite(v):
                ax.text(r, yy, " " + _fmt(v, percent), va="center", fontsize=8.5)
        if np.isfinite(right).any():
            span = max(span, float(np.nanmax(right)))
    ax.set_yticks(pos, cats)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(left=0, right=(span or 1.0) * 1.18)
    if len(groups) > 1:  # under the chart, where it cannot hide a bar
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=len(groups))
    style.finish(ax, title=title, x=xlabel, y=None, percent="x" if percent else None)
    if percent:
        _percent_axis(ax, "x", ax.get_xlim()[1])
    return fig


def waterfall(items: Sequence[str], amounts: Sequence[float | None], *, title: str, ylabel: str,
              total_label: str = "Result", ax=None):
    """A result built line by line (revenue and savings up, costs down) ending in a total bar.
    Lines whose amount is unknown (None or NaN) are left out; gains are green, costs orange, the
    total blue (orange when negative), each bar labelled with its amount."""
    pairs = [(str(i), float(v)) for i, v in zip(items, amounts) if v is not None and np.isfinite(float(v))]
    fig, ax = _new_ax(ax)
    running = 0.0
    labels = []
    for k, (name, v) in enumerate(pairs):
        ax.bar(k, v, bottom=running, color=GAIN_COLOR if v >= 0 else LOSS_COLOR, width=0.6)
        ax.text(k, running + max(v, 0), f"{v:+,.0f}", ha="center", va="bottom", fontsize=9)
        if k:
            ax.plot([k - 1.3, k - 0.3], [running, running], color="#999999", lw=0.8)
        running += v
        labels.append(name)
    k = len(pairs)
    ax.bar(k, running, color=style.BRAND_COLOR if running >= 0 else LOSS_COLOR, width=0.6)
    ax.text(k, max(running, 0), f"{running:,.0f}", ha="center", va="bottom", fontsize=9, fontweight="bold")
    labels.append(total_label)
    tops = np.cumsum([0.0] + [v for _, v in pairs])
    high, low = max(tops.max(), running, 0.0), min(tops.min(), running, 0.0)
    ax.set_ylim(low - 0.08 * (high - low), high + 0.12 * (high - low or 1.0))  # room for the labels
    ax.axhline(0, color="#666666", lw=0.8)
    ax.set_xticks(range(len(labels)), [textwrap.fill(x, 16) for x in labels], fontsize=9)
    ax.grid(axis="x", visible=False)
    style.finish(ax, title=title, x=None, y=ylabel)
    return fig
