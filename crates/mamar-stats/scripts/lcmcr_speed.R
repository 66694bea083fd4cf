#!/usr/bin/env Rscript
# The R package LCMCR's speed on the benchmark of docs/bench/mamar-stats.md, section 2: 10,000
# sweeps of one chain, K = 10, on the UK 2013 table (6 lists). Median of 7 runs, each after the
# package's own set-up (500 warm-up sweeps inside lcmCR), which is timed apart.
#
#     R_LIBS=DIR Rscript crates/mamar-stats/scripts/lcmcr_speed.R crates/mamar-stats/tests/fixtures/uk-nrm-2013.csv

suppressPackageStartupMessages(library(LCMCR))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript lcmcr_speed.R TABLE.csv")
d <- read.csv(args[1], check.names = FALSE, colClasses = "numeric")
lists <- names(d)[-ncol(d)]
table <- data.frame(lapply(d[, lists, drop = FALSE], function(v) factor(v, levels = c(0, 1))),
                    check.names = FALSE)
table$Freq <- as.integer(d$count)
table <- table[table$Freq > 0, , drop = FALSE]

set_up <- numeric(0)
sweeps <- numeric(0)
for (run in 1:7) {
  invisible(capture.output({
    set_up[run] <- system.time(
      sampler <- lcmCR(captures = table, tabular = TRUE, in_list_label = "1",
                       not_in_list_label = "0", K = 10, a_alpha = 0.25, b_alpha = 0.25,
                       seed = run, buffer_size = 10000, thinning = 1, verbose = FALSE)
    )[["elapsed"]]
    sweeps[run] <- system.time(
      lcmCR_PostSampl(sampler, burnin = 0, samples = 10000, thinning = 1, output = FALSE)
    )[["elapsed"]]
  }))
}
cat(sprintf("R package LCMCR, %d lists, K = 10, one chain: 10,000 sweeps %.3f s (median of 7; set-up %.3f s)\n",
            length(lists), median(sweeps), median(set_up)))
