//! What the verifier says, in Arabic and English. A small table of its own
//! (not the web's Fluent files): the stand-alone binary carries nothing else.
//! The words are those the web's verify page and `mamar verify` always used.

use mamar_core::Locale;

/// One thing the verifier can say. `{date}` and `{detail}` are filled in by
/// [`Message::with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    Valid,
    ValidUntil,
    Expired,
    NotFromOrganisation,
    Forged,
    BadFingerprint,
    Damaged,
    OrgAr,
    OrgEn,
    Web,
    Onion,
    Hotline,
    Telegram,
    /// The card's key for referral files from partner organisations.
    ReferralSeal,
    ValidUntilField,
    Release,
    ReleaseDate,
    ReleasePeriod,
    ReleaseTables,
    ReleaseNote,
    CannotRead,
    BadLanguage,
}

impl Message {
    /// The text in `locale`.
    pub fn text(self, locale: Locale) -> &'static str {
        let (ar, en) = match self {
            Message::Valid => (
                "صالح: موقَّع بالمفتاح صاحب هذه البصمة",
                "VALID: signed by the key with this fingerprint",
            ),
            Message::ValidUntil => (
                "صالح: موقَّع بالمفتاح صاحب هذه البصمة، وصالح حتى {date}",
                "VALID: signed by the key with this fingerprint, valid until {date}",
            ),
            Message::Expired => (
                "غير صالح: انتهت صلاحية البطاقة في {date}. اطلب من المنظمة بطاقة حديثة.",
                "NOT VALID: the card expired on {date}; ask the organisation for a current one",
            ),
            Message::NotFromOrganisation => (
                "غير صالح: المفتاح الذي في الملف ليس صاحب البصمة التي أعطيتها، فهذا الملف ليس من المنظمة.",
                "NOT VALID: the key in the file does not have the fingerprint you gave: this is not from the organisation",
            ),
            Message::Forged => (
                "غير صالح: التوقيع لا يطابق المحتوى، فالملف غُيِّر أو زُوِّر.",
                "NOT VALID: the signature does not match the contents: the file was changed or forged",
            ),
            Message::BadFingerprint => (
                "غير صالح: البصمة 64 رقماً ست عشرياً، أو كلمات البصمة العشرون، أو نص رمز QR.",
                "NOT VALID: the fingerprint must be 64 hex digits, the 20 fingerprint words, or the text of the QR code",
            ),
            Message::Damaged => (
                "غير صالح: الملف تالف أو ليس بطاقة أو رداً أو إصداراً من ممر ({detail})",
                "NOT VALID: the file is damaged or is not a mamar card, reply or release ({detail})",
            ),
            Message::OrgAr => ("المنظمة (بالعربية)", "Organisation (Arabic)"),
            Message::OrgEn => ("المنظمة (بالإنجليزية)", "Organisation (English)"),
            Message::Web => ("الموقع", "Web"),
            Message::Onion => ("عنوان onion", "Onion"),
            Message::Hotline => ("الخط الساخن", "Hotline"),
            Message::Telegram => ("بوت تيليغرام", "Telegram bot"),
            Message::ReferralSeal => (
                "مفتاح ملفات الإحالة من الشركاء",
                "Key for referral files from partners",
            ),
            Message::ValidUntilField => ("صالحة حتى", "Valid until"),
            Message::Release => ("الإصدار", "Release"),
            Message::ReleaseDate => ("تاريخ النشر", "Published"),
            Message::ReleasePeriod => ("الفترة", "Period"),
            Message::ReleaseTables => ("الجداول", "Tables"),
            Message::ReleaseNote => ("ملاحظة", "Note"),
            Message::CannotRead => (
                "تعذّر التحقق: لا يمكن قراءة الملف ({detail})",
                "COULD NOT CHECK: the file cannot be read ({detail})",
            ),
            Message::BadLanguage => (
                "اللغة إما ar أو en، لا {detail}",
                "--lang must be ar or en, not {detail}",
            ),
        };
        match locale {
            Locale::Ar => ar,
            Locale::En => en,
        }
    }

    /// The text in `locale` with `{date}` and `{detail}` filled in.
    pub fn with(self, locale: Locale, value: &str) -> String {
        self.text(locale)
            .replace("{date}", value)
            .replace("{detail}", value)
    }
}

/// The reader's language: `flag` (`--lang`) when given, else the language the
/// terminal runs in (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. `Err`
/// holds the flag that is neither `ar` nor `en`.
pub fn language(flag: Option<&str>, environment: impl Fn(&str) -> Option<String>) -> Result<Locale, String> {
    if let Some(flag) = flag {
        return flag.parse().map_err(|_| flag.to_owned());
    }
    let terminal = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| environment(name))
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    Ok(if terminal.starts_with("ar") {
        Locale::Ar
    } else {
        Locale::En
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_terminal_then_english() {
        let arabic = |name: &str| (name == "LANG").then(|| "ar_SY.UTF-8".to_owned());
        let none = |_: &str| None;
        assert_eq!(language(None, arabic), Ok(Locale::Ar));
        assert_eq!(language(Some("en"), arabic), Ok(Locale::En));
        assert_eq!(language(None, none), Ok(Locale::En));
        assert_eq!(language(Some("fr"), none), Err("fr".to_owned()));
        assert_eq!(
            Message::ValidUntil.with(Locale::En, "2099-12-31"),
            "VALID: signed by the key with this fingerprint, valid until 2099-12-31"
        );
    }
}
