#!/usr/bin/env python3
"""Maximum-likelihood totals of one- and two-class latent-class capture-recapture models, for
comparison with LCMCR's posterior on the same tables (docs/bench/mamar-stats.md, section 3).

Draws tables like the simulation study's "6 lists, less hard to reach" scenario (with Python's
generator, so not the study's own tables), writes each as a CSV that `mamar estimate` reads, and
prints the total that maximises the likelihood of the observed patterns under one and two latent
classes, with the log-likelihoods. EM treats the unseen count as missing data; the best of several
random starts is kept. Pure Python, no packages.

    python3 crates/mamar-stats/scripts/latent_class_mle.py OUT_DIR [seeds...]
    mamar estimate OUT_DIR/table1.csv --method lcmcr --classes 2 --burn-in 20000 --samples 2000 --thin 20
"""
import math
import os
import random
import sys

HARD = [0.30, 0.25, 0.35, 0.28, 0.30, 0.25]
EASY = [0.50, 0.45, 0.55, 0.40, 0.50, 0.45]
POPULATION = 2000
LISTS = 6


def draw(rng):
    counts = [0] * (1 << LISTS)
    for _ in range(POPULATION):
        capture = HARD if rng.random() < 2 / 3 else EASY
        mask = 0
        for j, p in enumerate(capture):
            if rng.random() < p:
                mask |= 1 << j
        counts[mask] += 1
    return counts


def pattern_probability(mask, weight, capture):
    q = weight
    for j, p in enumerate(capture):
        q *= p if mask >> j & 1 else 1 - p
    return q


def fit(counts, classes, rng, iterations=5000):
    seen = sum(counts[1:])
    weights = [1 / classes] * classes
    capture = [[rng.uniform(0.1, 0.7) for _ in range(LISTS)] for _ in range(classes)]
    unseen = 0.2 * seen
    previous = -math.inf
    loglik = -math.inf
    for _ in range(iterations):
        members = [0.0] * classes
        ones = [[0.0] * LISTS for _ in range(classes)]
        cells = [(0, unseen)] + [(m, c) for m, c in enumerate(counts) if m and c]
        for mask, count in cells:
            probabilities = [pattern_probability(mask, weights[k], capture[k]) for k in range(classes)]
            total = sum(probabilities)
            for k in range(classes):
                share = count * probabilities[k] / total
                members[k] += share
                for j in range(LISTS):
                    if mask >> j & 1:
                        ones[k][j] += share
        everyone = seen + unseen
        weights = [m / everyone for m in members]
        capture = [[min(max(ones[k][j] / members[k], 1e-9), 1 - 1e-9) for j in range(LISTS)] for k in range(classes)]
        missed = sum(pattern_probability(0, weights[k], capture[k]) for k in range(classes))
        unseen = seen * missed / (1 - missed)
        loglik = sum(
            c * math.log(sum(pattern_probability(m, weights[k], capture[k]) for k in range(classes)) / (1 - missed))
            for m, c in enumerate(counts)
            if m and c
        )
        if abs(loglik - previous) < 1e-9:
            break
        previous = loglik
    return seen + unseen, loglik


def main():
    out = sys.argv[1]
    seeds = [int(s) for s in sys.argv[2:]] or [1, 2, 3]
    os.makedirs(out, exist_ok=True)
    for seed in seeds:
        rng = random.Random(seed)
        counts = draw(rng)
        path = os.path.join(out, f"table{seed}.csv")
        with open(path, "w") as f:
            f.write(",".join(f"L{j + 1}" for j in range(LISTS)) + ",count\n")
            for mask, count in enumerate(counts):
                if mask and count:
                    f.write(",".join(str(mask >> j & 1) for j in range(LISTS)) + f",{count}\n")
        one = fit(counts, 1, rng)
        two = max((fit(counts, 2, rng) for _ in range(6)), key=lambda t: t[1])
        print(
            f"{path}: seen {sum(counts[1:])}; one class: total {one[0]:.1f}, log-likelihood {one[1]:.3f}; "
            f"two classes: total {two[0]:.1f}, log-likelihood {two[1]:.3f}"
        )


if __name__ == "__main__":
    main()
