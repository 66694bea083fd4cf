//! Every character-level normalisation rule, with real examples.

use mamar_linkage::normalize::{Script, digits, normalize, script_of, words};

fn check(table: &[(&str, &str)]) {
    for (input, expected) in table {
        assert_eq!(normalize(input), *expected, "normalize({input:?})");
    }
}

#[test]
fn nfkc_turns_presentation_forms_and_ligatures_into_letters() {
    check(&[
        ("ﻣﺤﻤﺪ", "محمد"),
        ("ﺍﺣﻤﺪ", "احمد"),
        ("عبد ﷲ", "عبد الله"),
        ("ﬁras", "firas"),
    ]);
}

#[test]
fn tashkeel_and_quranic_marks_are_removed() {
    check(&[
        ("مُحَمَّد", "محمد"),
        ("عَلِيّ", "علي"),
        ("خَالِدٌ", "خالد"),
        ("إِبْرَاهِيمُ", "ابراهيم"),
        ("رَحْمٰن", "رحمن"),
        ("الله\u{0615}", "الله"),
    ]);
}

#[test]
fn tatweel_is_removed() {
    check(&[("محـــمد", "محمد"), ("عـلـي", "علي")]);
}

#[test]
fn bidi_controls_and_zero_width_characters_are_removed() {
    check(&[
        ("\u{202B}محمد\u{202C}", "محمد"),
        ("\u{200F}احمد", "احمد"),
        ("عل\u{200C}ي", "علي"),
        ("\u{FEFF}Omar", "omar"),
        ("\u{2067}خالد\u{2069}", "خالد"),
        ("\u{061C}سعيد", "سعيد"),
    ]);
}

#[test]
fn alef_forms_fold_to_bare_alef() {
    check(&[
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
    ]);
}

#[test]
fn alef_maqsura_folds_to_ya() {
    check(&[("مصطفى", "مصطفي"), ("موسى", "موسي"), ("يحيى", "يحيي")]);
}

#[test]
fn ta_marbuta_folds_to_ha() {
    check(&[("فاطمة", "فاطمه"), ("حمزة", "حمزه"), ("حماة", "حماه")]);
}

#[test]
fn hamza_on_a_carrier_folds_to_the_carrier_and_a_lone_hamza_goes() {
    check(&[
        ("مؤمن", "مومن"),
        ("هانئ", "هاني"),
        ("وائل", "وايل"),
        ("علاء", "علا"),
        ("أسماء", "اسما"),
    ]);
}

#[test]
fn persian_and_urdu_letter_forms_fold_to_arabic_letters() {
    check(&[
        ("کریم", "كريم"),
        ("علی", "علي"),
        ("پاشا", "باشا"),
        ("چلبی", "جلبي"),
        ("ژ", "ز"),
        ("ڤ", "ف"),
        ("گ", "ك"),
        ("ۀ", "ه"),
    ]);
}

#[test]
fn arabic_indic_digits_become_ascii() {
    check(&[
        ("١٩٨٥", "1985"),
        ("۱۹۸۵", "1985"),
        ("٠٩٩٣ ١٢٣ ٤٥٦", "0993 123 456"),
    ]);
    assert_eq!(digits("+963 ٩٩٣-١٢٣٤٥٦"), "963993123456");
}

#[test]
fn latin_letters_lose_diacritics_case_and_ayn_marks() {
    check(&[
        ("Ḥusayn", "husayn"),
        ("Ṣāliḥ", "salih"),
        ("ʿAlī", "ali"),
        ("Sa'id", "said"),
        ("Saʿīd", "said"),
        ("Mu’min", "mumin"),
        ("ÇELİK", "celik"),
        ("Ğazi", "gazi"),
        ("Straße", "strasse"),
    ]);
}

#[test]
fn punctuation_and_hyphens_separate_words() {
    check(&[
        ("Al-Khatib", "al khatib"),
        ("Abd al-Rahman", "abd al rahman"),
        ("  محمد   ،  أحمد ", "محمد احمد"),
        ("Deir ez-Zor", "deir ez zor"),
    ]);
}

#[test]
fn words_split_where_the_script_changes() {
    assert_eq!(words("محمدahmad علي"), vec!["محمد", "ahmad", "علي"]);
    assert_eq!(script_of("محمد"), Some(Script::Arabic));
    assert_eq!(script_of("omar"), Some(Script::Latin));
    assert_eq!(script_of("1985"), None);
}
