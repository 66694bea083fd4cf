//! Rules for short pieces of text that people type and others read: names,
//! titles, labels. Bidirectional control characters are refused because they
//! can make text display differently from what it is (a "Trojan Source"
//! style spoof of an organisation's name or a channel).

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains a control character")]
    ControlCharacter,
    #[error("contains a bidirectional control character")]
    BidiControl,
}

/// The longest message a requester may send, in characters: the first (the
/// questionnaire's message field), every later one, on every channel. One
/// rule, so that what was accepted once is never refused the next time.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// Characters that reorder text on screen (U+061C, U+200E-F, U+202A-E, U+2066-9).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Trims `input` and checks it is a single, non-empty, printable line of at
/// most `max_chars` characters.
pub fn single_line(input: &str, max_chars: usize) -> Result<String, TextError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control() || is_bidi_control(*c)) {
        return Err(if is_bidi_control(c) {
            TextError::BidiControl
        } else {
            TextError::ControlCharacter
        });
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_arabic_and_latin_names_and_trims_them() {
        assert_eq!(
            single_line("  مركز السلامة والانشقاق ", 100),
            Ok("مركز السلامة والانشقاق".to_owned())
        );
        assert_eq!(single_line("Safe Passage", 100), Ok("Safe Passage".to_owned()));
    }

    #[test]
    fn refuses_empty_long_control_and_bidi_text() {
        assert_eq!(single_line("   ", 10), Err(TextError::Empty));
        assert_eq!(single_line("abcdef", 5), Err(TextError::TooLong { max: 5 }));
        assert_eq!(single_line("a\u{0}b", 10), Err(TextError::ControlCharacter));
        assert_eq!(single_line("a\nb", 10), Err(TextError::ControlCharacter));
        assert_eq!(single_line("abc\u{202E}cba", 10), Err(TextError::BidiControl));
        assert_eq!(single_line("\u{2067}x", 10), Err(TextError::BidiControl));
    }
}
