//! Typed-back codenames and fingerprint words: any text parses or gives an
//! error, and what parses reads back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamar_core::Locale;
use mamar_core::codename::Codename;
use mamar_core::codename::wordlist::word_list;

fuzz_target!(|text: &str| {
    for language in [None, Some(Locale::Ar), Some(Locale::En)] {
        if let Ok(codename) = Codename::parse(language, text) {
            assert_eq!(
                Codename::parse(language, &codename.canonical()).as_ref(),
                Ok(&codename)
            );
        }
    }
    for locale in Locale::ALL {
        if let Ok(bytes) = word_list(locale).decode_words(text, 32) {
            assert_eq!(word_list(locale).encode_bytes(&bytes).len(), 20);
        }
    }
});
