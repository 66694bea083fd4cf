# The heterogeneity models of the R package Rcapture (closedp.t) on a capture table, to set
# beside `mamar estimate FILE --method heterogeneity`.
#
# Usage: R_LIBS=DIR Rscript rcapture_reference.R TABLE.csv
#   TABLE.csv: 0/1 list columns and a `count` column (the format of `mamar estimate`).
# Rcapture is built from its CRAN source (docs/bench/mamar-stats.md, section 7); none of its code
# is kept in this repository.
suppressMessages(library(Rcapture))
args <- commandArgs(trailingOnly = TRUE)
table <- read.csv(args[1])
print(closedp.t(table, dfreq = TRUE)$results)
