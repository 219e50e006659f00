#!/usr/bin/env python3
"""Benchmark: the whole metric set on a large client. Target: under 30 s and 3 GB on 2 cores.

    python bench/bench_metrics.py --client /tmp/big        # an ingested client (`audit ingest` first)
    python bench/bench_metrics.py --demo-scale 100 --workdir /tmp/big   # generate + ingest the demo at scale 100
    python bench/bench_metrics.py --synthetic              # ~1M mentions + 100k posts made in memory

Prints the wall and CPU time of each step and of the whole metric set (loading excluded,
reported apart), the process's peak resident memory (loading included) and the machine's
load average: on a busy machine the wall time overstates, the CPU time is the figure to compare.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from audit import schemas
from audit.config import AuditConfig, load_config
from audit.metrics import (audience, brand, channels, competitors, experience, innovation, marketing, operations,
                           returns, website)
from audit.metrics.period import resolve_periods
from audit.tables import Tables, load_tables

ROOT = Path(__file__).resolve().parent.parent


def compute_all(t: Tables, cfg: AuditConfig, steps: dict[str, tuple[float, float]]) -> dict:
    """Every metric the audit computes; `steps` receives each step's (wall, CPU) seconds."""
    period, comparison = resolve_periods(t, cfg)
    tz, name = cfg.timezone, cfg.brand.name
    out: dict = {}

    def step(label, fn, *a, **kw):
        t0, c0 = time.perf_counter(), time.process_time()
        out[label] = fn(*a, **kw)
        steps[label] = (time.perf_counter() - t0, time.process_time() - c0)

    # channels (the frame of per-post values is built once and shared)
    step("channels.post_frame", channels.post_frame, t.posts, t.account_daily, period, tz)
    frame = out["channels.post_frame"]
    step("channels.summary", channels.channel_summary, t, cfg, period, frame=frame)
    step("channels.top_posts", channels.top_posts, t.posts, t.account_daily, period, tz, frame=frame)
    for by in channels.COMPARE_BY:
        step(f"channels.compare_{by}", channels.compare_content, t.posts, by, name, t.account_daily, period, tz,
             frame=frame)
    step("channels.questions", channels.questions_answered, t.inbox, period, tz)
    # brand health
    step("brand.volume", brand.mention_volume, t.mentions, period, tz)
    step("brand.volume_change", brand.volume_change, t.mentions, name, period, comparison, tz)
    step("brand.sentiment", brand.sentiment, t.mentions, period, tz, by_platform=True)
    for by in (None, "platform", "month"):
        step(f"brand.sov_{by}", brand.share_of_voice, t.mentions, cfg, period, tz, by=by)
    step("brand.sources", brand.mentions_by_source, t.mentions, name, period, tz)
    step("brand.influencers", brand.influencers, t.mentions, name, period, tz)
    step("brand.spikes", brand.spikes, t.mentions, name, period, tz)
    step("brand.branded_search", brand.branded_search, t.search, cfg, period)
    # competitors
    step("competitors.side_by_side", competitors.side_by_side, t, cfg, period, summary=out["channels.summary"])
    step("competitors.head_to_head", competitors.head_to_head, t.posts, cfg, t.account_daily, period, frame=frame)
    step("competitors.complaints", competitors.complaint_topics, t, cfg, period)
    # audience
    step("audience.fit", audience.target_fit, t.audience, cfg.target, name, period)
    step("audience.presence_gap", audience.presence_gap, t, cfg, period)
    # marketing optimisation
    step("marketing.ads", marketing.ad_performance, t.ads, ("campaign",), None, period)
    step("marketing.paid_vs_organic", marketing.paid_vs_organic, t.posts, name, period, tz)
    step("marketing.objectives", marketing.objective_findings, cfg, t.posts, t.ads, period)
    # generating returns
    step("returns.summary", returns.returns_summary, t.web_traffic, t.ads, cfg, period)
    step("returns.vs_other", returns.social_vs_other_channels, t.web_traffic, period)
    step("returns.reconcile", returns.reconcile_clicks, t.posts, t.ads, t.web_traffic, cfg, period)
    # operational efficiency
    step("operations.volume", operations.care_volume, t.inbox, name, period, tz)
    step("operations.cost", operations.cost_per_contact, t.inbox, cfg, period)
    step("operations.result", operations.social_result, t.inbox, t.web_traffic, t.ads, cfg, period)
    # customer experience
    step("experience.response_rates", experience.response_rates, t.inbox, name, period, tz)
    step("experience.first_response", experience.first_response_times, t.inbox, name, period, tz,
         business_hours=cfg.business_hours)
    step("experience.reviews", experience.review_summary, t.reviews, name, period, tz)
    step("experience.complaints", experience.complaints, t, name, period, tz, cfg)
    step("experience.nps", experience.nps, t.surveys, name, period, tz)
    # innovation
    step("innovation.texts", innovation.collect_texts, t, name, period, tz)
    step("innovation.ideas", innovation.find_ideas, out["innovation.texts"], cfg)
    step("innovation.themes", innovation.idea_themes, out["innovation.ideas"])
    # website
    step("website.sessions", website.sessions_by, t.web_traffic, "channel_group", period)
    step("website.landing", website.landing_pages, t.web_pages, period)
    step("website.objective_pages", website.objective_pages, t.web_pages, cfg, period)
    return out


# ---------------------------------------------------------------- synthetic canonical tables
def synthetic(n_mentions: int = 1_000_000, n_posts: int = 100_000, seed: int = 0) -> tuple[Tables, AuditConfig]:
    """Canonical tables of a large client, made directly (no export files, no ingest)."""
    rng = np.random.default_rng(seed)
    accounts = ["Brand", "Rival A", "Rival B", "Rival C", "Rival D"]
    platforms = ["facebook", "instagram", "x", "linkedin", "tiktok", "youtube"]
    start = pd.Timestamp("2023-01-01", tz="UTC")
    span = 2 * 365 * 86400
    cfg = AuditConfig.model_validate({
        "client": "Bench", "brand": {"name": "Brand", "keywords": ["brandco"]},
        "competitors": [{"name": a} for a in accounts[1:]], "objectives": ["sales", "image"],
        "timezone": "Europe/Paris", "costs": {"call_centre_cost_per_contact": 6, "team_hourly_cost": 30,
                                              "social_care_hours_per_month": 80},
        "target": {"age_bands": ["25-44"], "genders": ["female"], "countries": ["FR"]}})

    def times(n):
        return start + pd.to_timedelta(rng.integers(0, span, n), unit="s")

    words = np.array(["great", "delivery", "late", "price", "love", "#brand", "#promo", "terrible", "refund",
                      "would be great if you added", "service", "app", "store", "merci", "livraison", "colis"])

    def texts(n, k=8):
        idx = rng.integers(0, len(words), (n, k))
        lens = rng.integers(1, k + 1, n)
        arr = np.where(np.arange(k) < lens[:, None], words[idx], "")
        return pd.Series([" ".join(r).strip() for r in arr.tolist()], dtype="str")

    acc = rng.choice(accounts, n_posts, p=[0.4, 0.15, 0.15, 0.15, 0.15])
    plat = rng.choice(platforms, n_posts)
    own = acc == "Brand"
    reach = np.where(own, rng.lognormal(7, 1, n_posts), np.nan)
    posts = pd.DataFrame({
        "platform": plat, "account": acc, "source_file": "synthetic", "post_id": np.arange(n_posts).astype(str),
        "published_at": times(n_posts), "post_type": rng.choice(["photo", "video", "link", "status", "reel"], n_posts),
        "text": texts(n_posts), "is_paid": rng.random(n_posts) < 0.1, "reach": reach, "impressions": reach * 1.4,
        "reactions": rng.poisson(30, n_posts).astype(float), "comments": rng.poisson(3, n_posts).astype(float),
        "shares": rng.poisson(2, n_posts).astype(float), "link_clicks": np.where(own, rng.poisson(5, n_posts), np.nan),
        "video_views": rng.poisson(500, n_posts).astype(float)})
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    keys = pd.MultiIndex.from_product([platforms, accounts, days], names=["platform", "account", "date"]).to_frame(
        index=False)
    fol = keys.assign(metric="followers", value=10_000 + rng.integers(0, 20, len(keys)).cumsum() % 50_000)
    gained = keys.assign(metric="followers_gained", value=rng.poisson(20, len(keys)).astype(float))
    daily = pd.concat([fol, gained]).assign(source_file="synthetic")
    m_acc = rng.choice(accounts, n_mentions, p=[0.35, 0.2, 0.15, 0.15, 0.15])
    mentions = pd.DataFrame({
        "platform": "listening", "account": m_acc, "source_file": "synthetic",
        "mention_id": np.arange(n_mentions).astype(str), "published_at": times(n_mentions),
        "author": "user" + pd.Series(rng.integers(0, 200_000, n_mentions)).astype(str),
        "author_followers": rng.lognormal(5, 2, n_mentions).round(), "reach": rng.lognormal(6, 2, n_mentions).round(),
        "engagement": rng.poisson(4, n_mentions).astype(float), "text": texts(n_mentions),
        "source": rng.choice(["twitter.com", "facebook.com", "instagram.com", "news", "blogs", "forum", "tiktok"],
                             n_mentions),
        "sentiment": rng.choice(["positive", "neutral", "negative", None], n_mentions)})
    n_in = 50_000
    recv = times(n_in)
    inbox = pd.DataFrame({
        "platform": rng.choice(platforms[:3], n_in), "account": "Brand", "source_file": "synthetic",
        "message_id": np.arange(n_in).astype(str), "received_at": recv,
        "first_response_at": recv + pd.to_timedelta(np.where(rng.random(n_in) < 0.8, rng.exponential(4 * 3600, n_in),
                                                             np.nan), unit="s"),
        "text": texts(n_in), "is_question": rng.random(n_in) < 0.4, "is_complaint": rng.random(n_in) < 0.2})
    n_rev = 20_000
    reviews = pd.DataFrame({
        "platform": "google", "account": rng.choice(accounts, n_rev), "source_file": "synthetic",
        "review_id": np.arange(n_rev).astype(str), "published_at": times(n_rev),
        "rating": rng.integers(1, 6, n_rev).astype(float), "text": texts(n_rev)})
    surveys = pd.DataFrame({
        "platform": "surveys", "account": "Brand", "source_file": "synthetic", "response_id": np.arange(5000).astype(str),
        "submitted_at": times(5000), "nps": rng.integers(0, 11, 5000).astype(float),
        "channels": rng.choice(["facebook;instagram", "instagram", "tiktok;youtube", "linkedin"], 5000)})
    n_q = 20_000
    search = pd.DataFrame({
        "platform": "search_console", "account": "Brand", "source_file": "synthetic", "dimension": "query",
        "value": rng.choice(["brandco shop", "brandco", "shoes", "red shoes", "best sneakers"], n_q) + " "
        + pd.Series(np.arange(n_q)).astype(str),
        "period_start": pd.Timestamp("2024-01-01"), "period_end": pd.Timestamp("2024-12-31"),
        "clicks": rng.poisson(5, n_q).astype(float), "impressions": rng.poisson(100, n_q).astype(float) + 5,
        "position": rng.uniform(1, 30, n_q)})
    audience_t = pd.DataFrame({
        "platform": "facebook", "account": "Brand", "source_file": "synthetic", "dimension": "age_gender",
        "segment": [f"{g}.{a}" for g in "FM" for a in ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")],
        "age_band": [a for _ in "FM" for a in ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")],
        "gender": [g for g in ("female", "male") for _ in range(6)], "share": np.full(12, 1 / 12)})
    frames = {"posts": posts, "account_daily": daily, "mentions": mentions, "inbox": inbox, "reviews": reviews,
              "surveys": surveys, "search": search, "audience": audience_t}
    return Tables({k: schemas.conform(k, v) for k, v in frames.items()}), cfg


def ingested(client: Path) -> tuple[Tables, AuditConfig]:
    if not (client / ".audit").exists():
        subprocess.run([sys.executable, "-m", "audit.cli", "ingest", str(client), "-q"], check=True)
    return load_tables(client), load_config(client)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--client", type=Path, help="an ingested client folder")
    src.add_argument("--demo-scale", type=int, help="generate the demo client at this scale (audit demo-data)")
    src.add_argument("--synthetic", action="store_true", help="make ~1M mentions + 100k posts in memory")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/audit-bench"), help="where --demo-scale writes")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.synthetic:
        tables, cfg = synthetic()
    elif args.client:
        tables, cfg = ingested(args.client)
    else:
        if not (args.workdir / "audit.yml").exists():
            from audit.demo import generate
            generate(args.workdir, scale=args.demo_scale)
        tables, cfg = ingested(args.workdir)
    load_s = time.perf_counter() - t0
    sizes = {k: len(v) for k, v in tables.frames.items()}
    print("rows:", ", ".join(f"{k} {n:,}" for k, n in sizes.items()))
    print(f"loading: {load_s:.1f} s")

    steps: dict[str, tuple[float, float]] = {}
    t1, c1 = time.perf_counter(), time.process_time()
    compute_all(tables, cfg, steps)
    total, cpu = time.perf_counter() - t1, time.process_time() - c1
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print("   wall s    CPU s  step")
    for label, (w, c) in sorted(steps.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"  {w:7.2f}  {c:7.2f}  {label}")
    load = os.getloadavg()[0]
    print(f"metrics: {total:.1f} s wall, {cpu:.1f} s CPU for {len(steps)} steps; peak memory {peak_gb:.2f} GB "
          f"(target: 30 s, 3 GB); load average {load:.1f} on {os.cpu_count()} cores")
    return 0 if total < 30 and peak_gb < 3 else 1


if __name__ == "__main__":
    sys.exit(main())
