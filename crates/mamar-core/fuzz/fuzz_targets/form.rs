//! A form body as the web layer receives it (any bytes, urlencoded, invalid
//! UTF-8 decoded lossily), validated against the shipped questionnaire.
//! Whatever is accepted must be clean and survive the byte encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamar_core::questionnaire::{AnswerValue, Answers, Questionnaire};
use std::sync::LazyLock;

static QUESTIONNAIRE: LazyLock<Questionnaire> = LazyLock::new(Questionnaire::default_shipped);

fuzz_target!(|body: &[u8]| {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Ok(answers) = QUESTIONNAIRE.validate(&pairs) {
        for (_, value) in answers.iter() {
            if let AnswerValue::Text(text) = value {
                assert!(!text.chars().any(mamar_core::text::is_bidi_control));
                assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
        }
        let decoded = Answers::from_bytes(&answers.to_bytes()).expect("round trip");
        assert_eq!(decoded, answers);
        let _ = answers.display(&QUESTIONNAIRE, mamar_core::Locale::Ar);
    }
    // Arbitrary bytes must never crash the decoder either.
    let _ = Answers::from_bytes(body);
});
