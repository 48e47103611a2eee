"""The OCID prefix is a setting (CDV_OCID_PREFIX) with OCP's placeholder as its default; a malformed one is refused
at start-up rather than published in every ocid."""

from __future__ import annotations

import pytest

from api.settings import DEFAULT_OCID_PREFIX, UnsafeConfiguration, load_settings


def test_the_default_prefix_is_the_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDV_OCID_PREFIX", raising=False)
    assert load_settings().ocid_prefix == DEFAULT_OCID_PREFIX == "ocds-xxxxxx"


def test_a_registered_prefix_is_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDV_OCID_PREFIX", " ocds-ab12cd ")
    assert load_settings().ocid_prefix == "ocds-ab12cd"


@pytest.mark.parametrize("prefix", ["ocds-ab12", "OCDS-AB12CD", "nhs-wales", "ocds-ab12cd-x"])
def test_a_malformed_prefix_is_refused(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    monkeypatch.setenv("CDV_OCID_PREFIX", prefix)
    with pytest.raises(UnsafeConfiguration, match="CDV_OCID_PREFIX"):
        load_settings()
