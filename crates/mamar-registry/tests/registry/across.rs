//! The total across organisations: three organisations' registries of generated people,
//! exchanged as keyed encodings, matched, counted per stratum and estimated against the truth.
//! The many-seed coverage study is `examples/across_coverage.rs` (BENCHMARKS.md).

use mamar_registry::across::simulation::{STRATUM_COLUMN, default_strata, three_organisations};
use mamar_registry::across::{
    EncodedList, ExchangeError, TotalError, TotalOptions, estimate_total, parse_encodings,
};

fn options() -> TotalOptions {
    TotalOptions {
        strata: vec![STRATUM_COLUMN.to_owned()],
        replicates: 100,
        threads: 2,
        ..TotalOptions::default()
    }
}

#[test]
fn the_estimated_total_of_three_organisations_finds_the_known_truth() {
    let strata = default_strata(0.5);
    let mut covered = 0;
    let mut checked = 0;
    for seed in 1..=4 {
        let world = three_organisations(&strata, seed).unwrap();
        let report = estimate_total(&world.lists, &options()).unwrap();
        assert_eq!(report.lists, ["org_a", "org_b", "org_c"]);
        // Soldiers, officers, and both pooled.
        assert_eq!(report.strata.len(), 3);
        for line in &report.strata {
            let (truth, true_cells): (u64, std::collections::BTreeMap<u32, u64>) = if line.pooled {
                let mut cells = std::collections::BTreeMap::new();
                for stratum in world.true_cells.values() {
                    for (p, c) in stratum {
                        *cells.entry(*p).or_default() += c;
                    }
                }
                (world.true_totals.values().sum(), cells)
            } else {
                let name = &line.stratum[0];
                (world.true_totals[name], world.true_cells[name].clone())
            };
            // The matched overlaps are close to the true ones: the people on each pair of lists
            // within 10% (or 8 people) of the truth, the documented number within 4%.
            let true_documented: u64 = true_cells.values().sum();
            assert!(
                line.documented.abs_diff(true_documented) * 100 <= 4 * true_documented,
                "seed {seed}: {} documented, truly {true_documented}",
                line.documented
            );
            for pair in [0b011u32, 0b101, 0b110] {
                let on_both = |cells: &mut dyn Iterator<Item = (u32, u64)>| -> u64 {
                    cells.filter(|(p, _)| p & pair == pair).map(|(_, c)| c).sum()
                };
                let matched = on_both(&mut line.cells.iter().copied());
                let truth = on_both(&mut true_cells.iter().map(|(p, c)| (*p, *c)));
                assert!(
                    matched.abs_diff(truth) <= (truth / 10).max(8),
                    "seed {seed}, lists {pair:03b}: {matched} matched on both, truly {truth}"
                );
            }
            // The documented number is a lower bound; the estimate goes beyond it.
            let estimate = line.estimate.as_ref().unwrap();
            assert!(estimate.total > line.documented as f64);
            let (lower, upper) = estimate.interval();
            let upper = upper.unwrap();
            assert!(lower <= estimate.total && estimate.total <= upper);
            assert!(estimate.bootstrap.is_some());
            checked += 1;
            if lower <= truth as f64 && truth as f64 <= upper {
                covered += 1;
            }
        }
    }
    // A 95% interval holds the truth in most runs (12 intervals here; the coverage over many
    // seeds is in BENCHMARKS.md).
    assert!(
        covered * 4 >= checked * 3,
        "the truth was in {covered} of {checked} intervals"
    );
}

#[test]
fn names_never_travel_only_encodings_and_the_stratum() {
    let file = "id,clk,scheme,rank_class,period\n\
                a1,AAAAAAAAAAA=,mamar-clk-v1;bits=64;hardening=none;salt=none,officer,2013\n\
                a2,/////////wA=,mamar-clk-v1;bits=64;hardening=none;salt=none,,2014\n";
    let list = parse_encodings("org_a", file.as_bytes()).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.stratum_columns, ["rank_class", "period"]);
    assert_eq!(list.stratum_value(0, "rank_class"), "officer");
    assert_eq!(list.stratum_value(1, "rank_class"), "");
    assert_eq!(list.stratum_value(1, "period"), "2014");
    assert_eq!(
        parse_encodings("x", b"id,name\n1,Ahmad\n").unwrap_err(),
        ExchangeError::NotEncodings
    );
    assert_eq!(
        parse_encodings("x", b"id,clk,scheme\n1,not base64!,s\n").unwrap_err(),
        ExchangeError::NotBase64 { line: 2, column: 2 }
    );
}

#[test]
fn lists_that_cannot_be_compared_are_refused_with_the_reason() {
    let world = three_organisations(&default_strata(0.05), 3).unwrap();
    let mut lists: Vec<EncodedList> = world.lists.clone();
    lists[1].scheme = "mamar-clk-v1;bits=1024;hardening=balance;salt=none".into();
    assert!(matches!(
        estimate_total(&lists, &options()).unwrap_err(),
        TotalError::MixedSchemes { .. }
    ));
    let mut asked = options();
    asked.strata = vec!["governorate".into()];
    let error = estimate_total(&world.lists, &asked).unwrap_err();
    assert_eq!(
        error.to_string(),
        "org_a has no column \"governorate\"; its stratum columns are: rank_class"
    );
    assert_eq!(
        estimate_total(&world.lists[..1], &options()).unwrap_err(),
        TotalError::TooFewLists(1)
    );
    // A column of ids (or names) as the stratum: refused, never shown as stratum labels.
    let mut lists = world.lists.clone();
    for list in &mut lists {
        list.stratum_values = list.ids.iter().map(|id| vec![id.clone()]).collect();
    }
    assert!(matches!(
        estimate_total(&lists, &options()).unwrap_err(),
        TotalError::TooManyStrata(n) if n > 40
    ));
}

#[test]
fn two_lists_that_never_share_anyone_give_a_count_and_no_estimate() {
    let world = three_organisations(&default_strata(0.05), 5).unwrap();
    let mut a = world.lists[0].clone();
    let mut b = world.lists[0].clone();
    // Split one list in two halves: nobody is on both, so nothing says how many were missed.
    let half = a.len() / 2;
    let words = a.clks.words();
    let (mut first, mut second) = (
        mamar_linkage::clk::ClkStore::new(words),
        mamar_linkage::clk::ClkStore::new(words),
    );
    for i in 0..a.len() {
        let (clk, _) = a.clks.get(i).unwrap();
        if i < half {
            first.push(clk)
        } else {
            second.push(clk)
        }
    }
    a.clks = first;
    a.stratum_values.truncate(half);
    b.name = "org_b".into();
    b.clks = second;
    b.stratum_values.drain(..half);
    let mut asked = options();
    asked.strata.clear();
    let report = estimate_total(&[a, b], &asked).unwrap();
    assert_eq!(report.strata.len(), 1);
    let line = &report.strata[0];
    assert_eq!(line.documented, world.lists[0].len() as u64);
    let reason = line.estimate.as_ref().unwrap_err();
    assert!(reason.contains("overlap"), "{reason}");
}
