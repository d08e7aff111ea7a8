"""Shared fixtures for the moderation tests: the real bundled model, loaded once."""

import pytest


@pytest.fixture(scope="session")
def scorer():
    from moderation import get_scorer

    return get_scorer()
