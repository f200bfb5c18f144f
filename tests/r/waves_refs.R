# Reference values for compare_waves (design domains, Wilcoxon) -> tests/r/waves_refs.json
# Rerun from the repository root:  Rscript tests/r/waves_refs.R
suppressMessages({library(survey); library(jsonlite)})
options(survey.lonely.psu = "adjust")
real <- file.path(Sys.getenv("SURVEY_KIT_REALDATA", "/work/shared/realdata"), "rdatasets")
out <- list(meta = list(survey = as.character(packageVersion("survey")), R = R.version.string))
nhanes <- read.csv("tests/r/data/nhanes.csv")
# NHANES has no waves: gender (RIAGENDR 1, 2) plays the two "waves" of one design (domains
# sharing strata and PSUs, so the covariance of the two estimates matters)
des <- svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes)
rows <- list()
for (lev in c(sort(unique(nhanes$race)), NA)) {
  sub <- if (is.na(lev)) subset(des, !is.na(HI_CHOL)) else subset(des, !is.na(HI_CHOL) & race == lev)
  b <- svyby(~HI_CHOL, ~RIAGENDR, sub, svymean, covmat = TRUE)
  ch <- svycontrast(b, c(-1, 1))
  chi <- svychisq(~HI_CHOL + RIAGENDR, sub, statistic = "F")
  tt <- svyttest(HI_CHOL ~ factor(RIAGENDR), sub)
  rows[[length(rows) + 1]] <- list(
    race = if (is.na(lev)) "I alt" else lev,
    r = paste0("sub <- subset(des, !is.na(HI_CHOL)", if (is.na(lev)) "" else paste0(" & race == ", lev),
               "); svycontrast(svyby(~HI_CHOL, ~RIAGENDR, sub, svymean, covmat=TRUE), c(-1, 1)); ",
               "svychisq(~HI_CHOL + RIAGENDR, sub, statistic='F'); svyttest(HI_CHOL ~ factor(RIAGENDR), sub); degf(sub)"),
    value_from = unname(coef(b))[1], value_to = unname(coef(b))[2],
    change = unname(coef(ch)), se = unname(SE(ch)), df = degf(sub),
    p_share = chi$p.value, p_mean = unname(tt$p.value))
}
out$nhanes_gender <- list(design = "svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes)",
                          rows = rows)
mass <- read.csv(file.path(real, "MASS_survey.csv"))
m <- mass[!is.na(mass$NW.Hnd) & !is.na(mass$Wr.Hnd), ]
out$wilcoxon <- list(
  normal_cc = list(r = "wilcox.test(m$NW.Hnd, m$Wr.Hnd, paired=TRUE)  # n >= 50: normal, correct=TRUE",
                   p = wilcox.test(m$NW.Hnd, m$Wr.Hnd, paired = TRUE)$p.value),
  normal = list(r = "wilcox.test(m$NW.Hnd, m$Wr.Hnd, paired=TRUE, correct=FALSE)",
                p = wilcox.test(m$NW.Hnd, m$Wr.Hnd, paired = TRUE, correct = FALSE)$p.value),
  exact_small = list(r = "x <- c(1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30); y <- c(0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29); wilcox.test(x, y, paired=TRUE)  # R's example: exact",
                     p = wilcox.test(c(1.83,0.50,1.62,2.48,1.68,1.88,1.55,3.06,1.30),
                                     c(0.878,0.647,0.598,2.05,1.06,1.29,1.06,3.14,1.29), paired = TRUE)$p.value))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/r/waves_refs.json")
cat("wrote tests/r/waves_refs.json\n")
