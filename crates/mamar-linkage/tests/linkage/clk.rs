//! Keyed Bloom-filter encodings and their matching.

use mamar_linkage::clk::{
    Clk, ClkBlocking, ClkConfig, ClkError, ClkMatchOptions, ClkSecret, ClkStore, Encoder, Hardening, Kernel,
    dice, kernel, match_lists, scan,
};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};
use mamar_linkage::synth::{ListSpec, generate};

fn secret(text: &str) -> ClkSecret {
    ClkSecret::new(text.as_bytes().to_vec()).unwrap()
}

fn person(given: &str, father: &str, family: &str, year: &str, place: &str) -> Record {
    let input = RecordInput {
        given: given.into(),
        father: father.into(),
        family: family.into(),
        birth_year: year.into(),
        place: place.into(),
        ..RecordInput::default()
    };
    Record::prepare(&input, &Gazetteer::syria())
}

#[test]
fn one_person_in_arabic_and_in_latin_gets_similar_encodings_and_others_do_not() {
    let encoder = Encoder::new(&secret("a shared secret for the test"), ClkConfig::default()).unwrap();
    let arabic = encoder.encode(&person("محمد", "أحمد", "الخطيب", "1985", "حلب"));
    let latin = encoder.encode(&person("Mohammed", "Ahmad", "Al-Khatib", "1985", "Aleppo"));
    let other = encoder.encode(&person("Omar", "Khaled", "Hamwi", "1972", "Hama"));
    assert_eq!(arabic.bits(), 1024);
    assert!(
        dice(&arabic.words, &latin.words) > 0.95,
        "{}",
        dice(&arabic.words, &latin.words)
    );
    assert!(
        dice(&arabic.words, &other.words) < 0.5,
        "{}",
        dice(&arabic.words, &other.words)
    );
}

#[test]
fn encodings_depend_on_the_secret_and_are_repeatable() {
    let record = person("Khaled", "Omar", "Halabi", "1980", "Idlib");
    let first = Encoder::new(&secret("secret number one"), ClkConfig::default())
        .unwrap()
        .encode(&record);
    let again = Encoder::new(&secret("secret number one"), ClkConfig::default())
        .unwrap()
        .encode(&record);
    let other = Encoder::new(&secret("secret number two"), ClkConfig::default())
        .unwrap()
        .encode(&record);
    assert_eq!(first, again);
    assert!(
        dice(&first.words, &other.words) < 0.5,
        "another secret sets other bits"
    );
    assert_eq!(Clk::from_bytes(&first.to_bytes(), 1024).unwrap(), first);
}

#[test]
fn short_secrets_and_bad_lengths_are_refused_and_secrets_are_not_shown() {
    assert_eq!(
        ClkSecret::new(b"short".to_vec()).unwrap_err(),
        ClkError::SecretTooShort
    );
    let key = secret("a secret that must never be printed");
    assert!(!format!("{key:?}").contains("printed"));
    let config = ClkConfig {
        bits: 1000,
        ..ClkConfig::default()
    };
    assert_eq!(Encoder::new(&key, config).unwrap_err(), ClkError::Length(1000));
}

#[test]
fn hardening_changes_length_and_balancing_sets_exactly_half_the_bits() {
    let key = secret("hardening test secret");
    let record = person("Yousef", "Ali", "Kurdi", "1990", "Homs");
    let similar = person("Youssef", "Ali", "Al-Kurdi", "1990", "Homs");
    let balanced = Encoder::new(
        &key,
        ClkConfig {
            hardening: Hardening::Balance,
            ..ClkConfig::default()
        },
    )
    .unwrap();
    let b = balanced.encode(&record);
    assert_eq!(b.bits(), 2048);
    assert_eq!(b.count_ones(), 1024);
    assert!(dice(&b.words, &balanced.encode(&similar).words) > 0.9);
    let folded = Encoder::new(
        &key,
        ClkConfig {
            hardening: Hardening::XorFold,
            ..ClkConfig::default()
        },
    )
    .unwrap();
    assert_eq!(folded.encode(&record).bits(), 512);
    assert!(dice(&folded.encode(&record).words, &folded.encode(&similar).words) > 0.8);
    let salted = Encoder::new(
        &key,
        ClkConfig {
            salt_with_birth_year: true,
            ..ClkConfig::default()
        },
    )
    .unwrap();
    let other_year = person("Yousef", "Ali", "Kurdi", "1991", "Homs");
    assert!(
        dice(&salted.encode(&record).words, &salted.encode(&other_year).words) < 0.5,
        "salted by the year"
    );
}

#[test]
fn the_fast_and_the_portable_kernels_agree() {
    let key = secret("kernel agreement secret");
    let encoder = Encoder::new(&key, ClkConfig::default()).unwrap();
    let specs = [ListSpec {
        name: "a".into(),
        coverage: 1.0,
        arabic: 0.5,
        duplicates: 0.0,
        noise: 1.0,
        full_name: false,
    }];
    let gazetteer = Gazetteer::syria();
    let mut store = ClkStore::new(16);
    for r in &generate(300, &specs, 5)[0] {
        store.push(&encoder.encode(&Record::prepare(&r.input, &gazetteer)).words);
    }
    let detected = kernel();
    for kernel in [Kernel::Portable, Kernel::Popcnt, Kernel::Avx512, detected] {
        for query in 0..20 {
            let (q, _) = store.get(query).unwrap();
            let (mut fast, mut portable) = (Vec::new(), Vec::new());
            assert_eq!(scan(kernel, q, &store, 0.3, &mut fast), 300);
            scan(Kernel::Portable, q, &store, 0.3, &mut portable);
            assert_eq!(fast, portable, "{kernel:?}");
            for &(index, d) in &fast {
                let (row, _) = store.get(index as usize).unwrap();
                assert!((f64::from(d) - dice(q, row)).abs() < 1e-6);
            }
        }
    }
}

#[test]
fn matching_counts_people_per_overlap_pattern() {
    let key = secret("overlap test secret");
    let encoder = Encoder::new(&key, ClkConfig::default()).unwrap();
    let specs = [
        ListSpec {
            name: "a".into(),
            coverage: 0.6,
            arabic: 0.8,
            duplicates: 0.0,
            noise: 0.5,
            full_name: false,
        },
        ListSpec {
            name: "b".into(),
            coverage: 0.6,
            arabic: 0.2,
            duplicates: 0.0,
            noise: 0.5,
            full_name: false,
        },
    ];
    let lists = generate(800, &specs, 9);
    let gazetteer = Gazetteer::syria();
    let stores: Vec<ClkStore> = lists
        .iter()
        .map(|list| {
            let mut store = ClkStore::new(16);
            for r in list {
                store.push(&encoder.encode(&Record::prepare(&r.input, &gazetteer)).words);
            }
            store
        })
        .collect();
    let truth_both = lists[1]
        .iter()
        .filter(|r| lists[0].iter().any(|x| x.person == r.person))
        .count() as f64;
    for blocking in [
        ClkBlocking::Exhaustive,
        ClkBlocking::MinHash { bands: 24, rows: 4 },
    ] {
        let options = ClkMatchOptions {
            threshold: 0.8,
            blocking,
            kernel: kernel(),
            threads: 2,
        };
        let outcome = match_lists(&stores, &options).unwrap();
        let count = |pattern: u32| {
            outcome
                .overlap
                .iter()
                .find(|(p, _)| *p == pattern)
                .map_or(0, |(_, c)| *c)
        };
        assert_eq!(count(0b01) + count(0b11), lists[0].len() as u64);
        assert_eq!(count(0b10) + count(0b11), lists[1].len() as u64);
        let both = count(0b11) as f64;
        assert!(
            (both - truth_both).abs() / truth_both < 0.25,
            "{blocking:?}: {both} found, {truth_both} true"
        );
    }
    let mixed = [ClkStore::new(16), ClkStore::new(8)];
    let options = ClkMatchOptions {
        threshold: 0.8,
        blocking: ClkBlocking::Exhaustive,
        kernel: Kernel::Portable,
        threads: 1,
    };
    assert!(matches!(
        match_lists(&mixed, &options),
        Err(ClkError::MixedLengths(..))
    ));
}
