//! `mamar estimate` with three to five lists: the log-linear interval joined with LCMCR's, the
//! default the simulation study chose for those numbers of lists (BENCHMARKS.md, issue 18),
//! except where two lists avoid each other. Madigan and York's five lists keep such a pair (L4
//! and L5), so the tests of the joined interval on them ask for it with `--join-lcmcr always`.

use serde_json::Value;

use super::estimate::{CHAINS_CUT_SHORT, THREE_LISTS, UK_NRM_2013, mamar, report, write};

const MADIGAN_YORK_5: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mamar-stats/tests/fixtures/madigan-york-5.csv"
);

/// The Madigan–York table with its fifth list left out.
const FOUR_LISTS: &str = "A,B,C,D,count\n0,0,0,1,127\n0,0,1,0,7\n0,0,1,1,2\n0,1,0,0,71\n0,1,0,1,60\n0,1,1,0,1\n\
                          0,1,1,1,3\n1,0,0,0,63\n1,0,0,1,27\n1,0,1,0,9\n1,0,1,1,4\n1,1,0,0,37\n1,1,0,1,33\n\
                          1,1,1,0,3\n1,1,1,1,7\n";

fn json_of(args: &[&str]) -> (Option<i32>, Value) {
    let (status, json) = report(&[args, &["--format", "json"]].concat());
    (status, serde_json::from_str(&json).unwrap())
}

#[test]
fn with_five_lists_the_interval_joins_the_log_linear_one_with_lcmcrs_in_every_format() {
    let (status, json) = json_of(&[MADIGAN_YORK_5, "--join-lcmcr", "always"]);
    assert_eq!(status, Some(0));
    let stratum = &json["strata"][0];
    assert_eq!(
        stratum["kind"], "selection",
        "the log-linear choice stays the estimate"
    );
    let join = &stratum["lcmcr_join"];
    assert_eq!(join["outcome"], "joined", "{join}");
    assert_eq!(
        join["joined"],
        serde_json::json!(["profile-likelihood", "bootstrap", "lcmcr"])
    );
    let lcmcr = &join["lcmcr"];
    assert!(
        lcmcr["rhat"].as_f64().unwrap() <= 1.01,
        "LCMCR ran until its chains agreed"
    );
    assert!(lcmcr["ess"].as_f64().unwrap() >= 400.0);
    // The joined interval is the union: it holds both the bootstrap's and LCMCR's.
    let (lower, upper) = (join["lower"].as_f64().unwrap(), join["upper"].as_f64().unwrap());
    let bootstrap = &stratum["bootstrap"];
    let credible = &lcmcr["interval"];
    assert_eq!(
        lower,
        bootstrap["lower"]
            .as_f64()
            .unwrap()
            .min(credible["lower"].as_f64().unwrap())
    );
    assert_eq!(
        upper,
        bootstrap["upper"]
            .as_f64()
            .unwrap()
            .max(credible["upper"].as_f64().unwrap())
    );
    assert!(
        lower < bootstrap["lower"].as_f64().unwrap() || upper > bootstrap["upper"].as_f64().unwrap(),
        "on this table LCMCR widens the interval: {join}"
    );
    let total = stratum["ranked"][0]["total"].as_f64().unwrap();
    assert!(lower < total && total < upper);

    let (status, table) = report(&[MADIGAN_YORK_5, "--join-lcmcr", "always"]);
    assert_eq!(status, Some(0));
    let joined_line = format!("95% interval joined with LCMCR's: {:.0} – {:.0}", lower, upper);
    assert!(table.contains(&joined_line), "{table}");
    assert!(
        table.contains("joined: profile-likelihood, bootstrap, lcmcr"),
        "{table}"
    );
    assert!(table.contains("chains agreed after"), "{table}");

    let (status, csv) = report(&[MADIGAN_YORK_5, "--join-lcmcr", "always", "--format", "csv"]);
    assert_eq!(status, Some(0));
    let row = csv
        .lines()
        .find(|line| line.starts_with("537,loglinear-lcmcr,1,"))
        .unwrap_or_else(|| panic!("no joined row: {csv}"));
    assert!(
        row.contains(&format!(",{lower:.6},{upper:.6},0.950000,")),
        "{row}"
    );
    assert!(
        row.contains("joined: profile-likelihood + bootstrap + lcmcr"),
        "{row}"
    );

    // The same seed gives the same joined interval.
    assert_eq!(json_of(&[MADIGAN_YORK_5, "--join-lcmcr", "always"]).1, json);
}

#[test]
fn when_lcmcr_does_not_converge_the_log_linear_interval_stands_alone_with_a_warning() {
    let args = [
        &[MADIGAN_YORK_5, "--join-lcmcr", "always"][..],
        &CHAINS_CUT_SHORT[..],
    ]
    .concat();
    let (status, json) = json_of(&args);
    assert_eq!(status, Some(0), "the log-linear estimate is still given");
    let stratum = &json["strata"][0];
    let join = &stratum["lcmcr_join"];
    assert_eq!(join["outcome"], "not_joined", "{join}");
    assert!(join["reason"].as_str().unwrap().contains("did not converge"));
    assert!(join["warning"].as_str().unwrap().contains("--time-limit"));
    assert_eq!(join["chains"].as_array().unwrap().len(), 4, "each chain's view");
    assert!(
        join.get("lower").is_none() && join.get("lcmcr").is_none(),
        "{join}"
    );
    assert!(
        stratum["bootstrap"]["lower"].is_number(),
        "the log-linear interval stands"
    );

    let (_, table) = report(&args);
    assert!(table.contains("WARNING: not joined with LCMCR"), "{table}");
    assert!(table.contains("LCMCR chain 4: median"), "{table}");
    assert!(!table.contains("interval joined with LCMCR's"), "{table}");
    assert!(
        table.contains("95% interval allowing for the choice of model"),
        "{table}"
    );

    let (_, csv) = report(&[&args[..], &["--format", "csv"]].concat());
    let row = csv
        .lines()
        .find(|line| line.starts_with("537,loglinear-lcmcr,"))
        .unwrap();
    assert!(row.contains("not joined: LCMCR did not converge"), "{row}");
    assert!(
        row.starts_with("537,loglinear-lcmcr,,,,,,,,,,,,"),
        "no interval: {row}"
    );

    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("plot.svg");
    let output = mamar(&[&args[..], &["--plot", svg.to_str().unwrap(), "--lang", "en"]].concat());
    assert!(output.status.success());
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.contains("LCMCR did not converge: not joined"), "{svg}");
}

#[test]
fn the_join_is_chosen_by_the_number_of_lists_and_can_be_asked_for_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let three = write(dir.path(), "three.csv", THREE_LISTS);
    let three = three.to_str().unwrap();
    // Six lists: the study did not study LCMCR there; no LCMCR run.
    let (status, json) = json_of(&[UK_NRM_2013, "--bootstrap", "0"]);
    assert_eq!(status, Some(0));
    assert!(json["strata"][0].get("lcmcr_join").is_none());
    // Three lists join by default, as four and five do; without the bootstrap, the chosen
    // model's own interval is joined.
    let (status, json) = json_of(&[three, "--bootstrap", "0"]);
    assert_eq!(status, Some(0));
    let join = &json["strata"][0]["lcmcr_join"];
    assert_eq!(join["outcome"], "joined");
    assert_eq!(join["joined"], serde_json::json!(["profile-likelihood", "lcmcr"]));
    // Four lists (Madigan and York's first four, small enough for a quick LCMCR) join too, since
    // the study of 2026-12-06 found the log-linear interval alone short of the target with 4.
    let four = write(dir.path(), "four.csv", FOUR_LISTS);
    let (status, json) = json_of(&[four.to_str().unwrap(), "--bootstrap", "0"]);
    assert_eq!(status, Some(0));
    assert_eq!(json["strata"][0]["lcmcr_join"]["outcome"], "joined");
    // Refused on five, four and three.
    let kosovo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mamar-stats/tests/fixtures/kosovo.csv"
    );
    for table in [MADIGAN_YORK_5, kosovo, three] {
        let (_, json) = json_of(&[table, "--join-lcmcr", "never", "--bootstrap", "0"]);
        assert!(json["strata"][0].get("lcmcr_join").is_none(), "{table}");
    }

    // LCMCR's options are the log-linear method's only when it joins LCMCR; never ignored.
    for (args, expected) in [
        (
            &[UK_NRM_2013, "--chains", "3"][..],
            "--chains is an option of the log-linear method only when it joins LCMCR's interval",
        ),
        (
            &[MADIGAN_YORK_5, "--join-lcmcr", "never", "--time-limit", "5"][..],
            "--time-limit is not an option of --method loglinear",
        ),
        (
            &[MADIGAN_YORK_5, "--model", "independence", "--max-sweeps", "9"][..],
            "this table has 5 lists",
        ),
        (
            &[three, "--join-lcmcr", "always", "--criterion", "p-value"][..],
            "use it without --model and --criterion p-value",
        ),
        (
            &[MADIGAN_YORK_5, "--method", "dga", "--join-lcmcr", "auto"][..],
            "--join-lcmcr is not an option of --method dga",
        ),
        (
            &[MADIGAN_YORK_5, "--chains", "1"][..],
            "--chains must be at least 2",
        ),
    ] {
        let output = mamar(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_plot_of_five_lists_shows_lcmcr_and_the_joined_interval_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("plot.svg");
    let output = mamar(&[
        MADIGAN_YORK_5,
        "--join-lcmcr",
        "always",
        "--plot",
        svg.to_str().unwrap(),
        "--lang",
        "ar",
    ]);
    assert!(output.status.success());
    let svg = std::fs::read_to_string(svg)
        .unwrap()
        .replace(['\u{2068}', '\u{2069}'], "");
    // Five ranked models, the bootstrap, LCMCR and the joined interval.
    assert_eq!(svg.matches("<circle").count(), 8, "{svg}");
    assert!(svg.contains("LCMCR (الوسيط اللاحق)"), "{svg}");
    assert!(svg.contains("1. مضمومةً إلى فترة LCMCR"), "{svg}");
}

/// Three lists in which A refers people to B (odds x3) and B and C avoid each other (odds x0.5),
/// every count at its expected value.
const AVOIDING_LISTS: &str =
    "A,B,C,count\n1,0,0,600\n0,1,0,600\n1,1,0,540\n0,0,1,600\n1,0,1,180\n0,1,1,90\n1,1,1,81\n";

#[test]
fn lcmcr_is_not_joined_where_two_lists_avoid_each_other_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let table = write(dir.path(), "avoiding.csv", AVOIDING_LISTS);
    let table = table.to_str().unwrap();
    let (status, json) = json_of(&[table, "--bootstrap", "0"]);
    assert_eq!(status, Some(0), "the log-linear estimate stands");
    let stratum = &json["strata"][0];
    assert_eq!(stratum["ranked"][0]["name"], "A:B + B:C", "{stratum}");
    let join = &stratum["lcmcr_join"];
    assert_eq!(join["outcome"], "lists_avoid_each_other", "{join}");
    assert_eq!(join["lists"], serde_json::json!(["B", "C"]));
    let odds_ratio = join["odds_ratio"].as_f64().unwrap();
    assert!((odds_ratio - 0.5).abs() < 0.01, "{odds_ratio}");
    assert!(join.get("lcmcr").is_none(), "LCMCR did not run");

    let (status, text) = report(&[table, "--bootstrap", "0"]);
    assert_eq!(status, Some(0));
    assert!(
        text.contains("Not joined with LCMCR: the chosen model keeps a negative interaction between B and C"),
        "{text}"
    );
    assert!(
        !text.contains("WARNING"),
        "nothing is wrong with the estimate: {text}"
    );
    let (_, csv) = report(&[table, "--bootstrap", "0", "--format", "csv"]);
    assert!(
        csv.lines()
            .any(|line| line.contains(",loglinear-lcmcr,")
                && line.contains("not joined: the chosen model keeps")),
        "{csv}"
    );

    // Madigan and York's five lists: L4 and L5 avoid each other.
    let (_, json) = json_of(&[MADIGAN_YORK_5, "--bootstrap", "0"]);
    let join = &json["strata"][0]["lcmcr_join"];
    assert_eq!(join["outcome"], "lists_avoid_each_other", "{join}");
    assert_eq!(join["lists"], serde_json::json!(["L4", "L5"]));
    // Asked for, LCMCR is joined all the same.
    let (status, json) = json_of(&[table, "--bootstrap", "0", "--join-lcmcr", "always"]);
    assert_eq!(status, Some(0));
    assert_eq!(json["strata"][0]["lcmcr_join"]["outcome"], "joined");
}
