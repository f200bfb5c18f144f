# Reference values of R's survey package for tests/test_stats_design_domains.py (issue 25:
# domains through filter, weights from fpc, two-stage designs, lonely-PSU options).
# Rerun from the repository root:  Rscript tests/r/design2_refs.R
# (Debian: apt-get install -y r-base-core r-cran-survey r-cran-jsonlite). It writes
# tests/r/design2_refs.json (every value with the R call that produced it) and the CSV copies of
# the survey package's data sets it uses in tests/r/data/ (so the tests run without R).
suppressMessages({library(survey); library(jsonlite)})
out <- list(meta = list(survey = as.character(packageVersion("survey")), R = R.version.string))
data(api); data(mu284); data(scd)
dir.create("tests/r/data", showWarnings = FALSE)
a2 <- apiclus2[, c("cds", "stype", "dnum", "snum", "awards", "sch.wide", "api00", "fpc1", "fpc2")]
a2$stype <- as.character(a2$stype); a2$awards <- as.character(a2$awards)
a2$sch.wide <- as.character(a2$sch.wide)
write.csv(a2, "tests/r/data/apiclus2_stages.csv", row.names = FALSE)
mu <- mu284
mu$big <- ifelse(mu$y1 > 40, "Yes", "No")      # a categorical item for shares and domains
mu$half <- ifelse(mu$id1 %% 2 == 0, "A", "B")  # a grouping that cuts across PSUs (by=)
mu$third <- c("x", "y", "z")[seq_len(nrow(mu)) %% 3 + 1]  # a domain within the PSUs
write.csv(mu, "tests/r/data/mu284.csv", row.names = FALSE)
st <- read.csv("tests/r/data/apistrat.csv")
c1 <- read.csv("tests/r/data/apiclus1.csv")
nh <- read.csv("tests/r/data/nhanes.csv")
nh <- nh[!is.na(nh$HI_CHOL), ]
nhl <- nh[!(nh$SDMVSTRA == 83 & nh$SDMVPSU == 2), ]  # stratum 83: one PSU left
sl <- st; sl$st2 <- ifelse(sl$row == 1, "Z", sl$stype)  # a stratum of one school, rows as PSUs
a2e <- a2[a2$stype == "E", ]  # elementary schools: districts with one sampled school (stage 2)

# replicate-weight files: R's scd with the BRR weights of ?svrepdesign, and replicate weights
# made by as.svrepdesign (JK1, JKn; bootstrap with a fixed seed), written with the data
scd$big <- ifelse(scd$arrests > 200, "Yes", "No")
brr <- 2 * cbind(c(1, 0, 1, 0, 1, 0), c(1, 0, 0, 1, 0, 1), c(0, 1, 1, 0, 0, 1), c(0, 1, 0, 1, 1, 0))
sc <- cbind(scd, setNames(as.data.frame(brr), paste0("brr", 1:4)))
sc$fay1 <- 0.3 + 0.7 * sc$brr1; sc$fay2 <- 0.3 + 0.7 * sc$brr2
sc$fay3 <- 0.3 + 0.7 * sc$brr3; sc$fay4 <- 0.3 + 0.7 * sc$brr4
write.csv(sc, "tests/r/data/scd_brr.csv", row.names = FALSE)
repcols <- function(r, prefix) {
  w <- weights(r, "analysis")  # combined: sampling weight x replicate factor
  setNames(as.data.frame(w), paste0(prefix, seq_len(ncol(w))))
}
jk1 <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = c1), type = "JK1")
c1j <- cbind(c1, repcols(jk1, "jk"))
jkn <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = st),
                      type = "JKn")
stj <- cbind(st, repcols(jkn, "jkn"))
set.seed(25)
boot <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, weights = ~pw, data = st),
                       type = "bootstrap", replicates = 50)
stb <- cbind(st, repcols(boot, "bs"))
write.csv(c1j, "tests/r/data/apiclus1_jk1.csv", row.names = FALSE)
write.csv(stj, "tests/r/data/apistrat_jkn.csv", row.names = FALSE)
write.csv(stb, "tests/r/data/apistrat_boot.csv", row.names = FALSE)
out$replicate_options <- list(
  jk1 = list(r = "as.svrepdesign(svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=c1), type='JK1')",
             scale = jk1$scale, rscales = jk1$rscales),
  jkn = list(r = "as.svrepdesign(svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=st), type='JKn')",
             scale = jkn$scale, rscales = jkn$rscales),
  boot = list(r = "set.seed(25); as.svrepdesign(..., type='bootstrap', replicates=50)",
              scale = boot$scale, rscales = boot$rscales))

designs <- list(
  strat = list(data = "st", call = "svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=st)"),
  strat_fpc_only = list(data = "st", call = "svydesign(id=~1, strata=~stype, fpc=~fpc, data=st)"),
  weight_only = list(data = "st", call = "svydesign(id=~1, weights=~pw, data=st)"),
  clus1 = list(data = "c1", call = "svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=c1)"),
  clus2 = list(data = "a2", call = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=a2)"),
  mu284 = list(data = "mu", call = "svydesign(id=~id1+id2, fpc=~n1+n2, data=mu)"),
  nhanes = list(data = "nh", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nh)"),
  lonely = list(data = "nhl", call = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhl)"),
  lonely_rows = list(data = "sl", call = "svydesign(id=~1, strata=~st2, weights=~pw, data=sl)"),
  clus2_e = list(data = "a2e", call = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=a2e)"),
  rep_brr = list(data = "sc", call = "svrepdesign(data=sc, type='BRR', repweights=sc[, paste0('brr', 1:4)], combined.weights=FALSE)"),
  rep_fay = list(data = "sc", call = "svrepdesign(data=sc, type='Fay', rho=0.3, repweights=sc[, paste0('fay', 1:4)], combined.weights=FALSE)"),
  rep_jk1 = list(data = "c1j", call = "svrepdesign(data=c1j, type='JK1', weights=~pw, repweights='jk[0-9]+', scale=jk1$scale, combined.weights=TRUE)"),
  rep_jk1_mse = list(data = "c1j", call = "svrepdesign(data=c1j, type='JK1', weights=~pw, repweights='jk[0-9]+', scale=jk1$scale, combined.weights=TRUE, mse=TRUE)"),
  rep_jkn = list(data = "stj", call = "svrepdesign(data=stj, type='JKn', weights=~pw, repweights='jkn[0-9]+', rscales=jkn$rscales, combined.weights=TRUE)"),
  rep_boot = list(data = "stb", call = "svrepdesign(data=stb, type='bootstrap', weights=~pw, repweights='bs[0-9]+', combined.weights=TRUE)")
)
# x: numeric item; y %in% pos: the share; g: the breakdown; dom: the filter (column, value)
plans <- list(
  strat = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "H")),
  strat_fpc_only = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "M")),
  weight_only = list(x = "api00", y = "awards", pos = "Yes", g = "stype", dom = c("yr.rnd", "No")),
  clus1 = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "H")),
  clus2 = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "E")),
  mu284 = list(x = "y1", y = "big", pos = "Yes", g = "third", dom = c("half", "B")),
  nhanes = list(x = "HI_CHOL", y = "HI_CHOL", pos = 1, g = "race", dom = c("agecat", "(39,59]")),
  lonely = list(x = "HI_CHOL", y = "HI_CHOL", pos = 1, g = "race", dom = c("RIAGENDR", "2")),
  lonely_rows = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "E")),
  clus2_e = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("awards", "Yes")),
  rep_brr = list(x = "alive", y = "big", pos = "Yes", g = "ambulance", dom = c("ESA", "2")),
  rep_fay = list(x = "alive", y = "big", pos = "Yes", g = "ambulance", dom = c("ambulance", "1")),
  rep_jk1 = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "E")),
  rep_jk1_mse = list(x = "api00", y = "awards", pos = "Yes", g = "stype", dom = c("sch.wide", "Yes")),
  rep_jkn = list(x = "api00", y = "awards", pos = "Yes", g = "sch.wide", dom = c("stype", "H")),
  rep_boot = list(x = "api00", y = "awards", pos = "Yes", g = "stype", dom = c("yr.rnd", "No"))
)
lonely_options <- list(strat = "adjust", strat_fpc_only = "adjust", weight_only = "adjust",
                       clus1 = "adjust", clus2 = "adjust", mu284 = "adjust", nhanes = "adjust",
                       clus2_e = c("adjust", "average", "certainty", "remove", "fail"),
                       rep_brr = "adjust", rep_fay = "adjust", rep_jk1 = "adjust",
                       rep_jk1_mse = "adjust", rep_jkn = "adjust", rep_boot = "adjust",
                       lonely = c("adjust", "average", "certainty", "remove", "fail"),
                       lonely_rows = c("adjust", "average", "certainty", "remove", "fail"))

# one analysis of a (sub)design: mean, share, total overall and per group, tests across groups
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
  levs <- sort(unique(dat[[g]][weights(D) > 0]))
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

for (nm in names(designs)) {
  spec <- designs[[nm]]; pl <- plans[[nm]]
  message(nm)
  dat <- get(spec$data)
  dat$pos_ <- dat[[pl$y]] %in% pl$pos
  res <- list(design = spec$call, plan = pl, options = list())
  for (opt in lonely_options[[nm]]) {
    options(survey.lonely.psu = opt)
    des <- eval(parse(text = sub(paste0("data=", spec$data), "data=dat", spec$call, fixed = TRUE)))
    o <- list(option = opt)
    full <- tryCatch(analyse(des, pl, dat), error = function(e) list(error = conditionMessage(e)))
    o$full <- full
    cond <- paste0(pl$dom[1], " == ", if (is.numeric(dat[[pl$dom[1]]])) pl$dom[2] else deparse(pl$dom[2]))
    D <- eval(parse(text = paste0("subset(des, ", cond, ")")))
    o$domain <- tryCatch(c(list(subset = paste0("subset(des, ", cond, ")")), analyse(D, pl, dat)),
                         error = function(e) list(error = conditionMessage(e)))
    res$options[[opt]] <- o
  }
  out[[nm]] <- res
}
# shares of exactly 0 and 1: svyciprop per method (R gives NaN where no interval exists)
options(survey.lonely.psu = "adjust")
des <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = st)
edge <- list()
for (m in c("logit", "beta", "mean", "asin")) {
  a <- suppressWarnings(svyciprop(~I(api00 < 0), des, method = m))
  b <- suppressWarnings(svyciprop(~I(api00 > 0), des, method = m))
  edge[[m]] <- list(r = paste0("svyciprop(~I(api00 < 0) / ~I(api00 > 0), <strat>, method='", m, "')"),
                    zero = as.numeric(attr(a, "ci")), one = as.numeric(attr(b, "ci")),
                    df = degf(des), nrow = nrow(st))
}
out$edge <- edge
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           "tests/r/design2_refs.json")
