//! Field levels of record comparisons, and blocking.

use mamar_linkage::blocking::{BlockingRule, PairScope, candidates};
use mamar_linkage::compare::{Level, compare};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput, parse_year, phone_number};

/// Two generated lists over `persons` people, one mostly in Arabic script, one mostly in Latin.
fn two_synthetic_lists(persons: usize, seed: u64) -> Vec<Vec<mamar_linkage::synth::SyntheticRecord>> {
    use mamar_linkage::synth::{ListSpec, generate};
    let spec = |name: &str, arabic: f64| ListSpec {
        name: name.into(),
        coverage: 0.7,
        arabic,
        duplicates: 0.1,
        noise: 2.0,
        full_name: false,
    };
    generate(persons, &[spec("a", 0.7), spec("b", 0.3)], seed)
}

fn record(given: &str, father: &str, family: &str, year: &str, place: &str, phone: &str) -> Record {
    let input = RecordInput {
        given: given.into(),
        father: father.into(),
        family: family.into(),
        birth_year: year.into(),
        place: place.into(),
        phone: phone.into(),
        ..RecordInput::default()
    };
    Record::prepare(&input, &Gazetteer::syria())
}

#[test]
fn the_same_person_in_arabic_and_in_latin_agrees_on_every_field() {
    let arabic = record("محمد", "أحمد", "الخطيب", "١٩٨٥", "حلب", "0944 123 456");
    let latin = record(
        "Mohammed",
        "Ahmad",
        "Al-Khatib",
        "1985",
        "Aleppo",
        "+963 944123456",
    );
    let levels = compare(&arabic, &latin).levels();
    assert_eq!(levels[0], Level::Exact, "given");
    assert_eq!(levels[1], Level::Exact, "father");
    assert_eq!(levels[2], Level::Exact, "family");
    assert_eq!(levels[3], Level::Missing, "mother: empty on both sides");
    assert_eq!(levels[4], Level::Exact, "birth year");
    assert_eq!(levels[5], Level::Exact, "place");
    assert_eq!(levels[6], Level::Exact, "phone");
}

#[test]
fn years_phones_and_places_have_graded_levels() {
    let base = record("Omar", "Ali", "Hamwi", "1980", "Hama", "0933111222");
    let year = |y: &str| compare(&base, &record("Omar", "Ali", "Hamwi", y, "", "")).level(4);
    assert_eq!(year("1981"), Level::Close);
    assert_eq!(year("1983"), Level::Partial);
    assert_eq!(year("1990"), Level::Different);
    assert_eq!(year(""), Level::Missing);
    let phone = |p: &str| compare(&base, &record("Omar", "", "", "", "", p)).level(6);
    assert_eq!(phone("00963 933 111 222"), Level::Exact);
    assert_eq!(phone("0933111223"), Level::Close);
    assert_eq!(phone("0813111222"), Level::Partial, "same last seven digits");
    assert_eq!(phone("0955444333"), Level::Different);
    let place = |p: &str| compare(&base, &record("Omar", "", "", "", p, "")).level(5);
    assert_eq!(place("حماة"), Level::Exact);
    assert_eq!(place("Hamah"), Level::Exact);
    assert_eq!(place("Homs"), Level::Different);
}

#[test]
fn swapped_given_and_father_names_are_close_and_one_crossed_name_is_partial() {
    // Both names the other way round: close (a man and his son named after his father look
    // the same, so not exact).
    let a = record("Khaled", "Omar", "Halabi", "1970", "", "");
    let b = record("عمر", "خالد", "الحلبي", "1970", "", "");
    let levels = compare(&a, &b).levels();
    assert_eq!((levels[0], levels[1]), (Level::Close, Level::Close));
    assert_eq!(levels[2], Level::Exact);
    // One name crossed (Omar the father of one, the given name of the other), the other not:
    // both partial.
    let c = record("Omar", "Hassan", "Halabi", "1970", "", "");
    let levels = compare(&a, &c).levels();
    assert_eq!((levels[0], levels[1]), (Level::Partial, Level::Partial));
}

#[test]
fn a_typo_is_close_and_another_name_is_different() {
    let a = record("Ibrahim", "", "Kayyali", "", "", "");
    assert_eq!(
        compare(&a, &record("Ibrahin", "", "Kayyali", "", "", "")).level(0),
        Level::Close
    );
    assert_eq!(
        compare(&a, &record("Ismail", "", "Kayyali", "", "", "")).level(0),
        Level::Different
    );
    assert_eq!(
        compare(&a, &record("", "", "Kayyali", "", "", "")).level(0),
        Level::Missing
    );
}

#[test]
fn a_full_name_is_split_into_given_father_and_family() {
    let input = RecordInput {
        full_name: "محمد بن أحمد الخطيب".into(),
        ..RecordInput::default()
    };
    let parsed = Record::prepare(&input, &Gazetteer::syria());
    let latin = record("Muhammad", "Ahmad", "Khatib", "", "", "");
    let levels = compare(&parsed, &latin).levels();
    assert_eq!(&levels[..3], &[Level::Exact, Level::Exact, Level::Exact]);
}

#[test]
fn years_and_phone_numbers_are_read_from_what_clerks_write() {
    assert_eq!(parse_year("1985"), Some(1985));
    assert_eq!(parse_year("١٩٨٥"), Some(1985));
    assert_eq!(parse_year("15/03/1985"), Some(1985));
    assert_eq!(parse_year("1985-03-15"), Some(1985));
    assert_eq!(parse_year("unknown"), None);
    assert_eq!(parse_year("1850"), None);
    assert_eq!(phone_number("+963 944 123 456").as_deref(), Some("944123456"));
    assert_eq!(phone_number("0944123456").as_deref(), Some("944123456"));
    assert_eq!(phone_number("٠٩٤٤١٢٣٤٥٦").as_deref(), Some("944123456"));
    assert_eq!(phone_number("12"), None);
}

#[test]
fn blocking_rules_put_arabic_and_latin_spellings_together_and_count_pairs() {
    let records = vec![
        record("محمد", "أحمد", "الخطيب", "1985", "", ""),
        record("Mohammed", "Ahmad", "Al-Khatib", "1986", "", ""),
        record("Omar", "Ali", "Hamwi", "1990", "", ""),
    ];
    let list_of = [0, 1, 1];
    let found = candidates(
        &records,
        &list_of,
        &BlockingRule::DEFAULT,
        PairScope::AcrossLists,
        1000,
    );
    assert_eq!(found.pairs, vec![(0, 1)], "only the same person is a candidate");
    let names_family = BlockingRule::DEFAULT
        .iter()
        .position(|r| *r == BlockingRule::NamesFamily)
        .unwrap();
    assert_eq!(found.stats[names_family].pairs, 1);
    assert_ne!(found.rules[0] & (1 << names_family), 0);
    let names_year = BlockingRule::DEFAULT
        .iter()
        .position(|r| *r == BlockingRule::NamesYear)
        .unwrap();
    assert_eq!(found.stats[names_year].pairs, 0, "the years differ");
}

#[test]
fn oversized_blocks_are_left_out_and_reported() {
    let records: Vec<Record> = (0..30)
        .map(|_| record("Mohammed", "Ahmad", "Ali", "1980", "", ""))
        .collect();
    let list_of = vec![0u16; 30];
    let found = candidates(
        &records,
        &list_of,
        &[BlockingRule::NamesFamily],
        PairScope::All,
        100,
    );
    assert!(found.pairs.is_empty());
    assert_eq!(found.stats[0].skipped_blocks, 1);
    assert_eq!(found.stats[0].skipped_pairs, 435);
}

#[test]
fn the_compact_comparer_gives_the_levels_of_the_reference_comparer() {
    use mamar_linkage::compact::{CompactComparer, Compacted};
    use mamar_linkage::synth::{Households, ListSpec, generate_households};
    let mut lists = two_synthetic_lists(3_000, 11);
    // Households: grandfathers, towns, whole names in one column, in other orders, joined.
    let spec = |name: &str, full_name: bool| ListSpec {
        name: name.into(),
        coverage: 0.6,
        arabic: 0.5,
        duplicates: 0.1,
        noise: 2.0,
        full_name,
    };
    lists.extend(generate_households(
        2_000,
        &[spec("c", false), spec("d", true)],
        &Households::default(),
        13,
    ));
    let gazetteer = Gazetteer::syria();
    let mut records: Vec<Record> = lists
        .iter()
        .flatten()
        .map(|r| Record::prepare(&r.input, &gazetteer))
        .collect();
    // Records the compact form cannot hold (four parts in a field, a phone with letters).
    records.push(Record::prepare(
        &RecordInput {
            given: "محمد علي حسن عمر".into(),
            family: "Al Khatib".into(),
            ..RecordInput::default()
        },
        &gazetteer,
    ));
    records.push(Record {
        phone: Some("12ab".into()),
        ..records[0].clone()
    });
    // Phones of every length the compact form holds, next to each other.
    for phone in [
        "123",
        "0000123",
        "94412345",
        "944123456",
        "944123457",
        "944123465",
        "044123456",
        "9441234",
        "0944123",
    ] {
        records.push(Record {
            phone: Some(phone.into()),
            ..records[1].clone()
        });
    }
    let compacted = Compacted::new(&records);
    let mut comparer = CompactComparer::new();
    let n = records.len();
    let mut checked = 0;
    // Every record with its neighbours and with records far away, both ways round.
    for a in 0..n {
        for b in [a + 1, a + 7, a * 31 % n, n - 1 - a % 5] {
            if b >= n || b == a {
                continue;
            }
            assert_eq!(
                comparer.compare(&compacted, a, b).levels(),
                compare(&records[a], &records[b]).levels(),
                "{a} {b}: {:?} {:?}",
                records[a].family,
                records[b].family
            );
            assert_eq!(
                comparer.compare(&compacted, b, a).levels(),
                compare(&records[b], &records[a]).levels(),
                "{b} {a}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10_000);
}

#[test]
fn preparing_lists_at_once_gives_the_records_prepared_one_by_one() {
    let lists = two_synthetic_lists(1_500, 5);
    let mut inputs: Vec<Vec<RecordInput>> = lists
        .iter()
        .map(|l| l.iter().map(|r| r.input.clone()).collect())
        .collect();
    // A full name only, a phone in Arabic-Indic digits, a date of birth.
    inputs[0].push(RecordInput {
        full_name: "محمد أحمد عبد الرحمن الحلبي".into(),
        phone: "٠٩٤٤ ١٢٣ ٤٥٦".into(),
        birth_year: "15/03/1985".into(),
        ..RecordInput::default()
    });
    // Full names written family name first, and of unsure order, whose parts other names
    // repeat (each distinct text's order is read once, with its parse).
    for full_name in [
        "الخطيب محمد أحمد",
        "Al-Khatib Mohammed Ahmad",
        "Hamwi Mohammed Khaled",
    ] {
        inputs[1].push(RecordInput {
            full_name: full_name.into(),
            ..RecordInput::default()
        });
    }
    let gazetteer = Gazetteer::syria();
    let slices: Vec<&[RecordInput]> = inputs.iter().map(Vec::as_slice).collect();
    for threads in [1, 3] {
        let at_once = Record::prepare_lists(&slices, &gazetteer, threads);
        let one_by_one: Vec<Record> = inputs
            .iter()
            .flatten()
            .map(|i| Record::prepare(i, &gazetteer))
            .collect();
        assert_eq!(at_once.len(), one_by_one.len());
        for (x, y) in at_once.iter().zip(&one_by_one) {
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
    }
}

#[test]
fn the_alignment_stops_early_only_below_its_floor() {
    use mamar_linkage::name::Name;
    use mamar_linkage::normalize::Script;
    use mamar_linkage::similarity::{cross_script_similarity, cross_script_similarity_from};
    let names = [
        "محمد",
        "أحمد",
        "حسين",
        "حسن",
        "عبد الرحمن",
        "خالد",
        "خليل",
        "عمر",
        "عمار",
        "سعيد",
        "سعد",
        "فاطمة",
        "Mohammed",
        "Muhammad",
        "Ahmet",
        "Ahmad",
        "Hussein",
        "Hasan",
        "Abdelrahman",
        "Khaled",
        "Khalil",
        "Omar",
        "Ammar",
        "Said",
        "Saad",
        "Fatima",
        "Mhd",
        "Qashami",
        "Kashami",
        "Hussain",
    ];
    let parts: Vec<_> = names.iter().flat_map(|n| Name::parse(n).parts.to_vec()).collect();
    let mut checked = 0;
    for a in parts.iter().filter(|p| p.script == Script::Arabic) {
        for b in parts.iter().filter(|p| p.script == Script::Latin) {
            let full = cross_script_similarity(&a.sounds, &b.sounds);
            for floor in [0.5, 0.85, 0.93] {
                let early = cross_script_similarity_from(&a.sounds, &b.sounds, floor);
                assert_eq!(
                    early >= floor,
                    full >= floor,
                    "{} {}",
                    a.canonical,
                    b.latin_skeleton
                );
                if full >= floor {
                    assert_eq!(early, full);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 300);
}

#[test]
fn a_slip_in_a_name_across_scripts_or_in_a_short_name_is_near_not_different() {
    let given = |a: &str, b: &str| {
        compare(
            &record(a, "", "Kayyali", "", "", ""),
            &record(b, "", "Kayyali", "", "", ""),
        )
        .level(0)
    };
    // One person, a letter slipped on one list: near (partial), not a different name.
    assert_eq!(given("فراسس", "Feras"), Level::Partial);
    assert_eq!(given("خالد", "Khaleh"), Level::Partial);
    assert_eq!(given("خاند", "خالد"), Level::Partial);
    assert_eq!(given("عنار", "عمار"), Level::Partial);
    assert_eq!(given("عنر", "عمر"), Level::Partial);
    // Two consonants swapped across scripts (the sound alignment pays for a swap twice).
    assert_eq!(given("محدم", "Mohammad"), Level::Partial);
    assert_eq!(given("خادل", "Khaled"), Level::Partial);
    // Other names stay different, and so do names of two sounds a letter apart across scripts.
    assert_eq!(given("خالد", "Ahmad"), Level::Different);
    assert_eq!(given("Ibrahim", "Ismail"), Level::Different);
    assert_eq!(given("علي", "Ai"), Level::Different);
    // What was close or exact stays so.
    assert_eq!(given("فراس", "Feras"), Level::Exact);
    assert_eq!(given("Ibrahim", "Ibrahin"), Level::Close);
    assert_eq!(given("ممحد", "محمد"), Level::Close);
}

#[test]
fn the_alignment_with_slack_is_the_alignment_within_its_bound() {
    use mamar_linkage::name::Name;
    use mamar_linkage::normalize::Script;
    use mamar_linkage::similarity::{arabic_length, cross_script_alignment, cross_script_similarity};
    let arabic = ["فراسس", "خالد", "محمد", "عبد الرحمن", "علي", "حسين"];
    let latin = [
        "Feras",
        "Khaleh",
        "Mohammed",
        "Abdelrahman",
        "Ai",
        "Hasan",
        "Omar",
    ];
    for a in arabic {
        for l in latin {
            let (a, l) = (Name::parse(a), Name::parse(l));
            let (a, l) = (&a.parts[0], &l.parts[0]);
            assert_eq!((a.script, l.script), (Script::Arabic, Script::Latin));
            let full = cross_script_similarity(&a.sounds, &l.sounds);
            let bound = 0.85 - 1.0 / arabic_length(&a.sounds);
            let slack = cross_script_alignment(&a.sounds, &l.sounds, 0.85, 1.0);
            if full >= bound {
                assert!((slack - full).abs() < 1e-12, "{a:?} {l:?}");
            } else {
                assert!(slack < bound + 1e-9, "{a:?} {l:?}");
            }
        }
    }
}
