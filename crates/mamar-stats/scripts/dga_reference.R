# The R package dga (Johndrow, Lum & Ball; CRAN) on a capture table, to set beside
# `mamar estimate --method dga --max-unseen M --format json` on the same file.
#
# Usage: R_LIBS=DIR Rscript dga_reference.R TABLE.csv MAX_UNSEEN [DELTA]
#   TABLE.csv: 0/1 list columns and a `count` column (the format of `mamar estimate`).
#   MAX_UNSEEN: the grid Nmissing = 0:MAX_UNSEEN (mamar's --max-unseen).
#   DELTA: the hyper-Dirichlet parameter; default 2^-lists, the package's suggestion.
# Prints the posterior median and the equal-tailed 95% interval of the total (the smallest
# total whose cumulative posterior reaches 0.5, 0.025 and 0.975, as mamar does on a unit grid),
# and the five most probable graphs with their posterior probabilities.
# The package is built from its CRAN source (docs/bench/mamar-stats.md, section 6); none of its
# code is kept in this repository.
suppressMessages(library(dga))
args <- commandArgs(trailingOnly = TRUE)
table <- read.csv(args[1])
max_unseen <- as.integer(args[2])
lists <- setdiff(names(table), "count")
p <- length(lists)
delta <- if (length(args) >= 3) as.numeric(args[3]) else 2^-p
# Y[i1, ..., ip] with list 1 the first (fastest) dimension; index 1 means "not on the list".
Y <- array(0, dim = rep(2, p))
for (row in seq_len(nrow(table))) {
  index <- as.integer(table[row, lists]) + 1
  Y[matrix(index, nrow = 1)] <- table$count[row]
}
graphs <- switch(as.character(p),
  "3" = { data(graphs3); graphs3 },
  "4" = { data(graphs4); graphs4 },
  "5" = { data(graphs5); graphs5 },
  stop("dga has graphs for 3 to 5 lists")
)
Nmissing <- 0:max_unseen
started <- proc.time()[["elapsed"]]
weights <- bma.cr(Y, Nmissing, delta, graphs)
elapsed <- proc.time()[["elapsed"]] - started
N <- Nmissing + sum(Y)
posterior <- colSums(weights)
cdf <- cumsum(posterior)
at <- function(q) N[which(cdf >= q)[1]]
cat(sprintf("table %s: %d lists, %d documented, delta %g, Nmissing 0:%d, %d graphs\n",
            args[1], p, sum(Y), delta, max_unseen, length(graphs)))
cat(sprintf("median %d  2.5%% %d  97.5%% %d  (posterior at the grid's end %.3g of its peak; %.2f s)\n",
            at(0.5), at(0.025), at(0.975), posterior[length(posterior)] / max(posterior), elapsed))
by_graph <- rowSums(weights)
name <- function(graph) {
  cliques <- graph[[1]]
  paste(sapply(cliques, function(c) paste(lists[sort(c)], collapse = ":")), collapse = " + ")
}
for (g in order(by_graph, decreasing = TRUE)[1:5]) {
  cat(sprintf("  %.6f  %s\n", by_graph[g], name(graphs[[g]])))
}
