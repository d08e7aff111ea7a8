"""Settings from the environment: working defaults, and a bad value stops the process at start
with a message naming the variable (not a 500 on some request hours later)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service import config

ROOT = Path(__file__).resolve().parent.parent


def test_the_defaults_work_without_any_environment():
    assert config.Config.EMBED_TOKEN_HOURS == 8
    assert config.Config.EXPORT_SYNC_MAX_COMMENTS == 500
    assert config.Config.EXPORT_TTL_HOURS == 72
    assert config.Config.EXPORT_LIMIT_PER_HOUR == "5 per hour"
    assert config.Config.TRUST_PROXY_HEADERS is False


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("EMBED_TOKEN_HOURS", "24", 24),
        ("EMBED_TOKEN_HOURS", " 2 ", 2),
        ("EXPORT_SYNC_MAX_COMMENTS", "0", 0),  # 0: only accounts without comments get theirs at once
        ("EXPORT_TTL_HOURS", "", 72),  # blank, as in an env file: the default
    ],
)
def test_whole_numbers_are_read(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    default = {"EMBED_TOKEN_HOURS": 8, "EXPORT_SYNC_MAX_COMMENTS": 500, "EXPORT_TTL_HOURS": 72}[name]
    assert config._env_int(name, default, minimum=0, maximum=10_000) == expected


@pytest.mark.parametrize(
    "reader,value,message",
    [
        (lambda: config._env_int("EXPORT_TTL_HOURS", 72, minimum=1, maximum=8760), "three days", "whole number"),
        (lambda: config._env_int("EXPORT_TTL_HOURS", 72, minimum=1, maximum=8760), "0", "from 1 to 8760"),
        (lambda: config._env_bool("EXPORT_TTL_HOURS", False), "ture", "true or false"),
        (lambda: config._env_limit("EXPORT_TTL_HOURS", "5 per hour"), "5 a fortnight", "rate limit like"),
        (lambda: config._env_choice("EXPORT_TTL_HOURS", "a", ("a", "b")), "c", "one of a, b"),
        (lambda: config._env_origin("EXPORT_TTL_HOURS"), "comments.example.com", "https://comments.example.com"),
        (lambda: config._env_origin("EXPORT_TTL_HOURS"), "https://example.com/comments", "no"),
        (lambda: config._env_origin("EXPORT_TTL_HOURS"), "ftp://example.com", "scheme"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(monkeypatch, reader, value, message):
    monkeypatch.setenv("EXPORT_TTL_HOURS", value)
    with pytest.raises(config.ConfigError) as refused:
        reader()
    assert "EXPORT_TTL_HOURS" in str(refused.value) and message in str(refused.value)


def test_the_public_address_is_normalised(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "HTTPS://Comments.Example.com/")
    assert config._env_origin("PUBLIC_URL") == "https://comments.example.com"
    monkeypatch.setenv("PUBLIC_URL", "http://[::1]:8080")
    assert config._env_origin("PUBLIC_URL") == "http://[::1]:8080"


def _start(**env):
    """Import the app the way gunicorn and flask do, in a fresh process with `env` added."""
    return subprocess.run(
        [sys.executable, "-c", "from service import create_app"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "name,value",
    [
        ("EMBED_TOKEN_HOURS", "0"),
        ("EXPORT_SYNC_MAX_COMMENTS", "lots"),
        ("EXPORT_TTL_HOURS", "-1"),
        ("EXPORT_LIMIT_PER_HOUR", "five"),
        ("DELETED_ACCOUNT_COMMENTS", "shred"),
        ("SCORING_PRECISION", "int8"),
        ("BACKGROUND_NICENESS", "20"),
        ("SCORING_BATCH_WAIT_MS", "-5"),
        ("TRUST_PROXY_HEADERS", "maybe"),
        ("PUBLIC_URL", "https://example.com/parley?x=1"),
    ],
)
def test_a_process_with_a_bad_setting_does_not_start(name, value):
    started = _start(**{name: value})
    assert started.returncode != 0
    last_line = started.stderr.strip().splitlines()[-1]
    assert last_line.startswith("service.config.ConfigError: " + name), started.stderr[-500:]


def test_a_process_with_good_settings_starts():
    started = _start(
        EMBED_TOKEN_HOURS="12", EXPORT_TTL_HOURS="24", PUBLIC_URL="https://c.example.com", TRUST_PROXY_HEADERS="on"
    )
    assert started.returncode == 0, started.stderr[-500:]
