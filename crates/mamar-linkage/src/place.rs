//! Places of origin: the governorates of Syria by code, in Arabic and in their Latin spellings,
//! and any other place by its name.

use crate::name::Name;

/// A governorate: ISO 3166-2 code, Arabic name, English name, other Latin spellings.
pub struct Governorate {
    pub code: &'static str,
    pub arabic: &'static str,
    pub english: &'static str,
    pub variants: &'static [&'static str],
}

/// Copied from `shared/data/syria-governorates.csv` so that the crate reads no file.
pub const SYRIA_GOVERNORATES: &[Governorate] = &[
    Governorate {
        code: "SY-DI",
        arabic: "دمشق",
        english: "Damascus",
        variants: &["Dimashq", "Damas", "Al-Sham", "Ash-Sham"],
    },
    Governorate {
        code: "SY-RD",
        arabic: "ريف دمشق",
        english: "Rif Dimashq",
        variants: &[
            "Damascus Countryside",
            "Rif Damascus",
            "Reef Dimashq",
            "Rural Damascus",
        ],
    },
    Governorate {
        code: "SY-HL",
        arabic: "حلب",
        english: "Aleppo",
        variants: &["Halab", "Haleb"],
    },
    Governorate {
        code: "SY-HI",
        arabic: "حمص",
        english: "Homs",
        variants: &["Hims", "Hums"],
    },
    Governorate {
        code: "SY-HM",
        arabic: "حماة",
        english: "Hama",
        variants: &["Hamah", "Hamat"],
    },
    Governorate {
        code: "SY-LA",
        arabic: "اللاذقية",
        english: "Latakia",
        variants: &["Al-Ladhiqiyah", "Lattakia", "Lathqiya", "Latakiyah"],
    },
    Governorate {
        code: "SY-TA",
        arabic: "طرطوس",
        english: "Tartus",
        variants: &["Tartous", "Tortosa"],
    },
    Governorate {
        code: "SY-ID",
        arabic: "إدلب",
        english: "Idlib",
        variants: &["Idleb", "Edlib"],
    },
    Governorate {
        code: "SY-RA",
        arabic: "الرقة",
        english: "Raqqa",
        variants: &["Ar-Raqqah", "Al-Raqqa", "Rakka"],
    },
    Governorate {
        code: "SY-DY",
        arabic: "دير الزور",
        english: "Deir ez-Zor",
        variants: &["Deir el-Zor", "Dayr az-Zawr", "Deir Ezzor", "Deir al-Zour"],
    },
    Governorate {
        code: "SY-HA",
        arabic: "الحسكة",
        english: "Al-Hasakah",
        variants: &["Hasakah", "Hassakeh", "Al-Hasaka"],
    },
    Governorate {
        code: "SY-DR",
        arabic: "درعا",
        english: "Daraa",
        variants: &["Dar'a", "Deraa", "Dera'a"],
    },
    Governorate {
        code: "SY-SU",
        arabic: "السويداء",
        english: "As-Suwayda",
        variants: &["Sweida", "Suwayda", "Al-Suwayda"],
    },
    Governorate {
        code: "SY-QU",
        arabic: "القنيطرة",
        english: "Quneitra",
        variants: &["Al-Qunaytirah", "Kuneitra", "Qunaitra"],
    },
];

/// A place as written, and the governorate it names if it names one.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub governorate: Option<&'static str>,
    pub name: Name,
}

/// Recognises the governorates' names in any of their spellings.
pub struct Gazetteer {
    keys: Vec<(String, &'static str)>,
}

impl Default for Gazetteer {
    fn default() -> Self {
        Self::syria()
    }
}

impl Gazetteer {
    pub fn syria() -> Gazetteer {
        let mut keys = Vec::new();
        for governorate in SYRIA_GOVERNORATES {
            let spellings = [governorate.arabic, governorate.english]
                .into_iter()
                .chain(governorate.variants.iter().copied());
            for spelling in spellings {
                keys.push((place_key(&Name::parse(spelling)), governorate.code));
            }
        }
        Gazetteer { keys }
    }

    pub fn place(&self, text: &str) -> Place {
        let name = Name::parse(text);
        let key = place_key(&name);
        let governorate = self
            .keys
            .iter()
            .find(|(k, _)| !key.is_empty() && *k == key)
            .map(|(_, code)| *code);
        Place { governorate, name }
    }
}

/// The same-script keys of all parts: Damascus Countryside and Rif Dimashq stay apart, Deir
/// ez-Zor and Deir el-Zor meet.
fn place_key(name: &Name) -> String {
    name.parts
        .iter()
        .map(|part| part.same_script_key())
        .collect::<Vec<_>>()
        .join(" ")
}
