//! `mamar clk total` as three partner organisations and an analyst run it: each encodes its own
//! list of people with the shared secret and a stratum column, only the files of encodings are
//! exchanged, and the analyst gets the documented count and the estimated total per stratum.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mamar_linkage::synth::{ListSpec, generate};

use crate::support::{mamar, run};

/// Writes each organisation's list of people (soldiers and officers) as the CSV `mamar clk
/// encode` reads; returns the files and the true number of people.
fn three_lists(dir: &Path) -> (Vec<PathBuf>, BTreeSet<String>, u64) {
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut names = BTreeSet::new();
    let mut people = 0u64;
    for (stratum, size, coverage, seed) in [
        ("soldier", 900usize, [0.4, 0.3, 0.35], 11u64),
        ("officer", 300, [0.55, 0.45, 0.4], 12),
    ] {
        people += size as u64;
        let specs: Vec<ListSpec> = ["a", "b", "c"]
            .iter()
            .zip(coverage)
            .zip([0.9, 0.5, 0.2])
            .map(|((name, coverage), arabic)| ListSpec {
                name: (*name).into(),
                coverage,
                arabic,
                duplicates: 0.0,
                noise: 0.5,
                full_name: false,
            })
            .collect();
        for (list, records) in generate(size, &specs, seed).into_iter().enumerate() {
            for record in records {
                let i = &record.input;
                names.insert(i.family.clone());
                let fields = [
                    format!("{stratum}-{}", record.id),
                    i.given.clone(),
                    i.father.clone(),
                    i.family.clone(),
                    i.mother.clone(),
                    i.birth_year.clone(),
                    i.place.clone(),
                    i.phone.clone(),
                    stratum.to_owned(),
                ];
                let line: Vec<String> = fields
                    .iter()
                    .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
                    .collect();
                rows[list].push(line.join(","));
            }
        }
    }
    let files = rows
        .iter()
        .zip(["org_a", "org_b", "org_c"])
        .map(|(lines, name)| {
            let path = dir.join(format!("{name}-people.csv"));
            let text = format!(
                "id,given_name,father_name,family_name,mother_name,birth_year,place,phone,rank_class\n{}\n",
                lines.join("\n")
            );
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    names.retain(|n| n.chars().count() > 3);
    (files, names, people)
}

#[test]
fn three_partners_exchange_encodings_and_get_the_total_per_stratum() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("clk.secret");
    std::fs::write(&secret, "shared by the three partners, never sent\n").unwrap();
    let (people_files, family_names, truth) = three_lists(dir.path());
    let mut encoded = Vec::new();
    for (input, name) in people_files.iter().zip(["org_a", "org_b", "org_c"]) {
        let out = dir.path().join(format!("{name}.csv"));
        let output = run(mamar()
            .args([
                "clk",
                "encode",
                "--quiet",
                "--strata",
                "rank_class",
                "--secret-file",
            ])
            .arg(&secret)
            .arg("--out")
            .arg(&out)
            .arg(input));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // What travels: ids, encodings, the scheme and the stratum; no name.
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("id,clk,scheme,rank_class\n"), "{}", &text[..80]);
        assert!(text.contains(",officer\n") && text.contains(",soldier\n"));
        for family in &family_names {
            assert!(
                !text.contains(family.as_str()),
                "{family} is in the exchanged file"
            );
        }
        encoded.push(out);
    }

    let output = run(mamar()
        .args(["clk", "total", "--strata", "rank_class", "--bootstrap", "100"])
        .args(&encoded));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "rank_class=officer",
        "rank_class=soldier",
        "(all strata pooled)",
        "documented",
        "estimated total",
        "95% interval",
        "a lower bound",
        "Assumptions:",
        "Closed population",
    ] {
        assert!(stdout.contains(expected), "{expected:?} missing:\n{stdout}");
    }

    let output = run(mamar()
        .args([
            "clk",
            "total",
            "--strata",
            "rank_class",
            "--bootstrap",
            "100",
            "--format",
            "json",
        ])
        .args(&encoded));
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let strata = report["strata"].as_array().unwrap();
    assert_eq!(strata.len(), 3);
    let pooled = &strata[2];
    assert_eq!(pooled["pooled"], true);
    let documented = pooled["documented"].as_f64().unwrap();
    let estimate = &pooled["estimate"];
    let (total, lower, upper) = (
        estimate["total"].as_f64().unwrap(),
        estimate["lower"].as_f64().unwrap(),
        estimate["upper"].as_f64().unwrap(),
    );
    // The documented number is a lower bound; the estimate goes beyond it, and the interval
    // holds the true number of people.
    assert!(
        documented < total && documented < truth as f64,
        "{documented} {total} {truth}"
    );
    assert!(
        lower <= truth as f64 && truth as f64 <= upper,
        "{truth} not in {lower}–{upper}"
    );
}

#[test]
fn a_missing_stratum_column_or_a_single_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let clk = "id,clk,scheme\n1,AAAAAAAAAAA=,mamar-clk-v1;bits=64;hardening=none;salt=none\n";
    let (a, b) = (dir.path().join("org_a.csv"), dir.path().join("org_b.csv"));
    std::fs::write(&a, clk).unwrap();
    std::fs::write(&b, clk).unwrap();
    let output = run(mamar()
        .args(["clk", "total", "--strata", "period"])
        .arg(&a)
        .arg(&b));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr.trim(),
        "mamar: org_a has no column \"period\"; its stratum columns are: none"
    );
    let output = run(mamar().args(["clk", "total"]).arg(&a));
    assert!(!output.status.success());
}
