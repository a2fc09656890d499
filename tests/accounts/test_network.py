"""client_address reads X-Forwarded-For only as far as the configured proxies vouch for it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.network import client_address


def request_with(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_with("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_with_one_proxy_the_address_it_appended_is_read(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_with("10.0.0.1", "1.2.3.4")) == "1.2.3.4"


def test_entries_a_client_adds_on_the_left_are_never_read(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_with("10.0.0.1", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"


@pytest.mark.parametrize("forwarded", ["", "not-an-address"])
def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_with("10.0.0.1", forwarded)) == "10.0.0.1"


def test_two_proxies_read_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request_with("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.1")) == "1.2.3.4"
