//! The Fellegi–Sunter model: u from random pairs, m by EM, term frequencies.

use mamar_linkage::blocking::PairScope;
use mamar_linkage::compare::{Comparer, Comparison, Field, Level};
use mamar_linkage::link::{LinkOptions, link};
use mamar_linkage::model::{TermFrequencies, pair_weight, probability};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};
use mamar_linkage::synth::{ListSpec, generate};

fn lists(persons: usize) -> (Vec<Record>, Vec<u16>, Vec<u64>) {
    let specs = [
        ListSpec {
            name: "a".into(),
            coverage: 0.7,
            arabic: 0.7,
            duplicates: 0.0,
            noise: 1.0,
            full_name: false,
        },
        ListSpec {
            name: "b".into(),
            coverage: 0.7,
            arabic: 0.3,
            duplicates: 0.0,
            noise: 1.0,
            full_name: false,
        },
    ];
    let gazetteer = Gazetteer::syria();
    let mut records = Vec::new();
    let mut list_of = Vec::new();
    let mut person = Vec::new();
    for (index, list) in generate(persons, &specs, 11).into_iter().enumerate() {
        for r in list {
            records.push(Record::prepare(&r.input, &gazetteer));
            list_of.push(index as u16);
            person.push(r.person);
        }
    }
    (records, list_of, person)
}

#[test]
fn em_without_labels_finds_that_matches_agree_and_random_pairs_do_not() {
    let (records, list_of, _) = lists(1500);
    let options = LinkOptions {
        scope: PairScope::AcrossLists,
        u_samples: 20_000,
        ..LinkOptions::default()
    };
    let outcome = link(&records, &list_of, &options, &|_, _, _| {}).unwrap();
    let parameters = &outcome.parameters;
    for field in [Field::Given, Field::Father, Field::Family, Field::BirthYear] {
        let (m, u) = (parameters.m[field as usize], parameters.u[field as usize]);
        assert!(m[0] > 0.6, "{field:?}: m(exact) = {}", m[0]);
        assert!(u[0] < 0.1, "{field:?}: u(exact) = {}", u[0]);
        assert!(parameters.weight(field as usize, Level::Exact) > 2.0);
        assert!(parameters.weight(field as usize, Level::Different) < 0.0);
    }
    assert!(
        parameters.weight(Field::Phone as usize, Level::Exact) > 8.0,
        "a shared phone number is strong evidence"
    );
    assert!(parameters.lambda > 0.0 && parameters.lambda < 0.01);
}

#[test]
fn agreeing_on_a_common_name_counts_for_less_than_on_a_rare_one() {
    // 200 men called Mohammed and 100 with other names, all written in Latin letters, each
    // the grandson of a man of his own name.
    let others = ["Omar", "Khaled", "Bassel", "Firas"];
    let mut inputs: Vec<RecordInput> = (0..300)
        .map(|i| {
            let name = if i < 200 { "Mohammed" } else { others[i % 4] };
            RecordInput {
                given: name.into(),
                grandfather: name.into(),
                family: format!("Family{i}"),
                ..RecordInput::default()
            }
        })
        .collect();
    for family in ["Kayyali", "Kayali"] {
        inputs.push(RecordInput {
            given: "Ghassan".into(),
            grandfather: "Ghassan".into(),
            family: family.into(),
            ..RecordInput::default()
        });
    }
    let gazetteer = Gazetteer::syria();
    let records: Vec<Record> = inputs.iter().map(|i| Record::prepare(i, &gazetteer)).collect();
    let tf = TermFrequencies::count(&records);
    let list_of = vec![0u16; records.len()];
    let outcome = link(&records, &list_of, &LinkOptions::default(), &|_, _, _| {}).unwrap();
    let exact_given = Comparison::from_levels(&[
        Level::Exact,
        Level::Missing,
        Level::Missing,
        Level::Missing,
        Level::Missing,
        Level::Missing,
        Level::Missing,
        Level::Missing,
    ]);
    let common = pair_weight(&outcome.parameters, Some(&tf), exact_given, 0, 1);
    let rare = pair_weight(&outcome.parameters, Some(&tf), exact_given, 300, 301);
    let plain = pair_weight(&outcome.parameters, None, exact_given, 0, 1);
    assert!(common < plain, "Mohammed: {common} vs unadjusted {plain}");
    assert!(rare > common + 3.0, "Ghassan {rare} vs Mohammed {common}");
    // The grandfather's name likewise.
    let mut levels = [Level::Missing; 8];
    levels[Field::Grandfather as usize] = Level::Exact;
    let exact_grandfather = Comparison::from_levels(&levels);
    let common = pair_weight(&outcome.parameters, Some(&tf), exact_grandfather, 0, 1);
    let rare = pair_weight(&outcome.parameters, Some(&tf), exact_grandfather, 300, 301);
    assert!(
        rare > common + 3.0,
        "grandfather Ghassan {rare} vs Mohammed {common}"
    );
}

#[test]
fn probabilities_follow_weights() {
    assert!((probability(0.0) - 0.5).abs() < 1e-12);
    assert!(probability(10.0) > 0.999);
    assert!(probability(-10.0) < 0.001);
}

#[test]
fn an_em_session_that_counts_more_matches_than_its_pairs_can_hold_is_left_out() {
    use mamar_linkage::model::{Session, estimate_m};
    use rustc_hash::FxHashMap;
    // The grandfather's name (the last field) is missing throughout.
    let pattern = |levels: [Level; 7]| {
        let mut all = [Level::Missing; 8];
        all[..7].copy_from_slice(&levels);
        Comparison::from_levels(&all)
    };
    let (e, c, d, x) = (Level::Exact, Level::Close, Level::Different, Level::Missing);
    let u = [
        [0.05, 0.02, 0.16, 0.77],
        [0.05, 0.02, 0.16, 0.77],
        [0.02, 0.01, 0.12, 0.85],
        [0.01, 0.01, 0.05, 0.93],
        [0.02, 0.04, 0.08, 0.86],
        [0.09, 0.001, 0.001, 0.908],
        [0.0001, 0.0001, 0.0001, 0.9997],
        [0.05, 0.02, 0.16, 0.77],
    ];
    // Session 1, blocked on the given name: 1,000 matches that agree on nearly everything,
    // 20,000 non-matches that agree on nothing else.
    let mut good: FxHashMap<Comparison, u64> = FxHashMap::default();
    good.insert(pattern([e, e, e, x, e, e, x]), 900);
    good.insert(pattern([e, c, e, x, c, e, x]), 100);
    good.insert(pattern([e, d, d, x, d, d, x]), 20_000);
    // Session 2, blocked on the family name: 5,000 pairs of people who share father's name
    // and place but are different people (a family's village, a common name), and the lists
    // hold at most 300 matches among them.
    let mut bad: FxHashMap<Comparison, u64> = FxHashMap::default();
    bad.insert(pattern([d, e, e, x, d, e, x]), 5_000);
    bad.insert(pattern([d, d, e, x, d, d, x]), 20_000);
    // One kind of pair.
    let one_kind = |patterns: &FxHashMap<Comparison, u64>| -> FxHashMap<(Comparison, u16), u64> {
        patterns.iter().map(|(c, n)| ((*c, 0), *n)).collect()
    };
    let (good_kind, bad_kind) = (one_kind(&good), one_kind(&bad));
    let sessions = [
        Session {
            patterns: &good_kind,
            blocked_fields: &[Field::Given],
            households: false,
            max_matches: 2_000.0,
        },
        Session {
            patterns: &bad_kind,
            blocked_fields: &[Field::Family],
            households: false,
            max_matches: 300.0,
        },
    ];
    let mut all = good.clone();
    for (k, v) in &bad {
        *all.entry(*k).or_default() += v;
    }
    let parameters = estimate_m(&sessions, &all, u, 1e9, 200);
    let fits = &parameters.sessions;
    assert!(fits[0].kept, "{:?}", fits[0]);
    assert!(!fits[1].kept && fits[1].expected_matches > 300.0, "{:?}", fits[1]);
    // Place and birth year come from the good session alone: matches agree, u does not.
    let place = parameters.m[Field::Place as usize];
    assert!(place[0] > 0.95, "m(place) = {place:?}");
    let year = parameters.m[Field::BirthYear as usize];
    assert!(year[3] < 0.05, "m(birth year) = {year:?}");
    for field in [Field::Father, Field::Place, Field::BirthYear] {
        assert!(
            parameters.weight(field as usize, Level::Exact) > 0.0
                && parameters.weight(field as usize, Level::Different) < 0.0,
            "{field:?}"
        );
    }
}

#[test]
fn term_frequencies_from_the_compact_form_are_those_of_the_records() {
    use mamar_linkage::compact::Compacted;
    let (records, _, _) = lists(1500);
    let plain = TermFrequencies::count(&records);
    let compact = TermFrequencies::count_compact(&Compacted::new(&records));
    let mut some = 0;
    for record in 0..records.len() {
        for field in [0, 1, 2, 3, Field::Grandfather as usize] {
            assert_eq!(
                plain.share(record, field),
                compact.share(record, field),
                "{record} {field}"
            );
            some += usize::from(plain.share(record, field).is_some());
        }
    }
    assert!(some > 4000);
}

#[test]
fn agreeing_on_a_name_across_scripts_counts_as_agreeing_where_the_name_is_commonest() {
    // Half the records written in Latin letters are Mohammed; one Arabic record in twenty is
    // محمد. A Latin "Mohammed" is as likely to agree with a stranger's محمد as with a
    // stranger's "Mohammed": agreeing across scripts says as little as agreeing in Latin
    // letters, not the mean of the two shares.
    let mut inputs: Vec<RecordInput> = Vec::new();
    for i in 0..200 {
        let latin = if i % 2 == 0 {
            "Mohammed".to_string()
        } else {
            format!("Name{i}")
        };
        inputs.push(RecordInput {
            given: latin,
            family: format!("Family{i}"),
            ..RecordInput::default()
        });
    }
    let arabic = [
        "عمر", "خالد", "باسل", "فراس", "غسان", "ماهر", "نزار", "وائل", "سامر", "رامي",
    ];
    for i in 0..200 {
        let given = if i % 20 == 0 { "محمد" } else { arabic[i % 10] };
        inputs.push(RecordInput {
            given: given.into(),
            family: format!("عائلة{i}"),
            ..RecordInput::default()
        });
    }
    let gazetteer = Gazetteer::syria();
    let records: Vec<Record> = inputs.iter().map(|i| Record::prepare(i, &gazetteer)).collect();
    let across = (0, 200);
    assert_eq!(
        Comparer::new()
            .compare(&records[across.0], &records[across.1])
            .level(Field::Given as usize),
        Level::Exact,
        "Mohammed and محمد are one name"
    );
    let list_of = vec![0u16; records.len()];
    let outcome = link(&records, &list_of, &LinkOptions::default(), &|_, _, _| {}).unwrap();
    let mut levels = [Level::Missing; 8];
    levels[Field::Given as usize] = Level::Exact;
    let exact_given = Comparison::from_levels(&levels);
    let latin = TermFrequencies::count(&records);
    let weight = |tf: &TermFrequencies, (a, b): (usize, usize)| {
        pair_weight(&outcome.parameters, Some(tf), exact_given, a, b)
    };
    let in_latin = weight(&latin, (0, 2));
    let larger = TermFrequencies::count(&records).with_larger_share(true);
    assert!(
        (weight(&larger, across) - in_latin).abs() < 1e-6,
        "across scripts {} against in Latin letters {in_latin}",
        weight(&larger, across)
    );
    assert!(
        weight(&latin, across) > in_latin + 1.0,
        "by default the mean of the shares: {} against {in_latin}",
        weight(&latin, across)
    );
}
