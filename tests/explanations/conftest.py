"""Fixtures of the explanation tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the test Redis database is ours alone)."""
    cache.clear()
    yield
    cache.clear()
