#!/usr/bin/env python3
"""Runs mamar's linkage engine and Splink on the same generated lists, in the same run,
and prints precision, recall, F1 and wall time for both (Markdown, for BENCHMARKS.md).

Usage (from the repository root):

    python3 -m venv /tmp/venv-linkage
    /tmp/venv-linkage/bin/pip install splink==5.0.0 pandas
    cargo build --release -p mamar -p mamar-linkage --example linkage_bench
    /tmp/venv-linkage/bin/python crates/mamar-linkage/scripts/compare_splink.py \
        --persons 160000 --coverage 0.625 --work /tmp/linkage-compare

It generates two lists with the Rust generator (`linkage_bench synth`: about 100,000
records each, list A mostly in Arabic script, list B mostly in Latin letters, person_id the
truth), links them with `mamar link` and with Splink (DuckDB backend), and scores each
engine's matched pairs against the truth. `--skip-splink` runs only mamar (for the
1,000,000-record run). The engines never see `person_id`.

The Splink model is what a competent user would build from the Splink documentation: the
same cleaning any user would do first (lower case, the article and punctuation removed,
Arabic-Indic digits as ASCII, phone numbers as their last nine digits), Jaro-Winkler name
comparisons with term-frequency adjustments, a birth-year comparison with +/-1 and +/-3,
exact place and phone; u by random sampling, the prior from a deterministic rule, m by EM
sessions on two blocking rules; predictions on the same kinds of blocking rules mamar uses.
"""

import argparse
import csv
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
    pairs = {}
    with open(os.path.join(out, "pairs.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pairs[(row["id_a"], row["id_b"])] = float(row["probability"])
    return pairs, elapsed


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def clean_name(text):
    if not isinstance(text, str) or not text.strip():
        return None
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"['`’ʿʾ]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = [w for w in text.split() if w not in ("al", "el", "ال")]
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    return " ".join(words) or None


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
    out["birth_year"] = df["birth_year"].map(clean_year).astype("Int64")
    out["phone"] = df["phone"].map(clean_phone)
    return out


def run_splink(a, b, threads):
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    df_a = load_for_splink(a, "a")
    df_b = load_for_splink(b, "b")
    connection = duckdb.connect()
    connection.execute(f"SET threads TO {threads}")
    db_api = DuckDBAPI(connection=connection)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("father_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("mother_name"),
            cl.AbsoluteDifferenceAtThresholds("birth_year", [1, 3])
            if hasattr(cl, "AbsoluteDifferenceAtThresholds")
            else cl.ExactMatch("birth_year"),
            cl.ExactMatch("place"),
            cl.LevenshteinAtThresholds("phone", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "father_name", "family_name"),
            block_on("family_name", "birth_year"),
            block_on("given_name", "father_name", "birth_year"),
            block_on("mother_name", "birth_year"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    tables = [db_api.register(df_a, table_name="list_a"), db_api.register(df_b, table_name="list_b")]
    linker = Linker(tables, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "father_name", "family_name", "birth_year")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year", "phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_year", "place", "mother_name"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    pairs = {}
    for row in predictions.itertuples():
        left, right = (row.unique_id_l, row.unique_id_r)
        if row.source_dataset_l != "a":
            left, right = right, left
        pairs[(left, right)] = float(row.match_probability)
    return pairs, elapsed


def at(pairs, threshold):
    return {k for k, p in pairs.items() if p >= threshold}


def best(pairs, truth_a, truth_b):
    results = [(score(at(pairs, t), truth_a, truth_b), t) for t in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)]
    return max(results, key=lambda r: r[0][2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=160000)
    parser.add_argument("--coverage", type=float, default=0.625)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default="/tmp/linkage-compare")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-splink", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    subprocess.run(
        [BENCH, "synth", str(args.persons), str(args.coverage), args.work, str(args.seed)], check=True
    )
    a, b = os.path.join(args.work, "list_a.csv"), os.path.join(args.work, "list_b.csv")
    truth_a, truth_b = read_truth(a), read_truth(b)
    print(f"lists: {len(truth_a)} and {len(truth_b)} records; threads: {args.threads}")

    rows = []
    mamar_pairs, mamar_time = run_mamar(args.work, a, b, args.threads)
    rows.append(("mamar link (accepted, p >= 0.95)", score(at(mamar_pairs, 0.95), truth_a, truth_b), mamar_time))
    (best_mamar, t) = best(mamar_pairs, truth_a, truth_b)
    rows.append((f"mamar link, best threshold ({t})", best_mamar, mamar_time))
    if not args.skip_splink:
        splink_pairs, splink_time = run_splink(a, b, args.threads)
        rows.append(("Splink 5 + DuckDB (p >= 0.5)", score(at(splink_pairs, 0.5), truth_a, truth_b), splink_time))
        rows.append(("Splink 5 + DuckDB (p >= 0.95)", score(at(splink_pairs, 0.95), truth_a, truth_b), splink_time))
        (best_splink, t) = best(splink_pairs, truth_a, truth_b)
        rows.append((f"Splink, best threshold ({t})", best_splink, splink_time))

    print()
    print("| engine | precision | recall | F1 | pairs | true pairs | wall time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (precision, recall, f1, n, true_pairs), seconds in rows:
        print(f"| {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} | {n} | {true_pairs} | {seconds:.1f} s |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
