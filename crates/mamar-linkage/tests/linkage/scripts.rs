//! The name fields' m and u per combination of the two records' scripts.

use mamar_linkage::compare::{Comparer, Field, Level};
use mamar_linkage::link::{LinkOptions, link};
use mamar_linkage::normalize::Script;
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::Record;
use mamar_linkage::synth::{ListSpec, generate};

/// Arabic–Arabic 0, Arabic–Latin 1, Latin–Latin 2, as the model numbers them.
fn script_pair(a: &Record, b: &Record) -> Option<usize> {
    let code = |r: &Record| match r.given.first()?.script {
        Script::Arabic => Some(0),
        Script::Latin => Some(1),
    };
    Some(code(a)? + code(b)?)
}

#[test]
fn one_persons_given_name_written_twice_in_latin_letters_is_learnt_to_agree_exactly_less_often_than_in_arabic()
 {
    // Two lists of the same people, one mostly in Arabic letters, one mostly in Latin: a man's
    // given name written twice in Arabic agrees exactly on its canonical form; written twice
    // in Latin letters, by clerks who transliterate each their own way (Mohammad, Muhammed),
    // less often. The pooled m of exact agreement mixes the two; the model learns each,
    // without labels, and their gap near the generated truth's.
    let specs = [
        ListSpec::columns("a", 0.8, 0.6, 0.03),
        ListSpec::columns("b", 0.8, 0.4, 0.03),
    ];
    let gazetteer = Gazetteer::syria();
    let mut records = Vec::new();
    let mut list_of = Vec::new();
    let mut person = Vec::new();
    for (index, list) in generate(3_000, &specs, 5).into_iter().enumerate() {
        for r in list {
            records.push(Record::prepare(&r.input, &gazetteer));
            list_of.push(index as u16);
            person.push(r.person);
        }
    }
    let options = LinkOptions {
        threads: 2,
        name_weights_per_script: true,
        ..LinkOptions::default()
    };
    let outcome = link(&records, &list_of, &options, &|_, _, _| {}).unwrap();
    let by_script = outcome
        .parameters
        .by_script
        .as_ref()
        .expect("the name weights per script are estimated when asked for");

    // The truth: among pairs of records of one person, the share whose given names agree
    // exactly, by the two records' scripts.
    let mut exact = [0f64; 3];
    let mut all = [0f64; 3];
    let mut comparer = Comparer::new();
    let mut of_person: std::collections::HashMap<u64, Vec<usize>> = Default::default();
    for (index, p) in person.iter().enumerate() {
        of_person.entry(*p).or_default().push(index);
    }
    for indices in of_person.values() {
        for (k, &a) in indices.iter().enumerate() {
            for &b in &indices[k + 1..] {
                let level = comparer
                    .compare(&records[a], &records[b])
                    .level(Field::Given as usize);
                if let Some(pair) = script_pair(&records[a], &records[b])
                    && level != Level::Missing
                {
                    all[pair] += 1.0;
                    if level == Level::Exact {
                        exact[pair] += 1.0;
                    }
                }
            }
        }
    }
    let truth: Vec<f64> = exact.iter().zip(&all).map(|(e, n)| e / n).collect();
    let learnt: Vec<f64> = (0..3).map(|pair| by_script.m[pair][0][0]).collect();
    let pooled = outcome.parameters.m[Field::Given as usize][0];
    assert!(
        truth[2] < truth[0] - 0.03,
        "the generated names agree less often in Latin letters: {truth:?}"
    );
    let (learnt_gap, true_gap) = (learnt[0] - learnt[2], truth[0] - truth[2]);
    assert!(
        learnt_gap > true_gap / 2.0 && learnt_gap < true_gap * 2.0,
        "learnt {learnt:?} (gap {learnt_gap}) against the truth {truth:?} (gap {true_gap}); pooled {pooled}"
    );
    assert!(
        (learnt[2] - truth[2]).abs() < (pooled - truth[2]).abs(),
        "Latin–Latin: learnt {} nearer the truth {} than the pooled {pooled}",
        learnt[2],
        truth[2]
    );
}
