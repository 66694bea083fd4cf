#!/usr/bin/env python3
"""Coverage of interval rules that join the default's interval with another model's, read from
the simulation study's per-replicate record (no re-running). Pure Python, no dependencies.

    MAMAR_SIM_RECORD=/tmp/record.csv MAMAR_SIM_BOOTSTRAP=200 MAMAR_SIM_SKIP_DGA=1 \
        MAMAR_SIM_ONLY="3 lists|4 lists" nice -n 10 cargo bench -p mamar-stats --bench simulation
    python3 crates/mamar-stats/scripts/interval_rules.py /tmp/record.csv [MORE.csv ...]

Several record files (runs of other scenarios, or LCMCR run apart with MAMAR_SIM_BOOTSTRAP
unset) are merged by scenario and replicate: the tables come from the scenario's seed, so
replicate r of a scenario is the same table in every run.

The rules, fixed before looking at the figures (docs/bench/mamar-stats.md, section 3,
"Bounding and ignorance intervals"):

- default: the chosen two-way model's profile-likelihood interval joined with the percentile
  interval of the bootstrap of the choice (what `mamar estimate` reports for 3 to 5 lists);
- bounding by Mth Gamma3.5 / Mth Darroch: the smallest interval holding the default's and the
  heterogeneity model's Wald interval (two-way models taken as bounding the total from below
  under heterogeneous catchability, the heterogeneity model from above);
- the same, only when AIC prefers the heterogeneity model to the chosen two-way model;
- ignorance interval with LCMCR: the smallest interval holding the default's and LCMCR's
  (the union of the intervals of two model classes that both fit the data, Vansteelandt,
  Goetghebeur, Kenward & Molenberghs 2006, Statistica Sinica 16); LCMCR alone beside it.
- (added 2026-12-06, after the union over-covered 4 dependent lists) the union only where the
  chosen two-way model keeps no negative interaction: LCMCR explains overlaps by differences
  between people alone, and people who are easier to reach on every list make every two lists
  overlap more, not less; two lists that avoid each other are dependence of the lists
  themselves, where the data speak against the premise for which LCMCR is joined.

With MAMAR_SIM_CONVERGE=S (LCMCR run as `mamar estimate` runs it: rounds until split R-hat
<= 1.01 and bulk ESS >= 400, or S sweeps per chain) two more rules are scored: the union with
LCMCR's interval when its chains converged, else the default alone (what a default would print,
with a warning, when the chains do not agree); and the union with LCMCR's interval converged or
not. MAMAR_SIM_LCMCR_ON_MISSES=1 runs LCMCR only where the default missed: a union covers
wherever the default does, so its coverage is exact from those runs alone (its width is not).

Each cell: coverage, then the misses wholly below / wholly above the truth, the replicates
counted, and the median width.
"""

import collections
import csv
import sys

# Positions in benches/simulation.rs's list of scenarios (a scenario's seed is its position).
NAMES = {
    0: "3 lists, heterogeneous",
    1: "4 lists, heterogeneous",
    2: "5 lists, heterogeneous",
    4: "4 lists, heterogeneous, dependent",
    6: "3 lists, heterogeneous, N = 10,000",
    7: "4 lists, heterogeneous, N = 10,000",
    8: "5 lists, heterogeneous, N = 10,000",
    10: "3 lists, less hard to reach",
    11: "4 lists, less hard to reach",
    12: "5 lists, less hard to reach",
}


def number(row, key):
    value = row.get(key)
    return float(value) if value not in ("", None) else float("nan")


def ends(row):
    return number(row, "lower"), number(row, "upper")


def hull(a, b):
    return min(a[0], b[0]), max(a[1], b[1])


def default(found):
    return hull(ends(found["profile"]), ends(found["bootstrap"]))


def bounded_by(model):
    return lambda found: hull(default(found), ends(found[model]))


def bounded_when_preferred(model):
    def rule(found):
        if number(found[model], "aic") < number(found["profile"], "aic"):
            return hull(default(found), ends(found[model]))
        return default(found)

    return rule


RULES = [
    ("default (two-way bootstrap joined with the profile interval)", default),
    ("bounded above by Mth Gamma3.5", bounded_by("Mth Gamma3.5")),
    ("bounded above by Mth Darroch", bounded_by("Mth Darroch")),
    ("bounded by Mth Gamma3.5 when AIC prefers it", bounded_when_preferred("Mth Gamma3.5")),
    ("bounded by Mth Darroch when AIC prefers it", bounded_when_preferred("Mth Darroch")),
    ("ignorance interval: default joined with LCMCR", lambda found: hull(default(found), ends(found["lcmcr"]))),
    ("LCMCR alone (fixed chain length)", lambda found: ends(found["lcmcr"])),
]

# Records of runs with MAMAR_SIM_CONVERGE (LCMCR run as `mamar estimate` runs it, until its chains
# agree or a budget of sweeps) hold `lcmcr` for converged runs and `lcmcr-unconverged` for the
# others; with MAMAR_SIM_LCMCR_ON_MISSES LCMCR ran only where the default missed, so a replicate
# without either row is one the default covered (coverage is exact, the widths are not).
CONVERGED_RULES = [
    (
        "union with LCMCR when its chains converged, else the default alone (with a warning)",
        lambda found: hull(default(found), ends(found["lcmcr"])) if "lcmcr" in found else default(found),
    ),
    (
        "union with LCMCR's interval, converged or not (what longer chains might give)",
        lambda found: hull(default(found), ends(found.get("lcmcr") or found["lcmcr-unconverged"]))
        if "lcmcr" in found or "lcmcr-unconverged" in found
        else default(found),
    ),
    (
        "union with LCMCR when its chains converged and the chosen model keeps no negative "
        "two-way interaction (no two lists avoid each other), else the default alone",
        lambda found: hull(default(found), ends(found["lcmcr"]))
        if "lcmcr" in found and not lists_avoid_each_other(found)
        else default(found),
    ),
]


def lists_avoid_each_other(found):
    """Whether the chosen two-way model keeps a negative interaction (the record's `pairs` row,
    written since 2026-12-06; a record without it cannot score the rule)."""
    return number(found["pairs"], "total") < 0


def main():
    found = collections.defaultdict(dict)
    truths = {}
    for path in sys.argv[1:]:
        with open(path) as handle:
            for row in csv.DictReader(handle):
                scenario = int(row["scenario"])
                found[(scenario, int(row["replicate"]))][row["interval"]] = row
                truths[scenario] = float(row["truth"])
    scenarios = [s for s in sorted(NAMES) if s in truths]
    converge = any("lcmcr-unconverged" in f or "df" in f.get("lcmcr", {}) and f["lcmcr"]["df"] for f in found.values())
    rules = RULES + CONVERGED_RULES if converge else RULES
    print("| rule | " + " | ".join(NAMES[s] for s in scenarios) + " | in 90–98% |")
    print("|---" * (len(scenarios) + 2) + "|")
    for name, rule in rules:
        cells, in_band = [], 0
        for scenario in scenarios:
            truth = truths[scenario]
            covered = below = above = 0
            widths = []
            for (where, _), intervals in found.items():
                if where != scenario:
                    continue
                try:
                    lower, upper = rule(intervals)
                except KeyError:
                    continue
                widths.append(upper - lower)
                if upper < truth:
                    below += 1
                elif lower > truth:
                    above += 1
                else:
                    covered += 1
            if not widths:
                cells.append("")
                continue
            widths.sort()
            coverage = 100 * covered / len(widths)
            in_band += 90 <= coverage <= 98
            cells.append(f"{coverage:.1f}%, {below} / {above} ({len(widths)}; {widths[len(widths) // 2]:.0f})")
        print(f"| {name} | " + " | ".join(cells) + f" | {in_band} |")
    if converge:
        print()
        print("LCMCR run until converged: runs, converged, not converged (median sweeps per chain)")
        for scenario in scenarios:
            rows = [f[k] for (where, _), f in found.items() if where == scenario for k in ("lcmcr", "lcmcr-unconverged") if k in f]
            converged = sum(1 for row in rows if row["interval"] == "lcmcr")
            sweeps = sorted(number(row, "df") for row in rows)
            middle = f"{sweeps[len(sweeps) // 2]:.0f}" if sweeps else "-"
            print(f"- {NAMES[scenario]}: {len(rows)} runs, {converged} converged, {len(rows) - converged} not ({middle})")


if __name__ == "__main__":
    main()
