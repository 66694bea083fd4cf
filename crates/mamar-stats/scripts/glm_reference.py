#!/usr/bin/env python3
"""Independent reference for mamar-stats' log-linear fits.

Fits Poisson log-linear models to a capture table with statsmodels' GLM (not with mamar's code)
and writes the estimates to a JSON file that the Rust tests compare with, model by model, to a
relative 1e-6. It also counts, by linear programming (scipy), how many of the two-way-interaction
models have a finite maximum-likelihood estimate, so the Rust search's count of estimable models
can be checked against a method that does not fit anything.

Run (from the repository root):

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install statsmodels scipy
    /tmp/venv-stats/bin/python crates/mamar-stats/scripts/glm_reference.py \
        crates/mamar-stats/tests/fixtures/uk-nrm-2013.csv \
        > crates/mamar-stats/tests/fixtures/uk-nrm-2013-glm.json

It prints the JSON to standard output and a one-line summary per model to standard error.
"""

import csv
import itertools
import json
import math
import sys

import numpy as np
import statsmodels
import statsmodels.api as sm
from scipy.optimize import brentq, linprog
from scipy.stats import chi2

# Models to fit, as lists of interaction terms ("A:B" or "A:B:C"); lower-order terms are added.
MODELS = [
    [],
    ["LA:NG"],
    ["PF:GO", "NG:PF"],
    ["LA:NG", "LA:PF", "NG:PF"],
    ["LA:NG", "LA:PF", "NG:GP", "PF:GP", "GO:GP", "PF:NCA"],
    ["LA:NG", "LA:PF", "NG:GO", "NG:GP", "PF:GP", "GO:GP", "PF:NCA"],
    ["LA:NG", "LA:PF", "NG:PF", "NG:GO", "NG:GP", "PF:GP", "GO:GP", "PF:NCA"],
    ["LA:NG:PF", "PF:GO"],
]


def read_table(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    lists = header[:-1]
    counts = {}
    for row in body:
        mask = sum(1 << j for j, value in enumerate(row[:-1]) if value == "1")
        counts[mask] = int(row[-1])
    k = len(lists)
    cells = list(range(1, 1 << k))
    y = np.array([counts.get(mask, 0) for mask in cells], dtype=float)
    return lists, cells, y


def closure(terms, lists):
    masks = set()
    for term in terms:
        mask = sum(1 << lists.index(name) for name in term.split(":"))
        sub = mask
        while sub:
            if bin(sub).count("1") >= 2:
                masks.add(sub)
            sub = (sub - 1) & mask
    return sorted(masks, key=lambda m: (bin(m).count("1"), m))


def design(cells, k, terms):
    columns = [1 << j for j in range(k)] + terms
    x = np.ones((len(cells), 1 + len(columns)))
    for i, cell in enumerate(cells):
        for c, term in enumerate(columns):
            x[i, c + 1] = 1.0 if cell & term == term else 0.0
    return x


def mle_exists(x, y):
    """True when no direction d raises the Poisson likelihood forever: no d with x d = 0 on
    the cells with counts and x d <= 0, not all zero, on the empty cells (Fienberg & Rinaldo)."""
    positive, empty = x[y > 0], x[y == 0]
    if len(empty) == 0:
        return True
    p = x.shape[1]
    result = linprog(
        c=empty.sum(axis=0),  # minimise the sum of x d over the empty cells
        A_ub=np.vstack([empty, -empty]),
        b_ub=np.concatenate([np.zeros(len(empty)), np.ones(len(empty))]),
        A_eq=positive,
        b_eq=np.zeros(len(positive)),
        bounds=[(None, None)] * p,
        method="highs",
    )
    return result.status == 0 and result.fun > -1e-9


def profile_interval(x, y, intercept, llf, level=0.95):
    """The profile-likelihood interval for the total: refit with the intercept held at b (an
    offset) and find where twice the fall in log-likelihood reaches the chi-square(1) quantile."""
    cut = chi2.ppf(level, 1)
    rest = x[:, 1:]

    def excess(b):
        offset = np.full(len(y), b)
        fit = sm.GLM(y, rest, family=sm.families.Poisson(), offset=offset).fit(tol=1e-14, maxiter=1000)
        return 2 * (llf - fit.llf) - cut

    step = 0.05
    while excess(intercept + step) < 0:
        step *= 2
    upper = brentq(excess, intercept, intercept + step, xtol=1e-12)
    step = 0.05
    while excess(intercept - step) < 0:
        step *= 2
    lower = brentq(excess, intercept - step, intercept, xtol=1e-12)
    return lower, upper


def main():
    lists, cells, y = read_table(sys.argv[1])
    k = len(lists)
    observed = float(y.sum())
    models = []
    for terms in MODELS:
        masks = closure(terms, lists)
        x = design(cells, k, masks)
        result = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=1000)
        unseen = math.exp(result.params[0])
        lower, upper = profile_interval(x, y, result.params[0], result.llf)
        names = ["(intercept)"] + lists + [
            ":".join(lists[j] for j in range(k) if m & (1 << j)) for m in masks
        ]
        models.append(
            {
                "terms": terms,
                "coefficients": dict(zip(names, map(float, result.params))),
                "log_likelihood": float(result.llf),
                "aic": float(result.aic),
                "deviance": float(result.deviance),
                "unseen": unseen,
                "total": observed + unseen,
                "interval_95": [observed + math.exp(lower), observed + math.exp(upper)],
            }
        )
        print(f"{' + '.join(terms) or 'independence':60} total {observed + unseen:10.1f}", file=sys.stderr)

    pairs = [(1 << a) | (1 << b) for a, b in itertools.combinations(range(k), 2)]
    estimable = 0
    if len(pairs) <= 15:
        for chosen in range(1 << len(pairs)):
            terms = [pair for index, pair in enumerate(pairs) if chosen & (1 << index)]
            if mle_exists(design(cells, k, terms), y):
                estimable += 1
        print(f"two-way models with a finite MLE: {estimable} of {1 << len(pairs)}", file=sys.stderr)

    json.dump(
        {
            "source": sys.argv[1].split("/")[-1],
            "generator": f"statsmodels {statsmodels.__version__} GLM Poisson, tol 1e-14",
            "observed": observed,
            "models": models,
            "two_way_models": 1 << len(pairs),
            "two_way_models_with_finite_mle": estimable,
        },
        sys.stdout,
        indent=2,
    )
    print()


if __name__ == "__main__":
    main()
