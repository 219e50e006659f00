import pytest

from audit.config import load_config
from audit.errors import ConfigError
from conftest import write_config


def test_minimal_config_and_account_mapping(tmp_path):
    (tmp_path / "audit.yml").write_text(
        "client: Demo\nbrand: {name: Fournil, accounts: {instagram: '@fournil.paris'}, keywords: [fournil]}\n"
        "competitors: [{name: Dupain, accounts: {x: ['@dupain']}}]\nobjectives: [sales, image]\n"
        "timezone: Europe/Paris\n", encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.account_for("Fournil.Paris", "instagram") == "Fournil"
    assert cfg.account_for("@DUPAIN") == "Dupain"
    assert cfg.account_for("someone else") is None
    assert str(cfg.tz) == "Europe/Paris"


@pytest.mark.parametrize("body, words", [
    ("client: X\nbrand: {name: B}\nobjectives: [world_domination]\n", "objectives.0"),
    ("client: X\nbrand: {name: B}\nobjectives: [sales]\ntimezone: Mars/Olympus\n", "unknown time zone"),
    ("client: X\nobjectives: [sales]\n", "brand"),
    ("client: X\nbrand: {name: B}\nobjectives: [sales]\nperiod: {start: 2025-05-01, end: 2025-01-01}\n", "before start"),
    ("client: X\nbrand: {name: B}\nobjectives: [sales]\ncompetitors: [{name: B}]\n", "must differ"),
    ("client: X\nbrand: {name: B}\nobjectives: [sales]\ncolour: blue\n", "colour"),
    ("- just\n- a list\n", "mapping"),
    ("client: [unclosed\n", "not valid YAML"),
])
def test_invalid_configs_name_the_setting(tmp_path, body, words):
    (tmp_path / "audit.yml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=words.replace(".", r"\.")):
        load_config(tmp_path)


def test_yaml_cannot_construct_objects(tmp_path):
    (tmp_path / "audit.yml").write_text("client: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path)


def test_missing_config(tmp_path):
    with pytest.raises(ConfigError, match="no audit.yml"):
        load_config(tmp_path)


def test_sources_override_must_name_known_account(tmp_path):
    write_config(tmp_path, sources="[{match: 'x/*', account: Nobody}]")
    with pytest.raises(ConfigError, match="Nobody"):
        load_config(tmp_path)
