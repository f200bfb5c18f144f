# Reference values of R's survey package for tests/test_stats_design_replicates.py (issue 25,
# third round): a public replicate-weight file (the NHANES II BRR subset that samplics ships,
# tests/r/data/nhanes2brr_subset.csv, copied byte-exact; see tests/r/README.md), the
# svyciprop "likelihood" interval on every design kind, and medians/quantiles on replicate designs.
# Rerun from the repository root:  Rscript tests/r/design3_refs.R
# (Debian: apt-get install -y r-base-core r-cran-survey r-cran-jsonlite). It writes
# tests/r/design3_refs.json: every value with the R call that produced it.
suppressMessages({library(survey); library(jsonlite)})
options(survey.lonely.psu = "adjust")
out <- list(meta = list(survey = as.character(packageVersion("survey")), R = R.version.string))

# -- the NHANES II BRR file: variables derived the same way in the test ---------------------------
nh2 <- read.csv("tests/r/data/nhanes2brr_subset.csv")
nh2$bmi <- nh2$weight / (nh2$height / 100)^2
nh2$over <- ifelse(nh2$bmi >= 25, "Yes", "No")                  # overweight (BMI >= 25)
nh2$band <- ifelse(nh2$height < 160, "a", ifelse(nh2$height < 175, "b", "c"))  # height band
nh2$heavy <- ifelse(nh2$weight >= 70, "Yes", "No")
nh2$bmicat <- ifelse(nh2$bmi < 18.5, 1, ifelse(nh2$bmi < 25, 2, ifelse(nh2$bmi < 30, 3, 4)))
nhbrr_call <- "svrepdesign(data=nh2, weights=~finalwgt, repweights='brr_[0-9]+', type='BRR', combined.weights=TRUE)"
nhbrr <- svrepdesign(data = nh2, weights = ~finalwgt, repweights = "brr_[0-9]+", type = "BRR",
                     combined.weights = TRUE)

# one analysis (as tests/r/design2_refs.R): mean, share, total overall and per group, tests
analyse <- function(D, pl, dat) {
  x <- pl$x; g <- pl$g
  r <- list()
  m <- svymean(as.formula(paste0("~", x)), D, deff = "replace")
  df <- degf(D)
  se <- SE(m)[[1]]
  r$mean <- list(r = paste0("svymean(~", x, ", D, deff='replace'); degf(D)"),
                 value = coef(m)[[1]], se = se, deff = deff(m)[[1]], df = df,
                 low = coef(m)[[1]] - qt(0.975, df) * se, high = coef(m)[[1]] + qt(0.975, df) * se)
  tt <- svytotal(as.formula(paste0("~", x)), D, deff = "replace")
  r$total <- list(r = paste0("svytotal(~", x, ", D, deff='replace')"),
                  value = coef(tt)[[1]], se = SE(tt)[[1]], deff = deff(tt)[[1]],
                  low = coef(tt)[[1]] - qt(0.975, df) * SE(tt)[[1]],
                  high = coef(tt)[[1]] + qt(0.975, df) * SE(tt)[[1]])
  sp <- svymean(~as.numeric(pos_), D, deff = "replace")
  ci <- svyciprop(~pos_, D, method = "logit")
  cx <- svyciprop(~pos_, D, method = "xlogit")
  r$share <- list(r = "svymean(~as.numeric(pos_), D, deff='replace'); svyciprop(~pos_, D, method='logit'); method='xlogit'",
                  value = coef(sp)[[1]], se = SE(sp)[[1]], deff = deff(sp)[[1]],
                  low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]],
                  xlogit_low = attr(cx, "ci")[[1]], xlogit_high = attr(cx, "ci")[[2]])
  levs <- sort(unique(D$variables[[g]][weights(D, "sampling") > 0]))
  groups <- list()
  for (lev in levs) {
    Dg <- eval(parse(text = paste0("subset(D, ", g, " == ", deparse(lev), ")")))
    mg <- svymean(as.formula(paste0("~", x)), Dg)
    sg <- svymean(~as.numeric(pos_), Dg)
    cg <- svyciprop(~pos_, Dg, method = "logit")
    groups[[length(groups) + 1]] <- list(
      group = as.character(lev), r = paste0("subset(D, ", g, " == ", deparse(lev), ")"),
      mean = coef(mg)[[1]], mean_se = SE(mg)[[1]], df = degf(Dg),
      share = coef(sg)[[1]], share_se = SE(sg)[[1]],
      share_low = attr(cg, "ci")[[1]], share_high = attr(cg, "ci")[[2]])
  }
  r$groups <- groups
  fml <- as.formula(paste0(x, " ~ factor(", g, ")"))
  if (length(levs) == 2) {
    r$mean_test <- list(r = paste0("svyttest(", deparse(fml), ", D)"), p = svyttest(fml, D)$p.value[[1]])
  } else {
    r$mean_test <- list(r = paste0("regTermTest(svyglm(", deparse(fml), ", D), ~factor(", g, "))"),
                        p = regTermTest(svyglm(fml, D), as.formula(paste0("~factor(", g, ")")))$p[[1]])
  }
  r$share_test <- list(r = paste0("svychisq(~pos_ + ", g, ", D, statistic='F')"),
                       p = svychisq(as.formula(paste0("~pos_ + ", g)), D, statistic = "F")$p.value[[1]])
  r
}

nh2$pos_ <- nh2$over == "Yes"
nhbrr <- update(nhbrr, pos_ = over == "Yes")
plan <- list(x = "height", y = "over", pos = "Yes", g = "band", dom = c("heavy", "Yes"))
res <- list(design = nhbrr_call, plan = plan, options = list())
o <- list(option = "adjust", full = analyse(nhbrr, plan, nh2))
D <- subset(nhbrr, heavy == "Yes")
o$domain <- c(list(subset = "subset(des, heavy == \"Yes\")"), analyse(D, plan, nh2))
res$options$adjust <- o
# frequencies of the four BMI classes and the crosstab band x class (svychisq, F)
fr <- svymean(~factor(bmicat), nhbrr)
res$bmicat <- list(r = "svymean(~factor(bmicat), D)", share = as.numeric(coef(fr)),
                   se = as.numeric(SE(fr)), df = degf(nhbrr))
ch <- svychisq(~band + bmicat, nhbrr, statistic = "F")
res$crosstab <- list(r = "svychisq(~band + bmicat, D, statistic='F')", f = ch$statistic[[1]],
                     ndf = ch$parameter[[1]], ddf = ch$parameter[[2]], p = ch$p.value[[1]])
out$nhanes2brr <- res

# -- svyciprop(method="likelihood") on every design kind, whole and per domain --------------------
st <- read.csv("tests/r/data/apistrat.csv")
c1 <- read.csv("tests/r/data/apiclus1.csv")
a2 <- read.csv("tests/r/data/apiclus2_stages.csv")
nh <- read.csv("tests/r/data/nhanes.csv"); nh <- nh[!is.na(nh$HI_CHOL), ]
c1j <- read.csv("tests/r/data/apiclus1_jk1.csv")
sc <- read.csv("tests/r/data/scd_brr.csv")
ref2 <- fromJSON("tests/r/design2_refs.json")
jk1scale <- ref2$replicate_options$jk1$scale
lik_designs <- list(
  strat = list(data = "st", call = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=st)",
               y = "awards", pos = "Yes", g = "sch.wide"),
  clus1 = list(data = "c1", call = "svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=c1)",
               y = "awards", pos = "Yes", g = "stype"),
  clus2 = list(data = "a2", call = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=a2)",
               y = "awards", pos = "Yes", g = "sch.wide"),
  nhanes = list(data = "nh", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nh)",
                y = "HI_CHOL", pos = 1, g = "race"),
  rep_jk1 = list(data = "c1j", call = "svrepdesign(data=c1j, type='JK1', weights=~pw, repweights='jk[0-9]+', scale=jk1scale, combined.weights=TRUE)",
                 y = "awards", pos = "Yes", g = "sch.wide"),
  rep_brr = list(data = "nh2", call = nhbrr_call, y = "over", pos = "Yes", g = "band")
)
lik <- list()
for (nm in names(lik_designs)) {
  sp <- lik_designs[[nm]]
  dat <- get(sp$data)
  dat$pos_ <- dat[[sp$y]] %in% sp$pos
  D <- eval(parse(text = sub(paste0("data=", sp$data), "data=dat", sp$call, fixed = TRUE)))
  one <- function(Dx, what) {
    call <- paste0("svyciprop(~pos_, ", what, ", method='likelihood')")
    ci <- tryCatch(svyciprop(~pos_, Dx, method = "likelihood"),
                   error = function(e) conditionMessage(e))
    if (is.character(ci)) return(list(r = call, error = ci))  # e.g. a share of 0
    list(r = call, value = as.numeric(ci), low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]])
  }
  res <- list(design = sp$call, y = sp$y, pos = sp$pos, g = sp$g, full = one(D, "D"), groups = list())
  for (lev in sort(unique(dat[[sp$g]]))) {
    Dg <- eval(parse(text = paste0("subset(D, ", sp$g, " == ", deparse(lev), ")")))
    res$groups[[length(res$groups) + 1]] <- c(list(group = as.character(lev)),
                                              one(Dg, paste0("subset(D, ", sp$g, " == ", deparse(lev), ")")))
  }
  lik[[nm]] <- res
}
out$likelihood <- lik

# -- medians and quantiles on replicate designs (svyquantile's default for svyrep.design) -------
q_designs <- list(
  rep_brr = list(data = "nh2", call = nhbrr_call, x = "weight", g = "band"),
  rep_jk1 = list(data = "c1j", call = lik_designs$rep_jk1$call, x = "api00", g = "sch.wide"),
  rep_fay = list(data = "sc", call = "svrepdesign(data=sc, type='Fay', rho=0.3, repweights=sc[, paste0('fay', 1:4)], combined.weights=FALSE)",
                 x = "alive", g = "ambulance"),
  rep_brr_coded = list(data = "nh2", call = nhbrr_call, x = "bmicat", g = "heavy")
)
qs <- list()
for (nm in names(q_designs)) {
  sp <- q_designs[[nm]]
  dat <- get(sp$data)
  D <- eval(parse(text = sub(paste0("data=", sp$data), "data=dat", sp$call, fixed = TRUE)))
  one <- function(Dx, what) {
    q <- svyquantile(as.formula(paste0("~", sp$x)), Dx, c(0.25, 0.5, 0.75), ci = TRUE)
    m <- q[[1]]
    list(r = paste0("svyquantile(~", sp$x, ", ", what, ", c(0.25, 0.5, 0.75), ci=TRUE)"),
         quantile = as.numeric(m[, 1]), low = as.numeric(m[, 2]), high = as.numeric(m[, 3]),
         se = as.numeric(m[, 4]))
  }
  res <- list(design = sp$call, x = sp$x, g = sp$g,
              interval_type = eval(formals(survey:::svyquantile.svyrep.design)$interval.type)[1],
              full = one(D, "D"), groups = list())
  for (lev in sort(unique(dat[[sp$g]]))) {
    Dg <- eval(parse(text = paste0("subset(D, ", sp$g, " == ", deparse(lev), ")")))
    res$groups[[length(res$groups) + 1]] <- c(list(group = as.character(lev)),
                                              one(Dg, paste0("subset(D, ", sp$g, " == ", deparse(lev), ")")))
  }
  fml <- as.formula(paste0(sp$x, " ~ factor(", sp$g, ")"))
  rk <- tryCatch(svyranktest(fml, D)$p.value[[1]], error = function(e) conditionMessage(e))
  res$rank_test <- if (is.character(rk)) list(r = paste0("svyranktest(", deparse(fml), ", D)"), error = rk) else
    list(r = paste0("svyranktest(", deparse(fml), ", D)"), p = rk)
  # each group against the rest (a two-group test, which R computes on replicate designs)
  res$vs_rest <- list()
  for (lev in sort(unique(dat[[sp$g]]))) {
    Dv <- update(D, in_ = factor(dat[[sp$g]] %in% lev))
    res$vs_rest[[length(res$vs_rest) + 1]] <- list(
      group = as.character(lev), r = paste0("svyranktest(", sp$x, " ~ in_, update(D, in_ = factor(", sp$g, " %in% ", deparse(lev), ")))"),
      p = svyranktest(as.formula(paste0(sp$x, " ~ in_")), Dv)$p.value[[1]])
  }
  qs[[nm]] <- res
}
out$quantiles <- qs

# -- compare_waves on a replicate design: two "waves" as domains of one design -------------------
# (the file has no waves: odd and even rows play them, sharing every BRR half-sample)
nh2$wave <- ifelse(seq_len(nrow(nh2)) %% 2 == 0, 2, 1)
Dw <- svrepdesign(data = nh2, weights = ~finalwgt, repweights = "brr_[0-9]+", type = "BRR",
                  combined.weights = TRUE)
wrows <- list()
for (lev in c(sort(unique(nh2$band)), NA)) {
  sub <- if (is.na(lev)) Dw else subset(Dw, band == lev)
  bm <- svyby(~height, ~wave, sub, svymean, covmat = TRUE)
  bs <- svyby(~as.numeric(pos_), ~wave, sub, svymean, covmat = TRUE)
  cm <- svycontrast(bm, c(-1, 1)); cs <- svycontrast(bs, c(-1, 1))
  wrows[[length(wrows) + 1]] <- list(
    band = if (is.na(lev)) "I alt" else lev,
    r = paste0("sub <- ", if (is.na(lev)) "D" else paste0("subset(D, band == '", lev, "')"),
               "; svycontrast(svyby(~height (~as.numeric(pos_)), ~wave, sub, svymean, covmat=TRUE), c(-1, 1)); ",
               "svyttest(height ~ factor(wave), sub); svychisq(~pos_ + wave, sub, statistic='F'); degf(sub)"),
    mean_from = unname(coef(bm))[1], mean_to = unname(coef(bm))[2], mean_change = unname(coef(cm)),
    mean_se = unname(SE(cm)), share_from = unname(coef(bs))[1], share_to = unname(coef(bs))[2],
    share_change = unname(coef(cs)), share_se = unname(SE(cs)), df = degf(sub),
    p_mean = unname(svyttest(height ~ factor(wave), sub)$p.value),
    p_share = svychisq(~pos_ + wave, sub, statistic = "F")$p.value[[1]])
}
out$waves <- list(design = nhbrr_call, wave = "odd rows 1, even rows 2", rows = wrows)

# -- rank_shares on a replicate design: three options ranked per row (derived from the values;
# rows in BMI class 1 ranked nothing), share ranked first and in the top 2 among those who ranked
sc3 <- cbind(nh2$height, 2 * nh2$weight, 6 * nh2$bmi)
rk <- t(apply(-sc3, 1, rank, ties.method = "first"))
rk[nh2$bmicat == 1, ] <- NA
nh2$r1 <- rk[, 1]; nh2$r2 <- rk[, 2]; nh2$r3 <- rk[, 3]
Dr <- subset(svrepdesign(data = nh2, weights = ~finalwgt, repweights = "brr_[0-9]+", type = "BRR",
                         combined.weights = TRUE), !is.na(r1))
ropts <- list()
for (j in 1:3) {
  Dj <- update(Dr, hit_ = get(paste0("r", j)) == 1, top_ = get(paste0("r", j)) <= 2)
  one <- function(f, what) {
    m <- svymean(as.formula(paste0("~as.numeric(", f, ")")), Dj)
    ci <- svyciprop(as.formula(paste0("~", f)), Dj, method = "logit")
    list(r = paste0("svymean/svyciprop(~", f, ", update(subset(D, !is.na(r1)), ", f, " = r", j,
                    what, "), method='logit')"),
         share = coef(m)[[1]], se = SE(m)[[1]], low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]])
  }
  ropts[[j]] <- list(option = paste0("r", j), first = one("hit_", " == 1"),
                     top2 = one("top_", " <= 2"), df = degf(Dr))
}
out$ranking <- list(design = nhbrr_call, options = ropts)
# the same on a Taylor design with the likelihood interval: apistrat, three options ranked by
# api00, api99 and 10 x meals; year-round schools ranked nothing
sr <- t(apply(-cbind(st$api00, st$api99, 10 * st$meals), 1, rank, ties.method = "first"))
sr[st$yr.rnd == "Yes", ] <- NA
st$r1 <- sr[, 1]; st$r2 <- sr[, 2]; st$r3 <- sr[, 3]
Ds <- subset(svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = st), !is.na(r1))
lopts <- list()
for (j in 1:3) {
  Dj <- update(Ds, hit_ = get(paste0("r", j)) == 1)
  ci <- svyciprop(~hit_, Dj, method = "likelihood")
  lopts[[j]] <- list(option = paste0("r", j),
                     r = paste0("svyciprop(~hit_, update(subset(D, !is.na(r1)), hit_ = r", j, " == 1), method='likelihood')"),
                     share = as.numeric(ci), low = attr(ci, "ci")[[1]], high = attr(ci, "ci")[[2]])
}
out$ranking_likelihood <- list(design = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=st)",
                               options = lopts)

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           "tests/r/design3_refs.json")
