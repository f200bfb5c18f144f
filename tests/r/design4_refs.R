# Reference values of R's survey package for tests/test_stats_design_index.py and
# tests/test_stats_design_panel.py (issue 25, part 6):
# an index (scale score: the mean of two or more numeric columns, as rowMeans, NA when fewer than
# half of its columns are answered) compared across groups with a sampling design: svyby(svymean),
# svyttest / regTermTest, on a two-stage design (apiclus2), a stratified design (apistrat) and a
# replicate-weight design (apiclus1 with R's JK1 weights), whole and as a domain (subset()).
# Rerun from the repository root:  Rscript tests/r/design4_refs.R
# (Debian: apt-get install -y r-base-core r-cran-survey r-cran-jsonlite). It writes
# tests/r/design4_refs.json (every value with the R call that produced it) and
# tests/r/data/apiclus2_index.csv (the survey package's apiclus2 with the index columns).
suppressMessages({library(survey); library(jsonlite)})
options(survey.lonely.psu = "adjust")
out <- list(meta = list(survey = as.character(packageVersion("survey")), R = R.version.string))
data(api)
a2 <- apiclus2[, c("cds", "stype", "dnum", "snum", "awards", "sch.wide", "fpc1", "fpc2", "meals",
                   "ell", "mobility", "acs.k3", "acs.46", "acs.core", "api99", "api00")]
for (v in c("stype", "awards", "sch.wide")) a2[[v]] <- as.character(a2[[v]])
write.csv(a2, "tests/r/data/apiclus2_index.csv", row.names = FALSE)
a2 <- read.csv("tests/r/data/apiclus2_index.csv")
st <- read.csv("tests/r/data/apistrat.csv")
c1j <- read.csv("tests/r/data/apiclus1_jk1.csv")
jk1scale <- fromJSON("tests/r/design2_refs.json")$replicate_options$jk1$scale

# the index as survey_kit's scale_scores makes it: the mean of the answered columns, NA when fewer
# than ceiling(k / 2) are answered
index <- function(dat, cols) {
  x <- as.matrix(dat[, cols])
  s <- rowMeans(x, na.rm = TRUE)
  s[rowSums(!is.na(x)) < ceiling(length(cols) / 2)] <- NA
  s
}

designs <- list(
  clus2 = list(data = "a2", call = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=dat)"),
  strat = list(data = "st", call = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=dat)"),
  rep_jk1 = list(data = "c1j", call = "svrepdesign(data=dat, type='JK1', weights=~pw, repweights='jk[0-9]+', scale=jk1scale, combined.weights=TRUE)")
)
# an index (columns), a breakdown g and a domain (column, value) per analysis
plans <- list(
  clus2_need = list(design = "clus2", items = c("meals", "ell", "mobility"), g = "stype", dom = c("awards", "Yes")),
  clus2_class = list(design = "clus2", items = c("acs.k3", "acs.46", "acs.core"), g = "sch.wide", dom = c("stype", "E")),
  strat_need = list(design = "strat", items = c("ell", "meals"), g = "sch.wide", dom = c("yr.rnd", "No")),
  strat_api = list(design = "strat", items = c("api99", "api00"), g = "awards", dom = c("sch.wide", "Yes")),
  rep_jk1_need = list(design = "rep_jk1", items = c("ell", "meals"), g = "stype", dom = c("awards", "Yes")),
  rep_jk1_api = list(design = "rep_jk1", items = c("api99", "api00"), g = "sch.wide", dom = c("stype", "E"))
)

analyse <- function(D, g) {
  r <- list()
  Ds <- subset(D, !is.na(score))  # what svymean(na.rm=TRUE) and svyglm estimate on
  m <- svymean(~score, D, na.rm = TRUE, deff = "replace")
  df <- degf(Ds)
  se <- SE(m)[[1]]
  r$mean <- list(r = "svymean(~score, D, na.rm=TRUE, deff='replace'); degf(subset(D, !is.na(score)))",
                 value = coef(m)[[1]], se = se, deff = deff(m)[[1]], df = df,
                 low = coef(m)[[1]] - qt(0.975, df) * se, high = coef(m)[[1]] + qt(0.975, df) * se)
  by <- svyby(~score, as.formula(paste0("~", g)), D, svymean, na.rm = TRUE, deff = "replace")
  groups <- list()
  for (i in seq_len(nrow(by))) {
    lev <- by[[g]][i]
    Dg <- eval(parse(text = paste0("subset(Ds, ", g, " == ", deparse(lev), ")")))
    dfg <- degf(Dg)
    groups[[i]] <- list(group = as.character(lev),
                        r = paste0("svyby(~score, ~", g, ", D, svymean, na.rm=TRUE, deff='replace'); degf(subset(D, !is.na(score) & ", g, " == ", deparse(lev), "))"),
                        value = coef(by)[[i]], se = SE(by)[[i]], deff = by[i, grep("^DEff", names(by))[1]], df = dfg,
                        low = coef(by)[[i]] - qt(0.975, dfg) * SE(by)[[i]],
                        high = coef(by)[[i]] + qt(0.975, dfg) * SE(by)[[i]])
  }
  r$groups <- groups
  fml <- as.formula(paste0("score ~ factor(", g, ")"))
  if (nrow(by) == 2) {
    tt <- svyttest(fml, D)
    r$test <- list(r = paste0("svyttest(", deparse(fml), ", D)"), p = tt$p.value[[1]],
                   t = tt$statistic[[1]], df = tt$parameter[[1]])
  } else {
    rt <- regTermTest(svyglm(fml, D), as.formula(paste0("~factor(", g, ")")))
    r$test <- list(r = paste0("regTermTest(svyglm(", deparse(fml), ", D), ~factor(", g, "))"),
                   p = rt$p[[1]], f = rt$Ftest[[1]], df = rt$df, ddf = rt$ddf)
  }
  r
}

idx <- list()
for (nm in names(plans)) {
  pl <- plans[[nm]]; spec <- designs[[pl$design]]
  message(nm)
  dat <- get(spec$data)
  dat$score <- index(dat, pl$items)
  D <- eval(parse(text = spec$call))
  res <- list(design = spec$call, items = pl$items, min_items = ceiling(length(pl$items) / 2),
              index = "rowMeans(x, na.rm=TRUE), NA where rowSums(!is.na(x)) < ceiling(k / 2)",
              g = pl$g, dom = pl$dom, n_index = sum(!is.na(dat$score)), full = analyse(D, pl$g))
  cond <- paste0(pl$dom[1], " == ", deparse(pl$dom[2]))
  res$domain <- c(list(subset = paste0("subset(D, ", cond, ")")),
                  analyse(eval(parse(text = paste0("subset(D, ", cond, ")"))), pl$g))
  # Cronbach's alpha with the design's weights (complete cases)
  fa <- as.formula(paste0("~", paste(pl$items, collapse = " + ")))
  res$alpha <- list(r = paste0("svycralpha(", deparse(fa), ", D, na.rm=TRUE)"),
                    full = as.numeric(svycralpha(fa, D, na.rm = TRUE)),
                    domain = as.numeric(svycralpha(fa, eval(parse(text = paste0("subset(D, ", cond, ")"))), na.rm = TRUE)),
                    n = sum(complete.cases(dat[, pl$items])))
  idx[[nm]] <- res
}
out$index <- idx

# -- a panel with a design: the schools' API in 1999 and 2000 (the same schools measured twice) --
# Long form in the test: one row per school and year, the design columns in both; the 2000 row of
# every school with snum %% 7 == 0 is dropped (attrition). The linked rows (schools answering both
# years) form the design, one row per school; the change is svymean(~I(post - pre)) on it,
# svyttest(I(post - pre) ~ 0, ...) its test; per group and in a domain on subset() of that design.
panel_plans <- list(
  clus2 = list(design = "clus2", g = "stype", dom = c("awards", "Yes")),
  strat = list(design = "strat", g = "sch.wide", dom = c("yr.rnd", "No")),
  rep_jk1 = list(design = "rep_jk1", g = "stype", dom = c("sch.wide", "Yes"))
)
wpos <- function(Dx) (if (inherits(Dx, "svyrep.design")) weights(Dx, "sampling") else weights(Dx)) > 0
one_change <- function(Dx, pre, post, what) {
  f <- as.formula(paste0("~I(", post, " - ", pre, ")"))
  m0 <- svymean(as.formula(paste0("~", pre)), Dx)
  m1 <- svymean(as.formula(paste0("~", post)), Dx)
  ch <- svymean(f, Dx)
  df <- degf(Dx)
  tt <- svyttest(as.formula(paste0("I(", post, " - ", pre, ") ~ 0")), Dx)
  list(r = paste0("svymean(", deparse(f), ", ", what, "); svyttest(I(", post, " - ", pre, ") ~ 0, ", what, ")"),
       n = sum(wpos(Dx)),
       value_from = coef(m0)[[1]], value_to = coef(m1)[[1]], change = coef(ch)[[1]],
       se = SE(ch)[[1]], df = df, low = coef(ch)[[1]] - qt(0.975, df) * SE(ch)[[1]],
       high = coef(ch)[[1]] + qt(0.975, df) * SE(ch)[[1]], p = tt$p.value[[1]],
       t_df = tt$parameter[[1]])
}
panel_analyse <- function(D, g, what) {
  r <- list()
  for (stat in c("mean", "share")) {
    pre <- if (stat == "mean") "api99" else "hi99"
    post <- if (stat == "mean") "api00" else "hi00"
    rows <- list(total = one_change(D, pre, post, what))
    levs <- sort(unique(D$variables[[g]][wpos(D)]))
    rows$groups <- lapply(levs, function(lev) {
      sub <- paste0("subset(", what, ", ", g, " == ", deparse(lev), ")")
      c(list(group = as.character(lev)),
        one_change(eval(parse(text = paste0("subset(D, ", g, " == ", deparse(lev), ")"))), pre, post, sub))
    })
    r[[stat]] <- rows
  }
  r
}
pan <- list()
for (nm in names(panel_plans)) {
  pl <- panel_plans[[nm]]; spec <- designs[[pl$design]]
  dat <- get(spec$data)
  dat <- dat[dat$snum %% 7 != 0, ]  # the linked schools: both years answered
  dat$hi99 <- as.numeric(dat$api99 >= 700); dat$hi00 <- as.numeric(dat$api00 >= 700)
  D <- eval(parse(text = spec$call))
  res <- list(design = paste0(spec$call, " on the linked rows (snum %% 7 != 0)"),
              linked = nrow(dat), g = pl$g, dom = pl$dom, positive = "api >= 700",
              full = panel_analyse(D, pl$g, "D"))
  cond <- paste0(pl$dom[1], " == ", deparse(pl$dom[2]))
  res$domain <- c(list(subset = paste0("subset(D, ", cond, ")")),
                  panel_analyse(eval(parse(text = paste0("subset(D, ", cond, ")"))), pl$g,
                                paste0("subset(D, ", cond, ")")))
  pan[[nm]] <- res
}
out$panel <- pan
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           "tests/r/design4_refs.json")
