"""The explorer's widgets: choose period, platform, account and metric; the weekly chart, the
table and the whole-period figures follow; drill down from a week to its posts and from a
mention spike to its mentions (filtered by sentiment, source, keyword); compare two accounts.

Every callback runs inside `_working()`, which shows "Working…" before the computation and the
time it took after, so an interaction that takes a while says so. Figures come from
`ExploreData` (the metrics library); this module only lays them out.
"""
from __future__ import annotations

import io
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import plots, style
from ..config import Period
from ..report.formatting import format_number
from . import html as h
from .data import ALL_PLATFORMS, BY_KEY, CHOICES, Choice, ExploreData

MAX_ROWS = 50            # posts or mentions listed at once
SENTIMENTS = (("All sentiments", ""), ("Positive", "positive"), ("Neutral", "neutral"), ("Negative", "negative"),
              ("Unlabelled", "unlabelled"))
MARK = {"high": "▲ unusually high", "low": "▼ unusually low"}
WIDE = {"description_width": "initial"}


def fmt(value, choice: Choice | None = None, *, percent: bool | None = None) -> str:
    """A figure as the explorer shows it: rates in %, net sentiment signed, counts with separators."""
    if value is None or not np.isfinite(float(value)):
        return "–"
    v = float(value)
    if percent if percent is not None else (choice is not None and choice.percent):
        return f"{v * 100:.2f} %" if abs(v) < 0.1 else f"{v * 100:.1f} %"
    if choice is not None and choice.signed:
        return f"{v:+.2f}"
    return format_number(v)


def platform_label(platform: str) -> str:
    return "All platforms" if platform == ALL_PLATFORMS else plots.platform_name(platform)


def _day(v) -> str:
    return f"{pd.Timestamp(v):%d %b %Y}".lstrip("0")


def _span(start, end) -> str:
    """'6–12 Oct 2025', '29 Sep – 5 Oct 2025', '28 Dec 2025 – 3 Jan 2026' or '5 Apr 2026'."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return _day(s)
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{_day(e)}"
    if s.year == e.year:
        return f"{s.day} {s:%b} – {_day(e)}"
    return f"{_day(s)} – {_day(e)}"


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=style.DPI)
    plt.close(fig)
    return buf.getvalue()


@dataclass
class View:
    """What the chart and the table show right now (kept for the drill-down and for tests)."""

    choice: Choice
    account: str
    platform: str
    other: str
    period: Period
    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict[str, dict] = field(default_factory=dict)


class Explorer:
    """Interactive exploration of one client. Build with `audit.explore(client_dir)`; Jupyter
    shows it (its widget is `.widget`). Set the controls from Python as in the browser:
    `ex.metric.value = "er_reach"` recomputes at once (`ex.view` holds what is shown)."""

    def __init__(self, client_dir=None, *, period_start: str = "", period_end: str = "",
                 anonymize: bool | None = None, audit=None):
        import ipywidgets as w

        from ..session import open_audit

        a = audit if audit is not None else open_audit(client_dir, period_start=period_start,
                                                       period_end=period_end, anonymize=anonymize)
        style.use()
        self.audit = a
        self.data = ExploreData(a)
        self.accounts = self.data.accounts()
        self.colors = {name: style.account_colors(a.config).get(name, style.OTHER_COLOR) for name in self.accounts}
        self.choices = [c for c in CHOICES if self.data.has(c.source)]
        self.view: View | None = None
        self.last_error: Exception | None = None
        self.timings: list[tuple[str, float]] = []
        self._quiet = 0
        self._pngs: dict[tuple, bytes] = {}  # drawn charts by what they show: going back is instant

        def dropdown(desc, cls, width="250px", **kw):
            d = w.Dropdown(description=desc, style=WIDE, layout=w.Layout(width=width), **kw)
            return d.add_class(cls)

        # ---- controls
        keys = [c.key for c in self.choices]
        default = "engagements" if "engagements" in keys else (keys[0] if keys else None)
        self.metric = dropdown("Metric", "audit-explore-metric", "380px",
                               options=[(c.label, c.key) for c in self.choices], value=default)
        self.platform = dropdown("Platform", "audit-explore-platform", "210px")
        self.account = dropdown("Account", "audit-explore-account", "280px",
                                options=[(self._account_label(n), n) for n in self.accounts], value=a.brand)
        self.compare = dropdown("Compare with", "audit-explore-compare", "300px")
        self.start = w.DatePicker(description="From", value=a.period.start, style=WIDE,
                                  layout=w.Layout(width="190px")).add_class("audit-explore-start")
        self.end = w.DatePicker(description="To", value=a.period.end, style=WIDE,
                                layout=w.Layout(width="170px")).add_class("audit-explore-end")
        self.status = w.HTML().add_class("audit-explore-status")
        # ---- main view
        self.caption = w.HTML().add_class("audit-explore-caption")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="900px", width="100%")).add_class(
            "audit-explore-chart")
        self.summary = w.HTML().add_class("audit-explore-summary")
        self.table = w.HTML().add_class("audit-explore-table")
        # ---- drill-down: posts of a week
        self.week = dropdown("Week", "audit-explore-week", "460px")
        self.posts = w.HTML().add_class("audit-explore-posts")
        # ---- drill-down: mentions of a spike or a week
        self.spike_chart = w.Image(format="png", layout=w.Layout(max_width="900px", width="100%")).add_class(
            "audit-explore-spike-chart")
        self.window = dropdown("When", "audit-explore-window", "520px")
        self.sentiment = dropdown("Sentiment", "audit-explore-sentiment", "200px", options=SENTIMENTS, value="")
        self.source = dropdown("Source", "audit-explore-source", "300px", options=[("All sources", "")], value="")
        self.keyword = w.Text(description="Keyword", placeholder="a word in the text", continuous_update=False,
                              style=WIDE, layout=w.Layout(width="260px")).add_class("audit-explore-keyword")
        self.mentions = w.HTML().add_class("audit-explore-mentions")

        wrap = w.Layout(flex_flow="row wrap", align_items="center", grid_gap="4px 16px")
        self.tabs = w.Tab(children=[
            w.VBox([self.week, self.posts]),
            w.VBox([self.spike_chart, self.window, w.HBox([self.sentiment, self.source, self.keyword], layout=wrap),
                    self.mentions]),
        ])
        self.tabs.titles = ("Posts of a week", "Mentions and spikes")
        header = w.HTML(h.STYLE + f'<div class="audit-x-caption"><b>Explore {h.esc(a.config.client)}</b> '
                        f'<span class="audit-x-muted">brand: {h.esc(a.brand)} · time zone {h.esc(a.tz)} · '
                        f"figures from the audit's metric library</span></div>")
        self.widget = w.VBox([
            header,
            w.HBox([self.metric, self.platform], layout=wrap),
            w.HBox([self.account, self.compare], layout=wrap),
            w.HBox([self.start, self.end, self.status], layout=wrap),
            self.caption, self.chart, self.summary, self.table,
            w.HTML('<div class="audit-x-caption"><b>Drill down</b></div>'), self.tabs,
        ]).add_class("audit-explore")

        for control in (self.platform, self.compare, self.start, self.end):
            control.observe(self._on_change, names="value")
        self.metric.observe(self._on_metric, names="value")
        self.account.observe(self._on_account, names="value")
        self.week.observe(self._on_week, names="value")
        for control in (self.window, self.sentiment, self.source, self.keyword):
            control.observe(self._on_mentions, names="value")

        if not self.choices:
            self.caption.value = h.esc("No posts, mentions or follower figures in this client's data: "
                                       "nothing to explore.")
            return
        with self._still():
            self._sync_platforms()
            self._sync_compare()
        self.tabs.selected_index = 1 if BY_KEY[self.metric.value].source == "mentions" else 0
        self.refresh()

    # ------------------------------------------------------------------ Jupyter display
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ callbacks
    def _on_metric(self, change):
        if self._quiet:
            return
        old, new = BY_KEY[change["old"]], BY_KEY[change["new"]]
        with self._still():
            self._sync_platforms()
        if old.source != new.source:
            self.tabs.selected_index = 1 if new.source == "mentions" else 0
        self.refresh()

    def _on_account(self, change):
        if self._quiet:
            return
        with self._still():
            self._sync_compare()
        self.refresh()

    def _on_change(self, change):
        if not self._quiet:
            self.refresh()

    def _on_week(self, change):
        if not self._quiet:
            with self._working("week"):
                self._show_posts()

    def _on_mentions(self, change):
        if self._quiet:
            return
        with self._working("mentions"):
            if change["owner"] is self.window:
                self._fill_sources()
                self._draw_spikes()
            self._show_mentions()

    @contextmanager
    def _still(self):
        """Set options and values without firing the callbacks (one refresh follows)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    @contextmanager
    def _working(self, what: str):
        """Say "Working…" while the block runs, then how long it took (or what went wrong)."""
        t0 = time.perf_counter()
        self.status.value = '<span class="audit-x-status busy">⏳ Working…</span>'
        try:
            yield
        except Exception as exc:  # shown in the widget: a callback's traceback would go unseen
            self.last_error = exc
            self.status.value = (f'<span class="audit-x-status error">Could not update: '
                                 f"{h.esc(type(exc).__name__)}: {h.esc(exc)}</span>")
            return
        took = time.perf_counter() - t0
        self.timings.append((what, took))
        self.last_error = None
        self.status.value = f'<span class="audit-x-status">Updated in {took:.2f} s</span>'

    # ------------------------------------------------------------------ options
    @staticmethod
    def _set(dropdown, options, keep_first=True):
        values = [v for _, v in options]
        current = dropdown.value
        dropdown.options = options
        if current in values:
            dropdown.value = current
        elif values and keep_first:
            dropdown.value = values[0]

    def _account_label(self, name: str) -> str:
        if name == self.audit.brand:
            return f"{name} (brand)"
        return f"{name} (competitor)" if name in self.audit.competitors else name

    def _sync_platforms(self):
        source = BY_KEY[self.metric.value].source
        self._set(self.platform, [(platform_label(p), p) for p in self.data.platforms(source)])

    def _sync_compare(self):
        others = [(self._account_label(n), n) for n in self.accounts if n != self.account.value]
        self._set(self.compare, [("nobody", ""), *others])

    def _period(self) -> Period:
        if self.start.value is None or self.end.value is None:
            raise ValueError("choose both the first and the last day")
        if self.end.value < self.start.value:
            raise ValueError(f"the last day ({self.end.value}) is before the first ({self.start.value})")
        return Period(start=self.start.value, end=self.end.value)

    # ------------------------------------------------------------------ the main view
    def refresh(self, *_):
        """Recompute and redraw everything from the controls' current values."""
        with self._working("refresh"):
            choice = BY_KEY[self.metric.value]
            period = self._period()
            account, platform, other = self.account.value, self.platform.value, self.compare.value
            v = View(choice, account, platform or ALL_PLATFORMS, other, period)
            for name in filter(None, (account, other)):
                if self.data.has_rows(choice, name, v.platform):
                    v.series[name], v.summary[name] = self.data.series(choice, name, v.platform, period)
            self.view = v
            self._draw_chart()
            self._draw_table()
            self._fill_weeks()
            self._show_posts()
            self._fill_windows()
            self._fill_sources()
            self._draw_spikes()
            self._show_mentions()

    def _title(self) -> str:
        v = self.view
        return f"{v.choice.label} per week · {platform_label(v.platform)}"

    def _draw_chart(self):
        v = self.view
        who = " vs ".join(h.esc(n) for n in (v.account, v.other) if n)
        note = "".join(
            f'<br><span class="audit-x-muted">{h.esc(n)}: no {h.esc(v.choice.source)} on '
            f"{h.esc(platform_label(v.platform))} in the data.</span>" if n not in v.series else
            f'<br><span class="audit-x-muted">{h.esc(n)}: the data give no value of this metric on '
            f"{h.esc(platform_label(v.platform))} in the period.</span>"
            for n in (v.account, v.other) if n and (n not in v.series or v.series[n]["value"].isna().all()))
        self.caption.value = (f'<div class="audit-x-caption"><b>{h.esc(v.choice.label)}</b> · '
                              f"{h.esc(platform_label(v.platform))} · {who} · {_span(v.period.start, v.period.end)}"
                              f'<br><span class="audit-x-muted">{h.esc(v.choice.definition)}. '
                              f"Weeks run Monday to Sunday in {h.esc(self.audit.tz)}; the chart shows full weeks, the "
                              f"table also the partial weeks at the period's edges.</span>{note}</div>")
        # full weeks only: a count over the 3 days of an edge week would read as a drop (the table has them)
        shown = [s[s["days"] == 7].assign(account=name) for name, s in v.series.items() if s["value"].notna().any()]
        if not shown:
            self.chart_data = pd.DataFrame()
            self.chart.layout.display = "none"
            return
        self.chart_data = pd.concat(shown, ignore_index=True)
        self.chart.value = self._drawn(("chart", v.choice.key, v.account, v.platform, v.other, v.period.start,
                                        v.period.end), self._line_chart)
        self.chart.layout.display = None

    def _drawn(self, key: tuple, draw) -> bytes:
        if key not in self._pngs:
            if len(self._pngs) >= 64:
                self._pngs.pop(next(iter(self._pngs)))
            self._pngs[key] = _png(draw())
        return self._pngs[key]

    def _line_chart(self):
        v = self.view
        shown = self.chart_data["account"].unique()
        unit = "%" if v.choice.percent else ("score" if v.choice.signed else "count")
        band = ("low", "high") if v.choice.low else None
        fig = plots.account_lines(self.chart_data, x="week", y="value", hue="account", colors=self.colors,
                                  title=self._title(), ylabel=style.axis_label(v.choice.label, unit),
                                  percent=v.choice.percent, order=[v.account, v.other], band=band)
        ax = fig.axes[0]
        odd = v.series.get(v.account)
        odd = odd[odd["unusual"] != ""] if odd is not None else pd.DataFrame()
        if len(odd):
            ax.scatter(odd["week"], odd["value"], s=60, facecolors="none", edgecolors=plots.HIGHLIGHT_COLOR,
                       linewidths=2, zorder=4, label="unusual week")
        if len(odd) or len(shown) > 1:
            ax.legend(loc="best", fontsize=9)
        if v.choice.signed:  # account_lines starts the axis at 0; net sentiment goes down to -1
            lo = np.nanmin(self.chart_data[["value"] + (["low"] if band else [])].to_numpy(dtype=float))
            ax.set_ylim(bottom=min(0.0, lo * 1.1) if np.isfinite(lo) else None)
            ax.axhline(0, color="#999999", lw=0.8)  # (the layout, made as it is drawn, fits the wider labels)
        return fig

    def _draw_table(self):
        v = self.view
        c = v.choice
        parts = []
        for name in filter(None, (v.account, v.other)):
            s = v.summary.get(name)
            if not s:
                continue
            interval = (f" (95 % interval {fmt(s['low'], c)} – {fmt(s['high'], c)})"
                        if s.get("low") is not None and s.get("high") is not None else "")
            n = f", {format_number(s['n'])} {h.esc(c.n_unit)}" if s.get("n") is not None else ""
            parts.append(f"<span><b>{h.esc(name)}</b>: {fmt(s['value'], c)}{interval}{n}</span>")
        self.summary.value = (f'<div class="audit-x-summary">Whole period: {"".join(parts)}</div>' if parts else "")
        main = v.series.get(v.account)
        if main is None:
            self.table.value = h.table([], [], empty=f"No {c.source} for {v.account} on {platform_label(v.platform)}.")
            return
        other = v.series.get(v.other) if v.other else None
        cols = [("Week", "text"), ("Days", "num"), (v.account, "num")]
        if c.low:
            cols.append(("95 % interval", "num"))
        if c.n:
            cols.append((c.n_unit.capitalize(), "num"))
        cols.append(("Unusual?", "text"))
        if other is not None:
            cols += [(v.other, "num")] + ([(f"{v.other}: {c.n_unit}", "num")] if c.n else [])
        rows, classes = [], []
        for i, r in main.iterrows():
            row = [f"{r['week']:%Y-%m-%d}", int(r["days"]), fmt(r["value"], c)]
            if c.low:
                row.append(f"{fmt(r['low'], c)} – {fmt(r['high'], c)}" if np.isfinite(r["low"]) else "–")
            row += ([fmt(r["n"])] if c.n else []) + [MARK.get(r["unusual"], "")]
            if other is not None:
                row += [fmt(other.loc[i, "value"], c)] + ([fmt(other.loc[i, "n"])] if c.n else [])
            rows.append(row)
            classes.append(r["unusual"])
        self.table.value = h.table(cols, rows, row_classes=classes, compact=True)

    # ------------------------------------------------------------------ drill-down: posts
    def _fill_weeks(self):
        v = self.view
        s = v.series.get(v.account)
        if s is None or v.platform == ALL_PLATFORMS:
            with self._still():
                self.week.options = []
            return
        posts = self.data.rows("posts", v.account, v.platform, v.period.start, v.period.end)
        per_week = posts.groupby("week").size() if len(posts) else pd.Series(dtype=int)
        order = s.assign(absz=s["z"].abs()).sort_values("absz", ascending=False, na_position="last")
        first = [i for i in order.index if s.loc[i, "unusual"]]
        options = []
        for i in first + [i for i in s.index if i not in first]:
            r = s.loc[i]
            n = int(per_week.get(r["week"], 0))
            mark = f" · {MARK[r['unusual']]}" if r["unusual"] else ""
            options.append((f"{_span(r['start'], r['end'])}{mark} · {fmt(r['value'], v.choice)} · "
                            f"{n:,} post{'s' if n != 1 else ''}",
                            f"{r['start']:%Y-%m-%d}/{r['end']:%Y-%m-%d}"))
        best = first[0] if first else (order.index[0] if order["absz"].notna().any() else s.index[0])
        with self._still():
            self.week.options = options
            self.week.value = f"{s.loc[best, 'start']:%Y-%m-%d}/{s.loc[best, 'end']:%Y-%m-%d}"

    def _show_posts(self):
        v = self.view
        if v.platform == ALL_PLATFORMS:
            self.posts.value = h.table([], [], empty="Posts are listed per platform: choose one above.")
            return
        if not self.week.value:
            self.posts.value = h.table([], [], empty=f"No posts for {v.account} on {platform_label(v.platform)}.")
            return
        start, end = self.week.value.split("/")
        sort_by = v.choice.per_row if v.choice.source == "posts" else "engagement"
        p = self.data.posts_of(v.account, v.platform, start, end, sort_by)
        self.posts_data = p
        value_col = sort_by if sort_by not in ("engagement", "reach", "impressions") else None
        cols = [("Published", "date"), ("Type", "text"), ("Text", "text"), ("Engagements", "num"),
                ("Reach", "num"), ("Impressions", "num")]
        if value_col:
            cols.append((plots.measure_label(value_col).capitalize() if value_col.startswith("er_")
                         else value_col.replace("_", " ").capitalize(), "num"))
        cols.append(("Link", "text"))
        rows = []
        local = pd.to_datetime(p["published_at"]).dt.tz_convert(self.audit.tz)
        for (_, r), t in zip(p.head(MAX_ROWS).iterrows(), local.head(MAX_ROWS)):
            row = [f"{t:%Y-%m-%d %H:%M}" if pd.notna(t) else "–",
                   r["post_type"] if pd.notna(r["post_type"]) else "–",
                   h.cut(r["text"]), fmt(r["engagement"]), fmt(r["reach"]), fmt(r["impressions"])]
            if value_col:
                row.append(fmt(r[value_col], percent=value_col.startswith("er_")))
            row.append(h.link(r["permalink"]))
            rows.append(row)
        order = f"sorted by {plots.measure_label(sort_by) if sort_by.startswith('er_') else sort_by.replace('_', ' ')}"
        head = (f'<p class="audit-x-muted">{len(p):,} post{"s" if len(p) != 1 else ""} of {h.esc(v.account)} on '
                f"{h.esc(platform_label(v.platform))}, {_span(start, end)}, {order}, largest first.</p>")
        self.posts.value = head + h.table(cols, rows, more=len(p) - len(rows),
                                          empty="No post published that week.")

    # ------------------------------------------------------------------ drill-down: mentions
    def _mention_platform(self) -> str:
        v = self.view
        return v.platform if v.platform in self.data.platforms("mentions") else ALL_PLATFORMS

    def _fill_windows(self):
        v = self.view
        plat = self._mention_platform()
        options = [(f"Whole period · {_span(v.period.start, v.period.end)}",
                    f"{v.period.start:%Y-%m-%d}/{v.period.end:%Y-%m-%d}")]
        spk, episodes = self.data.spikes(v.account, plat, v.period)
        self.episodes = episodes
        for e in episodes.itertuples():
            options.append((f"Spike · {_span(e.start, e.end)} · {int(e.mentions):,} mentions, about "
                            f"{e.expected:,.0f} expected", f"{e.start:%Y-%m-%d}/{e.end:%Y-%m-%d}"))
        weekly = v.series.get(v.account) if v.choice.source == "mentions" else None
        if weekly is not None:
            odd = weekly[weekly["unusual"] != ""]
            odd = odd.assign(absz=odd["z"].abs()).sort_values("absz", ascending=False)
            for r in odd.itertuples():
                options.append((f"Week · {_span(r.start, r.end)} · {MARK[r.unusual]} "
                                f"({v.choice.label.lower()} {fmt(r.value, v.choice)})",
                                f"{r.start:%Y-%m-%d}/{r.end:%Y-%m-%d}"))
        seen, unique = set(), []
        for label, value in options:
            if value not in seen:
                seen.add(value)
                unique.append((label, value))
        with self._still():
            self.window.options = unique
            self.window.value = unique[1][1] if len(unique) > 1 else unique[0][1]

    def _fill_sources(self):
        v = self.view
        start, end = self.window.value.split("/")
        counts = self.data.sources_of(v.account, self._mention_platform(), start, end)
        with self._still():
            self._set(self.source, [("All sources", ""), *[(f"{s} ({n:,})", s) for s, n in counts.items()]])

    def _draw_spikes(self):
        v = self.view
        plat = self._mention_platform()
        spk, _ = self.data.spikes(v.account, plat, v.period)
        if spk.empty:
            self.spike_chart.layout.display = "none"
            return
        start, end = self.window.value.split("/")
        whole = (start, end) == (f"{v.period.start:%Y-%m-%d}", f"{v.period.end:%Y-%m-%d}")
        self.spike_chart.value = self._drawn(
            ("spikes", v.account, plat, v.period.start, v.period.end, self.window.value),
            lambda: plots.spike_chart(spk, title=f"Mentions of {v.account} per day · {platform_label(plat)}",
                                      window=None if whole else (start, end),
                                      window_label=None if whole else _span(start, end)))
        self.spike_chart.layout.display = None

    def _show_mentions(self):
        v = self.view
        plat = self._mention_platform()
        start, end = self.window.value.split("/")
        m = self.data.mentions_of(v.account, plat, start, end, sentiment=self.sentiment.value,
                                  source=self.source.value, keyword=self.keyword.value)
        self.mentions_data = m
        cols = [("Published", "date"), ("Author", "text"), ("Where", "text"), ("Source", "text"),
                ("Sentiment", "text"), ("Reach", "num"), ("Text", "text"), ("Link", "text")]
        rows = []
        local = pd.to_datetime(m["published_at"]).dt.tz_convert(self.audit.tz)
        for (_, r), t in zip(m.head(MAX_ROWS).iterrows(), local.head(MAX_ROWS)):
            title = f"{r['title']} — " if isinstance(r["title"], str) and r["title"].strip() else ""
            text = r["text"] if isinstance(r["text"], str) else ""
            rows.append([f"{t:%Y-%m-%d %H:%M}", r["author"] if pd.notna(r["author"]) else "–",
                         plots.platform_name(r["where"]), r["source"] if pd.notna(r["source"]) else "–",
                         r["sentiment"] if pd.notna(r["sentiment"]) else "–", fmt(r["reach"]), h.cut(title + text),
                         h.link(r["url"])])
        filters = [x for x in (self.sentiment.value, self.source.value,
                               f"“{self.keyword.value.strip()}”" if self.keyword.value.strip() else "") if x]
        head = (f'<p class="audit-x-muted">{len(m):,} mention{"s" if len(m) != 1 else ""} of {h.esc(v.account)} '
                f"({h.esc(platform_label(plat))}), {_span(start, end)}"
                f"{' · ' + h.esc(', '.join(filters)) if filters else ''}; largest reach first.</p>")
        anything = any(a == v.account and plat in (ALL_PLATFORMS, p) for a, p in self.data.sizes("mentions"))
        self.mentions.value = head + h.table(cols, rows, more=len(m) - len(rows),
                                             empty="No mention matches these filters." if anything else
                                             f"No mentions of {v.account} in the data.")


def explore(client_dir="../data/demo", *, period_start: str = "", period_end: str = "",
            anonymize: bool | None = None) -> Explorer:
    """Explore a client in JupyterLab: `audit.explore("data/demo")` as the last line of a cell shows
    the explorer (period, platform, account, metric; weekly chart and table; posts of a week,
    mentions of a spike; brand vs competitor). Returns the Explorer (its controls are settable)."""
    return Explorer(client_dir, period_start=period_start, period_end=period_end, anonymize=anonymize)
