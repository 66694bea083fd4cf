//! Linking generated lists end to end, scored against the generator's truth.

use std::collections::HashMap;

use mamar_linkage::blocking::PairScope;
use mamar_linkage::cluster::overlap_counts;
use mamar_linkage::link::{Band, LinkError, LinkOptions, link};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::Record;
use mamar_linkage::synth::{ListSpec, generate};

struct Run {
    precision: f64,
    recall: f64,
    outcome: mamar_linkage::link::LinkOutcome,
    person: Vec<u64>,
    list_of: Vec<u16>,
}

fn run(specs: &[ListSpec], persons: usize, options: &LinkOptions) -> Run {
    let gazetteer = Gazetteer::syria();
    let (mut records, mut list_of, mut person) = (Vec::new(), Vec::new(), Vec::new());
    for (index, list) in generate(persons, specs, 3).into_iter().enumerate() {
        for r in list {
            records.push(Record::prepare(&r.input, &gazetteer));
            list_of.push(index as u16);
            person.push(r.person);
        }
    }
    let outcome = link(&records, &list_of, options, &|_, _, _| {}).unwrap();
    let counted = |a: usize, b: usize| options.scope == PairScope::All || list_of[a] != list_of[b];
    let mut true_pairs = 0usize;
    let mut by_person: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, p) in person.iter().enumerate() {
        by_person.entry(*p).or_default().push(i);
    }
    for members in by_person.values() {
        for (x, &a) in members.iter().enumerate() {
            true_pairs += members[x + 1..].iter().filter(|&&b| counted(a, b)).count();
        }
    }
    let accepted: Vec<_> = outcome
        .pairs
        .iter()
        .filter(|p| p.band == Band::Accepted)
        .collect();
    let correct = accepted
        .iter()
        .filter(|p| person[p.a as usize] == person[p.b as usize])
        .count();
    Run {
        precision: correct as f64 / accepted.len().max(1) as f64,
        recall: correct as f64 / true_pairs.max(1) as f64,
        outcome,
        person,
        list_of,
    }
}

fn spec(name: &str, arabic: f64, duplicates: f64) -> ListSpec {
    ListSpec {
        name: name.into(),
        coverage: 0.6,
        arabic,
        duplicates,
        noise: 1.0,
    }
}

#[test]
fn two_lists_in_different_scripts_are_linked_accurately() {
    let options = LinkOptions {
        scope: PairScope::AcrossLists,
        one_to_one: true,
        u_samples: 20_000,
        ..LinkOptions::default()
    };
    let run = run(&[spec("a", 0.8, 0.0), spec("b", 0.2, 0.0)], 2000, &options);
    assert!(run.precision > 0.97, "precision {}", run.precision);
    assert!(run.recall > 0.75, "recall {}", run.recall);
    // Every rule found something, and the share each found is reported.
    assert!(run.outcome.rules.iter().all(|r| r.stats.pairs > 0));
    assert!(run.outcome.rules.iter().any(|r| r.accepted_found > 0));
}

#[test]
fn duplicates_within_one_list_are_found() {
    let options = LinkOptions {
        u_samples: 20_000,
        ..LinkOptions::default()
    };
    let run = run(
        &[ListSpec {
            coverage: 1.0,
            ..spec("a", 0.5, 0.2)
        }],
        1500,
        &options,
    );
    assert!(run.precision > 0.95, "precision {}", run.precision);
    assert!(run.recall > 0.7, "recall {}", run.recall);
}

#[test]
fn the_review_band_lies_between_the_thresholds() {
    let options = LinkOptions {
        scope: PairScope::AcrossLists,
        u_samples: 20_000,
        ..LinkOptions::default()
    };
    let run = run(&[spec("a", 0.5, 0.0), spec("b", 0.5, 0.0)], 1000, &options);
    for pair in &run.outcome.pairs {
        match pair.band {
            Band::Accepted => assert!(pair.probability >= options.accept),
            Band::Review => assert!(pair.probability >= options.review && pair.probability < options.accept),
        }
    }
    let precision_of = |band: Band| {
        let pairs: Vec<_> = run.outcome.pairs.iter().filter(|p| p.band == band).collect();
        let correct = pairs
            .iter()
            .filter(|p| run.person[p.a as usize] == run.person[p.b as usize])
            .count();
        (correct as f64 / pairs.len().max(1) as f64, pairs.len())
    };
    let (review_precision, review) = precision_of(Band::Review);
    let (accepted_precision, _) = precision_of(Band::Accepted);
    assert!(review > 0, "some pairs are uncertain");
    assert!(
        accepted_precision > 0.97,
        "accepted pairs are nearly all right: {accepted_precision}"
    );
    // The band holds real matches a person should confirm, not noise.
    assert!(review_precision > 0.5, "review {review_precision}");
}

#[test]
fn overlap_counts_add_up_to_the_people_found() {
    let options = LinkOptions {
        scope: PairScope::AcrossLists,
        one_to_one: true,
        u_samples: 20_000,
        ..LinkOptions::default()
    };
    let run = run(
        &[spec("a", 0.7, 0.0), spec("b", 0.3, 0.0), spec("c", 0.5, 0.0)],
        800,
        &options,
    );
    let people: u64 = run.outcome.overlap.iter().map(|(_, c)| c).sum();
    assert_eq!(people, run.outcome.clusters);
    let records: u64 = run
        .outcome
        .overlap
        .iter()
        .map(|(pattern, c)| u64::from(pattern.count_ones()) * c)
        .sum();
    assert_eq!(
        records as usize,
        run.list_of.len(),
        "with one record per list per person"
    );
    // The truth's own overlap, for comparison: the found counts are close to it.
    let truth_clusters: Vec<u32> = run.person.iter().map(|p| *p as u32).collect();
    let truth = overlap_counts(&truth_clusters, &run.list_of);
    let all_three = |o: &[(u32, u64)]| o.iter().find(|(p, _)| *p == 0b111).map_or(0, |(_, c)| *c) as f64;
    assert!((all_three(&run.outcome.overlap) - all_three(&truth)).abs() / all_three(&truth) < 0.3);
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let empty = link(&[], &[], &LinkOptions::default(), &|_, _, _| {});
    assert_eq!(empty.unwrap_err(), LinkError::NoRecords);
    let record = Record::default();
    let thresholds = LinkOptions {
        accept: 0.4,
        review: 0.6,
        ..LinkOptions::default()
    };
    let refused = link(std::slice::from_ref(&record), &[0], &thresholds, &|_, _, _| {}).unwrap_err();
    assert!(refused.to_string().contains("review"), "{refused}");
}
