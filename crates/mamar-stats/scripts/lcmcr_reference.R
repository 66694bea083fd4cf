#!/usr/bin/env Rscript
# The R package LCMCR (Manrique-Vallier), run on exactly the tables of mamar's simulation study,
# so that its coverage can be set beside mamar's own LCMCR (docs/bench/mamar-stats.md, section 3).
#
# 1. Keep the study's tables (and mamar's intervals) in a folder:
#
#      MAMAR_SIM_DUMP=/tmp/simdump cargo bench -p mamar-stats --bench simulation
#      (add MAMAR_SIM_SKIP_LCMCR=1 for the tables alone, in a few minutes)
#
# 2. Install the package: install.packages("LCMCR") where CRAN is reachable; otherwise from its
#    source with R CMD INSTALL --library=DIR (Debian's r-base-dev and libgsl-dev), and point
#    R_LIBS at DIR.
#
# 3. Run it:
#
#      Rscript crates/mamar-stats/scripts/lcmcr_reference.R /tmp/simdump [K] [burn-in] [samples] [thin] [chains] [scenario...]
#
#    The defaults match one chain of `mamar estimate --method lcmcr`: K = 10, 10,000 burn-in,
#    1,000 draws thinned by 10; the priors are the package's (a_alpha = b_alpha = 0.25). The
#    package runs one chain; with chains > 1 the draws of that many chains (seeds 1000 apart)
#    are pooled, as mamar pools its four. A table's first seed is its replicate number + 1.
#    Writes r-lcmcr-K<K>-C<chains>.csv beside the tables and prints one Markdown row per
#    scenario (and mamar's, when mamar-lcmcr.csv is there). Scenarios are named by folder
#    (scenario-00 ...).

suppressPackageStartupMessages(library(LCMCR))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) {
  stop("usage: Rscript lcmcr_reference.R DUMP_DIR [K] [burn-in] [samples] [thin] [chains] [scenario...]")
}
root <- args[1]
setting <- function(position, default) {
  if (length(args) >= position) as.integer(args[position]) else default
}
classes <- setting(2, 10L)
burn_in <- setting(3, 10000L)
samples <- setting(4, 1000L)
thin <- setting(5, 10L)
chains <- setting(6, 1L)
wanted <- if (length(args) >= 7) args[7:length(args)] else character(0)

read_table <- function(path) {
  d <- read.csv(path, check.names = FALSE, colClasses = "numeric")
  lists <- names(d)[-ncol(d)]
  table <- data.frame(lapply(d[, lists, drop = FALSE], function(v) factor(v, levels = c(0, 1))),
                      check.names = FALSE)
  table$Freq <- as.integer(d$count)
  table[table$Freq > 0, , drop = FALSE]
}

one_chain <- function(table, seed) {
  # The sampler writes "WARMING UP..." to the console whatever `verbose` says.
  invisible(capture.output({
    sampler <- lcmCR(captures = table, tabular = TRUE, in_list_label = "1",
                     not_in_list_label = "0", K = classes, a_alpha = 0.25, b_alpha = 0.25,
                     seed = seed, buffer_size = samples, thinning = thin, verbose = FALSE)
    total <- lcmCR_PostSampl(sampler, burnin = burn_in, samples = samples, thinning = thin,
                             output = FALSE)
  }))
  total
}

posterior_total <- function(table, seed) {
  draws <- unlist(lapply(seq_len(chains) - 1L, function(chain) one_chain(table, seed + 1000L * chain)))
  quantile(draws, c(0.5, 0.025, 0.975), names = FALSE)
}

row <- function(name, method, truth, intervals) {
  covered <- intervals$lower <= truth & truth <= intervals$upper
  sprintf("| %s | %s | %.0f | %+.1f%% | %.1f%% | %.0f | %d |", name, method,
          mean(intervals$median), 100 * (mean(intervals$median) - truth) / truth,
          100 * mean(covered), median(intervals$upper - intervals$lower), nrow(intervals))
}

cat(sprintf("LCMCR package, %d chain(s): K = %d, %d burn-in, %d draws thinned by %d\n\n",
            chains, classes, burn_in, samples, thin))
cat("| scenario | implementation | mean estimate | bias | coverage | median width | replicates |\n")
cat("|---|---|---|---|---|---|---|\n")
for (folder in sort(list.dirs(root, recursive = FALSE))) {
  if (length(wanted) > 0 && !(basename(folder) %in% wanted)) next
  about <- readLines(file.path(folder, "scenario.txt"))
  truth <- as.numeric(sub("true total: ", "", about[2]))
  tables <- sort(list.files(folder, pattern = "^table-[0-9]+\\.csv$", full.names = TRUE))
  replicate <- as.integer(sub("^table-([0-9]+)\\.csv$", "\\1", basename(tables)))
  estimates <- t(vapply(seq_along(tables), function(i) {
    posterior_total(read_table(tables[i]), replicate[i] + 1L)
  }, numeric(3)))
  package <- data.frame(replicate = replicate, median = estimates[, 1],
                        lower = estimates[, 2], upper = estimates[, 3])
  write.csv(package, file.path(folder, sprintf("r-lcmcr-K%d-C%d.csv", classes, chains)),
            row.names = FALSE)
  cat(row(about[1], sprintf("R package LCMCR, %d chain(s)", chains), truth, package), "\n", sep = "")
  ours <- file.path(folder, "mamar-lcmcr.csv")
  if (file.exists(ours)) {
    mamar <- read.csv(ours)
    if (nrow(mamar) > 0) cat(row(about[1], "mamar", truth, mamar), "\n", sep = "")
  }
}
