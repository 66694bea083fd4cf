//! Codenames on the intake path: fresh ones from the operating system's
//! random generator, what a returning requester typed read back, and the
//! derivation parameters every channel must share, and the message shown
//! for a problem with an answer (a codename given by the
//! bot opens its request on the web, and the other way round).

use mamar_core::Locale;
use mamar_core::codename::Codename as Words;
use mamar_core::questionnaire::FieldProblem;
use mamar_crypto::KdfParams;

/// Argon2id for codenames. A codename carries at least 80 bits of entropy,
/// so stretching adds nothing against guessing; a small memory-hard step is
/// kept only so the derivation is the same construction as for passwords.
/// It must stay cheap: every submission and every return visit runs it.
pub const CODENAME_KDF: KdfParams = KdfParams {
    m_cost: 64,
    t_cost: 1,
    p_cost: 1,
    version: 0x13,
};

/// A fresh codename in `locale`, from the operating system's random generator.
/// The random values for all seven words come from one call to the OS (32
/// bytes, one more such call in the rare case rejection sampling needs more).
pub fn new_codename(locale: Locale) -> Result<String, mamar_crypto::CryptoError> {
    let mut pool = zeroize::Zeroizing::new([0u8; 32]);
    let mut used = pool.len();
    let words = Words::generate(locale, || {
        if used == pool.len() {
            *pool = mamar_crypto::random_bytes::<32>()?;
            used = 0;
        }
        let mut value = [0u8; 4];
        value.copy_from_slice(&pool[used..used + 4]);
        used += 4;
        Ok::<_, mamar_crypto::CryptoError>(u32::from_le_bytes(value))
    })
    .map_err(|_| mamar_crypto::CryptoError::Decrypt)?;
    Ok(words.canonical())
}

/// The translation message every channel shows for a problem with an answer.
pub fn problem_message(problem: FieldProblem) -> &'static str {
    match problem {
        FieldProblem::Missing | FieldProblem::TooShort { .. } => "field-missing",
        FieldProblem::NotAnOption | FieldProblem::TooManyChoices { .. } => "field-not-an-option",
        FieldProblem::TooLong { .. } => "field-too-long",
        FieldProblem::ControlCharacter | FieldProblem::BidiControl => "field-control-character",
        FieldProblem::Repeated | FieldProblem::NotANumber | FieldProblem::OutOfRange { .. } => {
            "field-invalid"
        }
    }
}

/// What a returning requester typed, as the canonical codename, if it is one.
pub fn parse_codename(typed: &str) -> Option<String> {
    Words::parse(None, typed).ok().map(|words| words.canonical())
}

#[cfg(test)]
mod tests {
    use mamar_crypto::{Codename, RequesterKeys};

    use super::{CODENAME_KDF, parse_codename};

    fn lookup_tag(typed: &str) -> String {
        let canonical = parse_codename(typed).unwrap();
        let keys = RequesterKeys::derive(
            &Codename::new(canonical),
            b"a fixed organisation salt",
            &CODENAME_KDF,
        )
        .unwrap();
        hex::encode(keys.lookup_tag().as_bytes())
    }

    /// A codename given today must find its request after any upgrade: the word lists, the
    /// normalisation of what is typed, the derivation and its parameters all feed this value.
    #[test]
    fn a_codename_given_today_finds_its_request_after_any_upgrade() {
        assert_eq!(
            lookup_tag("  Aground ahead   AHOY aide aids aim ajar "),
            "3ef487f1d56562a9c9f2cc0ce470c8833bbc623e766f75a365a04b0e0e64d20b"
        );
        let arabic = "e2b72b8eb4085db3d9676e1ad93a30e175cd107522b8c751eec464a4847e8fce";
        assert_eq!(lookup_tag("أجر أجرة أجرت أجرى أجريت أجزاء أجزم"), arabic);
        // Typed with short vowels and a bare alif, as a phone keyboard may give it.
        assert_eq!(lookup_tag("أَجر اجرة أجرت أجرى أجريت أجزاء أجزم"), arabic);
    }
}
