"""`audit run --anonymize`: no author name or handle of the fixture appears in any output of the
run (notebooks, HTML, metrics.json, run.json), while the brand and competitors stay named."""
from pathlib import Path

import pytest

from audit.runner import RunOptions, run

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ("Claire Dupont", "claire_dupont", "Jules Martin", "jules.martin")
MENTIONS = "published_at,text,author,platform,sentiment,reach,url\n" + "".join(
    f"2025-0{1 + i % 6}-{10 + i % 15}T10:00:00+01:00,"
    f"\"{'Love' if i % 3 else 'Hate'} Fournil croissants @claire_dupont idea: please open on Sunday\","
    f"{'Claire Dupont' if i % 2 else '@jules.martin'},x,{'positive' if i % 3 else 'negative'},{100 + i},"
    f"https://x.example/p/{i}\n"
    for i in range(40))
INBOX = "message_id,channel,kind,received_at,first_response_at,author,text,is_question,is_complaint\n" + "".join(
    f"m{i},facebook,message,2025-03-{1 + i % 27}T09:00:00+01:00,2025-03-{1 + i % 27}T11:00:00+01:00,"
    f"Jules Martin,Where is my order? ask @claire_dupont,yes,no\n" for i in range(30))


@pytest.mark.slow
def test_no_original_handle_appears_in_any_output(tmp_path):
    client = tmp_path / "client"
    client.mkdir()
    (client / "audit.yml").write_text(
        "client: Anonymity test\nbrand: {name: Fournil, keywords: [fournil]}\n"
        "competitors: [{name: Dupain, keywords: [dupain]}]\nobjectives: [image]\ntimezone: Europe/Paris\n",
        encoding="utf-8")
    (client / "mentions.csv").write_text(MENTIONS, encoding="utf-8")
    (client / "inbox.csv").write_text(INBOX, encoding="utf-8")
    result = run(RunOptions(client_dir=client, out=tmp_path / "reports", notebooks_dir=ROOT / "notebooks",
                            only=["04", "09", "10"], jobs=2, progress=False, parameters={"anonymize": True}))
    assert result.exit_code == 0, result.message
    outputs = [p for p in Path(result.run_dir).rglob("*") if p.is_file()]
    assert any(p.name == "baseline.html" for p in outputs)
    for p in outputs:
        text = p.read_text(encoding="utf-8", errors="ignore")
        for who in PEOPLE:
            assert who not in text, f"{who!r} found in {p.name}"
    html = (Path(result.run_dir) / "baseline.html").read_text(encoding="utf-8")
    assert "Fournil" in html and "person-" in html
