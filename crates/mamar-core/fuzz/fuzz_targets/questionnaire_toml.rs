//! Questionnaire configuration files: any text loads or gives an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamar_core::questionnaire::Questionnaire;

fuzz_target!(|text: &str| {
    if let Ok(questionnaire) = Questionnaire::from_toml(text) {
        let _ = questionnaire.validate(&[]);
    }
});
