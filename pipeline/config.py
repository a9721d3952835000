"""Settings: one YAML tree (configs/default.yaml), merged partial trees and dotted overrides."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"


class ConfigError(ValueError):
    """A settings file or override that can't be used; the message says which and why."""


class Config(dict):
    """A settings tree: a dict of dicts with `cfg.get_path("ocr.threads")` for dotted reads."""

    def get_path(self, dotted: str) -> Any:
        node: Any = self
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"unknown setting '{dotted}'")
            node = node[part]
        return node

    def section(self, dotted: str) -> dict[str, Any]:
        value = self.get_path(dotted)
        if not isinstance(value, dict):
            raise ConfigError(f"setting '{dotted}' is not a section")
        return value


def _merge(base: dict[str, Any], extra: dict[str, Any], where: str = "") -> None:
    """Merge `extra` into `base` in place, refusing keys that `base` does not have."""
    for key, value in extra.items():
        path = f"{where}{key}"
        if key not in base:
            raise ConfigError(f"unknown setting '{path}'")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"setting '{path}' is a section, not a value")
            _merge(base[key], value, path + ".")
        else:
            base[key] = value


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the settings file ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a settings file must hold a tree of settings")
    return data


def parse_override(text: str) -> tuple[str, Any]:
    """`ocr.threads=1` → ("ocr.threads", 1); the value is read as YAML."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override '{text}' is not of the form key=value")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise ConfigError(f"override '{text}': value is not valid YAML") from e
    return key.strip(), value


def preset_path(lang: str) -> Path:
    """configs/<lang>.yaml: the settings preset for a language or script (`run --lang deu-frak`)."""
    path = DEFAULT_CONFIG.parent / f"{lang}.yaml"
    if path == DEFAULT_CONFIG or "/" in lang or not path.is_file():
        presets = sorted(p.stem for p in DEFAULT_CONFIG.parent.glob("*.yaml") if p != DEFAULT_CONFIG)
        raise ConfigError(f"no settings preset for '{lang}' in {DEFAULT_CONFIG.parent}; presets: {', '.join(presets)}")
    return path


def load_config(path: Path | None = None, overrides: list[str] | None = None, preset: str | None = None) -> Config:
    """The default tree, with a language preset (configs/<preset>.yaml), a partial settings file
    and `key=value` overrides merged over it, in that order."""
    cfg = _read_yaml(DEFAULT_CONFIG)
    if preset is not None:
        _merge(cfg, _read_yaml(preset_path(preset)))
    if path is not None:
        _merge(cfg, _read_yaml(Path(path)))
    for text in overrides or []:
        key, value = parse_override(text)
        tree: dict[str, Any] = value
        for part in reversed(key.split(".")):
            tree = {part: tree}
        _merge(cfg, tree)
    return Config(copy.deepcopy(cfg))
