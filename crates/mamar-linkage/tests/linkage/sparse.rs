//! Sparse records: a person written without the birth year, the mother or the family name is
//! still compared with his other records (the blocking rules `given+family+place` and
//! `names+grandfather`), and linked when what the two records hold agrees; his cousin named
//! after the same grandfather, and his brother, stay apart.

use mamar_linkage::blocking::{BlockingRule, PairScope, candidates};
use mamar_linkage::link::LinkOptions;
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};

use super::households::{input, link_extra_with};

/// Which rules put the two records in one block.
fn rules_meeting(pair: &[RecordInput; 2]) -> Vec<&'static str> {
    let gazetteer = Gazetteer::syria();
    let records: Vec<Record> = pair.iter().map(|r| Record::prepare(r, &gazetteer)).collect();
    BlockingRule::DEFAULT
        .into_iter()
        .filter(|rule| {
            !candidates(&records, &[0, 1], &[*rule], PairScope::All, 5_000)
                .pairs
                .is_empty()
        })
        .map(BlockingRule::name)
        .collect()
}

/// The clusters of `extra` (list, record) linked among generated lists with the defaults.
fn clusters(extra: &[(u16, RecordInput)]) -> Vec<u32> {
    let options = LinkOptions {
        threads: 2,
        ..LinkOptions::default()
    };
    let outcome = link_extra_with(extra, &options);
    let first = outcome.cluster_of.len() - extra.len();
    outcome.cluster_of[first..].to_vec()
}

/// Bassel Nizar Tawfiq Qabbani, born 1985 in Damascus, as a full record, and as a list that
/// wrote neither his father nor his mother, and his birth year one off.
fn without_father_or_mother() -> [RecordInput; 2] {
    [
        input([
            "Bassel", "Nizar", "Tawfiq", "Qabbani", "Samira", "1985", "Damascus", "",
        ]),
        input(["باسل", "", "توفيق", "القباني", "", "1986", "دمشق", ""]),
    ]
}

/// The same man as a list that wrote neither his family name nor his birth year.
fn without_family_or_year() -> [RecordInput; 2] {
    [
        input([
            "Bassel", "Nizar", "Tawfiq", "Qabbani", "Samira", "1985", "Damascus", "",
        ]),
        input(["باسل", "نزار", "توفيق", "", "سميرة", "", "دمشق", ""]),
    ]
}

/// Asserts that only `rule` puts the two records in one block, and that they are linked.
fn met_only_by_and_linked(pair: [RecordInput; 2], rule: &str) {
    assert_eq!(rules_meeting(&pair), [rule]);
    let [full, sparse] = pair;
    let found = clusters(&[(0, full), (1, sparse)]);
    assert_eq!(found[0], found[1], "one person: {found:?}");
}

#[test]
fn a_record_without_father_mother_or_the_right_year_is_compared_by_given_family_and_governorate() {
    met_only_by_and_linked(without_father_or_mother(), "given+family+place");
}

#[test]
fn a_record_without_family_name_or_year_is_compared_by_the_names_and_the_grandfather() {
    met_only_by_and_linked(without_family_or_year(), "names+grandfather");
}

#[test]
fn a_cousin_named_after_the_same_grandfather_and_a_brother_stay_apart() {
    let man = input([
        "Bassel", "Nizar", "Tawfiq", "Qabbani", "Samira", "1985", "Damascus", "",
    ]);
    // The son of Nizar's brother Marwan, also named Bassel: the same given name, family
    // name, grandfather and governorate; another father, mother and year.
    let cousin = input(["باسل", "مروان", "توفيق", "القباني", "هدى", "1990", "دمشق", ""]);
    let brother = input([
        "Rami", "Nizar", "Tawfiq", "Qabbani", "Samira", "1988", "Damascus", "",
    ]);
    assert!(rules_meeting(&[man.clone(), cousin.clone()]).contains(&"given+family+place"));
    let found = clusters(&[(0, man), (1, cousin), (1, brother)]);
    assert_ne!(found[0], found[1], "the cousin is another man: {found:?}");
    assert_ne!(found[0], found[2], "the brother is another man: {found:?}");
}

#[test]
fn the_sparse_rules_leave_out_blocks_of_many_namesakes() {
    let gazetteer = Gazetteer::syria();
    let namesakes = |count: usize| -> Vec<Record> {
        (0..count)
            .map(|i| {
                let year = (1960 + i).to_string();
                Record::prepare(
                    &input(["Mohammed", "", "", "Hasan", "", &year, "Damascus", ""]),
                    &gazetteer,
                )
            })
            .collect()
    };
    let stats = |records: &[Record]| {
        let lists = vec![0u16; records.len()];
        let rule = [BlockingRule::GivenFamilyGovernorate];
        let found = candidates(records, &lists, &rule, PairScope::All, 5_000);
        (found.pairs.len(), found.stats[0].skipped_blocks)
    };
    // 20 records: 190 pairs, within the rule's 200 (5,000 / 25).
    assert_eq!(stats(&namesakes(20)), (190, 0));
    // 21 records: 210 pairs, a block the other rules would keep and this one leaves out.
    assert_eq!(stats(&namesakes(21)), (0, 1));
    assert_eq!(BlockingRule::GivenFamilyGovernorate.block_pairs_limit(5_000), 200);
    assert_eq!(BlockingRule::GivenFamilyYear.block_pairs_limit(5_000), 5_000);
}
