"""Largest absolute difference from R's survey package per quantity, over every scenario of
tests/r/design_refs.json and tests/r/waves_refs.json. Run from the repository root:

    python tests/r/agreement.py
"""

from __future__ import annotations

import sys
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from survey_kit.stats import compare, crosstab, frequencies  # noqa: E402
from tests._design_refs import DESIGNS, scenario  # noqa: E402

diff: dict[str, float] = defaultdict(float)


def upd(key: str, got, want) -> None:
    g = np.asarray(got, dtype=float).ravel()
    w = np.asarray([np.nan if v is None else v for v in np.ravel(want)], dtype=float)
    both = ~np.isnan(g) & ~np.isnan(w)
    if both.any():
        diff[key] = max(diff[key], float(np.abs(g[both] - w[both]).max()))


warnings.simplefilter("ignore")
for name in DESIGNS:
    df, kw, ref = scenario(name)
    pl = ref["plan"]
    pos = pl["pos"] if isinstance(pl["pos"], list) else [pl["pos"]]
    for method in ("logit", "beta", "mean", "asin"):
        fr = frequencies(df, pl["y"], by=pl["g"], min_n=1, ci_method=method, **kw)
        for dom in ref["domains"]:
            lab = dom["domain"] if isinstance(dom["domain"], str) else str(dom["domain"])
            rows = fr[fr["group"] == lab]
            rows = rows.set_index(rows["code"].astype(str))
            got = rows.loc[[str(c) for c in dom["codes"]]]
            if method == "logit":
                upd("share", got["share"], dom["share"])
                upd("share se", got["se"], dom["se"])
                upd("share deff", got["deff"], dom["deff"])
                upd("df", got["df"], [dom["df"]] * len(got))
            present = [str(c) for c in dom["codes"]]
            upd(f"ci {method}", got.loc[present, "ci_low"], dom[f"ci_{method}"]["low"])
            upd(f"ci {method}", got.loc[present, "ci_high"], dom[f"ci_{method}"]["high"])
    out = compare(df, pl["y"], by=pl["g"], positive=pos, min_n=1, **kw)
    upd("p Rao-Scott F (compare share)", out["p_val"].iloc[0], ref["share_test"]["p"])
    mean = compare(df, pl["x"], by=pl["g"], stat="mean", min_n=1, **kw)
    upd("p Wald F (compare mean)", mean["p_val"].iloc[0], np.ravel(ref["mean_test"]["p"])[0])
    med = compare(df, pl["x"], by=pl["g"], stat="median", min_n=1, **kw)
    tot = compare(df, pl["x"], by=pl["g"], stat="total", min_n=1, **kw)
    for dom in ref["domains"]:
        lab = dom["domain"] if isinstance(dom["domain"], str) else str(dom["domain"])
        r = mean[mean["group"] == lab].iloc[0]
        upd(
            "mean (relative)", r["value"] / abs(dom["mean"]["value"]), np.sign(dom["mean"]["value"])
        )
        upd("mean se", r["se"], dom["mean"]["se"])
        upd("mean deff", r["deff"], dom["mean"]["deff"])
        upd("mean ci", [r["ci_low"], r["ci_high"]], [dom["mean"]["low"], dom["mean"]["high"]])
        tt = tot[tot["group"] == lab].iloc[0]
        rel = abs(np.ravel(dom["total"]["value"])[0])
        upd("total (relative)", tt["value"] / rel, np.ravel(dom["total"]["value"])[0] / rel)
        upd("total se (relative)", tt["se"] / rel, np.ravel(dom["total"]["se"])[0] / rel)
        upd("total deff", tt["deff"], dom["total"]["deff"])
        q = med[med["group"] == lab].iloc[0]
        upd("median", q["value"], dom["median"]["value"])
        upd(
            "median ci (Woodruff)",
            [q["ci_low"], q["ci_high"]],
            [dom["median"]["low"], dom["median"]["high"]],
        )
    upd("p svyranktest (compare median)", med["p_val"].iloc[0], np.ravel(ref["rank_test"]["p"])[0])
    ct = crosstab(df, pl["a"], pl["b"], min_n=1, **kw)
    upd("p Rao-Scott F (crosstab)", ct.p_val, ref["crosstab"]["p"])
    upd("p Rao-Scott Chisq (crosstab)", ct.p_val_chisq, ref["crosstab"]["p_chisq"])
    upd("F (crosstab)", ct.f_stat, ref["crosstab"]["F"])

    from survey_kit.stats._common import item_spec, make_groups
    from survey_kit.stats._design_compare import mean_design, share_design
    from survey_kit.stats.compare import _coded
    from survey_kit.stats.design import resolve_design

    d = resolve_design(df, None, **kw)
    groups = make_groups(df, pl["g"], None)
    _, _, vs = share_design(
        df, pl["y"], item_spec(df, pl["y"], None), groups, d, tuple(pos), 0.95, 1, "logit"
    )
    ref_vs = {str(r["group"]): r["p"] for r in ref["share_vs_total"]}
    upd(
        "p vs_total share (2x2 svychisq)", vs[: groups.n_groups], [ref_vs[g] for g in groups.labels]
    )
    spec = item_spec(df, pl["x"], None)
    _, _, vs = mean_design(df, pl["x"], spec, groups, d, _coded(spec), 0.95, 1)
    ref_vs = {str(r["group"]): r["p"] for r in ref["mean_vs_total"]}
    upd("p vs_total mean (svyttest)", vs[: groups.n_groups], [ref_vs[g] for g in groups.labels])

import json  # noqa: E402

import pandas as pd  # noqa: E402

from survey_kit.stats import compare_waves  # noqa: E402

wref = json.loads((Path(__file__).parent / "waves_refs.json").read_text())
nh = pd.read_csv(Path(__file__).parent / "data" / "nhanes.csv")
kw = {"weight": "WTMEC2YR", "strata": "SDMVSTRA", "cluster": "SDMVPSU"}
for stat in ("share", "mean"):
    out = compare_waves(
        nh, "HI_CHOL", wave="RIAGENDR", by="race", stat=stat, positive=[1], min_n=1, **kw
    )
    for r in wref["nhanes_gender"]["rows"]:
        row = out[out["group"] == str(r["race"])].iloc[0]
        upd("waves change", row["change"], r["change"])
        upd("waves change se", row["se"], np.ravel(r["se"])[0])
        upd(f"waves p ({stat})", row["p_val"], r["p_share" if stat == "share" else "p_mean"])

print(f"{'quantity':<34} max |survey_kit - R|")
for k in sorted(diff):
    print(f"{k:<34} {diff[k]:.2e}")
