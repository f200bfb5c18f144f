"""The public API: every exported name resolves, and functions are functions (not subpackages)."""

from __future__ import annotations

import types

import survey_kit as sk


def test_every_public_name_resolves():
    for name in sk.__all__:
        value = getattr(sk, name)
        assert not isinstance(value, types.ModuleType), f"sk.{name} is a module"


def test_ingest_is_the_function_even_after_the_subpackage_is_imported():
    import survey_kit.ingest.core  # noqa: F401

    assert callable(sk.ingest) and sk.ingest.__name__ == "ingest"
