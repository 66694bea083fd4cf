//! Sparse records: a person written without the birth year, the mother or the family name is
//! still compared with his other records (the blocking rules `given+family+place` and
//! `names+grandfather`; `names+family~1` when a name has a slip too), and linked when what the
//! two records hold agrees; his cousin named after the same grandfather, and his brother, stay
//! apart.

use mamar_linkage::blocking::{BlockingRule, PairScope, candidates};
use mamar_linkage::link::LinkOptions;
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};

use super::households::{input, link_extra_with};

/// The default rules and `names+family~1`, which a run may name.
fn with_slips() -> Vec<BlockingRule> {
    let mut rules = BlockingRule::DEFAULT.to_vec();
    rules.insert(rules.len() - 1, BlockingRule::NamesFamilyTypo);
    rules
}

/// Which rules (the default ones and `names+family~1`) put the two records in one block.
fn rules_meeting(pair: &[RecordInput; 2]) -> Vec<&'static str> {
    let gazetteer = Gazetteer::syria();
    let records: Vec<Record> = pair.iter().map(|r| Record::prepare(r, &gazetteer)).collect();
    with_slips()
        .into_iter()
        .filter(|rule| {
            !candidates(&records, &[0, 1], &[*rule], PairScope::All, 5_000)
                .pairs
                .is_empty()
        })
        .map(BlockingRule::name)
        .collect()
}

/// The clusters of `extra` (list, record) linked among generated lists with the defaults
/// and `rules`.
fn clusters_with(extra: &[(u16, RecordInput)], rules: Vec<BlockingRule>) -> Vec<u32> {
    let options = LinkOptions {
        threads: 2,
        rules,
        ..LinkOptions::default()
    };
    let outcome = link_extra_with(extra, &options);
    let first = outcome.cluster_of.len() - extra.len();
    outcome.cluster_of[first..].to_vec()
}

/// The clusters of `extra` linked with the defaults.
fn clusters(extra: &[(u16, RecordInput)]) -> Vec<u32> {
    clusters_with(extra, BlockingRule::DEFAULT.to_vec())
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

/// Asserts that only `rule` puts the two records in one block, and that they are linked (with
/// `names+family~1` named), and not with the defaults if the rule is not one of them.
fn met_only_by_and_linked(pair: [RecordInput; 2], rule: &str) {
    assert_eq!(rules_meeting(&pair), [rule]);
    let [full, sparse] = pair;
    let extra = [(0, full), (1, sparse)];
    let found = clusters_with(&extra, with_slips());
    assert_eq!(found[0], found[1], "one person: {found:?}");
    if BlockingRule::parse(rule).is_some_and(|r| !BlockingRule::DEFAULT.contains(&r)) {
        let found = clusters(&extra);
        assert_ne!(found[0], found[1], "not compared with the defaults: {found:?}");
    }
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

/// Ahmad Nizar Tawfiq Qabbani, born 1985 in Damascus, as a full record, and as a list that
/// wrote his given name with two letters swapped (Amhad: the first consonant of its skeleton
/// is another, `MHD` against `HMD`), and neither his year nor his mother.
fn slip_in_the_first_letter_without_year() -> [RecordInput; 2] {
    [
        input([
            "Ahmad", "Nizar", "Tawfiq", "Qabbani", "Samira", "1985", "Damascus", "",
        ]),
        input(["Amhad", "Nizar", "Tawfiq", "Qabbani", "", "", "Damascus", ""]),
    ]
}

#[test]
fn a_given_name_with_a_slip_in_its_first_letter_and_no_year_is_compared_and_linked_when_the_slip_rule_is_named()
 {
    met_only_by_and_linked(slip_in_the_first_letter_without_year(), "names+family~1");
}

#[test]
fn a_slip_in_the_family_name_without_year_is_found_in_arabic_too() {
    // القباني written القبالي (one letter changed), no year, no mother, no grandfather.
    let pair = [
        input(["باسل", "نزار", "توفيق", "القباني", "سميرة", "1985", "دمشق", ""]),
        input(["باسل", "نزار", "", "القبالي", "", "", "دمشق", ""]),
    ];
    met_only_by_and_linked(pair, "names+family~1");
}

#[test]
fn with_the_year_on_both_records_the_slip_rule_compares_nothing() {
    // The same two records, both with the year: the slip is one `initials+year` cannot see
    // (the first consonant), and `names+family~1` leaves pairs with both years to the other
    // rules; the two are not compared.
    let [full, mut sparse] = slip_in_the_first_letter_without_year();
    sparse.birth_year = "1990".into();
    assert!(rules_meeting(&[full, sparse]).is_empty());
}

#[test]
fn a_brother_whose_name_is_one_letter_from_his_brothers_stays_apart() {
    let [man, slip] = slip_in_the_first_letter_without_year();
    // Mahmoud (`MHMD`), Ahmad's brother: one letter from Ahmad's `HMD` and Amhad's `MHD`, the
    // same father, grandfather, family name, mother and place, written without his year.
    let brother = input([
        "Mahmoud", "Nizar", "Tawfiq", "Qabbani", "Samira", "", "Damascus", "",
    ]);
    assert!(rules_meeting(&[man.clone(), brother.clone()]).contains(&"names+family~1"));
    assert!(rules_meeting(&[slip.clone(), brother.clone()]).contains(&"names+family~1"));
    let found = clusters_with(&[(0, man), (1, slip), (2, brother)], with_slips());
    assert_eq!(found[0], found[1], "Amhad is Ahmad: {found:?}");
    assert_ne!(found[0], found[2], "the brother is another man: {found:?}");
}

#[test]
fn a_record_is_in_the_blocks_of_its_names_with_one_letter_deleted() {
    let gazetteer = Gazetteer::syria();
    let record = Record::prepare(
        &input(["Amhad", "Nizar", "", "Qabbani", "", "", "", ""]),
        &gazetteer,
    );
    let mut keys = Vec::new();
    BlockingRule::NamesFamilyTypo.keys(&record, &mut keys);
    // MHD NZR KBN: as written, and 3 + 3 + 3 deletions.
    assert_eq!(keys.len(), 10, "{keys:?}");
    let without_family = Record::prepare(&input(["Amhad", "Nizar", "", "", "", "", "", ""]), &gazetteer);
    BlockingRule::NamesFamilyTypo.keys(&without_family, &mut keys);
    assert!(keys.is_empty());
    assert!(BlockingRule::NamesFamilyTypo.has_many_keys());
    assert!(!BlockingRule::NamesFamily.has_many_keys());
}

#[test]
fn two_records_sharing_many_blocks_of_the_slip_rule_are_one_pair() {
    let gazetteer = Gazetteer::syria();
    let prepare = |year: &str| {
        Record::prepare(
            &input(["Ahmad", "Nizar", "", "Qabbani", "", year, "", ""]),
            &gazetteer,
        )
    };
    let rule = [BlockingRule::NamesFamilyTypo];
    let pairs = |records: &[Record]| candidates(records, &[0, 1, 2], &rule, PairScope::All, 5_000).pairs;
    // The same names: the two share all ten blocks, and are compared once.
    assert_eq!(pairs(&[prepare("1985"), prepare("")]), [(0, 1)]);
    // Two records with the year are not compared by this rule, but each with the one without.
    assert_eq!(
        pairs(&[prepare("1985"), prepare("1985"), prepare("")]),
        [(0, 2), (1, 2)]
    );
}
