"""Issue 25 against R's survey package (tests/r/design3_refs.json, made by tests/r/design3_refs.R):
a public replicate-weight file (the NHANES II BRR subset that samplics ships, 32 BRR replicate
weights, copied byte-exact: tests/r/README.md), ``svyciprop(method="likelihood")`` on every design
kind, and medians/quantiles on replicate designs; estimate, SE, CI, df and tests to 1e-6."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from survey_kit.stats import compare, compare_waves, crosstab, frequencies, rank_shares
from survey_kit.survey import Survey
from tests._design_refs import HERE, load, load2, scenario2
from tests.test_stats_design_domains import _check, _close, _survey

REFS = json.loads((HERE / "design3_refs.json").read_text(encoding="utf-8"))
BRR = {"weight": "finalwgt", "repweights": "brr_", "rep_type": "BRR"}


def nhanes2brr() -> pd.DataFrame:
    """The file as published, with the variables tests/r/design3_refs.R derives from it."""
    nh = pd.read_csv(HERE / "data" / "nhanes2brr_subset.csv")
    bmi = nh["weight"] / (nh["height"] / 100) ** 2
    yes = np.array(["No", "Yes"])
    return nh.assign(
        bmi=bmi,
        over=yes[(bmi >= 25).astype(int)],
        band=np.where(nh["height"] < 160, "a", np.where(nh["height"] < 175, "b", "c")),
        heavy=yes[(nh["weight"] >= 70).astype(int)],
        bmicat=np.where(bmi < 18.5, 1, np.where(bmi < 25, 2, np.where(bmi < 30, 3, 4))),
    )


@pytest.fixture(scope="module")
def nh2():
    return nhanes2brr()


def test_the_file_is_the_published_one(nh2):
    assert nh2.shape[0] == 1347
    assert [c for c in nh2.columns if c.startswith("brr_")] == [f"brr_{i}" for i in range(1, 33)]
    # combined weights: each replicate weight is 0 or twice the final weight (BRR half-samples)
    brr = nh2[[f"brr_{i}" for i in range(1, 33)]].to_numpy()
    w = nh2["finalwgt"].to_numpy()[:, None]
    assert ((brr == 0) | (brr == 2 * w)).all()


def test_nhanes2brr_means_shares_groups_as_svrepdesign(nh2):
    ref = REFS["nhanes2brr"]
    o = ref["options"]["adjust"]
    _check(nh2, BRR, "adjust", o["full"], ref["plan"])
    # a domain through filter keeps the whole replicate design (R's subset(design, ...))
    dom = _survey(nh2).filter(heavy="Yes")
    _check(dom, BRR, "adjust", o["domain"], ref["plan"])


def test_nhanes2brr_frequencies_and_crosstab(nh2):
    ref = REFS["nhanes2brr"]
    f = frequencies(nh2, "bmicat", min_n=1, **BRR)
    r = ref["bmicat"]  # svymean(~factor(bmicat), D)
    for col, key in (("share", "share"), ("se", "se")):
        np.testing.assert_allclose(f[col].to_numpy(dtype=float), r[key], rtol=1e-6, atol=1e-12)
    assert (f["df"] == r["df"]).all()
    ct = crosstab(nh2, "band", "bmicat", **BRR)
    r = ref["crosstab"]  # svychisq(~band + bmicat, D, statistic="F")
    assert ct.test == "rao_scott_f"
    for got, key in ((ct.f_stat, "f"), (ct.ndf, "ndf"), (ct.ddf, "ddf"), (ct.p_val, "p")):
        _close(got, r[key], f"{key}: {r['r']}")


# -- svyciprop(method="likelihood") -----------------------------------------------------------------
def _likelihood_data(name):
    if name == "rep_brr":
        return nhanes2brr(), BRR
    if name == "rep_jk1":
        df, kw, _ = scenario2("rep_jk1")
        return df, kw
    loader, kw = {
        "strat": (lambda: load("apistrat"), {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
        "clus1": (lambda: load("apiclus1"), {"weight": "pw", "cluster": "dnum", "fpc": "fpc"}),
        "clus2": (lambda: load2("apiclus2_stages"),
                  {"cluster": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}),
        "nhanes": (lambda: load2("nh"),
                   {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}),
    }[name]
    return loader(), kw


@pytest.mark.parametrize("name", list(REFS["likelihood"]))
def test_likelihood_interval_matches_svyciprop(name):
    ref = REFS["likelihood"][name]
    df, kw = _likelihood_data(name)
    if name.startswith("rep_"):  # R gives NA for every share; survey_kit says so, no column of NA
        assert all(r.get("low") is None and r.get("high") is None for r in [ref["full"], *ref["groups"]])
        with pytest.raises(ValueError, match=r"'likelihood' has no interval with replicate .*NA"):
            compare(df, ref["y"], by=ref["g"], positive=[ref["pos"]], ci_method="likelihood", **kw)
        with pytest.raises(ValueError, match="likelihood"):
            frequencies(df, ref["y"], ci_method="likelihood", **kw)
        return
    out = compare(df, ref["y"], by=ref["g"], positive=[ref["pos"]], min_n=1,
                  ci_method="likelihood", **kw)
    assert (out["ci_method"] == "likelihood").all()
    rows = [("I alt", ref["full"])] + [(g["group"], g) for g in ref["groups"]]
    for group, r in rows:
        row = out.iloc[-1] if group == "I alt" else out[out["group"].astype(str) == group].iloc[0]
        if "error" in r:  # R stops (a share of 0: the profile has no minimum); no interval
            assert row["value"] in (0.0, 1.0) and np.isnan(row["ci_low"]), r["r"]
            continue
        _close(row["value"], r["value"], r["r"])
        _close(row["ci_low"], r["low"], r["r"])
        _close(row["ci_high"], r["high"], r["r"])


def test_likelihood_interval_in_frequencies_and_a_domain():
    ref = REFS["likelihood"]["strat"]
    df, kw = _likelihood_data("strat")
    f = frequencies(df, "awards", min_n=1, ci_method="likelihood", **kw)
    row = f[f["code"].astype(str) == "Yes"].iloc[0]
    _close(row["ci_low"], ref["full"]["low"], ref["full"]["r"])
    _close(row["ci_high"], ref["full"]["high"], ref["full"]["r"])
    # by= and filter give the same domain interval (R's subset(D, sch.wide == "Yes"))
    g = ref["groups"][1]
    dom = Survey(data=df, codebook=_survey(df).codebook).filter(**{"sch.wide": "Yes"})
    row = compare(dom, "awards", positive=["Yes"], min_n=1, ci_method="likelihood",
                  **kw).iloc[-1]
    _close(row["ci_low"], g["low"], g["r"])
    _close(row["ci_high"], g["high"], g["r"])


def test_nhanes2brr_ingested_with_a_codebook_design_block(tmp_path):
    """The BRR file as an export, its design in the codebook (a prefix for the 32 replicate
    columns): ingest -> load_processed -> compare gives svrepdesign's numbers."""
    import shutil

    import yaml

    from survey_kit.codebook import load_codebook
    from survey_kit.ingest.core import ingest
    from survey_kit.survey import load_processed

    export = tmp_path / "nhanes2brr_subset.csv"
    shutil.copyfile(HERE / "data" / "nhanes2brr_subset.csv", export)
    cb = {"instrument": "nhanes2", "version": "1", "title": "NHANES II", "min_n": 1,
          "respondent_id": {"column": "_source_row"},
          "items": [{"code": "height", "type": "number", "label": "Højde", "text": "height"},
                    {"code": "weight", "type": "number", "label": "Vægt", "text": "weight"}],
          "design": {"weight": "finalwgt", "repweights": "brr_", "rep_type": "BRR"}}
    path = tmp_path / "nhanes2.yaml"
    path.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    res = ingest(export, load_codebook(path), out_dir=tmp_path / "out")
    survey = load_processed(res.paths["data"], codebook=path)
    assert res.manifest["rows_valid"] == 1347
    out = survey.compare("height", stat="mean", min_n=1).iloc[-1]
    r = REFS["nhanes2brr"]["options"]["adjust"]["full"]["mean"]  # svymean(~height, D)
    for col, key in (("value", "value"), ("se", "se"), ("df", "df"), ("ci_low", "low")):
        _close(out[col], r[key], f"{col}: {r['r']}")


# -- medians, rank tests, compare_waves and rank_shares on replicate designs ----------------------
def _q_data(name):
    if name.startswith("rep_brr"):
        return nhanes2brr(), BRR
    df, kw, _ = scenario2(name)
    return df, kw


@pytest.mark.parametrize("name", list(REFS["quantiles"]))
def test_median_on_replicate_designs_matches_svyquantile(name):
    ref = REFS["quantiles"][name]
    assert ref["interval_type"] == "mean"  # svyquantile.svyrep.design's default: Woodruff
    df, kw = _q_data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = compare(df, ref["x"], by=ref["g"], stat="median", min_n=1, **kw)
    rows = [("I alt", ref["full"])] + [(g["group"], g) for g in ref["groups"]]
    for group, r in rows:
        row = out.iloc[-1] if group == "I alt" else out[out["group"].astype(str) == group].iloc[0]
        # R: svyquantile(~x, D, c(0.25, 0.5, 0.75), ci=TRUE), the 0.5 row
        _close(row["value"], r["quantile"][1], r["r"])
        _close(row["ci_low"], r["low"][1], r["r"])
        _close(row["ci_high"], r["high"][1], r["r"])
        _close(row["se"], r["se"][1], r["r"])
    rt = ref["rank_test"]
    if "error" in rt:  # R's svyranktest stops for > 2 groups on replicate weights: no test
        with pytest.warns(UserWarning, match=r"no rank test across 3 groups with replicate"):
            out = compare(df, ref["x"], by=ref["g"], stat="median", min_n=1, **kw)
        assert out["p_val"].isna().all() and (out["test"] == "").all()
    else:
        assert (out["test"] == "design_wilcoxon").all()
        _close(out["p_val"].iloc[0], rt["p"], rt["r"])
    # each group against the rest: R's two-group svyranktest(x ~ in_, D)
    for v in ref["vs_rest"]:
        grp = df[ref["g"]].astype(str) == v["group"]
        two = compare(df.assign(in_=np.where(grp, "b", "a")), ref["x"], by="in_",
                      stat="median", min_n=1, **kw)
        _close(two["p_val"].iloc[0], v["p"], v["r"])


@pytest.mark.parametrize("stat", ["mean", "share"])
def test_compare_waves_on_replicate_weights_matches_svycontrast(nh2, stat):
    ref = REFS["waves"]
    df = nh2.assign(wave=np.where(np.arange(1, len(nh2) + 1) % 2 == 0, 2, 1))
    out = compare_waves(df, "height" if stat == "mean" else "over", wave="wave", by="band",
                        stat=stat, positive=["Yes"], min_n=1, **BRR)
    for r in ref["rows"]:
        row = out[out["group"].astype(str) == r["band"]].iloc[0]
        _close(row["value_from"], r[f"{stat}_from"], r["r"])
        _close(row["value_to"], r[f"{stat}_to"], r["r"])
        _close(row["change"], r[f"{stat}_change"], r["r"])
        _close(row["se"], np.ravel(r[f"{stat}_se"])[0], r["r"])
        assert row["df"] == r["df"]
        _close(row["p_val"], r[f"p_{stat}"], r["r"])
        assert row["test"] == ("design_t" if stat == "mean" else "rao_scott_f")


def test_rank_shares_on_replicate_weights_matches_svyciprop(nh2):
    sc = np.column_stack([nh2["height"], 2 * nh2["weight"], 6 * nh2["bmi"]])
    order = np.argsort(-sc, axis=1, kind="stable")  # R: rank(-x, ties.method="first")
    rk = np.empty(sc.shape)
    np.put_along_axis(rk, order, np.arange(1, 4, dtype=float)[None, :].repeat(len(sc), 0), 1)
    rk[nh2["bmicat"].to_numpy() == 1] = np.nan
    df = nh2.assign(r1=rk[:, 0], r2=rk[:, 1], r3=rk[:, 2])
    out = rank_shares(df, ["r1", "r2", "r3"], k=2, min_n=1, **BRR)
    for o, (_, row) in zip(REFS["ranking"]["options"], out.iterrows(), strict=True):
        for prefix, key, se in (("first", "first", "se_first"), ("top_k", "top2", "se_top_k")):
            r = o[key]
            share = "share_first" if prefix == "first" else "share_top_k"
            _close(row[share], r["share"], r["r"])
            _close(row[se], r["se"], r["r"])
            _close(row[f"{prefix}_ci_low"], r["low"], r["r"])
            _close(row[f"{prefix}_ci_high"], r["high"], r["r"])
        assert row["df"] == o["df"]


def test_rank_shares_likelihood_interval_matches_svyciprop():
    st = load("apistrat")
    sc = np.column_stack([st["api00"], st["api99"], 10 * st["meals"]])
    order = np.argsort(-sc, axis=1, kind="stable")  # R: rank(-x, ties.method="first")
    rk = np.empty(sc.shape)
    np.put_along_axis(rk, order, np.arange(1, 4, dtype=float)[None, :].repeat(len(sc), 0), 1)
    rk[(st["yr.rnd"] == "Yes").to_numpy()] = np.nan
    df = st.assign(r1=rk[:, 0], r2=rk[:, 1], r3=rk[:, 2])
    out = rank_shares(df, ["r1", "r2", "r3"], k=2, min_n=1, ci_method="likelihood",
                      weight="pw", strata="stype", fpc="fpc")
    for o, (_, row) in zip(REFS["ranking_likelihood"]["options"], out.iterrows(), strict=True):
        _close(row["share_first"], o["share"], o["r"])
        _close(row["first_ci_low"], o["low"], o["r"])
        _close(row["first_ci_high"], o["high"], o["r"])
