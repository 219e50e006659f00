"""End to end: JupyterLab on 127.0.0.1 opens notebooks/explore.ipynb in headless Chromium (Debian's
`chromium`, driven by Playwright; no browser is downloaded), runs every cell, changes the metric and
then the account, and checks that the chart changed each time. Screenshots go to a temporary folder
(their paths are printed). No network: the server fetches no news or updates and the page may only
talk to the local server. Every wait is bounded, so it cannot hang CI."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
DEMO = ROOT / "data" / "demo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SERVER_START_S = 60
EXPLORER_READY_MS = 75_000   # kernel start, `import audit`, loading the demo, the first chart
UPDATE_MS = 30_000

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 (a local URL)
        return r.status


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the notebook and the demo client (ingested here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (python3 dev.py test installs it with apt-get)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    if not (DEMO / "audit.yml").is_file():
        pytest.skip("the demo client is not in data/demo")
    from audit.ingest import ingest

    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)  # the server saves into the copy, not the repo
    client = root / "data" / "demo"
    shutil.copytree(DEMO, client, ignore=shutil.ignore_patterns(".audit"))
    ingest(client, progress=False)

    home = tmp_path_factory.mktemp("jupyter-home")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), secrets.token_hex(16)
    log = open(home / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--ServerApp.terminals_enabled=False",
         "--LabApp.expose_app_in_browser=True",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                if _get(f"{base}/api/status?token={token}") == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield {"base": base, "token": token, "log": home / "server.log"}
    finally:
        try:  # a clean shutdown also stops the kernels the server started
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=10)  # noqa: S310 (a local URL)
            server.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            server.kill()
            server.wait(timeout=10)
        log.close()


def _chart_src(page) -> str:
    return page.locator("img.audit-explore-chart").first.get_attribute("src") or ""


def _wait_new_chart(page, old: str) -> str:
    page.wait_for_function(
        """(old) => { const i = document.querySelector('img.audit-explore-chart');
                      const s = document.querySelector('.audit-explore-status');
                      return i && i.src && i.src !== old && s && s.textContent.includes('Updated'); }""",
        arg=old, timeout=UPDATE_MS)
    return _chart_src(page)


def test_explorer_runs_in_jupyterlab_and_the_chart_follows_the_controls(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    shots = tmp_path_factory.mktemp("explore-screenshots")
    base, token = lab["base"], lab["token"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 2400})
            page.set_default_timeout(30_000)
            outside = []
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                       else (outside.append(route.request.url), route.abort()))
            page.goto(f"{base}/lab/tree/notebooks/explore.ipynb?token={token}", timeout=60_000)
            page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=60_000)
            # the kernel first (running before it is up asks the user to pick one)
            page.wait_for_function("() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session"
                                   "?.kernel?.status === 'idle'", timeout=60_000)
            # Run > Run All Cells, as a user would
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
            try:
                page.locator("img.audit-explore-chart").first.wait_for(state="visible", timeout=EXPLORER_READY_MS)
            except Exception:
                page.screenshot(path=str(shots / "failed.png"), full_page=True)
                outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
                pytest.fail(f"the explorer did not appear (widget manager not loaded?). Outputs: {outputs!r}; "
                            f"screenshot {shots / 'failed.png'}; server log {lab['log']}")
            page.wait_for_function("() => (document.querySelector('.audit-explore-status') || {}).textContent"
                                   "?.includes('Updated')", timeout=UPDATE_MS)
            first = _chart_src(page)
            caption = page.locator(".audit-explore-caption").first.inner_text()
            assert "Engagements" in caption
            explorer = page.locator(".audit-explore").first
            explorer.screenshot(path=str(shots / "1-opened.png"))

            page.locator(".audit-explore-metric select").select_option(label="Mention volume")
            second = _wait_new_chart(page, first)
            assert second != first
            assert "Mention volume" in page.locator(".audit-explore-caption").first.inner_text()
            explorer.screenshot(path=str(shots / "2-metric-changed.png"))

            page.locator(".audit-explore-account select").select_option(label="Fournil Orsane (competitor)")
            third = _wait_new_chart(page, second)
            assert third not in (first, second)
            assert "Fournil Orsane" in page.locator(".audit-explore-caption").first.inner_text()
            page.get_by_role("tab", name="Mentions and spikes").click()
            page.locator(".audit-explore-mentions table").first.wait_for(state="visible")
            links = page.locator(".audit-explore-mentions a")
            if links.count():
                assert "noopener" in (links.first.get_attribute("rel") or "")
            explorer.screenshot(path=str(shots / "3-competitor.png"))
            page.locator(".audit-explore .widget-tab").first.screenshot(path=str(shots / "4-competitor-mentions.png"))
            assert not outside, f"the page tried to reach the network: {outside[:5]}"
        finally:
            browser.close()
    print("\nexplorer screenshots:", *sorted(str(p) for p in shots.glob("*.png")), sep="\n  ")
