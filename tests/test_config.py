from pathlib import Path

import pytest

from themescope.config import Config, config_from_dict, load_config
from themescope.errors import ConfigError

from .conftest import DEFAULT_CONFIG


def test_default_config_loads_and_resolves_input_against_its_folder():
    config = load_config(DEFAULT_CONFIG)
    assert (
        config.input_paths()[0].resolve()
        == (DEFAULT_CONFIG.parent.parent / "examples" / "us-russia-relations.txt").resolve()
    )
    assert config.output_dir() == Path("runs/default")


def test_unknown_key_names_the_dotted_key_and_suggests():
    with pytest.raises(ConfigError) as err:
        config_from_dict({"topics": {"min_topic_sise": 5}})
    assert err.value.lines == ["topics.min_topic_sise: unknown key (did you mean min_topic_size?)"]


def test_wrong_type_names_key_and_value():
    with pytest.raises(ConfigError) as err:
        config_from_dict({"topics": {"min_topic_size": "many"}})
    assert len(err.value.lines) == 1
    assert err.value.lines[0].startswith("topics.min_topic_size:")
    assert "'many'" in err.value.lines[0]


def test_overrides_are_validated_like_the_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[topics]\nseed = 1\n", encoding="utf-8")
    config = load_config(path, ["topics.min_topic_size=5", 'input.paths=["a.jsonl"]'])
    assert config.topics.min_topic_size == 5
    assert config.input.paths == ["a.jsonl"]
    with pytest.raises(ConfigError, match=r"topics\.seed"):
        load_config(path, ["topics.seed=[1]"])


def test_broken_toml_reports_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[topics]\nseed = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in err.value.lines[0]
    assert "line 2" in err.value.lines[0]


def test_private_state_cannot_be_set_from_toml():
    with pytest.raises(ConfigError, match="unknown key"):
        config_from_dict({"source": "x"})
    assert Config().source is None


def test_every_shipped_config_validates():
    configs = sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.toml"))
    assert len(configs) >= 4
    for path in configs:
        load_config(path)
