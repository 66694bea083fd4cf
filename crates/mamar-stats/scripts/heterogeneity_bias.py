#!/usr/bin/env python3
"""What the log-linear families estimate when there is no sampling error.

For each scenario of the simulation study with 3 to 5 lists (benches/simulation.rs, same
capture probabilities), this fits log-linear models to the *expected* table: every cell at its
expected count, so the estimate is where the method goes as the number of people grows (its
asymptotic bias), and the deviance is how clearly the data of N = 10,000 people would reject
the model (the non-centrality of its chi-square test). Pure Python, no dependencies:

    python3 crates/mamar-stats/scripts/heterogeneity_bias.py

With a folder of the study's own tables (`MAMAR_SIM_DUMP=DIR`, see docs/bench/mamar-stats.md),
it also fits all pairs and all pairs + common three-way to every table of 4 or more lists and
reports how often AIC prefers the second, and the bias of each and of that choice:

    python3 crates/mamar-stats/scripts/heterogeneity_bias.py DIR

Models (Poisson, intercept = log of the unseen cell):
- independence;
- all pairs: every two-way interaction (the richest model of the two-way family);
- Darroch Mth: main effects plus Darroch et al.'s (1993) quadratic heterogeneity term f^2/2,
  f the number of lists a person is on (Rcapture's "Darroch");
- all pairs + Darroch: the same span as all pairs (f^2/2 = f/2 + the sum of every pair);
- all pairs + common three-way: every pair plus one parameter shared by every three-way
  interaction, C(f, 3) (partial quasi-symmetry, Darroch et al. 1993);
- all pairs + Poisson2: every pair plus Rcapture's Poisson2 term 2^f - 1;
- all three-way: every interaction of up to three lists (4 and 5 lists).
"""

import itertools
import math

HARD = [0.15, 0.20, 0.12, 0.18, 0.15, 0.10]
LESS_HARD = [0.30, 0.25, 0.35, 0.28, 0.30, 0.25]
EASY = [0.50, 0.45, 0.55, 0.40, 0.50, 0.45]
# List 1 refers people to list 2 (odds x3); lists 3 and 4 avoid each other (odds x0.5).
DEPENDENT = [(0, 1, 3.0), (2, 3, 0.5)]


def expected(lists, hard, dependences, population):
    cells = {}
    for mask in range(1, 1 << lists):
        probability = 0.0
        for share, capture in ((2 / 3, hard), (1 / 3, EASY)):
            p = share
            for j in range(lists):
                odds = capture[j] / (1 - capture[j])
                for source, target, ratio in dependences:
                    if target == j and mask >> source & 1:
                        odds *= ratio
                q = odds / (1 + odds)
                p *= q if mask >> j & 1 else 1 - q
            probability += p
        cells[mask] = population * probability
    return cells


def solve(matrix, rhs):
    n = len(rhs)
    rows = [row[:] + [rhs[i]] for i, row in enumerate(matrix)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(rows[r][c]))
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for r in range(n):
            if r != c:
                factor = rows[r][c] / rows[c][c]
                for k in range(c, n + 1):
                    rows[r][k] -= factor * rows[c][k]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def fit(cells, terms, extra=()):
    """Newton's method for the Poisson log-linear model; returns (total, deviance)."""
    masks = sorted(cells)
    design = [
        [1.0]
        + [1.0 if m & t == t else 0.0 for t in terms]
        + [f(bin(m).count("1")) for f in extra]
        for m in masks
    ]
    y = [cells[m] for m in masks]
    p = len(design[0])
    beta = [math.log(sum(y) / len(y))] + [0.0] * (p - 1)
    for _ in range(200):
        mu = [math.exp(sum(a * b for a, b in zip(x, beta))) for x in design]
        score = [sum(design[i][a] * (y[i] - mu[i]) for i in range(len(y))) for a in range(p)]
        information = [
            [sum(design[i][a] * design[i][b] * mu[i] for i in range(len(y))) for b in range(p)]
            for a in range(p)
        ]
        step = solve(information, score)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-11:
            break
    mu = [math.exp(sum(a * b for a, b in zip(x, beta))) for x in design]
    deviance = 2 * sum(o * math.log(o / m) - (o - m) for o, m in zip(y, mu))
    return sum(y) + math.exp(beta[0]), deviance


def read_table(path):
    with open(path) as handle:
        header = handle.readline().strip().split(",")
        lists = len(header) - 1
        cells = {}
        for line in handle:
            fields = line.strip().split(",")
            if len(fields) != lists + 1:
                continue
            mask = sum(1 << j for j in range(lists) if fields[j] == "1")
            if mask:
                # An empty cell would make the Poisson fit of every model diverge in this
                # small solver; a tenth of a person stands in (the Rust engine needs no such help).
                cells[mask] = max(float(fields[lists]), 0.1)
    for mask in range(1, 1 << lists):
        cells.setdefault(mask, 0.1)
    return lists, cells


def study_tables(root):
    import os

    common_three = lambda f: f * (f - 1) * (f - 2) / 6
    print("| scenario | tables | all pairs: bias | + common three-way: bias | AIC prefers it | AIC's choice of the two: bias |")
    print("|---|---|---|---|---|---|")
    for scenario in sorted(os.listdir(root)):
        folder = os.path.join(root, scenario)
        with open(os.path.join(folder, "scenario.txt")) as handle:
            name = handle.readline().strip()
            truth = float(handle.readline().split(":")[1])
        tables = sorted(f for f in os.listdir(folder) if f.startswith("table-"))
        pairs_bias, common_bias, chosen_bias, preferred = [], [], [], 0
        for table in tables:
            lists, cells = read_table(os.path.join(folder, table))
            if lists < 4 or lists > 5:
                break
            mains = [1 << j for j in range(lists)]
            pairs = [a | b for a, b in itertools.combinations(mains, 2)]
            plain, plain_deviance = fit(cells, mains + pairs)
            common, common_deviance = fit(cells, mains + pairs, [common_three])
            pairs_bias.append(plain / truth - 1)
            common_bias.append(common / truth - 1)
            # One parameter more: AIC prefers it when the deviance falls by more than 2.
            if plain_deviance - common_deviance > 2:
                preferred += 1
                chosen_bias.append(common / truth - 1)
            else:
                chosen_bias.append(plain / truth - 1)
        if not pairs_bias:
            continue
        mean = lambda values: 100 * sum(values) / len(values)
        print(
            f"| {name} | {len(pairs_bias)} | {mean(pairs_bias):+.1f}% | {mean(common_bias):+.1f}% "
            f"| {100 * preferred / len(pairs_bias):.0f}% | {mean(chosen_bias):+.1f}% |"
        )


def main():
    import sys

    if len(sys.argv) > 1:
        study_tables(sys.argv[1])
        return
    population = 10_000
    scenarios = []
    for lists in (3, 4, 5):
        scenarios.append((f"{lists} lists, heterogeneous", lists, HARD, []))
    scenarios.append(("4 lists, heterogeneous, dependent", 4, HARD, DEPENDENT))
    for lists in (3, 4, 5):
        scenarios.append((f"{lists} lists, less hard to reach", lists, LESS_HARD, []))
    common_three = lambda f: f * (f - 1) * (f - 2) / 6
    poisson2 = lambda f: 2.0**f - 1
    darroch = lambda f: f * f / 2
    print(
        "| scenario | independence | all pairs | Darroch Mth | all pairs + common three-way "
        "| all pairs + Poisson2 | all three-way |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, lists, hard, dependences in scenarios:
        cells = expected(lists, hard, dependences, population)
        mains = [1 << j for j in range(lists)]
        pairs = [a | b for a, b in itertools.combinations(mains, 2)]
        triples = [a | b | c for a, b, c in itertools.combinations(mains, 3)]
        results = [
            fit(cells, mains),
            fit(cells, mains + pairs),
            fit(cells, mains, [darroch]),
        ]
        if lists >= 4:
            results.append(fit(cells, mains + pairs, [common_three]))
            results.append(fit(cells, mains + pairs, [poisson2]))
            results.append(fit(cells, mains + pairs + triples))
        row = [
            f"{100 * (total - population) / population:+.1f}% ({deviance:.1f})"
            for total, deviance in results
        ]
        row += ["not identifiable"] * (6 - len(row))
        print(f"| {name} | " + " | ".join(row) + " |")
    print(
        "\nEach cell: the bias of the total, and in brackets the deviance at N = 10,000"
        " (at N = 2,000 it is a fifth)."
    )


if __name__ == "__main__":
    main()
