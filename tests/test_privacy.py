import pandas as pd

from audit import privacy
from audit.config import AuditConfig

CFG = AuditConfig.model_validate({
    "client": "Demo", "brand": {"name": "Fournil", "accounts": {"x": ["@fournil"]}},
    "competitors": [{"name": "Dupain", "accounts": {"x": ["@dupain"]}}], "objectives": ["sales"]})


def test_people_get_stable_pseudonyms_brand_accounts_stay_named():
    mentions = pd.DataFrame({"author": ["@marie_l", "Fournil", "@marie_l", None],
                             "text": ["love @fournil and @jules_b", "thanks @marie_l", "x", None]})
    inbox = pd.DataFrame({"author": ["marie_l"], "text": ["where is my order"]})
    out = privacy.anonymize_tables({"mentions": mentions, "inbox": inbox}, CFG)
    m = out["mentions"]
    assert m.author[0] == m.author[2] == out["inbox"].author[0]  # same person, same pseudonym everywhere
    assert m.author[0].startswith("person-") and m.author[1] == "Fournil" and pd.isna(m.author[3])
    assert "@fournil" in m.text[0] and "jules_b" not in m.text[0] and "marie_l" not in m.text[1]
    # Stable across runs for one client, different for another client.
    assert privacy.pseudonym("marie_l", "audit:Demo") == privacy.pseudonym("@Marie_L", "audit:Demo")
    assert privacy.pseudonym("marie_l", "audit:Demo") != privacy.pseudonym("marie_l", "audit:Other")


def test_spreadsheet_cells_that_look_like_formulas_are_neutralised(tmp_path):
    df = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+33 6 12", "-2", "@cmd", "fine"], "n": [1, -2, 3, 4, 5]})
    safe = privacy.spreadsheet_safe(df)
    assert safe.text.tolist() == ["'=HYPERLINK(\"http://x\")", "'+33 6 12", "'-2", "'@cmd", "fine"]
    assert safe.n.tolist() == [1, -2, 3, 4, 5]
    p = tmp_path / "t.csv"
    privacy.to_spreadsheet_csv(df, p)
    assert p.read_bytes().startswith(b"\xef\xbb\xbf") and b"'=HYPERLINK" in p.read_bytes()


def test_export_command_writes_safe_csvs(tmp_path):
    import subprocess
    import sys

    from conftest import write_config
    write_config(tmp_path / "c")
    (tmp_path / "c" / "q.csv").write_text("Top queries,Clicks,Impressions,CTR,Position\n=1+1,3,40,7.5%,2.1\n")
    run = subprocess.run([sys.executable, "-m", "audit.cli", "export", str(tmp_path / "c"), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "'=1+1" in (tmp_path / "o" / "search.csv").read_text(encoding="utf-8-sig")
