"""One chart style for the whole report.

`use()` (called once at the top of each notebook) sets seaborn's "whitegrid" theme, adjusted to be
readable at report width, with the Okabe-Ito colour-blind-safe palette, and makes figures embed as SVG.
`account_colors(config)` gives the brand and each competitor the same colour in every chart;
`finish(ax, title=..., x=..., y=...)` titles a chart and labels its axes with their units.
"""
from __future__ import annotations

from typing import Any

# Okabe & Ito (2008), safe for the common colour-vision deficiencies. The brand is always blue.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
BRAND_COLOR = OKABE_ITO[0]
COMPETITOR_COLORS = OKABE_ITO[1:]
OTHER_COLOR = "#8C8C8C"  # "others", unknown accounts, and competitors beyond the seventh
TEXT_COLOR = "#222222"

FIGSIZE = (8.0, 4.2)  # inches; at DPI this is about the width of the report's text column
DPI = 110

# seaborn's `set_theme(context="notebook", style="whitegrid")`, written out: importing seaborn (and
# the scipy.stats it imports) takes a second in every kernel, for nothing but these settings.
# tests/test_plots.py checks they are still what seaborn sets. Its default colour map ("rocket")
# is left out: no chart of the report uses a colour map, and it exists only once seaborn is imported.
_SEABORN_WHITEGRID = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}

# The report's own settings, on top of that theme.
_RC = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#BBBBBB",
    "axes.labelcolor": TEXT_COLOR,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.titley": 1.0,  # fixed above the axes (no ticks on top): matplotlib's automatic placement re-measures every axis at each draw
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.8,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "xtick.color": TEXT_COLOR,
    "ytick.color": TEXT_COLOR,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
    "text.color": TEXT_COLOR,
    "lines.linewidth": 2.0,
    # Every figure is laid out (tight) once, as it is drawn, and saved at its own size: no second
    # drawing pass to crop it (see `layout`).
    "figure.autolayout": True,
    # Charts are SVG with their text left as text: half the time of rasterising glyphs into a PNG,
    # a third of the size, and sharp when zoomed or printed. The report shows them as images.
    "svg.fonttype": "none",
    "svg.hashsalt": "audit",
}
CAPTION_INCHES = 0.3  # the height kept under a chart for its source caption


def use() -> None:
    """Apply the report's chart theme (call once per notebook, before the first chart)."""
    import matplotlib as mpl
    from cycler import cycler

    palette = cycler(color=[mpl.colors.to_rgb(c) for c in OKABE_ITO])  # as seaborn's set_palette writes it
    mpl.rcParams.update({**_SEABORN_WHITEGRID, "axes.prop_cycle": palette, **_RC})
    _share_svg_text_sizes()
    try:  # in a kernel: embed figures as SVG (the report shows them as images, from data URIs)
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        # uncropped (`layout` keeps everything inside), and no creation date: the same chart twice is the same file
        set_matplotlib_formats("svg", bbox_inches=None, metadata={"Date": None})
    except ImportError:  # plain Python: nothing to configure
        pass


_FONT_SETTINGS = ("font.family", "font.sans-serif", "font.serif", "font.monospace", "font.cursive", "font.fantasy",
                  "text.hinting_factor")


def _share_svg_text_sizes() -> None:
    """Have every SVG renderer measure a text once per process. matplotlib keeps text sizes per
    renderer, and saving a chart uses two (one lays the chart out, one draws it): every label was
    measured twice, and the same tick labels again in the next chart. The size of a text in SVG
    depends on nothing else than the text, its font and whether it is mathtext (the renderer asks
    a `TextToPath`), so one cache serves all: a chart is saved ~30 % faster, byte for byte the same
    (tests/test_plots.py). matplotlib has no setting for this: the renderer's method is replaced,
    once per process, by one that asks the shared cache (the original stays as `.own`)."""
    import functools

    import matplotlib as mpl
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.textpath import TextToPath

    if getattr(RendererSVG.get_text_width_height_descent, "shared", False):
        return
    text_to_path = TextToPath()

    @functools.lru_cache(maxsize=4096)
    def measure(s, prop, fonts):  # `fonts`: the settings the font found for `prop` depends on
        return text_to_path.get_text_width_height_descent(s, prop, False)

    own = RendererSVG.get_text_width_height_descent

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:  # mathtext and TeX follow more settings: not cached
            return own(self, s, prop, ismath)
        fonts = tuple(str(mpl.rcParams[k]) for k in _FONT_SETTINGS)
        return measure(s, prop.copy(), fonts)  # a copy: a FontProperties hashes by its (mutable) value

    get_text_width_height_descent.shared = True
    get_text_width_height_descent.own = own
    RendererSVG.get_text_width_height_descent = get_text_width_height_descent


def account_colors(config: Any) -> dict[str, str]:
    """The colour of the brand and of each competitor, the same in every chart.

    `config` is an AuditConfig (brand first, then competitors in audit.yml order) or a list of
    names with the brand first. Use as `palette=account_colors(config)` with `hue="account"`."""
    if hasattr(config, "brand"):
        names = [config.brand.name, *(c.name for c in config.competitors)]
    else:
        names = list(config)
    colors = {}
    for i, name in enumerate(names):
        if i == 0:
            colors[name] = BRAND_COLOR
        elif i - 1 < len(COMPETITOR_COLORS):
            colors[name] = COMPETITOR_COLORS[i - 1]
        else:
            colors[name] = OTHER_COLOR
    return colors


def account_order(config: Any) -> list[str]:
    """Brand first, then competitors: use as `hue_order=` / `order=` so legends read the same."""
    return list(account_colors(config))


def axis_label(name: str, unit: str | None = None) -> str:
    """'Sessions (count)', 'Engagement rate (%)': an axis label that carries its unit."""
    return f"{name} ({unit})" if unit else name


def finish(ax: Any, *, title: str, x: str | None, y: str | None, source: str | None = None,
           percent: str | None = None) -> Any:
    """Title a chart and label its axes (units in the labels, see `axis_label`).

    Every chart in the report goes through here, so none is left untitled or unlabelled. Pass
    x=None or y=None only for an axis that shows categories named by their tick labels.
    `percent="x"` or `"y"` shows fractions on that axis as percentages; `source` adds a
    small caption under the chart ("Source: Meta Business Suite export")."""
    from matplotlib.ticker import PercentFormatter

    if not title or not title.strip():
        raise ValueError("finish: every chart needs a title")
    ax.set_title(title)
    ax.set_xlabel(x or "")
    ax.set_ylabel(y or "")
    if percent in ("x", "y"):
        getattr(ax, f"{percent}axis").set_major_formatter(PercentFormatter(1.0, decimals=0))
    if source:
        fig = ax.figure
        fig.text(0.01, 0.01, source, ha="left", va="bottom", fontsize=8.5, color="#666666")
        layout(fig, bottom=CAPTION_INCHES / fig.get_figheight())
    return ax


def layout(fig: Any, *, bottom: float = 0.0, top: float = 1.0) -> None:
    """Lay `fig` out when it is drawn, keeping the figure's lowest `bottom` and highest `1 - top`
    fractions free (for a figure legend, a caption, a suptitle).

    Charts are saved at their own size, not cropped to their content (cropping draws every chart
    twice), so whatever the axes do not hold must have its room kept here. With no room to keep,
    the layout is computed in one pass: given a rectangle, matplotlib measures every chart twice
    (the second time to fit it in the rectangle), which for the whole figure changes nothing and
    costs a fifth of the time it takes to save the chart."""
    from matplotlib.layout_engine import TightLayoutEngine

    whole = bottom == 0 and top == 1
    fig.set_layout_engine(TightLayoutEngine(rect=None if whole else (0, bottom, 1, top)))
