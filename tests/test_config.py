import pytest

from pipeline.config import ConfigError, load_config


def test_defaults_load_and_overrides_apply(tmp_path):
    cfg = load_config(overrides=["ocr.threads=1", "layout.xycut.min_gutter=0.5"])
    assert cfg["ocr"]["threads"] == 1
    assert cfg.get_path("layout.xycut.min_gutter") == 0.5
    extra = tmp_path / "my.yaml"
    extra.write_text("cleanup:\n  deskew:\n    enabled: false\n")
    assert load_config(extra)["cleanup"]["deskew"]["enabled"] is False


@pytest.mark.parametrize("override", ["ocr.thread=1", "nonsense", "ocr=3"])
def test_unknown_or_malformed_settings_are_refused(override):
    with pytest.raises(ConfigError):
        load_config(overrides=[override])


def test_a_broken_settings_file_names_itself(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ocr: [unclosed\n")
    with pytest.raises(ConfigError, match="bad.yaml"):
        load_config(bad)
