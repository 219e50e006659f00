"""Social listening: one row per mention, from Brand24, Meltwater and Brandwatch exports, or from
any tool's export whose columns are mapped in audit.yml (`listening.generic`).

No real listening export was available (export-formats.md §8), so one alias table (English and
French headers) serves every tool, and what is not known is tolerated:
- Brand24: `Date` and `Hour` in separate columns, `Influencer Score` 1-10, `Sentiment` as words or
  -1/0/1, `Category` (news, blogs, web, videos, twitter...), text cut to ~250 characters;
- Meltwater: UTF-16 tab-delimited, a `#` row-number column, `Hit Sentence`, `Influencer` (the
  author's name), `Input Name` (the search), `Date` like `15-Mar-2024 02:32PM`;
- Brandwatch: report metadata lines above the header, `Full Text`, `Impact` 0-100, `Page Type`.

Which account a mention is about, per row: the tool's project/search column mapped through the
names, handles and keywords of audit.yml; else the account audit.yml `sources` gives the file (an
explicit statement beats a guess); else the brand's or a competitor's keyword found in the text
or title (the one named first wins); else the brand, with a warning.
Platform: the tool's source category normalised to one of PLATFORMS, from the link's host when the
category does not say which network ("videos", "other socials") or is missing.

Large files arrive in chunks (Block.chunks): the row-local work (text cleaning, platform, account,
ids) runs per chunk, two chunks at a time, in pyarrow, and so do dates and numbers. The day/month
order and the decimal mark are the whole file's decision: when every chunk made the same one, each
chunk was read as the whole file would have been; otherwise those columns are read again, whole
(`Mentions._typed_again`). Whatever warns or maps a project name is done in file order
(streaming.ordered_map), once per file.
"""
from __future__ import annotations

import functools
import re
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from ...errors import DataError
from .. import values as V
from ..registry import DateFacts, Format, NumberFacts, ParseContext, header_score, register, text
from ..sniff import Block, dedupe
from ..streaming import ordered_map
from .facebook import total_of

# Rows cleaned at once (~10 MB of a Brand24 export). Each chunk costs ~17 ms of Python besides its rows
# (pandas and pyarrow calls, held under the GIL the other thread waits on): 20,000 rows took 8-10 %
# longer on the 100 MB benchmark, for a peak ~27 MB lower.
CHUNK_ROWS = 32_000
PLATFORMS = ("x", "facebook", "instagram", "tiktok", "youtube", "linkedin", "news", "blogs", "forums", "web",
             "reviews", "podcasts", "other")

# canonical name → headers as tools write them (the canonical name first: a file in our own layout
# needs no mapping). `published_at` may hold the date only, with the time in `time`.
ALIASES: dict[str, tuple[str, ...]] = {
    "mention_id": ("mention_id", "Mention ID", "Mention Id", "ID", "Id", "Resource Id", "Document ID", "Tweet Id",
                   "Identifiant", "Identifiant de la mention"),
    "published_at": ("published_at", "Date", "Published", "Published at", "Publication date", "Date published",
                     "Date de publication", "Publié le", "Created at", "Created", "Posted", "Added"),
    "time": ("time", "Hour", "Time", "Heure", "Published time"),
    "title": ("title", "Title", "Headline", "Titre", "Subject"),
    "text": ("text", "Content", "Contenu", "Full Text", "Hit Sentence", "Snippet", "Mention", "Text", "Texte",
             "Opening Text", "Extrait", "Message"),
    "url": ("url", "URL", "Link", "Lien", "Source URL", "Article URL", "Permalink"),
    "source": ("source", "Host", "Domain", "Domaine", "Hôte", "Site", "Source name", "Outlet", "Média", "Media",
               "Source"),
    "platform": ("platform", "Category", "Catégorie", "Page Type", "Source Type", "Media Type", "Type de source",
                 "Type de média", "Content Source", "Network", "Réseau", "Réseau social", "Channel", "Canal",
                 "Plateforme"),
    "author": ("author", "Author", "Auteur", "Influencer", "Author Name", "Full Name", "Twitter Screen Name",
               "Screen Name", "Username", "Nom d'utilisateur", "User"),
    "author_followers": ("author_followers", "Followers", "Author Followers", "Twitter Followers", "Abonnés",
                         "Followers count", "Subscribers"),
    "influence": ("influence", "Influencer Score", "Influence Score", "Score d'influence", "Impact", "Influence",
                  "Twitter Authority"),
    "reach": ("reach", "Reach", "Visits", "Portée", "Visites", "Audience", "Potential Reach", "Estimated Reach",
              "Audience potentielle"),
    "engagement": ("engagement", "Engagement", "Engagements", "Interactions", "Total Engagement"),
    "likes": ("likes", "Likes", "J'aime", "Reactions", "Réactions", "Favorites"),
    "comments": ("comments", "Comments", "Commentaires", "Replies", "Réponses"),
    "shares": ("shares", "Shares", "Partages", "Retweets", "Reposts"),
    "sentiment": ("sentiment", "Sentiment", "Tonalité", "Tone", "Polarity"),
    "language": ("language", "Language", "Langue", "Lang"),
    "country": ("country", "Country", "Pays", "Country Code"),
    "project": ("project", "Project", "Projet", "Project name", "Nom du projet", "Input Name", "Query Name",
                "Search name", "Search", "Recherche", "Query", "Requête", "Keyword", "Mot-clé", "Keywords",
                "Mots-clés", "Brand", "Marque", "account"),
}
_PROJECT_KEYS = {V.norm_header(k) for k in ("Project", "Projet", "Query Name", "Query", "Search", "Search name",
                                              "Recherche", "Requête", "Topic")}
TEXT_FIELDS = ("title", "text", "url", "author", "language", "country")
NUMBER_FIELDS = ("author_followers", "influence", "reach", "engagement", "likes", "comments", "shares")

_CATEGORY = {  # source category as exported (casefolded) → platform; None: the category names no network
    **{k: "x" for k in ("x", "twitter", "x (twitter)", "twitter/x", "x/twitter", "tweet", "tweets")},
    **{k: k for k in ("facebook", "instagram", "tiktok", "youtube", "linkedin")},
    "fb": "facebook", "ig": "instagram", "tik tok": "tiktok",
    **{k: "news" for k in ("news", "online news", "print", "press", "presse", "actualités", "actualites",
                           "broadcast", "tv", "radio", "médias", "medias", "articles", "news sites")},
    **{k: "blogs" for k in ("blog", "blogs", "tumblr")},
    **{k: "forums" for k in ("forum", "forums", "reddit", "discussion", "discussions", "message boards")},
    **{k: "web" for k in ("web", "website", "websites", "site web", "sites web", "other web", "internet")},
    **{k: "reviews" for k in ("review", "reviews", "avis", "review sites")},
    **{k: "podcasts" for k in ("podcast", "podcasts")},
    **{k: None for k in ("video", "videos", "vidéo", "vidéos", "social", "socials", "social media",
                         "social networks", "other socials", "other social", "other social media",
                         "réseaux sociaux", "autres réseaux sociaux", "autres réseaux")},
    **{k: "other" for k in ("other", "others", "autre", "autres", "pinterest", "twitch", "threads", "bluesky",
                            "mastodon", "vk", "weibo", "qq", "snapchat", "telegram", "discord")},
}
_HOSTS = {  # host (or a parent domain of it) → platform
    "twitter.com": "x", "x.com": "x", "t.co": "x", "facebook.com": "facebook", "fb.com": "facebook",
    "fb.watch": "facebook", "instagram.com": "instagram", "tiktok.com": "tiktok", "youtube.com": "youtube",
    "youtu.be": "youtube", "linkedin.com": "linkedin", "lnkd.in": "linkedin", "reddit.com": "forums",
    "quora.com": "forums", "medium.com": "blogs", "substack.com": "blogs", "podcasts.apple.com": "podcasts",
    "podcasts.google.com": "podcasts", "g.page": "reviews",
}
_HOST_LABELS = {  # a label of the host, whatever the country domain (tripadvisor.fr, trustpilot.de)
    "tripadvisor": "reviews", "trustpilot": "reviews", "yelp": "reviews", "avis-verifies": "reviews",
    "blogspot": "blogs", "wordpress": "blogs", "tumblr": "blogs", "over-blog": "blogs", "hautetfort": "blogs",
    "jeuxvideo": "forums", "doctissimo": "forums", "facebook": "facebook", "instagram": "instagram",
    "youtube": "youtube", "tiktok": "tiktok", "linkedin": "linkedin", "twitter": "x", "reddit": "forums",
    "pinterest": "other", "threads": "other", "bsky": "other",
}
_SENTIMENT = {
    **{k: "positive" for k in ("positive", "positif", "positifs", "positivo", "pos", "+", "very positive")},
    **{k: "negative" for k in ("negative", "négatif", "negatif", "négative", "negativo", "neg", "very negative")},
    **{k: "neutral" for k in ("neutral", "neutre", "neutro", "neu")},
}
_HOST_RE = r"^\s*(?:[a-zA-Z][\w+.-]*://)?(?:www\d?\.|m\.|mobile\.|amp\.)?(?P<g>[^/\s:?#@]+)"


def _platform_of(category: str | None, host: str | None, default: str | None = None) -> str:
    """Normalised platform from the tool's category and the link's host; `default` (audit.yml
    `sources[].platform`) when neither names one."""
    key = (category or "").strip().casefold()
    named = _CATEGORY.get(key, "?")
    if named not in (None, "?"):
        return named  # = _named_platform(category)
    found = _host_platform(host)
    if found:
        return found
    if default:
        return default
    if named is None:  # "videos", "other socials": a network we cannot name
        return "other"
    return "web" if host else "other"


def _named_platform(category: str) -> str | None:
    """The platform a category names by itself ("Twitter", "News"), None when it names none ("Videos")."""
    return _CATEGORY.get(category.strip().casefold()) or None


@functools.lru_cache(maxsize=1 << 16)  # the same category and host come back chunk after chunk
def _platform_of_key(key: str, default: str | None) -> str:
    """`_platform_of` for "category\x1fhost"."""
    return _platform_of(*key.split("\x1f"), default)


def _host_platform(host: str | None) -> str | None:
    if not host:
        return None
    parts = host.casefold().strip(".").split(".")
    for i in range(len(parts) - 1):
        hit = _HOSTS.get(".".join(parts[i:]))
        if hit:
            return hit
    for label in parts[:-1]:
        if label in _HOST_LABELS:
            return _HOST_LABELS[label]
    return None


def sentiment_of(value: str) -> str | None:
    """'Positive', 'négatif', 'Neutre', 1/0/-1 or any signed score → positive/neutral/negative (None: not rated)."""
    v = value.strip().casefold()
    if v in _SENTIMENT:
        return _SENTIMENT[v]
    try:  # numeric scores: -1/0/1, or any signed scale
        x = float(v.replace(",", "."))
    except ValueError:
        return None
    if x != x:  # NaN
        return None
    return "positive" if x > 0 else "negative" if x < 0 else "neutral"


# Python's `re` \s spelled out (RE2's \s is ASCII only): pandas would run `^\s*...` in Python, cell by cell.
_LOOKS_URL = rf"^{V.SPACE}*(?:https?://|www\.)"


def _arrow(series: pd.Series) -> pa.Array:
    """A text column as one pyarrow string array (no copy of a pyarrow-backed column's cells)."""
    arr = V.arrow_strings(series)
    if arr is None:
        return pa.array(series, type=pa.large_string(), from_pandas=True)
    return V.whole(arr)


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str"), index=index)


def _extract(arr: pa.Array, pattern: str) -> pa.Array:
    """The named group of `pattern` (RE2 syntax, one `(?P<g>...)`) in each cell, or null. Done with pyarrow: pandas'
    str.extract falls back to a Python loop, ~10x slower on long texts."""
    if arr.null_count == len(arr):
        return pa.nulls(len(arr), pa.large_string())
    return pc.struct_field(pc.extract_regex(arr, pattern), [0])


def _host(arr: pa.Array) -> pa.Array:
    """`_extract(arr, _HOST_RE)` in plain steps, ~4x faster: trim RE2's spaces, drop a scheme, then a
    www./m./mobile./amp. prefix, and keep what comes before the first delimiter. When that leaves
    nothing, the pattern would have backtracked (`https://www./x` → `www.`): those cells get the
    pattern itself."""
    if arr.null_count == len(arr):
        return pa.nulls(len(arr), pa.large_string())
    rest = pc.utf8_ltrim(arr, characters="\t\n\f\r ")
    rest = pc.replace_substring_regex(rest, r"^[a-zA-Z][\w+.-]*://", "", max_replacements=1)
    rest = V.whole(pc.replace_substring_regex(rest, r"^(?:www\d?\.|m\.|mobile\.|amp\.)", "", max_replacements=1))
    cut = pc.fill_null(pc.find_substring_regex(rest, r"[/\t\n\f\r :?#@]"), -1).to_numpy(zero_copy_only=False)
    _, offsets, data = rest.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64)[rest.offset:rest.offset + len(rest) + 1]
    size = np.diff(starts)
    valid = rest.is_valid().to_numpy(zero_copy_only=False)
    size = np.where(valid, np.where(cut >= 0, cut, size), 0)
    ends = np.zeros(len(rest) + 1, dtype=np.int64)
    np.cumsum(size, out=ends[1:])
    picked = np.repeat(starts[:-1] - ends[:-1], size) + np.arange(ends[-1])
    chars = np.frombuffer(data, dtype=np.uint8)[picked] if ends[-1] else np.zeros(0, dtype=np.uint8)
    host = pa.Array.from_buffers(pa.large_string(), len(rest), [pa.array(valid).buffers()[1], pa.py_buffer(ends),
                                                                   pa.py_buffer(chars)])
    again = np.flatnonzero(valid & (size == 0))
    if again.size:
        host = V.scatter(host, again, _extract(arr.take(again), _HOST_RE))
    return host


def _host_of(url: pa.Array, where: pa.Array | None = None) -> pa.Array:
    """The lower-cased host of each link (`_host`), only in the rows `where` is true (null elsewhere)."""
    if where is None or pc.all(where).as_py():
        return pc.utf8_lower(_host(url))
    rows = np.flatnonzero(pc.fill_null(where, False).to_numpy(zero_copy_only=False))
    empty = pa.nulls(len(url), pa.large_string())
    if not rows.size:
        return empty
    return V.scatter(empty, rows, pc.utf8_lower(_host(url.take(pa.array(rows)))))


class _Accounts:
    """Which account (brand or competitor) a mention is about, from audit.yml names and keywords."""

    def __init__(self, ctx: ParseContext, preamble: list[str] = ()):
        self.ctx = ctx
        self.preamble = list(preamble)
        cfg = ctx.config
        self.default = ctx.account(platform="listening")
        self.explicit = ctx.override.account if ctx.override and ctx.override.account else None
        self.word: dict[str, str] = {}  # casefolded name/keyword/handle → account name
        if cfg is not None:
            for acc in cfg.accounts:
                handles = [h for hs in acc.accounts.values() for h in hs]
                for w in (acc.name, *acc.keywords, *handles):
                    w = V.norm_header(w).lstrip("@")
                    if len(w) >= 2:
                        self.word.setdefault(w, acc.name)
        words = "|".join(re.escape(w) for w in sorted(self.word, key=len, reverse=True))  # longest first
        # Vectorised search (pyarrow's RE2 has no look-arounds) and a Python one for project names.
        self.pattern = rf"(?:^|[^\w])(?P<g>{words})(?:[^\w]|$)" if words else None
        self.finder = re.compile(rf"(?<!\w)({words})(?!\w)") if words else None
        self._projects: dict[str, str | None] = {}

    def first_named(self, arr: pa.Array) -> pa.Array:
        """The account whose keyword appears first in each text (null when none does)."""
        if self.pattern is None:
            return pa.nulls(len(arr), pa.large_string())
        found = _extract(arr, "(?i)" + self.pattern)  # RE2 ignores case itself: no lower-cased copy
        return V.map_distinct_arrow(pc.utf8_lower(found), self.word.get)

    def file_project(self, index: pd.Index) -> pd.Series | None:
        """The project named in the report metadata above the header ('Query Name: ...'), for every row."""
        for line in self.preamble:
            key, sep, value = line.partition(":")
            if sep and value.strip() and V.norm_header(key) in _PROJECT_KEYS:
                return pd.Series(value.strip(), index=index, dtype="str")
        return None

    def project(self, value: str) -> str | None:
        if value not in self._projects:
            cfg = self.ctx.config
            hit = cfg.account_for(value, "listening") if cfg is not None else None
            if hit is None and self.finder is not None:
                named = {self.word[m] for m in self.finder.findall(V.norm_header(value))}
                hit = named.pop() if len(named) == 1 else None
            if hit is None:
                self.ctx.warn(f"project/search {value!r} names neither the brand nor a competitor of audit.yml "
                              "(names, handles, keywords); its mentions are assigned as if it were absent")
            self._projects[value] = hit
        return self._projects[value]

    def assign(self, project: pd.Series | None, texts: list[pd.Series]) -> pd.Series:
        index = texts[0].index
        out = pa.nulls(len(index), pa.large_string())
        if project is not None:
            out = V.map_distinct_arrow(_arrow(project), self.project)
        if self.explicit:
            return _series(pc.fill_null(out, self.explicit), index)
        for t in texts:
            t = _arrow(t)
            todo = pc.and_(pc.is_null(out), pc.is_valid(t))
            if pc.any(todo).as_py():
                out = pc.replace_with_mask(out, todo, self.first_named(t.filter(todo)))
        return _series(out, index)


def _id_keys(ids: pd.Series | None, url: pa.Array, when: pa.Array, body: pa.Array):
    """What `_mention_ids` hashes: the tool's ids (None if it gives none), which of them are missing,
    and for those, link, date and text joined."""
    out = None if ids is None else _arrow(ids)
    todo = pa.array(np.ones(len(url), dtype=bool)) if out is None else pc.is_null(out)
    cols = (url, when, body) if out is None else [c.filter(todo) for c in (url, when, body)]
    keys = pc.binary_join_element_wise(*cols, pa.scalar("\x1f", pa.large_string()), null_handling="replace")
    return out, todo, keys


def _mention_ids(out: pa.Array | None, todo: pa.Array, keys: pa.Array) -> pa.Array:
    """The tool's id where it gives one, else a stable hash of link, date and text (the same mention
    exported twice gets the same id, so overlapping exports de-duplicate)."""
    if out is None:
        return _digests(keys)
    if not len(keys):
        return out
    return pc.replace_with_mask(out, todo, _digests(keys))


def _digests(keys: pa.Array) -> pa.Array:
    """XXH3 (64 bits, in hex) of each cell: the bytes hashed where Arrow holds them, the digests
    written in hex all at once (no Python object per cell but the digest itself). XXH3, not a
    cryptographic hash: the ids only tell mentions apart (a collision among a million mentions has a
    chance of about 3 in 100 million), and hashing is the one step here that holds the GIL, so it is
    the one the other threads wait on (blake2b took ~4x longer)."""
    keys = keys.cast(pa.large_binary())
    _, offsets, data = keys.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[keys.offset:keys.offset + len(keys) + 1].tolist()
    data = memoryview(data if data is not None else b"")
    h = xxhash.xxh3_64_digest
    hexed = b"".join([h(data[i:j]) for i, j in zip(ends, ends[1:])]).hex().encode()
    starts = np.arange(0, 16 * len(keys) + 1, 16, dtype=np.int64)
    return pa.Array.from_buffers(pa.large_string(), len(keys), [None, pa.py_buffer(starts), pa.py_buffer(hexed)])


class Mentions(Format):
    """The parsing shared by every listening format; subclasses only differ in how they recognise a file."""

    platform = "listening"
    tables = ("mentions",)
    date_formats: ClassVar[tuple[str, ...]] = ()

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        cols = ctx.columns(pd.DataFrame(columns=dedupe(block.header)), ALIASES)
        if "published_at" not in cols:
            raise DataError("no publication date column; map `published_at` in audit.yml `sources[].columns`",
                            block.source)
        if not {"text", "title", "url"} & set(cols):
            raise DataError("no text, title or link column; map `text` in audit.yml `sources[].columns`",
                            block.source)
        accounts = _Accounts(ctx, block.preamble)
        fields = [f for f in NUMBER_FIELDS if f in cols]
        done, undated, unassigned, date_facts, number_facts = [], 0, 0, [], {f: [] for f in fields}
        # Chunks are cleaned and typed two at a time; what has side effects (warnings, the project →
        # account cache) is settled here, in file order.
        for d, project, lost, ids, typed in ordered_map(lambda chunk: self._row_local(chunk, cols, accounts),
                                                        block.chunks(CHUNK_ROWS)):
            # hashing holds the GIL: this thread does all of it while the workers clean the next chunks
            d["mention_id"] = _series(_mention_ids(*ids), d.index)
            if project is not None:
                d["account"] = accounts.assign(project, [d["title"], d["text"]])  # in reading order
            if lost is not None:
                ctx.warn(f"column {cols['mention_id']!r}: ids such as {lost!r} were turned into scientific notation "
                         "by Excel; those mentions get an id made from link, date and text")
            dated, when, numbers = typed
            if not dated.all():
                d = d[dated]
                undated += int((~dated).sum())
            missing = d["account"].isna()
            if missing.any():
                unassigned += int(missing.sum())
                d["account"] = d["account"].fillna(accounts.default)
            d["published_at"] = when[0].array  # the rows of d, in order
            date_facts.append(when[1])
            for f, (values, facts) in zip(fields, numbers):
                number_facts[f].append(facts)
            for f, values in self._number_columns(dict(zip(fields, (v for v, _ in numbers))), cols).items():
                d[f] = values.to_numpy()
            done.append(d)
        done = done[0] if len(done) == 1 else pd.concat(done)
        ctx.drop(undated, "mention without a publication date")
        if not (DateFacts.alike(date_facts) and all(NumberFacts.alike(number_facts[f]) for f in fields)):
            # Chunks told apart what the whole file decides (day/month order, decimal mark): read those
            # columns again, whole, as a small file is.
            done = self._typed_again(block, done, cols, fields, ctx)
        else:
            ctx.settle_dates(cols["published_at"], date_facts)
            for f in fields:
                ctx.settle_numbers(cols[f], number_facts[f])
        if unassigned and ctx.config is not None:
            ctx.warn(f"{unassigned} mention(s) name neither the brand nor a competitor (no project, no keyword "
                     f"of audit.yml in the text); counted as {accounts.default!r}")
        out = done.drop(columns=["account", "platform"])
        return {"mentions": ctx.finish(out, done["platform"], done["account"])}

    @staticmethod
    def _number_columns(numbers: dict[str, pd.Series], cols: dict[str, str]) -> dict[str, pd.Series]:
        """The numeric columns of the table; without an engagement total in the file, likes + comments +
        shares, empty only when all three are (the three themselves are not kept)."""
        out = {f: v for f, v in numbers.items() if f not in ("likes", "comments", "shares")}
        if "engagement" not in cols:
            total = total_of([numbers.get(f) for f in ("likes", "comments", "shares")])
            if total is not None:
                out["engagement"] = total
        return out

    def _row_local(self, chunk: pd.DataFrame, cols: dict[str, str], accounts: _Accounts):
        """What one chunk of rows decides on its own: cleaned texts, platform, source, account, id,
        dates and numbers. Free of side effects (chunks run in parallel): when a project column names
        the account, the project is returned for the caller to map; so is an id Excel turned into
        scientific notation, what the caller hashes into mention ids, and what the caller needs to
        warn about dates and numbers once for the file (`_typed`)."""
        index = chunk.index
        out = {f: text(chunk, cols.get(f)) for f in TEXT_FIELDS}
        source = _arrow(text(chunk, cols.get("source")))
        null = pa.scalar(None, pa.large_string())
        # Some tools put the link in `Source`: then it is the URL, and the host is the source.
        looks_url = pc.fill_null(pc.match_substring_regex(source, _LOOKS_URL), False)
        url = pc.coalesce(_arrow(out["url"]), pc.if_else(looks_url, source, null))
        out["url"] = _series(url, index)
        source_host = _host_of(pc.if_else(looks_url, source, null))
        category = _arrow(text(chunk, cols.get("platform")))
        if "platform" not in cols and "source" in cols:
            category = pc.if_else(looks_url, null, source)  # an outlet name such as "Twitter" still names the network
        # The link's host is read only where it is needed: where the category names no platform
        # ("Videos", none), or no outlet is given (the host is the source then).
        named = V.map_distinct_arrow(category, _named_platform)
        host = _host_of(url, pc.or_kleene(pc.is_null(named), pc.invert(pc.is_valid(source))))
        out["source"] = _series(pc.coalesce(pc.if_else(looks_url, source_host, source), host, category), index)
        out["platform"] = _series(self._platforms(named, category, pc.coalesce(host, source_host), accounts), index)
        project = text(chunk, cols["project"]) if "project" in cols else accounts.file_project(index)
        out["account"] = accounts.assign(None, [out["title"], out["text"]]) if project is None else None
        if "sentiment" in cols:
            out["sentiment"] = V.map_distinct(text(chunk, cols["sentiment"]), sentiment_of)
        when = self._when(chunk, cols)
        ids, lost_id = None, None
        if "mention_id" in cols:
            ids = V.clean_id(chunk[cols["mention_id"]])
            lost = V.scientific_ids(ids.fillna(""))
            if lost.any():
                lost_id = ids[lost].iloc[0]
                ids = ids.where(~lost)
        body = pc.coalesce(_arrow(out["text"]), _arrow(out["title"]))
        out["mention_id"] = None  # hashed by the caller (see parse)
        keys = _id_keys(ids, url, _arrow(when), body)
        return pd.DataFrame(out, index=index), project, lost_id, keys, self._typed(chunk, when, cols, accounts.ctx)

    @staticmethod
    def _platforms(named: pa.Array, category: pa.Array, host: pa.Array, accounts: _Accounts) -> pa.Array:
        """`_platform_of` for each row: the platform its category names, else decided from the category
        and the host (distinct pairs once)."""
        rest = np.flatnonzero(named.is_null().to_numpy(zero_copy_only=False))
        if not rest.size:
            return named
        take = pa.array(rest)
        key = pc.binary_join_element_wise(pc.fill_null(category.take(take), ""), pc.fill_null(host.take(take), ""),
                                          pa.scalar("\x1f", pa.large_string()))
        default = accounts.ctx.override.platform if accounts.ctx.override else None
        decided = V.map_distinct_arrow(key, lambda k: _platform_of_key(k, default))
        return V.scatter(named, rest, decided)

    @staticmethod
    def _when(chunk: pd.DataFrame, cols: dict[str, str]) -> pd.Series:
        """The publication date as written, with the time when it is in a column of its own."""
        when = pc.utf8_trim_whitespace(_arrow(chunk[cols["published_at"]]))
        if "time" in cols and cols["time"] != cols["published_at"]:
            t = pc.utf8_trim_whitespace(_arrow(chunk[cols["time"]]))
            when = pc.replace_substring_regex(when, r"[ T]00:00(?::00)?$", "")  # an Excel date cell at midnight
            has_time = pc.fill_null(pc.match_substring(when, ":"), False).to_numpy(zero_copy_only=False)
            add = ~V.blank_arrow(t) & ~has_time  # Meltwater repeats the time in Date
            if add.any():
                joined = pc.binary_join_element_wise(when, t, pa.scalar(" ", pa.large_string()))
                when = pc.if_else(pa.array(add), joined, when)
        return _series(when, chunk.index)

    def _typed(self, chunk: pd.DataFrame, when: pd.Series, cols: dict[str, str], ctx: ParseContext):
        """Dates and numbers of the rows with a date, as read in this chunk alone, with what the file's
        warnings need (ParseContext.read_dates/read_numbers). Whether the chunks of a file were all read
        as the whole file would have been (day/month order, decimal mark) is checked in `parse`."""
        dated = ~V.blank(when)
        keep = None if dated.all() else dated.to_numpy()
        rows = chunk if keep is None else chunk[keep]
        dates = ctx.read_dates(when if keep is None else when[keep], cols["published_at"], self.date_formats)
        numbers = [ctx.read_numbers(rows[cols[f]]) for f in NUMBER_FIELDS if f in cols]
        return dated, dates, numbers

    def _typed_again(self, block: Block, done: pd.DataFrame, cols: dict[str, str], fields: list[str],
                     ctx: ParseContext) -> pd.DataFrame:
        """Dates and numbers read over the whole file at once (re-reading it), for files whose chunks
        alone would decide the day/month order or the decimal mark otherwise than all rows do."""
        raw = []
        for chunk in block.chunks(CHUNK_ROWS):
            when = self._when(chunk, cols)
            part = pd.DataFrame({cols[f]: chunk[cols[f]] for f in fields}, index=chunk.index)
            part[cols["published_at"]] = when
            raw.append(part[~V.blank(when).to_numpy()])
        raw = raw[0] if len(raw) == 1 else pd.concat(raw)
        done = done.copy(deep=False)
        done["published_at"] = ctx.dates(raw, cols["published_at"], formats=self.date_formats)  # same rows
        numbers = {f: ctx.numbers(raw, cols[f]) for f in fields}
        for f, values in self._number_columns(numbers, cols).items():
            done[f] = values
        return done

@register
class Brand24(Mentions):
    id = "listening.brand24"
    label = "Brand24-style mentions export (Date and Hour columns, Content, Category, Influencer Score; EN/FR)"

    def match(self, block: Block) -> float:
        return header_score(block, required=[{"Content", "Contenu", "Text", "Texte"}, {"Date", "Date de publication"},
                                       {"URL", "Link", "Lien", "Source"},
                                       {"Sentiment", "Influencer Score", "Score d'influence", "Category",
                                        "Catégorie", "Host", "Domain", "Domaine", "Hôte"}],
                      optional=("Hour", "Heure", "Title", "Titre", "Host", "Domain", "Category", "Catégorie",
                                "Author", "Auteur", "Influencer Score", "Score d'influence", "Sentiment", "Reach",
                                "Visits", "Portée", "Likes", "J'aime", "Comments", "Commentaires", "Shares",
                                "Partages", "Country", "Pays", "Language", "Langue"),
                      forbidden=("Hit Sentence", "Full Text", "Post ID", "Tweet permalink", "Impressions"))


@register
class Meltwater(Mentions):
    id = "listening.meltwater"
    label = "Meltwater mentions export (UTF-16 tab-separated; Hit Sentence, Influencer, Input Name)"
    date_formats = ("%d-%b-%Y %I:%M%p", "%d-%b-%Y %I:%M %p", "%d-%b-%Y %H:%M", "%d-%b-%Y")

    def match(self, block: Block) -> float:
        return header_score(block, required=[{"Hit Sentence", "Opening Text"}, "Date", {"URL", "Headline"}],
                      optional=("#", "Headline", "Opening Text", "Hit Sentence", "Source", "Influencer", "Country",
                                "Subregion", "Language", "Reach", "Desktop Reach", "Mobile Reach", "Engagement",
                                "AVE", "Sentiment", "Key Phrases", "Input Name", "Keywords", "Tweet Id",
                                "Twitter Screen Name", "Twitter Followers", "Alternate Date Format", "Time",
                                "Document Tags"))


@register
class Brandwatch(Mentions):
    id = "listening.brandwatch"
    label = "Brandwatch mentions export (report metadata above the header; Full Text, Impact, Page Type)"

    def match(self, block: Block) -> float:
        return header_score(block, required=["Full Text", {"Date", "Added"},
                                       {"Impact", "Page Type", "Account Type", "Query Name", "Query Id", "Domain"}],
                      optional=("Query Id", "Query Name", "Added", "Author", "Account Type", "Avatar URL",
                                "Categories", "Title", "Url", "Domain", "Page Type", "Sentiment", "Impact", "Reach",
                                "Country", "Language", "Full Name", "Resource Id", "Snippet"))


@register
class GenericMentions(Mentions):
    id = "listening.generic"
    label = ("Mentions in the toolkit's own layout (published_at, text, ...), or any listening tool's export "
             "mapped with audit.yml `sources[].columns`")

    def match(self, block: Block) -> float:
        # Only our own column names are recognised by content; other layouts need audit.yml `format`.
        return header_score(block, required=["published_at", {"text", "title"}],
                      optional=tuple(k for k in ALIASES if k not in ("published_at", "text")),
                      forbidden=("review_id", "rating", "message_id", "received_at", "response_id", "post_id"))
