//! The prior of a match per kind of pair: within one list, across two lists.

use std::collections::HashMap;

use mamar_linkage::link::{Band, LinkOptions, LinkOutcome, link};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};
use mamar_linkage::synth::{Households, ListSpec, SyntheticRecord, generate_households};

use crate::households::{input, link_lists_with};

/// Two generated lists of the same people (six in ten of them on each list), each with few
/// duplicates inside (two in a hundred).
fn generated() -> Vec<Vec<SyntheticRecord>> {
    generate_households(
        6_000,
        &[
            ListSpec::columns("a", 0.6, 0.7, 0.02),
            ListSpec::columns("b", 0.6, 0.3, 0.02),
        ],
        &Households::default(),
        5,
    )
}

/// The [`generated`] lists with `extra` records added to the lists given, linked.
fn link_extra(extra: &[(u16, RecordInput)], options: &LinkOptions) -> LinkOutcome {
    link_lists_with(&generated(), extra, options)
}

/// Mohammed son of Khaled, born in 1980, his mother Huda, no family name: twice across the two
/// lists, and (another man, the same fields) twice in the first list.
fn mohammed_son_of_khaled() -> Vec<(u16, RecordInput)> {
    let record = || input(["Mohammed", "Khaled", "", "", "Huda", "1980", "", ""]);
    vec![(0, record()), (1, record()), (0, record()), (0, record())]
}

/// The band of the pair of `extra` records `x` and `y` (None: below review).
fn band(outcome: &LinkOutcome, extra: usize, x: usize, y: usize) -> Option<(Band, f64)> {
    let first = (outcome.cluster_of.len() - extra) as u32;
    let (a, b) = (first + x as u32, first + y as u32);
    outcome
        .pairs
        .iter()
        .find(|p| (p.a, p.b) == (a, b) || (p.a, p.b) == (b, a))
        .map(|p| (p.band, p.probability))
}

#[test]
fn a_pair_accepted_across_two_lists_goes_to_review_inside_one_list_where_duplicates_are_rare() {
    let extra = mohammed_son_of_khaled();
    let options = LinkOptions {
        threads: 2,
        ..LinkOptions::default()
    };
    let outcome = link_extra(&extra, &options);
    let across = band(&outcome, extra.len(), 0, 1);
    let within = band(&outcome, extra.len(), 2, 3);
    assert!(
        matches!(across, Some((Band::Accepted, _))),
        "across the lists: {across:?}"
    );
    assert!(
        matches!(within, Some((Band::Review, _))),
        "inside one list: {within:?}"
    );
    // With one prior for every pair, the two pairs weigh the same and both are accepted.
    let one_prior = link_extra(
        &extra,
        &LinkOptions {
            prior_per_kind: false,
            ..options
        },
    );
    let (across, within) = (
        band(&one_prior, extra.len(), 0, 1),
        band(&one_prior, extra.len(), 2, 3),
    );
    assert!(
        matches!(across, Some((Band::Accepted, _))),
        "one prior, across: {across:?}"
    );
    assert_eq!(across, within, "one prior: the same fields, the same probability");
}

#[test]
fn the_model_counts_the_matches_inside_each_list_and_across_the_lists() {
    let lists = generated();
    let outcome = link_extra(
        &[],
        &LinkOptions {
            threads: 2,
            ..LinkOptions::default()
        },
    );
    // The true pairs of records of one person, by the lists of the two records.
    let mut per_person: HashMap<u64, Vec<u16>> = HashMap::new();
    for (list, rows) in lists.iter().enumerate() {
        for row in rows {
            per_person.entry(row.person).or_default().push(list as u16);
        }
    }
    let mut truth: HashMap<(u16, u16), f64> = HashMap::new();
    for on in per_person.values() {
        for (i, x) in on.iter().enumerate() {
            for y in on.iter().skip(i + 1) {
                *truth.entry(((*x).min(*y), (*x).max(*y))).or_default() += 1.0;
            }
        }
    }
    let kinds: Vec<(u16, u16)> = outcome.parameters.kinds.iter().map(|k| k.lists).collect();
    assert_eq!(kinds, [(0, 0), (0, 1), (1, 1)]);
    for kind in &outcome.parameters.kinds {
        let true_pairs = truth.get(&kind.lists).copied().unwrap_or(0.0);
        // Inside a list the matches are few (about seventy): their count is rougher.
        let tolerance = if kind.lists.0 == kind.lists.1 { 0.5 } else { 0.2 };
        assert!(
            (kind.matches / true_pairs - 1.0).abs() < tolerance,
            "lists {:?}: the model expects {:.0} matches, there are {true_pairs}",
            kind.lists,
            kind.matches
        );
        assert!(!kind.pooled);
    }
    let within = outcome.parameters.kinds[0].lambda;
    let across = outcome.parameters.kinds[1].lambda;
    assert!(across > 5.0 * within, "across {across:.2e}, within {within:.2e}");
}

#[test]
fn one_list_links_as_with_one_prior() {
    let gazetteer = Gazetteer::syria();
    let records: Vec<Record> = generated()[0]
        .iter()
        .map(|row| Record::prepare(&row.input, &gazetteer))
        .collect();
    let list_of = vec![0u16; records.len()];
    let run = |prior_per_kind| {
        let options = LinkOptions {
            threads: 2,
            prior_per_kind,
            ..LinkOptions::default()
        };
        link(&records, &list_of, &options, &|_, _, _| {}).unwrap()
    };
    let (per_kind, one) = (run(true), run(false));
    assert_eq!(per_kind.parameters.kinds.len(), 1);
    assert_eq!(per_kind.parameters.kinds[0].lambda, one.parameters.lambda);
    assert_eq!(per_kind.cluster_of, one.cluster_of);
    assert_eq!(per_kind.pairs, one.pairs);
}

#[test]
fn a_list_too_small_for_a_prior_of_its_own_takes_that_of_all_pairs() {
    // A third list of twelve records: 66 pairs inside it, too few to count its matches from.
    let mut lists = generated();
    let third: Vec<SyntheticRecord> = lists[0].iter().step_by(300).take(12).cloned().collect();
    lists.push(third);
    let outcome = link_lists_with(
        &lists,
        &[],
        &LinkOptions {
            threads: 2,
            ..LinkOptions::default()
        },
    );
    let kinds = &outcome.parameters.kinds;
    // It takes the prior of all pairs together; the kinds large enough keep their own.
    let small = kinds.iter().find(|k| k.lists == (2, 2)).unwrap();
    assert!(small.pooled, "{small:?}");
    assert_eq!(small.lambda, outcome.parameters.lambda, "{kinds:?}");
    let own: Vec<_> = kinds.iter().filter(|k| !k.pooled).map(|k| k.lists).collect();
    assert_eq!(own, [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2)], "{kinds:?}");
}
