"""One vocabulary across the public API (in the spirit of scikit-learn's
``test_public_functions.py``): every public function that takes one of the shared arguments takes
it with the documented default and annotation, so an analyst who learned one call knows them all.

The vocabulary (docs/ARCHITECTURE.md, "Result tables" and "Sampling designs"):
- ``min_n: int | None = None``: None means the codebook's own minimum (5 without a codebook);
  a primitive without a codebook (``suppress_table``) requires it instead;
- ``codebook: Codebook | None = None``: None means the Survey's codebook; a function that cannot
  work without one (``ingest``, ``default_spec``) requires it instead;
- the design arguments ``weight``, ``strata``, ``cluster``, ``fpc``, ``lonely_psu``,
  ``repweights``, ``rep_type``: one annotation and default each, the same in every function that
  takes them;
- ``ci: float = 0.95``; ``by: str | None = None``.
"""

from __future__ import annotations

import inspect

import pytest

import survey_kit as sk

PUBLIC = [name for name in sk.__all__ if callable(getattr(sk, name)) and not inspect.isclass(getattr(sk, name))]

FIXED = {
    "min_n": ("int | None", None),
    "ci": ("float", 0.95),
    "by": ("str | None", None),
}
DESIGN = ("weight", "strata", "cluster", "fpc", "lonely_psu", "repweights", "rep_type")


def _params(name: str) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(getattr(sk, name)).parameters)


def test_no_public_function_hides_its_signature():
    # a `(*args, **kwargs)` wrapper tells the analyst nothing (disclosure_check was one)
    for name in PUBLIC:
        kinds = {p.kind for p in _params(name).values()}
        assert kinds != {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}, name


@pytest.mark.parametrize("argument", sorted(FIXED))
def test_shared_arguments_have_one_default_and_annotation(argument):
    annotation, default = FIXED[argument]
    for name in PUBLIC:
        p = _params(name).get(argument)
        if p is None or (argument == "min_n" and p.default is inspect.Parameter.empty):
            continue
        assert (p.annotation, p.default) == (annotation, default), (
            f"sk.{name}({argument}: {p.annotation} = {p.default!r}); the vocabulary says "
            f"{argument}: {annotation} = {default!r}")


def test_an_optional_codebook_defaults_to_none():
    for name in PUBLIC:
        p = _params(name).get("codebook")
        if p is not None and p.default is not inspect.Parameter.empty:
            assert p.default is None, f"sk.{name}: codebook={p.default!r}; optional means None"


@pytest.mark.parametrize("argument", [
    *[a for a in DESIGN if a != "fpc"],
    pytest.param("fpc", marks=pytest.mark.xfail(
        strict=True, reason="compare alone also takes a census fpc (group sizes, or True for the "
                            "codebook's population); the others take the design's fpc column(s)")),
])
def test_design_arguments_are_the_same_everywhere(argument):
    # replicate_weights *makes* replicates: its rep_type says which kind (default JKn, as R's
    # as.svrepdesign), where the estimators read the kind of the replicates they are given
    seen = {name: (p.annotation, p.default) for name in PUBLIC
            if (p := _params(name).get(argument)) is not None
            and not (name == "replicate_weights" and argument == "rep_type")}
    assert len(seen) >= 2
    assert len(set(seen.values())) == 1, f"{argument} differs: {seen}"


# -- one name per thing: the old names (issue 20) --------------------------------------------------
#: old public name -> its one replacement (survey_kit._deprecated.RENAMED says how to spell it)
DEPRECATED = {"infer_codebook": "draft_codebook", "danish": "present", "export": "save_chart"}


def test_one_name_per_thing_old_names_are_not_public_but_still_resolve():
    from survey_kit._deprecated import RENAMED

    assert set(DEPRECATED) == set(RENAMED) == set(sk._DEPRECATED)
    for old, new in DEPRECATED.items():
        assert old not in sk.__all__ and old not in dir(sk), old
        assert new in sk.__all__ and RENAMED[old].startswith(new), (old, RENAMED[old])
        assert callable(getattr(sk, old)), old  # an analyst's old notebook still runs


@pytest.mark.parametrize("old", sorted(DEPRECATED))
def test_an_old_name_takes_the_arguments_of_the_new_one(old):
    # the shim is a drop-in: the same parameters (names, kinds, defaults) as its replacement
    new = inspect.signature(getattr(sk, DEPRECATED[old])).parameters
    shim = inspect.signature(getattr(sk, old)).parameters
    for name, p in shim.items():
        assert name in new, f"sk.{old}({name}=...) is not an argument of sk.{DEPRECATED[old]}"
        assert (p.kind, p.default) == (new[name].kind, new[name].default), (old, name)
    required = [n for n, p in new.items() if p.default is inspect.Parameter.empty]
    assert all(n in shim for n in required), (old, required)


def test_notebooks_and_docs_use_the_new_names():
    # what an analyst copies from (the notebooks' code cells, the README, the architecture note)
    # never shows an old name
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    texts = {p.name: "".join("".join(c["source"]) for c in json.loads(p.read_text(encoding="utf-8"))["cells"]
                             if c["cell_type"] == "code")
             for p in sorted((root / "notebooks").glob("*.ipynb"))}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in (root / "README.md", root / "docs" / "ARCHITECTURE.md")}
    assert len(texts) >= 5
    old = re.compile(r"\b(?:sk|survey_kit|charts)\.(" + "|".join(DEPRECATED) + r")\(")
    found = {name: old.findall(text) for name, text in texts.items() if old.search(text)}
    assert not found, f"old names in use: {found}"


def test_the_old_draft_name_warns_in_the_ingest_package_too(tmp_path):
    # survey_kit.ingest.infer_codebook was public as well: it warns like sk.infer_codebook and gives
    # the draft's codebook
    import sys
    import warnings

    from survey_kit.ingest.infer import draft_codebook, infer_codebook

    assert "infer_codebook" not in sys.modules["survey_kit.ingest"].__all__
    export = tmp_path / "svar.csv"
    export.write_text("id;q1\n1;Ja\n2;Nej\n3;Ja\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        cb = infer_codebook(export, instrument="x")
    assert [w.category for w in seen] == [DeprecationWarning]
    assert "draft_codebook" in str(seen[0].message)
    assert cb == draft_codebook(export, instrument="x").codebook
