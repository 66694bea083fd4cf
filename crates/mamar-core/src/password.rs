//! What a staff password must be, after current guidance (NIST SP 800-63B
//! §3.1.1.2): length over composition, no forced character classes, and a
//! check against passwords that attackers try first. The list shipped in
//! `data/common-passwords.txt` holds 42,692 common and breached passwords
//! (from zxcvbn-ts's `language-common` package, MIT licence, lower-cased,
//! six characters or more).

use std::collections::HashSet;
use std::sync::OnceLock;

/// Fewer characters than this is refused. Staff also have a second factor,
/// but a stolen database must not make passwords cheap to guess offline.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// More than this is refused: it bounds the work one login can cause.
pub const MAX_PASSWORD_CHARS: usize = 128;

const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password is shorter than {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("the password is on the list of common or breached passwords")]
    Common,
    #[error("the password contains the user name")]
    ContainsUsername,
    #[error("the password repeats one character or a simple sequence")]
    Repetitive,
    #[error("the two passwords differ")]
    Mismatch,
}

impl PasswordProblem {
    /// The stable code used in translation keys.
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "too-short",
            PasswordProblem::TooLong => "too-long",
            PasswordProblem::Common => "common",
            PasswordProblem::ContainsUsername => "contains-username",
            PasswordProblem::Repetitive => "repetitive",
            PasswordProblem::Mismatch => "mismatch",
        }
    }
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|line| !line.is_empty()).collect())
}

/// How many passwords the shipped list holds.
pub fn common_password_count() -> usize {
    common_passwords().len()
}

/// Checks a new password chosen by `username`, typed twice.
pub fn check_new_password(password: &str, confirmation: &str, username: &str) -> Result<(), PasswordProblem> {
    if password != confirmation {
        return Err(PasswordProblem::Mismatch);
    }
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let folded = password.to_lowercase();
    if !username.is_empty() && folded.contains(&username.to_lowercase()) {
        return Err(PasswordProblem::ContainsUsername);
    }
    if is_repetitive(&folded) {
        return Err(PasswordProblem::Repetitive);
    }
    if is_common(&folded) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// A listed password, alone or padded the way people pad them to pass a
/// length rule: repeated ("dragondragon"), or with digits and symbols
/// around it ("password123456", "!!monkey2024").
fn is_common(folded: &str) -> bool {
    let list = common_passwords();
    if list.contains(folded) {
        return true;
    }
    let core = folded.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ');
    if core.chars().count() >= 4 && list.contains(core) {
        return true;
    }
    repeated_unit(folded).is_some_and(|unit| unit.chars().count() >= 4 && list.contains(unit))
}

/// The shortest piece that, repeated, makes up the whole password.
fn repeated_unit(password: &str) -> Option<&str> {
    let len = password.len();
    (1..=len / 2)
        .filter(|unit| len.is_multiple_of(*unit) && password.is_char_boundary(*unit))
        .map(|unit| &password[..unit])
        .find(|unit| unit.repeat(len / unit.len()) == password)
}

/// One character or a short piece over and over, or a run such as
/// "abcdefghijkl" or "123456789012".
fn is_repetitive(folded: &str) -> bool {
    if repeated_unit(folded).is_some_and(|unit| unit.chars().count() <= 3) {
        return true;
    }
    let codes: Vec<u32> = folded.chars().map(u32::from).collect();
    let steps: HashSet<i64> = codes
        .windows(2)
        .map(|pair| match pair {
            [a, b] => i64::from(*b) - i64::from(*a),
            _ => 0,
        })
        .collect();
    let digits_cycle = folded.chars().all(|c| c.is_ascii_digit())
        && codes
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if (a + 1 - 48) % 10 + 48 == *b));
    (steps.len() == 1 && steps.iter().all(|step| step.abs() <= 1)) || digits_cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str) -> Result<(), PasswordProblem> {
        check_new_password(password, password, "salma")
    }

    #[test]
    fn long_unusual_passwords_pass_without_character_classes() {
        assert_eq!(check("correct horse battery staple"), Ok(()));
        assert_eq!(check("كلمة سر طويلة بما يكفي"), Ok(()));
        assert_eq!(check("ZQ7#kd93!fpLw"), Ok(()));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        // Eleven Arabic letters are 22 bytes but still too short.
        assert_eq!(check("سلامسلامسلا"), Err(PasswordProblem::TooShort));
        assert_eq!(check("short"), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"x7".repeat(65)), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn listed_passwords_and_their_padded_forms_are_refused() {
        assert!(common_password_count() > 40_000);
        for password in [
            "qwertyuiop2024",
            "password123456",
            "!!monkey202420",
            "dragondragon",
            "Trustno1trustno1",
            "1qaz2wsx3edc",
        ] {
            assert_eq!(check(password), Err(PasswordProblem::Common), "{password}");
        }
    }

    #[test]
    fn repetition_sequences_username_and_mismatch_are_refused() {
        assert_eq!(check("aaaaaaaaaaaaaa"), Err(PasswordProblem::Repetitive));
        assert_eq!(check("abcabcabcabc"), Err(PasswordProblem::Repetitive));
        assert_eq!(check("abcdefghijklm"), Err(PasswordProblem::Repetitive));
        assert_eq!(check("1234567890123"), Err(PasswordProblem::Repetitive));
        assert_eq!(
            check("my name is Salma, hello"),
            Err(PasswordProblem::ContainsUsername)
        );
        assert_eq!(
            check_new_password(
                "correct horse battery staple",
                "correct horse battery stapler",
                "x"
            ),
            Err(PasswordProblem::Mismatch)
        );
    }
}
