# The p-value stepwise rule of the R package SparseMSE (stepwisefit, threshold 0.02) on a
# capture table, to set beside `mamar estimate FILE --criterion p-value`.
#
# Usage: R_LIBS=DIR Rscript sparsemse_reference.R TABLE.csv
#   TABLE.csv: 0/1 list columns and a `count` column (the format of `mamar estimate`).
# Prints the interactions the rule chose and the estimated total. SparseMSE and its dependency
# Rcapture are built from their CRAN sources (docs/bench/mamar-stats.md, section 7); none of
# their code is kept in this repository.
suppressMessages(library(SparseMSE))
args <- commandArgs(trailingOnly = TRUE)
table <- read.csv(args[1])
table <- table[table$count >= 0, ]
fit <- stepwisefit(table, pthresh = 0.02)
coefficients <- coef(fit$fit)
cat(sprintf("table %s: terms %s\n", args[1],
            paste(setdiff(names(coefficients), c("(Intercept)", setdiff(names(table), "count"))), collapse = " + ")))
cat(sprintf("total %.3f (unseen %.3f)\n", sum(table$count) + exp(coefficients[["(Intercept)"]]),
            exp(coefficients[["(Intercept)"]])))
