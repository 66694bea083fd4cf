//! `mamar estimate` as a user runs it: files in, tables, JSON and CSV out, clear errors.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub(crate) const UK_NRM_2013: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mamar-stats/tests/fixtures/uk-nrm-2013.csv"
);

/// A small three-list table with clear overlaps.
pub(crate) const THREE_LISTS: &str =
    "A,B,C,count\n1,0,0,120\n0,1,0,90\n0,0,1,80\n1,1,0,30\n1,0,1,25\n0,1,1,20\n1,1,1,6\n";

/// LCMCR held to 20 sweeps per chain: it cannot converge, whatever the machine.
pub(crate) const CHAINS_CUT_SHORT: [&str; 8] = [
    "--burn-in",
    "0",
    "--samples",
    "20",
    "--thin",
    "1",
    "--max-sweeps",
    "20",
];

pub(crate) fn mamar(args: &[&str]) -> Output {
    mamar_in("C.UTF-8", args)
}

/// `mamar estimate` in a terminal whose language is `lang`: the plot's labels follow it unless
/// --lang says otherwise.
fn mamar_in(lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mamar"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .arg("estimate")
        .args(args)
        .output()
        .expect("the mamar binary runs")
}

pub(crate) fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "mamar failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Runs on a file that must be refused; returns the one-line error.
fn refused(contents: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.csv", contents);
    let mut args = vec![path.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--model", "independence"]);
    let output = mamar(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!output.status.success(), "accepted: {contents:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "printed a result for bad input");
    stderr
}

#[test]
fn the_uk_table_gets_a_ranked_aic_choice_in_the_published_range() {
    let json: Value = serde_json::from_str(&stdout(&mamar(&[UK_NRM_2013, "--format", "json"]))).unwrap();
    assert_eq!(json["lists"].as_array().unwrap().len(), 6);
    let stratum = &json["strata"][0];
    assert_eq!(stratum["documented"], 2744);
    assert_eq!(stratum["kind"], "selection");
    assert_eq!(stratum["search"], "exhaustive");
    let ranked = stratum["ranked"].as_array().unwrap();
    assert_eq!(ranked.len(), 5, "the chosen model and four competitors");
    let total = ranked[0]["total"].as_f64().unwrap();
    assert!((10_000.0..=13_000.0).contains(&total), "{total}");
    let interval = &ranked[0]["interval"];
    assert!(interval["lower"].as_f64().unwrap() < total);
    assert!(interval["upper"].as_f64().unwrap() > total);
    assert_eq!(
        ranked[0]["total"].as_f64().unwrap() - ranked[0]["unseen"].as_f64().unwrap(),
        2744.0
    );
}

#[test]
fn the_readable_table_shows_documented_and_estimated_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "three.csv", THREE_LISTS);
    let text = stdout(&mamar(&[path.to_str().unwrap()]));
    assert!(
        text.contains("Documented (on at least one list, counted): 371"),
        "{text}"
    );
    assert!(text.contains("Chosen:"), "{text}");
    assert!(text.contains("95% interval"), "{text}");
    assert!(text.contains("rank"), "{text}");
}

#[test]
fn a_chosen_model_is_fitted_and_an_impossible_one_gets_no_number() {
    let fitted = stdout(&mamar(&[UK_NRM_2013, "--model", "LA:NG,PF:GO"]));
    assert!(fitted.contains("LA:NG + PF:GO"), "{fitted}");
    assert!(fitted.contains("profile-likelihood interval"), "{fitted}");
    let output = mamar(&[UK_NRM_2013, "--model", "LA:GP"]);
    assert_eq!(output.status.code(), Some(2), "no estimate: the status says so");
    let refused = String::from_utf8(output.stdout).unwrap();
    assert!(refused.contains("no estimate"), "{refused}");
    assert!(refused.contains("LA:GP"), "{refused}");
    assert!(!refused.contains("unseen"), "{refused}");
}

#[test]
fn strata_are_estimated_separately_and_pooled() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = String::from("year,A,B,C,count\n");
    for (year, scale) in [("2013", 1), ("2014", 2)] {
        for line in THREE_LISTS.lines().skip(1) {
            let (pattern, count) = line.rsplit_once(',').unwrap();
            let count: u64 = count.parse().unwrap();
            contents.push_str(&format!("{year},{pattern},{}\n", count * scale));
        }
    }
    let path = write(dir.path(), "strata.csv", &contents);
    let path = path.to_str().unwrap();
    let json: Value = serde_json::from_str(&stdout(&mamar(&[
        path,
        "--strata",
        "year",
        "--format",
        "json",
        "--model",
        "independence",
    ])))
    .unwrap();
    let strata = json["strata"].as_array().unwrap();
    assert_eq!(strata.len(), 3);
    assert_eq!(strata[0]["stratum"][0], serde_json::json!(["year", "2013"]));
    assert_eq!(strata[0]["documented"], 371);
    assert_eq!(strata[1]["documented"], 742);
    assert_eq!(strata[2]["documented"], 1113);
    // Doubling every count doubles the independence estimate.
    let total = |i: usize| strata[i]["total"].as_f64().unwrap();
    assert!((total(1) - 2.0 * total(0)).abs() < 1e-6 * total(1));

    let csv = stdout(&mamar(&[
        path,
        "--strata",
        "year",
        "--format",
        "csv",
        "--model",
        "independence",
    ]));
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("year,documented,method,"));
    assert!(lines.next().unwrap().starts_with("2013,371,loglinear,"));
    assert!(lines.next().unwrap().starts_with("2014,742,loglinear,"));
    assert!(lines.next().unwrap().starts_with("(all),1113,loglinear,"));

    let table = stdout(&mamar(&[path, "--strata", "year", "--model", "independence"]));
    assert!(table.contains("== year = 2014 =="), "{table}");
    assert!(table.contains("(all strata pooled)"), "{table}");
}

#[test]
fn lcmcr_is_reproducible_and_reports_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "three.csv", THREE_LISTS);
    let args = [
        path.to_str().unwrap(),
        "--method",
        "lcmcr",
        "--chains",
        "2",
        "--burn-in",
        "200",
        "--samples",
        "200",
        "--thin",
        "1",
        "--seed",
        "9",
        "--format",
        "json",
    ];
    let first = stdout(&mamar(&args));
    assert_eq!(
        first,
        stdout(&mamar(&args)),
        "the same seed must give the same answer"
    );
    let json: Value = serde_json::from_str(&first).unwrap();
    let stratum = &json["strata"][0];
    assert_eq!(stratum["kind"], "lcmcr");
    assert_eq!(stratum["documented"], 371);
    let median = stratum["median"].as_f64().unwrap();
    assert!(median > 371.0);
    assert!(stratum["interval"]["lower"].as_f64().unwrap() <= median);
    assert!(stratum["rhat"].as_f64().is_some());
    assert!(stratum["ess"].as_f64().is_some());

    assert_eq!(stratum["options"]["collapsed_moves"], true);
    // Three lists: the user is told that the total leans on the prior.
    assert!(
        stratum["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("leans on the prior")),
        "{stratum}"
    );

    let text = stdout(&mamar(&args[..args.len() - 2]));
    assert!(text.contains("R-hat"), "{text}");
    assert!(text.contains("credible interval"), "{text}");

    // The R package's sampler on request: another chain, said so in the output.
    let plain = stdout(&mamar(&[&args[..args.len() - 2], &["--plain-gibbs"]].concat()));
    assert!(plain.contains("plain Gibbs"), "{plain}");
    assert_ne!(plain, text);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamar"))
        .args(["estimate", "-", "--model", "independence", "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(THREE_LISTS.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(stdout(&output).contains("371,loglinear"));
}

#[test]
fn malformed_input_is_refused_with_the_line_named() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "A,B,count\n1,0,5\n0,2,3\n",
            &[],
            "line 3, column B: expected 0 or 1, found \"2\"",
        ),
        (
            "A,B,count\n1,0,5\n0,1,-3\n",
            &[],
            "line 3, column count: a count cannot be negative",
        ),
        (
            "A,B,count\n1,0,2.5\n",
            &[],
            "line 2, column count: a count must be a whole number",
        ),
        (
            "A,B,count\n1,0,x\n",
            &[],
            "line 2, column count: expected a whole number",
        ),
        (
            "A,B,count\n1,0,5\n0,1,3\n1,0,4\n",
            &[],
            "line 4: this pattern was already given on line 2",
        ),
        (
            "A,B,count\n1,0,5\n0,0,3\n",
            &[],
            "line 3: the pattern with every list 0",
        ),
        ("A,count\n1,5\n", &[], "at least two lists"),
        ("A,B,n\n1,0,5\n", &[], "no `count` column"),
        (
            "A,B,count\n1,0,5\n0,1\n",
            &[],
            "line 3: expected 3 fields as in the header, found 2",
        ),
        (
            "A,B,count\n1,0,5\n",
            &["--strata", "year"],
            "no stratum column `year`",
        ),
        ("A,B,count\n", &[], "no data lines"),
        ("", &[], "empty"),
    ];
    for (contents, extra, expected) in cases {
        let stderr = refused(contents, extra);
        assert!(
            stderr.contains(expected),
            "for {contents:?} expected {expected:?}, got {stderr}"
        );
        assert!(stderr.contains("bad.csv"), "the file is named: {stderr}");
    }
}

#[test]
fn bad_options_are_refused_before_any_work() {
    let output = mamar(&[UK_NRM_2013, "--model", "LA:XX"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown list \"XX\""));
    let output = mamar(&[UK_NRM_2013, "--level", "1.5"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("between 0 and 1"));
    let output = mamar(&[UK_NRM_2013, "--method", "lcmcr", "--chains", "0"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("chains"));
}

#[test]
fn the_bootstrap_gives_an_interval_that_allows_for_the_choice_of_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "three.csv", THREE_LISTS);
    let path = path.to_str().unwrap();
    let run = |seed: &str| {
        let output = stdout(&mamar(&[
            path,
            "--bootstrap",
            "200",
            "--seed",
            seed,
            "--format",
            "json",
        ]));
        serde_json::from_str::<Value>(&output).unwrap()["strata"][0].clone()
    };
    let first = run("4");
    let bootstrap = &first["bootstrap"];
    assert_eq!(bootstrap["replicates"], 200);
    let (lower, upper) = (
        bootstrap["lower"].as_f64().unwrap(),
        bootstrap["upper"].as_f64().unwrap(),
    );
    let total = first["ranked"][0]["total"].as_f64().unwrap();
    assert!(lower < total && total < upper, "{bootstrap}");
    assert!(lower >= 371.0, "never below the people documented: {bootstrap}");
    // The interval joins the bootstrap's percentile interval with the chosen model's own.
    let profile = &first["ranked"][0]["interval"];
    let percentile = (
        bootstrap["percentile_lower"].as_f64().unwrap(),
        bootstrap["percentile_upper"].as_f64().unwrap(),
    );
    assert_eq!(
        lower,
        percentile.0.min(profile["lower"].as_f64().unwrap()),
        "{first}"
    );
    assert_eq!(
        upper,
        percentile.1.max(profile["upper"].as_f64().unwrap()),
        "{first}"
    );
    assert_eq!(run("4"), first, "the same seed gives the same interval");
    assert_ne!(run("5")["bootstrap"], first["bootstrap"]);

    let text = stdout(&mamar(&[path, "--bootstrap", "200"]));
    assert!(
        text.contains("95% interval allowing for the choice of model")
            && text.contains("the profile-likelihood interval joined with the bootstrap's"),
        "{text}"
    );
    // Up to five lists the bootstrap is the default; --bootstrap 0 turns it off, and six lists
    // do without it unless asked.
    assert_eq!(stdout(&mamar(&[path])), text, "the default is --bootstrap 200");
    let plain = stdout(&mamar(&[path, "--bootstrap", "0"]));
    assert!(
        plain.contains("--bootstrap 200 gives one that allows for the choice"),
        "{plain}"
    );
    let six = stdout(&mamar(&[UK_NRM_2013]));
    assert!(six.contains("--bootstrap 200 gives one"), "{six}");
    let csv = stdout(&mamar(&[path, "--bootstrap", "200", "--format", "csv"]));
    assert!(
        csv.lines()
            .any(|line| line.starts_with("371,loglinear-bootstrap,1,")),
        "{csv}"
    );

    for (extra, expected) in [
        (&["--bootstrap", "10"][..], "0 (none) or between 50 and 100000"),
        (
            &["--bootstrap", "200", "--model", "independence"][..],
            "without --model",
        ),
        (
            &["--bootstrap", "200", "--method", "lcmcr"][..],
            "--bootstrap is not an option of --method lcmcr",
        ),
    ] {
        let output = mamar(&[&[path][..], extra].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains(expected),
            "{extra:?}: {stderr}"
        );
    }
}

/// Runs and returns the exit status and the report printed.
pub(crate) fn report(args: &[&str]) -> (Option<i32>, String) {
    let output = mamar(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code(), String::from_utf8(output.stdout).unwrap())
}

const METHODS: [&str; 6] = ["loglinear", "lcmcr", "dga", "chapman", "chao", "heterogeneity"];

#[test]
fn lists_that_never_overlap_are_refused_by_every_method_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let apart = write(
        dir.path(),
        "apart.csv",
        "A,B,C,count\n1,0,0,50\n0,1,0,40\n0,0,1,30\n",
    );
    let two_groups = write(
        dir.path(),
        "groups.csv",
        "A,B,C,D,count\n1,0,0,0,50\n0,1,0,0,40\n1,1,0,0,10\n0,0,1,0,30\n0,0,0,1,20\n0,0,1,1,5\n",
    );
    for (path, reason) in [
        (&apart, "no person is on more than one list"),
        (&two_groups, "the lists A, B never overlap the lists C, D"),
    ] {
        for method in METHODS {
            assert_refused(&[path.to_str().unwrap(), "--method", method], reason);
        }
    }
}

/// The command refuses to give a total, with `reason`, in the table, JSON and CSV, and exits 2.
fn assert_refused(args: &[&str], reason: &str) {
    let (status, table) = report(args);
    assert_eq!(status, Some(2), "{args:?}: {table}");
    assert!(table.contains("no estimate"), "{args:?}: {table}");
    assert!(table.contains(reason), "{args:?}: {table}");
    assert!(!table.contains("unseen"), "{args:?} printed a total: {table}");

    let (status, json) = report(&[args, &["--format", "json"]].concat());
    assert_eq!(status, Some(2));
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["strata"][0]["kind"], "no_estimate", "{args:?}");
    assert!(json["strata"][0]["reason"].as_str().unwrap().contains(reason));
    assert!(json["strata"][0].get("median").is_none() && json["strata"][0].get("total").is_none());

    let (status, csv) = report(&[args, &["--format", "csv"]].concat());
    assert_eq!(status, Some(2));
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(&format!("no estimate: {reason}")), "{args:?}: {csv}");
    let total_column = csv
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "total")
        .unwrap();
    assert_eq!(row.split(',').nth(total_column), Some(""), "{csv}");
}

#[test]
fn latent_classes_on_two_lists_are_refused_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let two = write(dir.path(), "two.csv", "A,B,count\n1,0,40\n0,1,30\n1,1,20\n");
    let two = two.to_str().unwrap();
    assert_refused(
        &[two, "--method", "lcmcr"],
        "with 2 lists the latent classes cannot be identified",
    );
    // One class is the independence model, which two lists identify.
    let (status, table) = report(&[
        two,
        "--method",
        "lcmcr",
        "--classes",
        "1",
        "--max-sweeps",
        "100000",
    ]);
    assert_eq!(status, Some(0), "{table}");
    assert!(table.contains("total"), "{table}");
}

#[test]
fn options_of_another_method_are_errors() {
    for (args, expected) in [
        (
            &["--method", "lcmcr", "--model", "independence"][..],
            "--model is not an option of --method lcmcr",
        ),
        (
            &["--method", "dga", "--chains", "3", "--burn-in", "5"][..],
            "--chains, --burn-in are not options",
        ),
        (
            &["--delta", "0.5"][..],
            "--delta is not an option of --method loglinear",
        ),
        (
            &["--method", "chapman", "--criterion", "bic"][..],
            "--criterion is not an option of --method chapman",
        ),
    ] {
        let output = mamar(&[&[UK_NRM_2013][..], args].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn a_two_list_table_ranks_independence_once_and_says_one_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two.csv", "A,B,count\n1,0,40\n0,1,30\n1,1,20\n");
    let file = path.to_str().unwrap();
    let (status, table) = report(&[file]);
    assert_eq!(status, Some(0));
    assert!(table.contains("1 model with an estimate"), "{table}");
    assert_eq!(table.matches("  independence").count(), 1, "{table}");
    let (_, json) = report(&[file, "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let ranked = json["strata"][0]["ranked"].as_array().unwrap();
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0]["weight"], 1.0);
    let (_, csv) = report(&[file, "--format", "csv"]);
    assert_eq!(csv.matches(",loglinear,").count(), 1, "{csv}");
    // Lincoln–Petersen with Chapman's correction: 61 × 51 / 21 − 1 = 147.1.
    let (status, chapman) = report(&[file, "--method", "chapman"]);
    assert_eq!(status, Some(0));
    assert!(chapman.contains("total  147"), "{chapman}");
}

#[test]
fn a_header_of_fifty_megabytes_of_commas_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commas.csv");
    std::fs::write(&path, ",".repeat(50 * 1024 * 1024)).unwrap();
    let output = mamar(&[path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("line 1: longer than 64 KiB"), "{stderr}");
    assert!(!stderr.contains("empty"), "{stderr}");
    let wide = format!("{}count\n", "L,".repeat(100));
    let path = write(dir.path(), "wide.csv", &wide);
    let stderr = String::from_utf8_lossy(&mamar(&[path.to_str().unwrap()]).stderr).to_string();
    assert!(stderr.contains("101 columns; at most 64"), "{stderr}");
}

#[test]
fn lcmcr_without_agreement_prints_no_total_in_any_format() {
    let args = [&[UK_NRM_2013, "--method", "lcmcr"][..], &CHAINS_CUT_SHORT[..]].concat();
    let (status, table) = report(&args);
    assert_eq!(status, Some(2));
    assert!(table.contains("LCMCR did not converge"), "{table}");
    assert!(table.contains("--max-sweeps 20"), "{table}");
    assert!(table.contains("chain 4: median"), "{table}");
    assert!(table.contains("What to try"), "{table}");
    assert!(!table.contains("unseen") && !table.contains("total  "), "{table}");
    let (status, json) = report(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(status, Some(2));
    let json: Value = serde_json::from_str(&json).unwrap();
    let stratum = &json["strata"][0];
    assert_eq!(stratum["kind"], "not_converged");
    assert_eq!(stratum["chains"].as_array().unwrap().len(), 4);
    assert!(stratum.get("median").is_none());
    let (status, csv) = report(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(status, Some(2));
    assert!(csv.contains("no estimate: did not converge"), "{csv}");
}

#[test]
fn dga_averages_over_the_graphs_and_matches_the_r_package() {
    let my = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mamar-stats/tests/fixtures/madigan-york-5.csv"
    );
    let (status, table) = report(&[my, "--method", "dga", "--max-unseen", "300"]);
    assert_eq!(status, Some(0));
    // The R package dga 2.0.2, bma.cr with Nmissing 0:300: median 618, 590 – 656.
    assert!(
        table.contains("total  618 (posterior median; 95% credible interval 590 – 656)"),
        "{table}"
    );
    assert!(table.contains("822 decomposable graphical models"), "{table}");
    let (_, json) = report(&[my, "--method", "dga", "--max-unseen", "300", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["strata"][0]["kind"], "dga");
    assert_eq!(json["strata"][0]["median"], 618.0);
    let (_, csv) = report(&[my, "--method", "dga", "--max-unseen", "300", "--format", "csv"]);
    assert!(
        csv.lines().nth(1).unwrap().contains("dga,,average over 822"),
        "{csv}"
    );
    // Six lists: refused with the reason.
    let (status, six) = report(&[UK_NRM_2013, "--method", "dga"]);
    assert_eq!(status, Some(2));
    assert!(six.contains("3 to 5 lists; this table has 6"), "{six}");
}

#[test]
fn the_p_value_rule_of_sparsemse_is_offered_beside_aic_and_bic() {
    let (status, table) = report(&[UK_NRM_2013, "--criterion", "p-value"]);
    assert_eq!(status, Some(0));
    assert!(table.contains("p-value stepwise rule of SparseMSE"), "{table}");
    assert!(table.contains("added: PF:NCA"), "{table}");
    assert!(table.contains("total  11,418"), "{table}");
    let (_, json) = report(&[UK_NRM_2013, "--criterion", "p-value", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["strata"][0]["kind"], "p_value");
    assert_eq!(json["strata"][0]["steps"].as_array().unwrap().len(), 7);
    let (_, csv) = report(&[UK_NRM_2013, "--criterion", "p-value", "--format", "csv"]);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("2744,loglinear-pvalue,1,"),
        "{csv}"
    );
}

#[test]
fn a_plot_draws_the_intervals_the_posterior_or_the_chains() {
    let dir = tempfile::tempdir().unwrap();
    let kosovo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mamar-stats/tests/fixtures/kosovo.csv"
    );
    let svg_of = |args: &[&str], name: &str| {
        let path = dir.path().join(name);
        let output = mamar(&[args, &["--plot", path.to_str().unwrap()]].concat());
        assert!(output.status.code().is_some_and(|c| c == 0 || c == 2));
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(!svg.contains("href"), "nothing loaded from elsewhere");
        // The labels' arguments are isolated (U+2068 … U+2069) for mixed-direction text.
        svg.replace(['\u{2068}', '\u{2069}'], "")
    };
    // The log-linear plot alone (four lists join LCMCR by default; the joined plot has its own test).
    let ranked = svg_of(&[kosovo, "--join-lcmcr", "never"], "ranked.svg");
    assert_eq!(
        ranked.matches("<circle").count(),
        6,
        "five models and the bootstrap"
    );
    assert!(ranked.contains("1. bootstrap of the choice"));
    let posterior = svg_of(&[kosovo, "--method", "dga"], "dga.svg");
    assert!(posterior.contains("posterior of the total") && posterior.contains("<polyline"));
    assert!(
        posterior.contains("9,827") && posterior.contains("16,544"),
        "the interval's ends"
    );
    let chains = svg_of(
        &[&[UK_NRM_2013, "--method", "lcmcr"][..], &CHAINS_CUT_SHORT[..]].concat(),
        "chains.svg",
    );
    assert_eq!(chains.matches("<polyline").count(), 4);
    assert!(chains.contains("did not converge: no total"));
    let apart = write(dir.path(), "apart.csv", "A,B,count\n1,0,5\n0,1,4\n");
    let refused = svg_of(&[apart.to_str().unwrap()], "refused.svg");
    assert!(
        refused.contains("No estimate: no person is on more than one list"),
        "{refused}"
    );
}

#[test]
fn the_plot_speaks_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let kosovo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mamar-stats/tests/fixtures/kosovo.csv"
    );
    let plot = |args: &[&str], lang: Option<&str>, name: &str| {
        let path = dir.path().join(name);
        let plot = [
            "--bootstrap",
            "50",
            "--join-lcmcr",
            "never",
            "--plot",
            path.to_str().unwrap(),
        ];
        let output = mamar_in(lang.unwrap_or("C.UTF-8"), &[args, &plot[..]].concat());
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let svg = std::fs::read_to_string(&path).unwrap();
        svg.replace(['\u{2068}', '\u{2069}'], "")
    };
    let arabic = plot(&[kosovo, "--lang", "ar"], None, "ar.svg");
    assert!(arabic.contains(r#"xml:lang="ar""#));
    for label in [
        "الموثَّقون",
        "إعادة المعاينة لاختيار النموذج",
        "المجموع (الموثَّقون",
        "4 قوائم",
    ] {
        assert!(arabic.contains(label), "{label} missing from {arabic}");
    }
    assert!(!arabic.contains("documented") && !arabic.contains("bootstrap of the choice"));
    // The numbers and the models' names are the same in both languages.
    let english = plot(&[kosovo, "--lang", "en"], None, "en.svg");
    assert!(english.contains("documented") && english.contains("(4 lists)"));
    let numbers = |svg: &str| -> Vec<String> {
        svg.split("</text>")
            .filter_map(|part| part.rsplit('>').next())
            .filter(|text| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ','))
            .map(str::to_owned)
            .collect()
    };
    assert!(numbers(&english).len() >= 5, "{english}");
    assert_eq!(numbers(&arabic), numbers(&english));
    // Without --lang, an Arabic terminal gets Arabic labels.
    let terminal = plot(&[kosovo], Some("ar_SY.UTF-8"), "terminal.svg");
    assert!(terminal.contains("الموثَّقون"));
    let output = mamar(&[kosovo, "--lang", "fr"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--lang must be ar or en"));
}

#[test]
fn the_heterogeneity_models_of_rcapture_are_offered() {
    let kosovo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mamar-stats/tests/fixtures/kosovo.csv"
    );
    let (status, table) = report(&[kosovo, "--method", "heterogeneity"]);
    assert_eq!(status, Some(0));
    // Rcapture's closedp.t: Mth Gamma3.5 has the lowest AIC, total 18,387.
    let first = table.lines().find(|l| l.trim_start().starts_with("Mth")).unwrap();
    assert!(
        first.contains("Mth Gamma3.5") && first.contains("18,387"),
        "{table}"
    );
    let (_, json) = report(&[kosovo, "--method", "heterogeneity", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["strata"][0]["models"].as_array().unwrap().len(), 8);
    let (_, csv) = report(&[kosovo, "--method", "heterogeneity", "--format", "csv"]);
    assert!(csv.contains("4400,heterogeneity,,Mt,"), "{csv}");
}
