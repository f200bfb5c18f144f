# Reference values for trim_weights -> tests/r/calibration_refs.json
# Rerun from the repository root:  Rscript tests/r/calibration_refs.R
suppressMessages({library(survey); library(jsonlite)})
apistrat <- read.csv("tests/r/data/apistrat.csv")
d <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
out <- list(
  trim = list(r = "weights(trimWeights(d, upper=40, lower=20))",
              w = unname(weights(trimWeights(d, upper = 40, lower = 20)))),
  trim_strict = list(r = "weights(trimWeights(d, upper=35, strict=TRUE))",
                     w = unname(weights(trimWeights(d, upper = 35, strict = TRUE)))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), "tests/r/calibration_refs.json")
