//! Codenames: entropy, uniform choice, and every way a person may type one back.

use std::collections::HashSet;

use mamar_core::Locale;
use mamar_core::codename::wordlist::{codename_list, fold, word_list};
use mamar_core::codename::{Codename, CodenameError};

/// A deterministic stream for tests (SplitMix64), not a source of secrets.
fn stream(seed: u64) -> impl FnMut() -> Result<u32, std::convert::Infallible> {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok((z ^ (z >> 31)) as u32)
    }
}

#[test]
fn every_codename_carries_at_least_80_bits() {
    for locale in Locale::ALL {
        let bits = Codename::entropy_bits(locale);
        assert!(bits >= 80.0, "{locale}: {bits}");
        let expected = 7.0 * (codename_list(locale).len() as f64).log2();
        assert!((bits - expected).abs() < 1e-9);
    }
    // The first lists stay as shipped: they read back older codenames.
    assert_eq!(word_list(Locale::Ar).len(), 7776);
    assert_eq!(word_list(Locale::En).len(), 7674);
    assert_eq!(codename_list(Locale::Ar).len(), 7431);
    assert_eq!(codename_list(Locale::En).len(), 7074);
    assert!((Codename::entropy_bits(Locale::Ar) - 90.01).abs() < 0.01);
    assert!((Codename::entropy_bits(Locale::En) - 89.52).abs() < 0.01);
}

/// One deny-list: `(category, entries)`, entries folded like the words.
fn deny_list(text: &str) -> Vec<(String, Vec<String>)> {
    let mut categories: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("## ") {
            categories.push((name.to_owned(), Vec::new()));
        } else if !line.is_empty() && !line.starts_with('#') {
            let (_, entries) = categories.last_mut().expect("an entry before any category");
            entries.extend(line.split_whitespace().map(str::to_owned));
        }
    }
    categories
}

/// Whether a deny-list entry (`word`, `word*`, `*word`, `*word*`) matches a
/// word; `core` is the entry folded without its stars, `folded` the word folded.
fn denies(entry: &str, core: &str, folded: &str) -> bool {
    match (entry.starts_with('*'), entry.ends_with('*')) {
        (true, true) => folded.contains(core),
        (true, false) => folded.ends_with(core),
        (false, true) => folded.starts_with(core),
        (false, false) => folded == core,
    }
}

#[test]
fn codename_words_avoid_the_deny_list() {
    for (locale, text) in [
        (Locale::Ar, include_str!("../../wordlists/deny-ar.txt")),
        (Locale::En, include_str!("../../wordlists/deny-en.txt")),
    ] {
        let categories = deny_list(text);
        assert!(categories.len() >= 10, "{locale}: every category is listed");
        let folded_entries: Vec<(&str, &str, String)> = categories
            .iter()
            .flat_map(|(category, entries)| {
                entries.iter().map(move |entry| {
                    (
                        category.as_str(),
                        entry.as_str(),
                        fold(entry.trim_matches('*')).concat(),
                    )
                })
            })
            .collect();
        for word in codename_list(locale).words() {
            let folded = fold(word).concat();
            for (category, entry, core) in &folded_entries {
                assert!(
                    !denies(entry, core, &folded),
                    "{locale}: {word:?} is denied by {entry:?} ({category})"
                );
            }
        }
        // The deny-list is not empty in effect: the first list held words it removes.
        let removed = word_list(locale)
            .words()
            .iter()
            .filter(|word| codename_list(locale).position(word).is_none())
            .count();
        assert!(removed > 300, "{locale}: {removed} words removed");
    }
    // The words the issue found in real codenames.
    for word in ["قاتل", "مناهضة", "حركة", "ربك"] {
        assert!(word_list(Locale::Ar).position(word).is_some());
        assert_eq!(codename_list(Locale::Ar).position(word), None, "{word}");
    }
    for word in [
        "kill", "army", "regime", "traitor", "prison", "church", "naked", "idiot",
    ] {
        assert_eq!(codename_list(Locale::En).position(word), None, "{word}");
    }
}

#[test]
fn new_codenames_use_only_the_curated_list_and_old_ones_still_read_back() {
    for locale in Locale::ALL {
        let current = codename_list(locale);
        let first = word_list(locale);
        // Every current word is in the first list, with the same spelling.
        for word in current.words() {
            let position = first.position(word).expect("a word of the first list");
            assert_eq!(first.word(position), Some(*word));
        }
        let mut rng = stream(21);
        for _ in 0..500 {
            let codename = Codename::generate(locale, &mut rng).unwrap();
            for word in codename.words() {
                assert!(current.position(word).is_some(), "{locale}: {word:?}");
            }
        }
    }
    // A codename handed out from the first list, with a word the curation removed.
    let old = "قاتل حركة ربك مناهضة أجرت أجرى أجريت";
    let parsed = Codename::parse(None, old).unwrap();
    assert_eq!(parsed.canonical(), old);
}

#[test]
fn word_lists_are_distinct_after_folding_and_plainly_written() {
    for locale in Locale::ALL {
        let list = word_list(locale);
        let mut keys = HashSet::new();
        for (position, word) in list.words().iter().enumerate() {
            let folded = fold(word);
            assert_eq!(
                folded.len(),
                1,
                "{locale} word {position} {word:?} folds to several words"
            );
            assert!(
                keys.insert(folded[0].clone()),
                "{locale}: {word:?} repeats after folding"
            );
            assert_eq!(list.position(word), Some(position));
            match locale {
                Locale::En => assert!(word.chars().all(|c| c.is_ascii_lowercase()), "{word:?}"),
                // Arabic letters only: no diacritics (U+064B-065F), no tatweel, no digits.
                Locale::Ar => assert!(
                    word.chars()
                        .all(|c| ('\u{0621}'..='\u{063A}').contains(&c)
                            || ('\u{0641}'..='\u{064A}').contains(&c)),
                    "{word:?}"
                ),
            }
            assert!((3..=9).contains(&word.chars().count()), "{word:?} is not short");
        }
    }
}

#[test]
fn a_generated_codename_reads_back_in_every_reasonable_way() {
    for locale in Locale::ALL {
        let mut rng = stream(7);
        for _ in 0..50 {
            let codename = Codename::generate(locale, &mut rng).unwrap();
            assert_eq!(codename.words().len(), 7);
            let canonical = codename.canonical();
            assert_eq!(canonical.split(' ').count(), 7);
            let typed = [
                canonical.clone(),
                format!("  {}  ", canonical.replace(' ', "   ")),
                canonical.to_uppercase(),
                canonical.replace(' ', "-"),
                canonical.replace(' ', "\n"),
                canonical.replace(' ', "، "),
            ];
            for variant in typed {
                let parsed = Codename::parse(None, &variant).unwrap();
                assert_eq!(parsed, codename);
                assert_eq!(parsed.canonical(), canonical);
                assert_eq!(Codename::parse(Some(locale), &variant).unwrap(), codename);
            }
        }
    }
}

/// Rewrites Arabic the way people and keyboards commonly do: bare alef for
/// hamza forms, ha for ta marbuta, ya for alef maqsura, and stray marks.
fn carelessly(word: &str) -> String {
    word.chars()
        .flat_map(|c| match c {
            'أ' | 'إ' | 'آ' => vec!['ا'],
            'ة' => vec!['ه'],
            'ى' => vec!['ي'],
            'ب' => vec!['ب', '\u{064E}'],
            'م' => vec!['م', '\u{0640}', '\u{0640}'],
            other => vec![other],
        })
        .collect()
}

#[test]
fn arabic_codenames_survive_spelling_variants() {
    let mut rng = stream(11);
    for _ in 0..200 {
        let codename = Codename::generate(Locale::Ar, &mut rng).unwrap();
        let typed: Vec<String> = codename.words().iter().map(|w| carelessly(w)).collect();
        let parsed = Codename::parse(None, &typed.join(" ")).unwrap();
        assert_eq!(parsed.canonical(), codename.canonical());
    }
    // A word list entry with each kind of variant, typed the other way.
    let list = word_list(Locale::Ar);
    for (shipped, typed) in [
        ("أبواب", "ابواب"),
        ("مدينة", "مدينه"),
        ("إبرة", "ابره"),
        ("مبنى", "مبني"),
    ] {
        assert_eq!(list.position(typed), list.position(shipped), "{shipped}");
        assert!(list.position(shipped).is_some(), "{shipped} is in the list");
    }
    assert_eq!(list.position("مَدِينَةٌ"), list.position("مدينة"));
}

#[test]
fn unknown_words_are_named_by_position_and_counts_are_checked() {
    let mut rng = stream(3);
    let codename = Codename::generate(Locale::En, &mut rng).unwrap();
    let mut words = codename.words();
    words[2] = "notaword";
    words[5] = "zzzz";
    let error = Codename::parse(None, &words.join(" ")).unwrap_err();
    assert_eq!(
        error,
        CodenameError::UnknownWords {
            positions: vec![3, 6]
        }
    );
    assert_eq!(error.to_string(), "words 3, 6 are not in the word list");
    assert!(!error.to_string().contains("notaword"));

    let six = codename.words()[..6].join(" ");
    assert_eq!(
        Codename::parse(None, &six),
        Err(CodenameError::WrongWordCount {
            expected: 7,
            found: 6
        })
    );
    assert_eq!(Codename::parse(None, "  \u{200B} "), Err(CodenameError::Empty));
    assert_eq!(
        Codename::parse(None, &"a ".repeat(2000)),
        Err(CodenameError::TooLong)
    );
    // An English codename where Arabic was asked for: every word unknown.
    assert!(matches!(
        Codename::parse(Some(Locale::Ar), &codename.canonical()),
        Err(CodenameError::UnknownWords { positions }) if positions.len() == 7
    ));
}

#[test]
fn bidi_and_zero_width_characters_do_not_change_a_codename() {
    let codename = Codename::generate(Locale::En, stream(5)).unwrap();
    let spoofed = codename.canonical().replace(' ', " \u{202E}\u{200B}");
    assert_eq!(Codename::parse(None, &spoofed).unwrap(), codename);
}

#[test]
fn words_are_chosen_uniformly() {
    // 7 × 20,000 words over the 7,431 positions of the codename list folded
    // into 16 buckets of positions: each bucket expects about 8,750 hits. A
    // chi-square over 15 degrees of freedom above 37.7 happens with
    // probability 0.001.
    let list_len = codename_list(Locale::Ar).len();
    let mut buckets = [0u64; 16];
    let mut rng = stream(99);
    let draws = 20_000;
    for _ in 0..draws {
        let codename = Codename::generate(Locale::Ar, &mut rng).unwrap();
        for word in codename.words() {
            let position = codename_list(Locale::Ar).position(word).unwrap();
            buckets[position * 16 / list_len] += 1;
        }
    }
    let total = (draws * 7) as f64;
    let chi_square: f64 = buckets
        .iter()
        .enumerate()
        .map(|(i, &observed)| {
            let low = (i * list_len).div_ceil(16);
            let high = ((i + 1) * list_len).div_ceil(16);
            let expected = total * (high - low) as f64 / list_len as f64;
            (observed as f64 - expected).powi(2) / expected
        })
        .sum();
    assert!(chi_square < 37.7, "chi-square {chi_square:.1}: {buckets:?}");
}

#[test]
fn codenames_from_the_same_stream_differ() {
    let mut rng = stream(1);
    let seen: HashSet<String> = (0..1000)
        .map(|_| Codename::generate(Locale::En, &mut rng).unwrap().canonical())
        .collect();
    assert_eq!(seen.len(), 1000);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn parse_never_panics_and_only_accepts_seven_list_words(text in "\\PC{0,200}") {
            if let Ok(codename) = Codename::parse(None, &text) {
                prop_assert_eq!(codename.words().len(), 7);
                prop_assert_eq!(Codename::parse(None, &codename.canonical()).unwrap(), codename);
            }
        }

        #[test]
        fn bytes_round_trip_through_words_in_both_lists(bytes in proptest::array::uniform32(any::<u8>())) {
            for locale in Locale::ALL {
                let list = word_list(locale);
                let words = list.encode_bytes(&bytes);
                prop_assert_eq!(words.len(), 20);
                prop_assert_eq!(list.decode_words(&words.join(" "), 32).unwrap(), bytes.to_vec());
            }
        }
    }
}
