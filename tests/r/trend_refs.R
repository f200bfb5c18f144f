# Reference values for the trend section (issue 24): changes between rounds and the trend test
# -> tests/r/trend_refs.json.   Rerun from the repository root:  Rscript tests/r/trend_refs.R
# Data: tests/r/data/waves_trend.csv (three rounds; q 1-5 agreement, 6 = "Ved ikke" outside the
# base, positive = 4 or 5; score a 1-5 index; grp two groups).
suppressMessages(library(jsonlite))
d <- read.csv("tests/r/data/waves_trend.csv")
d <- d[!is.na(d$q) & d$q != 6, , drop = FALSE]
d$pos <- as.integer(d$q %in% c(4, 5))
out <- list(meta = list(R = R.version.string))
share <- function(sub) {
  x <- tapply(sub$pos, sub$bolge, sum); n <- tapply(sub$pos, sub$bolge, length)
  change <- function(a, b) {
    pt <- prop.test(c(x[b], x[a]), c(n[b], n[a]), correct = FALSE)
    ct <- chisq.test(matrix(c(x[a], n[a] - x[a], x[b], n[b] - x[b]), 2), correct = FALSE)
    list(from = a, to = b, change = unname(x[b] / n[b] - x[a] / n[a]), p_prop = pt$p.value, p_chisq = ct$p.value)
  }
  r <- data.frame(round = as.integer(names(n)), x = as.vector(x), n = as.vector(n))
  r$t <- r$round - 1
  m <- glm(cbind(x, n - x) ~ t, family = binomial, data = r)
  co <- summary(m)$coefficients
  # R's default stops IRLS at a deviance change < 1e-8; iterated to the maximum (as survey_kit):
  tight <- summary(glm(cbind(x, n - x) ~ t, family = binomial, data = r,
                       control = glm.control(epsilon = 1e-13, maxit = 100)))$coefficients
  list(n = as.vector(n), x = as.vector(x), share = as.vector(x / n),
       changes = list(change(1, 2), change(2, 3), change(1, 3)),
       slope = co["t", "Estimate"], se = co["t", "Std. Error"], p = co["t", "Pr(>|z|)"],
       se_tight = tight["t", "Std. Error"], p_tight = tight["t", "Pr(>|z|)"])
}
out$share_total <- c(list(r = "glm(cbind(x, n - x) ~ t, family = binomial); prop.test(correct=FALSE); chisq.test(correct=FALSE)"),
                     share(d))
out$share_grp <- lapply(1:2, function(g) c(list(grp = g), share(d[d$grp == g, ])))
s <- read.csv("tests/r/data/waves_trend.csv")
s$t <- s$bolge - 1
lm1 <- summary(lm(score ~ t, data = s))$coefficients
out$mean_total <- list(r = "summary(lm(score ~ t))", slope = lm1["t", "Estimate"], se = lm1["t", "Std. Error"],
                       p = lm1["t", "Pr(>|t|)"],
                       welch_1_3 = t.test(s$score[s$bolge == 3], s$score[s$bolge == 1])$p.value)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/r/trend_refs.json")
cat("wrote tests/r/trend_refs.json\n")
