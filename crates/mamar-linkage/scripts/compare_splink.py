#!/usr/bin/env python3
"""Runs mamar's linkage engine and Splink on the same generated lists, in the same run,
and prints precision, recall, F1 and wall time for both (Markdown, for BENCHMARKS.md).

Usage (from the repository root; the virtual environment is not part of the repository):

    python3 -m venv /work/venv-linkage
    /work/venv-linkage/bin/pip install splink==5.0.0 anyascii==0.3.3 pandas
    cargo build --release -p mamar --bin mamar
    cargo build --release -p mamar-linkage --example linkage_bench
    /work/venv-linkage/bin/python crates/mamar-linkage/scripts/compare_splink.py \
        --persons 160000 --coverage 0.625 --work /tmp/linkage-compare

It generates two lists with the Rust generator (`linkage_bench synth`: about 100,000
records each, list A mostly in Arabic script, list B mostly in Latin letters, person_id the
truth), links them with `mamar link --one-to-one` and with Splink (DuckDB backend), and
scores each engine's matched pairs against the truth. `--skip-splink` runs only mamar (for
the 1,000,000-record run: `--persons 800000`). `--runs N` runs both engines N times, back to
back, and reports median times. The engines never see `person_id`. Wall
times are end to end, from the CSV files to the scored pairs, including each side's reading
and cleaning of the files.

The Splink model is what a competent user would build from the Splink documentation, for
lists in two scripts: the cleaning any user would do first (NFKC, lower case, the article
and punctuation removed, Arabic script transliterated with anyascii, Arabic-Indic digits as
ASCII, phone numbers as their last nine digits) and a consonant skeleton of each name (the
usual trick for Arabic, which does not write short vowels); name comparisons with levels
exact / same skeleton / Jaro-Winkler >= 0.92 / >= 0.8 on the skeleton, term-frequency
adjusted; birth year exact / +-1 / +-3; place by skeleton; phone exact / one edit; u by
random sampling (5 million pairs), the prior from a deterministic rule, m by EM in three
sessions on different blocking rules (see TRAINING_RULES); predictions on seven OR-ed blocking rules of the same
kinds mamar uses. Splink's pairs are scored as they come and also after the same
one-to-one selection mamar applies (best first, each record in at most one pair).

`--households` compares the engines on `linkage_bench households-synth`: three lists with
duplicates inside (list C writes the whole name in one column), drawn from --persons people
in households (brothers, cousins, twins). mamar runs with its defaults; Splink with the same
model plus a grandfather comparison, `link_and_dedupe`, the whole name split by position (given,
father, grandfather, family last), and its own clustering at p >= 0.9. Scores are pairwise
over the clusters, with the pairs of brothers put in one cluster.
"""

import argparse
import csv
import logging
import os
import re
import subprocess
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BENCH = os.path.join(TARGET, "release", "examples", "linkage_bench")
MAMAR = os.path.join(TARGET, "release", "mamar")


def read_truth(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["id"]: row["person_id"] for row in csv.DictReader(f)}


def score(pairs, truth_a, truth_b):
    """pairs: set of (id_a, id_b). Returns precision, recall, F1 over cross-list pairs."""
    people_a = {}
    for rid, person in truth_a.items():
        people_a.setdefault(person, []).append(rid)
    true_pairs = sum(len(people_a.get(person, [])) for person in truth_b.values())
    tp = sum(1 for a, b in pairs if truth_a.get(a) is not None and truth_a.get(a) == truth_b.get(b))
    precision = tp / len(pairs) if pairs else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs), true_pairs


def run_mamar(work, a, b, threads):
    out = os.path.join(work, "mamar-out")
    started = time.perf_counter()
    subprocess.run(
        [MAMAR, "link", a, b, "--out", out, "--one-to-one", "--threads", str(threads), "--quiet"],
        check=True,
    )
    elapsed = time.perf_counter() - started
    pairs, accepted = {}, set()
    with open(os.path.join(out, "pairs.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pair = (row["id_a"], row["id_b"])
            if row["list_a"] != "list_a":
                pair = (row["id_b"], row["id_a"])
            pairs[pair] = float(row["probability"])
            if row["band"] == "accepted":
                accepted.add(pair)
    return pairs, accepted, elapsed


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def clean_name(text):
    """What any user would do first: NFKC, lower case, no diacritics or punctuation, the
    article (al-, el-, ال) removed, and Arabic script transliterated to ASCII (anyascii), so
    that records written in different scripts can be compared at all."""
    from anyascii import anyascii

    if not isinstance(text, str) or not text.strip():
        return None
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text)
    words = [w for w in text.split() if w not in ("al", "el", "ال")]
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    text = anyascii(" ".join(words)).lower()
    text = re.sub(r"[^a-z ]", "", text)
    return " ".join(text.split()) or None


def skeleton(text):
    """The consonants, doubled ones once: Arabic script does not write short vowels, so
    `mhmd` (محمد) and `mohammed` meet on `mhmd`. The usual trick for names across scripts."""
    if not isinstance(text, str):
        return None
    text = re.sub(r"[aeiouyw ]", "", text)
    text = re.sub(r"(.)\1+", r"\1", text)
    return text or None


def first_word(text):
    return text.split()[0] if isinstance(text, str) and text else None


def clean_year(text):
    if not isinstance(text, str):
        return None
    digits = re.sub(r"\D", "", text.translate(ARABIC_DIGITS))
    return int(digits) if len(digits) == 4 else None


def clean_phone(text):
    if not isinstance(text, str):
        return None
    digits = re.sub(r"\D", "", text.translate(ARABIC_DIGITS))
    return digits[-9:] if len(digits) >= 7 else None


def load_for_splink(path, source):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame({"unique_id": df["id"], "source_dataset": source})
    for column in ["given_name", "father_name", "family_name", "mother_name", "place"]:
        out[column] = df[column].map(clean_name)
    # The mother's given name alone (the field often adds her family name).
    out["mother_name"] = out["mother_name"].map(first_word)
    for column in ["given_name", "father_name", "family_name", "mother_name", "place"]:
        out[column + "_sk"] = out[column].map(skeleton)
    out["birth_year"] = df["birth_year"].map(clean_year).astype("Int64")
    out["phone"] = df["phone"].map(clean_phone)
    return out


def name_comparison(column):
    """Exact, then the same skeleton, then Jaro-Winkler on the skeletons at 0.92 and 0.8;
    term-frequency adjusted on the exact and skeleton levels."""
    import splink.comparison_level_library as cll
    from splink.comparison_library import CustomComparison

    sk = column + "_sk"
    return CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(sk),
            cll.ExactMatchLevel(column).configure(tf_adjustment_column=column),
            cll.ExactMatchLevel(sk).configure(tf_adjustment_column=sk),
            cll.JaroWinklerLevel(sk, 0.92),
            cll.JaroWinklerLevel(sk, 0.8),
            cll.ElseLevel(),
        ],
    )


# EM sessions: each leaves out the fields it blocks on; together they estimate every field.
# Tight enough to train in seconds (a looser given+family session has 18 million pairs here).
TRAINING_RULES = [
    ("given_name_sk", "father_name_sk", "family_name_sk"),
    ("father_name_sk", "mother_name_sk", "birth_year"),
    ("phone",),
]


def splink_settings(link_type, names):
    """The Splink model (see the module's documentation): a name comparison per name field, the
    year, the place and the phone; predictions on seven OR-ed blocking rules."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        comparisons=[name_comparison(name) for name in names]
        + [
            cl.CustomComparison(
                output_column_name="birth_year",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 1),
                    cll.AbsoluteDifferenceLevel("birth_year", 3),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="place",
                comparison_levels=[
                    cll.NullLevel("place_sk"),
                    cll.ExactMatchLevel("place_sk"),
                    cll.JaroWinklerLevel("place_sk", 0.88),
                    cll.ElseLevel(),
                ],
            ),
            cl.LevenshteinAtThresholds("phone", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name_sk", "father_name_sk", "family_name_sk"),
            block_on("given_name_sk", "father_name_sk", "birth_year"),
            block_on("given_name_sk", "family_name_sk", "birth_year"),
            block_on("father_name_sk", "family_name_sk", "birth_year"),
            block_on("mother_name_sk", "given_name_sk", "birth_year"),
            block_on("given_name_sk", "family_name_sk", "mother_name_sk"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def run_splink(a, b, threads):
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    phases = []

    def phase(name):
        phases.append((name, time.perf_counter()))

    df_a = load_for_splink(a, "a")
    df_b = load_for_splink(b, "b")
    phase("read and clean (pandas, anyascii)")
    connection = duckdb.connect()
    connection.execute(f"SET threads TO {threads}")
    connection.execute("SET enable_progress_bar = false")
    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI(connection=connection)
    settings = splink_settings("link_only", ["given_name", "father_name", "family_name", "mother_name"])
    tables = [db_api.register(df_a, table_name="list_a"), db_api.register(df_b, table_name="list_b")]
    linker = Linker(tables, settings)
    phase("settings")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name_sk", "father_name_sk", "family_name_sk", "birth_year")], recall=0.6
    )
    phase("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    phase("u by random sampling")
    for rule in TRAINING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
        phase("m by EM, blocking on " + " and ".join(rule))
    predictions = linker.inference.predict(threshold_match_probability=0.1).as_pandas_dataframe()
    phase("predict")
    elapsed = time.perf_counter() - started
    last = started
    for name, at in phases:
        print(f"splink phase: {name}: {at - last:.1f} s", file=sys.stderr)
        last = at
    pairs = {}
    for row in predictions.itertuples():
        left, right = (row.unique_id_l, row.unique_id_r)
        if row.source_dataset_l != "a":
            left, right = right, left
        pairs[(left, right)] = float(row.match_probability)
    return pairs, elapsed


def at(pairs, threshold):
    return {k for k, p in pairs.items() if p >= threshold}


def one_to_one(pairs):
    """Best first, each record in at most one pair (both lists are free of duplicates): what
    `mamar link --one-to-one` does, applied to Splink's predictions."""
    taken_a, taken_b, kept = set(), set(), {}
    for (a, b), p in sorted(pairs.items(), key=lambda item: (-item[1], item[0])):
        if a not in taken_a and b not in taken_b:
            taken_a.add(a)
            taken_b.add(b)
            kept[(a, b)] = p
    return kept


THRESHOLDS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
# mamar writes pairs from its review threshold (the default, 0.5); Splink's predictions are
# kept from 0.1 (`threshold_match_probability` in run_splink).
MAMAR_REVIEW = 0.5
SPLINK_FLOOR = 0.1


def best(pairs, truth_a, truth_b, floor):
    """The threshold with the best F1, chosen with the truth (an upper bound for any user),
    among those at or above `floor`, the lowest probability the engine wrote pairs from."""
    results = [(score(at(pairs, t), truth_a, truth_b), t) for t in THRESHOLDS if t >= floor]
    return max(results, key=lambda r: r[0][2])


# --- Households: three lists with duplicates inside, brothers and cousins -----------------


def split_full_name(text):
    """What a user splitting a whole name by position would do: given, father, grandfather
    (with four parts or more), family last."""
    words = text.split() if isinstance(text, str) else []
    given = words[0] if words else ""
    family = words[-1] if len(words) >= 2 else ""
    father = words[1] if len(words) >= 3 else ""
    grandfather = words[2] if len(words) >= 4 else ""
    return given, father, grandfather, family


def load_households_for_splink(path, source):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "full_name" in df.columns:
        parts = df["full_name"].map(split_full_name)
        for i, column in enumerate(["given_name", "father_name", "grandfather_name", "family_name"]):
            df[column] = parts.map(lambda p, i=i: p[i])
    out = pd.DataFrame({"unique_id": df["id"], "source_dataset": source})
    names = ["given_name", "father_name", "grandfather_name", "family_name", "mother_name", "place"]
    for column in names:
        out[column] = df[column].map(clean_name)
    out["mother_name"] = out["mother_name"].map(first_word)
    for column in names:
        out[column + "_sk"] = out[column].map(skeleton)
    out["birth_year"] = df["birth_year"].map(clean_year).astype("Int64")
    out["phone"] = df["phone"].map(clean_phone)
    return out


def read_household_truth(path, source):
    with open(path, newline="", encoding="utf-8") as f:
        return {(source, row["id"]): (row["person_id"], row["household_id"]) for row in csv.DictReader(f)}


def cluster_scores(cluster_of, truth):
    """Pairwise precision, recall and F1 of a clustering (record -> cluster), and the pairs of
    brothers (same household, not the same person) put in one cluster."""
    from collections import Counter

    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    records = list(truth)
    clusters = [cluster_of.get(r, ("alone", r)) for r in records]
    predicted = pairs(Counter(clusters))
    true_pairs = pairs(Counter(truth[r][0] for r in records))
    tp = pairs(Counter((c, truth[r][0]) for c, r in zip(clusters, records)))
    same_household = pairs(Counter((c, truth[r][1]) for c, r in zip(clusters, records)))
    precision = tp / predicted if predicted else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    household_precision = tp / same_household if same_household else 0.0
    return precision, recall, f1, same_household - tp, household_precision


def union_find_clusters(pairs, threshold):
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for (a, b), p in pairs.items():
        if p >= threshold:
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    return {x: find(x) for x in list(parent)}


def run_mamar_households(work, paths, threads):
    out = os.path.join(work, "mamar-out")
    started = time.perf_counter()
    subprocess.run([MAMAR, "link", *paths, "--out", out, "--threads", str(threads), "--quiet"], check=True)
    elapsed = time.perf_counter() - started
    cluster_of = {}
    with open(os.path.join(out, "clusters.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cluster_of[(row["list"], row["id"])] = row["cluster"]
    return cluster_of, elapsed


def run_mamar_households_in_memory(persons, seed, threads):
    """`linkage_bench households` on the same lists (the same generator and seed), in memory:
    preparing and linking timed, reading and writing CSV files not (0.2-0.3 s at 200,000
    records). Returns its scores and time."""
    env = dict(os.environ)
    result = subprocess.run(
        [BENCH, "households", str(persons), str(threads)], check=True, capture_output=True, text=True, env=env
    )
    out = result.stdout
    scores = re.search(r"cluster pairs: precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+)", out)
    within = re.search(r"pairs within households: precision ([\d.]+) .*brother pairs joined (\d+)", out)
    seconds = float(re.search(r"total ([\d.]+)s", out).group(1))
    cpu = re.search(r"cpu ([\d.]+)s", out)
    precision, recall, f1 = (float(x) for x in scores.groups())
    scores = (precision, recall, f1, int(within.group(2)), float(within.group(1)))
    return scores, seconds, float(cpu.group(1)) if cpu else float("nan")


def run_splink_households(paths, threads):
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    cpu_started = time.process_time()
    frames = [load_households_for_splink(p, os.path.splitext(os.path.basename(p))[0]) for p in paths]
    connection = duckdb.connect()
    connection.execute(f"SET threads TO {threads}")
    connection.execute("SET enable_progress_bar = false")
    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI(connection=connection)
    settings = splink_settings(
        "link_and_dedupe", ["given_name", "father_name", "grandfather_name", "family_name", "mother_name"]
    )
    tables = [db_api.register(df, table_name=f"list_{i}") for i, df in enumerate(frames)]
    linker = Linker(tables, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name_sk", "father_name_sk", "family_name_sk", "birth_year")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in TRAINING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    predictions = linker.inference.predict(threshold_match_probability=0.1)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    # Processor time of all the process's threads (DuckDB's too), user and system.
    cpu = time.process_time() - cpu_started
    cluster_of = {(row.source_dataset, row.unique_id): row.cluster_id for row in clusters.itertuples()}
    pairs = {}
    for row in predictions.as_pandas_dataframe().itertuples():
        pairs[((row.source_dataset_l, row.unique_id_l), (row.source_dataset_r, row.unique_id_r))] = float(
            row.match_probability
        )
    return cluster_of, pairs, elapsed, cpu


def households_main(args):
    os.makedirs(args.work, exist_ok=True)
    subprocess.run([BENCH, "households-synth", str(args.persons), args.work, str(args.seed)], check=True)
    os.sync()
    paths = [os.path.join(args.work, f"list_{x}.csv") for x in "abc"]
    truth = {}
    for p in paths:
        truth.update(read_household_truth(p, os.path.splitext(os.path.basename(p))[0]))
    print(f"lists: {len(truth)} records in 3 lists; threads: {args.threads}; runs: {args.runs}")
    mamar_times, splink_times, loads = [], [], []
    mamar_cpu, splink_cpu = [], []
    mamar_clusters = splink_clusters = splink_pairs = None
    in_memory = args.mamar_in_memory or not os.path.exists(MAMAR)
    mamar_scores = None
    for run in range(args.runs):
        loads.append(os.getloadavg()[0])
        if in_memory:
            mamar_scores, seconds, cpu = run_mamar_households_in_memory(args.persons, args.seed, args.threads)
            mamar_cpu.append(cpu)
        else:
            clusters, seconds = run_mamar_households(args.work, paths, args.threads)
            mamar_clusters = mamar_clusters or clusters
        mamar_times.append(seconds)
        if not args.skip_splink:
            loads.append(os.getloadavg()[0])
            clusters, pairs, seconds, cpu = run_splink_households(paths, args.threads)
            splink_times.append(seconds)
            splink_cpu.append(cpu)
            if splink_clusters is None:
                splink_clusters, splink_pairs = clusters, pairs
        print(
            f"run {run + 1}: mamar {mamar_times[-1]:.2f} s"
            + (f", Splink {splink_times[-1]:.2f} s" if splink_times else ""),
            file=sys.stderr,
        )
    median = lambda xs: sorted(xs)[len(xs) // 2]
    mamar_time = median(mamar_times)
    print(f"mamar times: {', '.join(f'{t:.2f}' for t in mamar_times)} s (median {mamar_time:.2f} s)")
    if in_memory:
        rows = [("mamar (linkage_bench households, in memory, defaults)", mamar_scores, mamar_time)]
    else:
        rows = [("mamar link (defaults)", cluster_scores(mamar_clusters, truth), mamar_time)]
    if splink_times:
        splink_time = median(splink_times)
        print(f"Splink times: {', '.join(f'{t:.2f}' for t in splink_times)} s (median {splink_time:.2f} s)")
        print(f"mamar / Splink (medians): 1/{splink_time / mamar_time:.1f}")
        if mamar_cpu and splink_cpu:
            print(f"processor time (user + system, all threads): mamar {', '.join(f'{t:.2f}' for t in mamar_cpu)} s, "
                  f"Splink {', '.join(f'{t:.2f}' for t in splink_cpu)} s; "
                  f"medians 1/{median(splink_cpu) / median(mamar_cpu):.1f}")
        rows.append(("Splink, clusters at p >= 0.9", cluster_scores(splink_clusters, truth), splink_time))
        best_row = max(
            ((t, cluster_scores(union_find_clusters(splink_pairs, t), truth)) for t in THRESHOLDS),
            key=lambda r: r[1][2],
        )
        rows.append((f"Splink, best threshold ({best_row[0]})", best_row[1], splink_time))
    print(f"load average (1 min) before each engine: {', '.join(f'{l:.2f}' for l in loads)}")
    print()
    print("| engine | precision | recall | F1 | brother pairs joined | precision within households | wall time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (precision, recall, f1, brothers, within), seconds in rows:
        print(f"| {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} | {brothers} | {within:.4f} | {seconds:.1f} s |")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=160000)
    parser.add_argument("--coverage", type=float, default=0.625)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default="/tmp/linkage-compare")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="runs of both engines, back to back; median times")
    parser.add_argument(
        "--households",
        action="store_true",
        help="three lists with duplicates inside, from people in households (--persons people)",
    )
    parser.add_argument(
        "--mamar-in-memory",
        action="store_true",
        help="with --households: time mamar by `linkage_bench households` (no CSV files) instead of `mamar link`",
    )
    args = parser.parse_args()
    if args.households:
        households_main(args)
        return

    os.makedirs(args.work, exist_ok=True)
    subprocess.run(
        [BENCH, "synth", str(args.persons), str(args.coverage), args.work, str(args.seed)], check=True
    )
    # The lists on disk before either engine starts (else the first run of mamar, which syncs
    # its output files, also waits for the generator's files to be written out).
    os.sync()
    a, b = os.path.join(args.work, "list_a.csv"), os.path.join(args.work, "list_b.csv")
    truth_a, truth_b = read_truth(a), read_truth(b)
    print(f"lists: {len(truth_a)} and {len(truth_b)} records; threads: {args.threads}; runs: {args.runs}")

    # Each run: mamar, then Splink, back to back under the same load; times are medians over
    # the runs (both engines are deterministic: the pairs are those of the first run).
    mamar_times, splink_times, loads = [], [], []
    mamar_cpu, splink_cpu = [], []
    mamar_pairs = accepted = splink_pairs = None
    for run in range(args.runs):
        loads.append(os.getloadavg()[0])
        pairs, acc, seconds = run_mamar(args.work, a, b, args.threads)
        mamar_times.append(seconds)
        if mamar_pairs is None:
            mamar_pairs, accepted = pairs, acc
        if not args.skip_splink:
            loads.append(os.getloadavg()[0])
            pairs, seconds = run_splink(a, b, args.threads)
            splink_times.append(seconds)
            if splink_pairs is None:
                splink_pairs = pairs
        print(
            f"run {run + 1}: mamar {mamar_times[-1]:.2f} s"
            + (f", Splink {splink_times[-1]:.2f} s" if splink_times else "")
            + f"; load average {loads[0 if run == 0 else -2]:.2f}",
            file=sys.stderr,
        )
    median = lambda xs: sorted(xs)[len(xs) // 2]
    mamar_time = median(mamar_times)
    print(f"mamar times: {', '.join(f'{t:.2f}' for t in mamar_times)} s (median {mamar_time:.2f} s)")
    if splink_times:
        splink_time = median(splink_times)
        print(f"Splink times: {', '.join(f'{t:.2f}' for t in splink_times)} s (median {splink_time:.2f} s)")
        print(f"mamar / Splink (medians): 1/{splink_time / mamar_time:.1f}")
        if mamar_cpu and splink_cpu:
            print(f"processor time (user + system, all threads): mamar {', '.join(f'{t:.2f}' for t in mamar_cpu)} s, "
                  f"Splink {', '.join(f'{t:.2f}' for t in splink_cpu)} s; "
                  f"medians 1/{median(splink_cpu) / median(mamar_cpu):.1f}")
    print(f"load average (1 min) before each engine: {', '.join(f'{l:.2f}' for l in loads)}")

    rows = []
    rows.append(("mamar link --one-to-one: accepted band (p >= 0.9)", score(accepted, truth_a, truth_b), mamar_time))
    (best_mamar, t) = best(mamar_pairs, truth_a, truth_b, MAMAR_REVIEW)
    rows.append((f"mamar link --one-to-one: best threshold ({t})", best_mamar, mamar_time))
    if not args.skip_splink:
        started = time.perf_counter()
        single = one_to_one(splink_pairs)
        single_time = splink_time + time.perf_counter() - started
        rows.append(("Splink: p >= 0.9", score(at(splink_pairs, 0.9), truth_a, truth_b), splink_time))
        (best_splink, t) = best(splink_pairs, truth_a, truth_b, SPLINK_FLOOR)
        rows.append((f"Splink: best threshold ({t})", best_splink, splink_time))
        rows.append(("Splink + one-to-one: p >= 0.9", score(at(single, 0.9), truth_a, truth_b), single_time))
        (best_single, t) = best(single, truth_a, truth_b, SPLINK_FLOOR)
        rows.append((f"Splink + one-to-one: best threshold ({t})", best_single, single_time))

    print()
    print("| engine | precision | recall | F1 | pairs | true pairs | wall time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (precision, recall, f1, n, true_pairs), seconds in rows:
        print(f"| {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} | {n} | {true_pairs} | {seconds:.1f} s |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
