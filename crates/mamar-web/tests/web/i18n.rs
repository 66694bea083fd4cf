//! Translations are complete in every language, and Arabic plurals use all
//! six CLDR forms.

use std::collections::BTreeSet;

use mamar_core::Locale;
use mamar_web::i18n::{I18n, Tr};

#[test]
fn the_shipped_files_parse_without_errors() {
    I18n::load_strict().unwrap();
}

#[test]
fn arabic_and_english_define_the_same_messages() {
    let i18n = I18n::load_strict().unwrap();
    let arabic: BTreeSet<_> = i18n.message_ids(Locale::Ar).into_iter().collect();
    let english: BTreeSet<_> = i18n.message_ids(Locale::En).into_iter().collect();
    assert!(!arabic.is_empty());
    let only_ar: Vec<_> = arabic.difference(&english).collect();
    let only_en: Vec<_> = english.difference(&arabic).collect();
    assert!(
        only_ar.is_empty() && only_en.is_empty(),
        "only in ar: {only_ar:?}; only in en: {only_en:?}"
    );
}

/// Every `t("key")` / `t1("key", ...)` in a template or in the code names a
/// message that exists.
#[test]
fn every_key_the_code_uses_is_translated() {
    let i18n = I18n::load_strict().unwrap();
    let defined: BTreeSet<_> = i18n.message_ids(Locale::En).into_iter().collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    for dir in ["templates", "src", "src/pages", "src/auth"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (index, _) in text.match_indices("\"") {
                let rest = &text[index + 1..];
                let Some(end) = rest.find('"') else { continue };
                let candidate = &rest[..end];
                let before = &text[..index];
                let is_call = before.ends_with(".t(") || before.ends_with(".t1(");
                let is_key = (candidate.starts_with("error-") && before.ends_with("=> "))
                    || ["staff-", "password-problem-"].iter().any(|prefix| {
                        candidate.starts_with(prefix)
                            && candidate.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    });
                if (is_call || is_key) && !candidate.is_empty() {
                    used.insert(candidate.to_owned());
                }
            }
        }
    }
    assert!(used.len() > 10, "found too few keys to trust the scan: {used:?}");
    let missing: Vec<_> = used.difference(&defined).collect();
    assert!(missing.is_empty(), "used but not translated: {missing:?}");
}

#[test]
fn every_role_password_problem_and_audit_action_has_a_name_in_both_languages() {
    use mamar_core::password::PasswordProblem;
    let i18n = I18n::load_strict().unwrap();
    for locale in Locale::ALL {
        let defined: BTreeSet<_> = i18n.message_ids(locale).into_iter().collect();
        for role in mamar_core::Role::ALL {
            assert!(
                defined.contains(&format!("role-{}", role.code())),
                "{locale:?} {role:?}"
            );
        }
        for problem in [
            PasswordProblem::TooShort,
            PasswordProblem::TooLong,
            PasswordProblem::Common,
            PasswordProblem::ContainsUsername,
            PasswordProblem::Repetitive,
            PasswordProblem::Mismatch,
        ] {
            assert!(
                defined.contains(&format!("password-problem-{}", problem.code())),
                "{problem:?}"
            );
        }
        for action in mamar_audit::Action::ALL {
            let key = format!("audit-action-{}", action.code());
            assert!(defined.contains(&key), "{locale:?} {key}");
        }
        for outcome in mamar_audit::Outcome::ALL {
            let key = format!("audit-outcome-{}", outcome.code());
            assert!(defined.contains(&key), "{locale:?} {key}");
        }
    }
}

#[test]
fn arabic_plurals_take_all_six_forms() {
    let tr = Tr::new(Locale::Ar);
    let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
        .iter()
        .map(|n| tr.t1("setup-lead", "count", *n))
        .collect();
    assert!(forms[0].contains("دون أي خطوة"), "zero: {}", forms[0]);
    assert!(forms[1].contains("في خطوة واحدة"), "one: {}", forms[1]);
    assert!(forms[2].contains("في خطوتين"), "two: {}", forms[2]);
    assert!(forms[3].contains("خطوات"), "few: {}", forms[3]);
    assert!(
        forms[4].contains("خطوة") && !forms[4].contains("خطوات"),
        "many: {}",
        forms[4]
    );
    let distinct: BTreeSet<_> = forms.iter().collect();
    assert_eq!(distinct.len(), 6, "{forms:#?}");

    let english = Tr::new(Locale::En);
    assert!(english.t1("setup-lead", "count", 1).contains("one step"));
    assert!(english.t1("setup-lead", "count", 2).contains("2\u{2069} steps"));
}

#[test]
fn break_glass_counts_take_all_six_arabic_forms() {
    let tr = Tr::new(Locale::Ar);
    for key in [
        "break-glass-without-escrow",
        "home-break-glass",
        "break-glass-threshold",
    ] {
        let forms: BTreeSet<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| tr.t1(key, "count", *n))
            .collect();
        assert_eq!(forms.len(), 6, "{key}: {forms:#?}");
    }
    let english = Tr::new(Locale::En);
    assert!(
        english
            .t1("break-glass-without-escrow", "count", 0)
            .contains("every case")
    );
}
