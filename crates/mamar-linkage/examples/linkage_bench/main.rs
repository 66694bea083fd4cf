//! Benchmarks and data for mamar-linkage. Not a test: run by hand, figures go to
//! docs/bench/mamar-linkage.md.
//!
//! ```sh
//! cargo run --release -p mamar-linkage --example linkage_bench -- synth PERSONS COVERAGE OUT_DIR [SEED]
//! cargo run --release -p mamar-linkage --example linkage_bench -- quality PERSONS COVERAGE [THREADS]
//! cargo run --release -p mamar-linkage --example linkage_bench -- clk-throughput RECORDS RUNS [QUERIES]
//! cargo run --release -p mamar-linkage --example linkage_bench -- clk-export RECORDS OUT_DIR
//! cargo run --release -p mamar-linkage --example linkage_bench -- households PERSONS [THREADS]
//! cargo run --release -p mamar-linkage --example linkage_bench -- households-synth PERSONS OUT_DIR [SEED]
//! ```
//!
//! `households` draws PERSONS people in households (brothers, cousins, twins; see
//! `synth::generate_households`) and three lists with duplicates inside (list C writes the
//! whole name in one column), links them with the default options and prints the cluster
//! precision, recall and F1 over pairs of records, and how many pairs of brothers and of
//! cousins were put together (seed 7; `SEED=n` another). `NO_HOUSEHOLDS=1` links without the household model, `GOVERNORATES=1`
//! without the towns. `households-synth` writes the same lists as CSV (with `person_id`,
//! `household_id` and `clan_id` truth columns) for `scripts/compare_splink.py --households`.
//! `MISSED=1` prints where the recall goes (see `missed.rs`: every split of one person's
//! records by cause, weighted by the pairs it costs; the review pairs between clusters by
//! comparison pattern; the household model's brothers against the truth); with `SHOW=n`, n of
//! the pairs never compared that no simple key would have found.
//!
//! `synth` writes two lists (`list_a.csv`, `list_b.csv`, each with a `person_id` truth column)
//! of PERSONS people each seen by a list with probability COVERAGE; list A is written mostly in
//! Arabic script, list B mostly in Latin letters. `quality` generates the same way in memory,
//! links, and prints precision, recall, F1 and the time. `clk-throughput` times Dice
//! comparisons of CLKs on one core (QUERIES encodings of list A against all of list B, per
//! kernel); `clk-export` writes the same encodings as hex for `scripts/compare_anonlink.py`.
//!
//! `quality` reads a few environment variables, for investigations: `FALSE_PAIRS=1` prints how
//! often the pairs of each band of probability are right and the comparison patterns of the
//! accepted pairs that are not (`BY_SCRIPT=1`: by the records' scripts), `REVIEW=p` writes pairs
//! from p, `MAX_BLOCK=n` and `RULES=a,b` change the blocking, `MANY=1` links without
//! `--one-to-one`, `DIAG=1` prints the true pairs blocking missed and their levels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod calibration;
mod clk;
mod missed;

/// The allocator of the `mamar` binary (crates/mamar/src/main.rs): the figures are those of
/// `mamar link`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clk::{clk_export, clk_quality, clk_throughput};

use std::collections::HashSet;
use std::io::Write as _;
use std::time::Instant;

use mamar_linkage::blocking::PairScope;
use mamar_linkage::link::{Band, LinkOptions, link};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};
use mamar_linkage::synth::{ListSpec, SyntheticRecord, generate};

fn specs(coverage: f64) -> Vec<ListSpec> {
    vec![
        ListSpec {
            name: "list_a".into(),
            coverage,
            arabic: 0.7,
            duplicates: 0.0,
            noise: 1.0,
            full_name: false,
        },
        ListSpec {
            name: "list_b".into(),
            coverage,
            arabic: 0.3,
            duplicates: 0.0,
            noise: 1.0,
            full_name: false,
        },
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "synth" => synth(
            arg(1).parse().unwrap(),
            arg(2).parse().unwrap(),
            &arg(3),
            arg(4).parse().unwrap_or(7),
        ),
        "quality" => quality(
            arg(1).parse().unwrap(),
            arg(2).parse().unwrap(),
            arg(3).parse().unwrap_or(1),
        ),
        "clk-throughput" => clk_throughput(
            arg(1).parse().unwrap(),
            arg(2).parse().unwrap_or(7),
            arg(3).parse().unwrap_or(2000),
        ),
        "clk-quality" => clk_quality(
            arg(1).parse().unwrap(),
            arg(2).parse().unwrap(),
            &arg(3),
            arg(4).parse().unwrap_or(0.8),
        ),
        "clk-export" => clk_export(arg(1).parse().unwrap(), &arg(2)),
        "households" => households(arg(1).parse().unwrap(), arg(2).parse().unwrap_or(1)),
        "households-synth" => households_synth(arg(1).parse().unwrap(), &arg(2), arg(3).parse().unwrap_or(7)),
        other => panic!("unknown command {other:?}; see the file's documentation"),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn synth(persons: usize, coverage: f64, out: &str, seed: u64) {
    let lists = generate(persons, &specs(coverage), seed);
    std::fs::create_dir_all(out).unwrap();
    for (spec, records) in specs(coverage).iter().zip(&lists) {
        let path = format!("{out}/{}.csv", spec.name);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(
            file,
            "id,person_id,given_name,father_name,family_name,mother_name,birth_year,place,phone"
        )
        .unwrap();
        for r in records {
            let i = &r.input;
            let fields = [
                &r.id,
                &r.person.to_string(),
                &i.given,
                &i.father,
                &i.family,
                &i.mother,
                &i.birth_year,
                &i.place,
                &i.phone,
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            writeln!(file, "{}", line.join(",")).unwrap();
        }
        eprintln!("{path}: {} records", records.len());
    }
}

fn quality(persons: usize, coverage: f64, threads: usize) {
    let lists = generate(persons, &specs(coverage), 7);
    let gazetteer = Gazetteer::syria();
    let inputs: Vec<Vec<RecordInput>> = lists
        .iter()
        .map(|list| list.iter().map(|r| r.input.clone()).collect())
        .collect();
    let started = Instant::now();
    let slices: Vec<&[RecordInput]> = inputs.iter().map(Vec::as_slice).collect();
    let records = Record::prepare_lists(&slices, &gazetteer, threads);
    let mut list_of = Vec::new();
    let mut truth: Vec<&SyntheticRecord> = Vec::new();
    for (list, (list_records, inputs)) in lists.iter().zip(&inputs).enumerate() {
        list_of.extend(std::iter::repeat_n(list as u16, inputs.len()));
        truth.extend(list_records);
    }
    let prepared = started.elapsed();
    let options = LinkOptions {
        scope: PairScope::AcrossLists,
        one_to_one: std::env::var_os("MANY").is_none(),
        households: std::env::var_os("NO_HOUSEHOLDS").is_none(),
        household_sample: std::env::var_os("NO_HOUSEHOLD_SAMPLE").is_none(),
        prior_per_kind: std::env::var_os("ONE_PRIOR").is_none(),
        threads,
        review: std::env::var("REVIEW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.5),
        max_block_pairs: std::env::var("MAX_BLOCK")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().max_block_pairs),
        rules: rules_from_env(),
        complete_clusters: std::env::var_os("NO_COMPLETION").is_none(),
        term_frequency_larger_share: std::env::var_os("TF_LARGER_SHARE").is_some(),
        name_weights_per_script: std::env::var_os("SCRIPT_WEIGHTS").is_some(),
        apart_below: std::env::var("APART")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().apart_below),
        ..LinkOptions::default()
    };
    let stage_clock = Instant::now();
    let last = std::sync::Mutex::new(String::new());
    let outcome = link(&records, &list_of, &options, &|stage, done, total| {
        let name = format!("{stage:?}");
        let mut last = last.lock().unwrap();
        if *last != name {
            eprintln!(
                "{:7.2}s {name} ({done}/{total})",
                stage_clock.elapsed().as_secs_f64()
            );
            *last = name;
        }
    })
    .unwrap();
    eprintln!("{:7.2}s done", stage_clock.elapsed().as_secs_f64());
    for (step, seconds) in &outcome.timings {
        eprintln!("    {step}: {seconds:.3}");
    }
    if std::env::var_os("DIAG").is_some() {
        let c = mamar_linkage::blocking::candidates(
            &records,
            &list_of,
            &options.rules,
            options.scope,
            options.max_block_pairs,
        );
        let set: HashSet<(u32, u32)> = c.pairs.iter().copied().collect();
        let n0 = lists[0].len();
        let by_person: std::collections::HashMap<u64, usize> =
            lists[1].iter().enumerate().map(|(i, r)| (r.person, i)).collect();
        let mut found = 0;
        let mut missed = Vec::new();
        for (i, r) in lists[0].iter().enumerate() {
            if let Some(&j) = by_person.get(&r.person) {
                if set.contains(&(i as u32, (n0 + j) as u32)) {
                    found += 1
                } else {
                    missed.push((i, j))
                }
            }
        }
        println!("blocking recall {found} of {}", found + missed.len());
        for (i, j) in missed.iter().take(8) {
            println!("MISSED {:?}\n       {:?}", lists[0][*i].input, lists[1][*j].input);
        }
    }
    let elapsed = started.elapsed();
    let true_pairs: u64 = {
        let a: HashSet<u64> = lists[0].iter().map(|r| r.person).collect();
        lists[1].iter().filter(|r| a.contains(&r.person)).count() as u64
    };
    let same = |p: &mamar_linkage::link::ScoredPair| truth[p.a as usize].person == truth[p.b as usize].person;
    let accepted: Vec<_> = outcome
        .pairs
        .iter()
        .filter(|p| p.band == Band::Accepted)
        .collect();
    let tp = accepted.iter().filter(|p| same(p)).count() as f64;
    let precision = tp / accepted.len().max(1) as f64;
    let recall = tp / true_pairs.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(1e-12);
    let review = outcome.pairs.iter().filter(|p| p.band == Band::Review).count();
    let review_true = outcome
        .pairs
        .iter()
        .filter(|p| p.band == Band::Review && same(p))
        .count();
    println!(
        "records {} candidates {} accepted {} review {} (true {}) true pairs {}",
        records.len(),
        outcome.candidate_pairs,
        accepted.len(),
        review,
        review_true,
        true_pairs
    );
    println!("precision {precision:.4} recall {recall:.4} F1 {f1:.4}");
    for t in [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] {
        let chosen: Vec<_> = outcome.pairs.iter().filter(|p| p.probability >= t).collect();
        let tp = chosen.iter().filter(|p| same(p)).count() as f64;
        let (p, r) = (tp / chosen.len().max(1) as f64, tp / true_pairs.max(1) as f64);
        println!(
            "  at {t}: precision {p:.4} recall {r:.4} F1 {:.4}",
            2.0 * p * r / (p + r).max(1e-12)
        );
    }
    eprintln!("    preparing: {:.3}", prepared.as_secs_f64());
    println!(
        "prepare {:.2}s total {:.2}s",
        prepared.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!(
        "lambda {:.4e} em iterations {}",
        outcome.parameters.lambda, outcome.parameters.em_iterations
    );
    print_kinds(&outcome.parameters);
    if let Some(h) = &outcome.parameters.household {
        println!(
            "household model: brother pairs {:.0} lambda {:.3e} years {:.4?}; kept apart {} refused joins {}",
            h.brothers, h.lambda, h.year, outcome.kept_apart_pairs, outcome.refused_joins
        );
    }
    for (f, (m, u)) in outcome.parameters.m.iter().zip(&outcome.parameters.u).enumerate() {
        println!("field {f}: m {m:.3?} u {u:.4?}");
    }
    for (rule, fit) in outcome.rules.iter().zip(&outcome.parameters.sessions) {
        let m: Vec<String> = fit.m.iter().map(|row| format!("{:.3?}", row)).collect();
        println!(
            "session {:20} pairs {:>10} expected matches {:>9.0} kept {} m {}",
            rule.rule.name(),
            fit.pairs,
            fit.expected_matches,
            fit.kept,
            m.join(" ")
        );
    }
    for rule in &outcome.rules {
        println!(
            "{:20} pairs {:>10} accepted found {:>7} only by this rule {:>6} skipped blocks {}",
            rule.rule.name(),
            rule.stats.pairs,
            rule.accepted_found,
            rule.accepted_only,
            rule.stats.skipped_blocks
        );
    }
    if std::env::var_os("FALSE_PAIRS").is_some() {
        let arabic: Vec<bool> = records
            .iter()
            .map(|r| {
                r.given
                    .first()
                    .is_some_and(|p| p.script == mamar_linkage::normalize::Script::Arabic)
            })
            .collect();
        false_pairs(&outcome, &|p| same(p), &arabic);
    }
    if std::env::var_os("DIAG").is_some() {
        diagnose(&lists, &records);
        for p in outcome.pairs.iter().filter(|p| p.band == Band::Review).take(10) {
            println!(
                "REVIEW {:.3} w {:.2} {} {:?}\n   {:?}\n   {:?}",
                p.probability,
                p.weight,
                same(p),
                p.comparison.levels(),
                truth[p.a as usize].input,
                truth[p.b as usize].input
            );
        }
    }
}

/// Calibration and the comparison patterns of accepted pairs that are not true matches.
fn false_pairs(
    outcome: &mamar_linkage::link::LinkOutcome,
    same: &dyn Fn(&mamar_linkage::link::ScoredPair) -> bool,
    arabic: &[bool],
) {
    let mut by_pattern: std::collections::HashMap<u32, (u64, u64, f64)> = std::collections::HashMap::new();
    let (mut expected, mut actual) = (0.0, 0u64);
    let band = if std::env::var_os("BAND_REVIEW").is_some() {
        Band::Review
    } else {
        Band::Accepted
    };
    for p in outcome.pairs.iter().filter(|p| p.band == band) {
        let e = by_pattern.entry(p.comparison.0).or_default();
        e.0 += 1;
        e.1 += u64::from(same(p));
        e.2 += p.probability;
        expected += p.probability;
        actual += u64::from(same(p));
    }
    println!("accepted: expected true {expected:.0}, actually true {actual}");
    let mut bins = [(0u64, 0u64, 0f64); 30];
    for p in &outcome.pairs {
        let class = if std::env::var_os("BY_SCRIPT").is_some() {
            usize::from(arabic[p.a as usize]) + usize::from(arabic[p.b as usize])
        } else {
            0
        };
        let bin = &mut bins[class * 10 + ((p.probability * 10.0) as usize).min(9)];
        bin.0 += 1;
        bin.1 += u64::from(same(p));
        bin.2 += p.probability;
    }
    for (i, (n, t, sum)) in bins.iter().enumerate() {
        if *n > 0 {
            println!(
                "  arabic records {} p in [{:.1}, {:.1}): {n:>8} pairs, mean p {:.3}, true {:.3}",
                i / 10,
                (i % 10) as f64 / 10.0,
                (i % 10 + 1) as f64 / 10.0,
                sum / *n as f64,
                *t as f64 / *n as f64
            );
        }
    }
    let mut rows: Vec<_> = by_pattern.into_iter().collect();
    if band == Band::Review {
        rows.sort_by_key(|(_, (n, _, _))| std::cmp::Reverse(*n));
    } else {
        rows.sort_by_key(|(_, (n, t, _))| std::cmp::Reverse(n - t));
    }
    for (pattern, (n, t, sum)) in rows.iter().take(25) {
        let levels: Vec<&str> = mamar_linkage::compare::Comparison(*pattern)
            .levels()
            .iter()
            .map(|l| &l.name()[..3])
            .collect();
        println!(
            "  {} accepted {n:>7} false {:>6} mean p {:.3} precision {:.3}",
            levels.join(" "),
            n - t,
            sum / *n as f64,
            *t as f64 / *n as f64
        );
    }
}

/// Level distribution of the true pairs, and a few examples.
fn diagnose(lists: &[Vec<SyntheticRecord>], records: &[Record]) {
    use mamar_linkage::compare::compare;
    let offset = lists[0].len();
    let by_person: std::collections::HashMap<u64, usize> =
        lists[1].iter().enumerate().map(|(i, r)| (r.person, i)).collect();
    let mut counts = [[0u64; 5]; 7];
    let mut shown = 0;
    for (i, r) in lists[0].iter().enumerate() {
        let Some(&j) = by_person.get(&r.person) else {
            continue;
        };
        let c = compare(&records[i], &records[offset + j]);
        for f in 0..7 {
            counts[f][c.level(f) as usize] += 1;
        }
        if shown < 12 && c.level(0) as usize >= 2 {
            shown += 1;
            println!("{:?}\n{:?}\n{:?}", r.input, lists[1][j].input, c.levels());
        }
    }
    for (f, row) in counts.iter().enumerate() {
        println!("true pairs field {f}: {row:?}");
    }
}

fn household_specs() -> Vec<ListSpec> {
    vec![
        ListSpec {
            name: "list_a".into(),
            coverage: 0.5,
            arabic: 0.7,
            duplicates: 0.1,
            noise: 1.0,
            full_name: false,
        },
        ListSpec {
            name: "list_b".into(),
            coverage: 0.5,
            arabic: 0.3,
            duplicates: 0.1,
            noise: 1.0,
            full_name: false,
        },
        ListSpec {
            name: "list_c".into(),
            coverage: 0.4,
            arabic: 0.5,
            duplicates: 0.1,
            noise: 1.0,
            full_name: true,
        },
    ]
}

fn households_synth(persons: usize, out: &str, seed: u64) {
    let lists = mamar_linkage::synth::generate_households(
        persons,
        &household_specs(),
        &mamar_linkage::synth::Households::default(),
        seed,
    );
    std::fs::create_dir_all(out).unwrap();
    for (spec, records) in household_specs().iter().zip(&lists) {
        let path = format!("{out}/{}.csv", spec.name);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        if spec.full_name {
            writeln!(
                file,
                "id,person_id,household_id,clan_id,full_name,mother_name,birth_year,place,phone"
            )
            .unwrap();
        } else {
            writeln!(
                file,
                "id,person_id,household_id,clan_id,given_name,father_name,grandfather_name,family_name,mother_name,birth_year,place,phone"
            )
            .unwrap();
        }
        for r in records {
            let i = &r.input;
            let ids = [
                r.id.clone(),
                r.person.to_string(),
                r.household.to_string(),
                r.clan.to_string(),
            ];
            let names: Vec<&String> = if spec.full_name {
                vec![&i.full_name]
            } else {
                vec![&i.given, &i.father, &i.grandfather, &i.family]
            };
            let rest = [&i.mother, &i.birth_year, &i.place, &i.phone];
            let line: Vec<String> = ids
                .iter()
                .chain(names)
                .chain(rest)
                .map(|f| csv_field(f))
                .collect();
            writeln!(file, "{}", line.join(",")).unwrap();
        }
        eprintln!("{path}: {} records", records.len());
    }
}

/// Pairs within groups: n (n - 1) / 2 summed over the groups' sizes.
fn pairs_within<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> u64 {
    let mut counts: std::collections::HashMap<K, u64> = std::collections::HashMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    counts.values().map(|n| n * (n - 1) / 2).sum()
}

fn households(persons: usize, threads: usize) {
    let lists = mamar_linkage::synth::generate_households(
        persons,
        &household_specs(),
        &mamar_linkage::synth::Households::default(),
        std::env::var("SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(7),
    );
    let gazetteer = if std::env::var_os("GOVERNORATES").is_some() {
        Gazetteer::governorates_only()
    } else {
        Gazetteer::syria()
    };
    let inputs: Vec<Vec<RecordInput>> = lists
        .iter()
        .map(|list| list.iter().map(|r| r.input.clone()).collect())
        .collect();
    let started = Instant::now();
    let cpu_started = process_cpu_seconds();
    let slices: Vec<&[RecordInput]> = inputs.iter().map(Vec::as_slice).collect();
    let records = Record::prepare_lists(&slices, &gazetteer, threads);
    let mut list_of = Vec::new();
    let mut truth: Vec<&SyntheticRecord> = Vec::new();
    for (list, list_records) in lists.iter().enumerate() {
        list_of.extend(std::iter::repeat_n(list as u16, list_records.len()));
        truth.extend(list_records);
    }
    let options = LinkOptions {
        threads,
        households: std::env::var_os("NO_HOUSEHOLDS").is_none(),
        household_sample: std::env::var_os("NO_HOUSEHOLD_SAMPLE").is_none(),
        prior_per_kind: std::env::var_os("ONE_PRIOR").is_none(),
        rules: rules_from_env(),
        accept: std::env::var("ACCEPT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().accept),
        review: std::env::var("REVIEW")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().review),
        max_block_pairs: std::env::var("MAX_BLOCK")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().max_block_pairs),
        complete_clusters: std::env::var_os("NO_COMPLETION").is_none(),
        term_frequency: std::env::var_os("NO_TF").is_none(),
        term_frequency_larger_share: std::env::var_os("TF_LARGER_SHARE").is_some(),
        name_weights_per_script: std::env::var_os("SCRIPT_WEIGHTS").is_some(),
        apart_below: std::env::var("APART")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LinkOptions::default().apart_below),
        ..LinkOptions::default()
    };
    let outcome = link(&records, &list_of, &options, &|_, _, _| {}).unwrap();
    let elapsed = started.elapsed();
    for (step, seconds) in &outcome.timings {
        eprintln!("    {step}: {seconds:.3}");
    }
    let c = &outcome.cluster_of;
    let predicted = pairs_within(c.iter().copied());
    let true_pairs = pairs_within(truth.iter().map(|r| r.person));
    let tp = pairs_within(c.iter().zip(&truth).map(|(c, r)| (*c, r.person)));
    let same_household = pairs_within(c.iter().zip(&truth).map(|(c, r)| (*c, r.household)));
    let same_clan = pairs_within(c.iter().zip(&truth).map(|(c, r)| (*c, r.clan)));
    let brothers_true = pairs_within(truth.iter().map(|r| r.household)) - true_pairs;
    let cousins_true =
        pairs_within(truth.iter().map(|r| r.clan)) - pairs_within(truth.iter().map(|r| r.household));
    let precision = tp as f64 / predicted.max(1) as f64;
    let recall = tp as f64 / true_pairs.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(1e-12);
    let brothers_joined = same_household - tp;
    let cousins_joined = same_clan - same_household;
    println!(
        "records {} (lists {:?}) candidates {} clusters {} persons {}",
        records.len(),
        lists.iter().map(Vec::len).collect::<Vec<_>>(),
        outcome.candidate_pairs,
        outcome.clusters,
        truth.iter().map(|r| r.person).collect::<HashSet<_>>().len()
    );
    println!(
        "cluster pairs: precision {precision:.4} recall {recall:.4} F1 {f1:.4} (true pairs {true_pairs}, predicted {predicted})"
    );
    println!(
        "pairs within households: precision {:.4} (same person {tp} of {same_household}); brother pairs joined {brothers_joined} of {brothers_true}; cousin pairs joined {cousins_joined} of {cousins_true}",
        tp as f64 / same_household.max(1) as f64
    );
    println!(
        "brothers' pairs {} refused joins {} non-matches kept apart in chains {} refused {} completed {} review pairs {}",
        outcome.kept_apart_pairs,
        outcome.refused_joins,
        outcome.apart_pairs,
        outcome.refused_non_matches,
        outcome.completed,
        outcome.pairs.iter().filter(|p| p.band == Band::Review).count()
    );
    calibration::report(
        &outcome.pairs,
        &|a, b| {
            let (x, y) = (&truth[a as usize], &truth[b as usize]);
            match () {
                _ if x.person == y.person => 0,
                _ if x.household == y.household => 1,
                _ if x.clan == y.clan => 2,
                _ => 3,
            }
        },
        &|a, b| (list_of[a as usize], list_of[b as usize]),
        &|r| {
            let arabic = records[r as usize]
                .given
                .first()
                .is_some_and(|p| p.script == mamar_linkage::normalize::Script::Arabic);
            if arabic { 'a' } else { 'l' }
        },
        &missed::FIELDS,
    );
    calibration::u_by_lists(&records, &list_of, &|i| truth[i].person);
    println!(
        "model: matches expected {:.0}, prior weight {:.2}",
        outcome.parameters.matches,
        outcome.parameters.prior_weight()
    );
    print_kinds(&outcome.parameters);
    if std::env::var_os("CALIBRATION").is_some() {
        let parameters = &outcome.parameters;
        for (field, name) in missed::FIELDS.iter().enumerate() {
            println!(
                "levels {name:12} m {:.4?} u {:.4?}",
                parameters.m[field], parameters.u[field]
            );
        }
        for (pair, name) in parameters
            .by_script
            .iter()
            .flat_map(|w| w.m.iter().zip(&w.u))
            .zip(["aa", "al", "ll"])
        {
            for (column, field) in ["given", "father", "family", "mother", "grandfather"]
                .iter()
                .enumerate()
            {
                println!(
                    "scripts {name} {field:12} m {:.4?} u {:.4?}",
                    pair.0[column], pair.1[column]
                );
            }
        }
    }
    let mut per_person: std::collections::HashMap<u64, Vec<u16>> = std::collections::HashMap::new();
    for (record, list) in truth.iter().zip(&list_of) {
        per_person.entry(record.person).or_default().push(*list);
    }
    let mut by_kind: std::collections::BTreeMap<(u16, u16), u64> = std::collections::BTreeMap::new();
    for on in per_person.values() {
        for (i, x) in on.iter().enumerate() {
            for y in on.iter().skip(i + 1) {
                *by_kind.entry(((*x).min(*y), (*x).max(*y))).or_default() += 1;
            }
        }
    }
    for ((i, j), count) in by_kind {
        println!("true pairs lists {i}-{j}: {count}");
    }
    if let Some(h) = &outcome.parameters.household {
        println!(
            "household model: brother pairs {:.0} lambda {:.3e} years {:.4?} given names {:.4?}",
            h.brothers, h.lambda, h.year, h.given
        );
    }
    for (rule, fit) in outcome
        .rules
        .iter()
        .filter(|r| r.rule.trains())
        .zip(&outcome.parameters.sessions)
    {
        println!(
            "session {:20} pairs {:>9} matches {:>8.0} brothers {:>7.0} brothers' given names {:.4?} kept {} skipped blocks {} ({} pairs)",
            rule.rule.name(),
            fit.pairs,
            fit.expected_matches,
            fit.brothers,
            fit.brothers_given,
            fit.kept,
            rule.stats.skipped_blocks,
            rule.stats.skipped_pairs
        );
    }
    println!("total {:.2}s", elapsed.as_secs_f64());
    if let (Some(before), Some(after)) = (cpu_started, process_cpu_seconds()) {
        // Processor time of all threads (user and system): what the run cost the machine,
        // less sensitive than wall time to other processes competing for the cores.
        println!("cpu {:.2}s", after - before);
    }
    if std::env::var_os("MISSED").is_some() {
        missed::report(&records, &list_of, &truth, &outcome, &options);
        missed::review_patterns(&truth, &outcome);
    }
    if std::env::var_os("TRUE_LEVELS").is_some() {
        missed::true_pair_levels(&records, &truth);
    }
    if std::env::var_os("FALSE_PAIRS").is_some() {
        calibration::false_accepted_pairs(&outcome, &truth);
    }
}

/// The processor time (user and system, all threads) of this process so far, from
/// `/proc/self/stat` (Linux; clock ticks of 1/100 s).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after ")".
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The blocking rules named in `RULES` (comma-separated), or the default ones.
fn rules_from_env() -> Vec<mamar_linkage::blocking::BlockingRule> {
    std::env::var("RULES").map_or_else(
        |_| mamar_linkage::blocking::BlockingRule::DEFAULT.to_vec(),
        |v| {
            v.split(',')
                .map(|r| mamar_linkage::blocking::BlockingRule::parse(r).unwrap())
                .collect()
        },
    )
}

/// The prior of each kind of pair the model found.
fn print_kinds(parameters: &mamar_linkage::model::Parameters) {
    for kind in &parameters.kinds {
        println!(
            "prior lists {}-{}: all pairs {:.4e} candidates {} matches expected {:.0} lambda {:.3e}{}",
            kind.lists.0,
            kind.lists.1,
            kind.all_pairs,
            kind.candidates,
            kind.matches,
            kind.lambda,
            if kind.pooled { " (pooled)" } else { "" }
        );
    }
}
