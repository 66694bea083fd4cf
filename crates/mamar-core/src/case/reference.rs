//! A case's reference number: nine digits, said on the phone as three
//! groups ("482-193-775"). Drawn at random by the caller, so it tells
//! nothing (not when the case opened, not how many cases there are). Typed
//! back with Arabic-Indic or Persian digits, spaces or other dashes, it is
//! the same reference.

use std::fmt;

/// How many digits a reference has.
pub const DIGITS: usize = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseReference(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("a reference number has nine digits")]
    Length,
    #[error("a reference number holds only digits and dashes")]
    Character,
}

impl CaseReference {
    /// The reference for four random bytes (uniform over 10^9 up to a bias
    /// below 2^-2; the store refuses a reference already in use, and the
    /// caller draws again).
    pub fn from_random(bytes: [u8; 4]) -> Self {
        CaseReference(u32::from_le_bytes(bytes) % 1_000_000_000)
    }

    /// Reads a reference as a person types it.
    pub fn parse(input: &str) -> Result<Self, ReferenceError> {
        let mut value: u32 = 0;
        let mut digits = 0;
        for c in input.chars() {
            let digit = match c {
                '0'..='9' => c as u32 - '0' as u32,
                '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
                '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
                '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | ' ' | '\u{00A0}' | '\u{200F}' | '\u{200E}' => {
                    continue;
                }
                _ => return Err(ReferenceError::Character),
            };
            digits += 1;
            if digits > DIGITS {
                return Err(ReferenceError::Length);
            }
            value = value * 10 + digit;
        }
        if digits != DIGITS {
            return Err(ReferenceError::Length);
        }
        Ok(CaseReference(value))
    }

    /// The stored form: nine digits, no dashes.
    pub fn stored(&self) -> String {
        format!("{:09}", self.0)
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.stored();
        write!(f, "{}-{}-{}", &text[0..3], &text[3..6], &text[6..9])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_back_however_it_is_typed() {
        let reference = CaseReference::from_random([1, 2, 3, 4]);
        let shown = reference.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(CaseReference::parse(&shown), Ok(reference));
        assert_eq!(CaseReference::parse(&reference.stored()), Ok(reference));
        let arabic: String = shown
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .map_or(c, |d| char::from_u32(0x0660 + d).unwrap_or(c))
            })
            .collect();
        assert_eq!(CaseReference::parse(&arabic), Ok(reference));
        assert_eq!(CaseReference::parse(" 000 000 001 "), Ok(CaseReference(1)));
        assert_eq!(CaseReference::parse("000-000-01"), Err(ReferenceError::Length));
        assert_eq!(CaseReference::parse("000-000-0011"), Err(ReferenceError::Length));
        assert_eq!(
            CaseReference::parse("000-000-00a"),
            Err(ReferenceError::Character)
        );
        assert_eq!(CaseReference(7).to_string(), "000-000-007");
    }
}
