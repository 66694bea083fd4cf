//! A generator of synthetic Syrian person records for tests and benchmarks, with the truth.
//!
//! People are drawn once (given name, father's name, family name, mother's name, birth year,
//! governorate, phone). Each list sees each person with some probability and writes the person
//! in Arabic script or in Latin letters, with the noise real lists have: a different Latin
//! spelling per list, the article written or not, typos, a dropped name part, given and
//! father's names swapped, the birth year one off, missing fields, phone numbers in other
//! formats. Names come from [`names`] (real names, drawn with Zipf weights by rank). The same
//! seed gives the same records.

mod households;
pub mod names;

pub use households::{Households, generate_households};

use rand::{Rng, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use crate::place::SYRIA_GOVERNORATES;
use crate::record::RecordInput;
use names::{Entry, FAMILY, FEMALE_GIVEN, MALE_GIVEN};

/// How one list records people.
#[derive(Debug, Clone)]
pub struct ListSpec {
    pub name: String,
    /// Probability that a person is on the list.
    pub coverage: f64,
    /// Probability that a record is written in Arabic script (else in Latin letters).
    pub arabic: f64,
    /// Probability that a person on the list is recorded a second time (a duplicate).
    pub duplicates: f64,
    /// Scales every kind of noise (1 = the defaults documented on [`Noise`]).
    pub noise: f64,
    /// The list writes the whole name in one column (`full_name`) instead of one column per
    /// part.
    pub full_name: bool,
}

impl ListSpec {
    /// A list that writes each name part in its own column, with the default noise.
    pub fn columns(name: &str, coverage: f64, arabic: f64, duplicates: f64) -> ListSpec {
        ListSpec {
            name: name.into(),
            coverage,
            arabic,
            duplicates,
            noise: 1.0,
            full_name: false,
        }
    }
}

/// Probabilities of each kind of noise, per record, at noise scale 1.
#[derive(Debug, Clone, Copy)]
pub struct Noise {
    pub typo_per_name: f64,
    pub father_missing: f64,
    pub mother_missing: f64,
    pub family_missing: f64,
    pub swap_given_father: f64,
    pub year_off_by_one: f64,
    pub year_missing: f64,
    pub place_missing: f64,
    pub phone_missing: f64,
    pub phone_typo: f64,
}

impl Default for Noise {
    fn default() -> Self {
        Noise {
            typo_per_name: 0.06,
            father_missing: 0.08,
            mother_missing: 0.2,
            family_missing: 0.02,
            swap_given_father: 0.03,
            year_off_by_one: 0.1,
            year_missing: 0.08,
            place_missing: 0.15,
            phone_missing: 0.4,
            phone_typo: 0.03,
        }
    }
}

/// A generated record with the person it belongs to.
#[derive(Debug, Clone)]
pub struct SyntheticRecord {
    pub id: String,
    pub person: u64,
    /// The person's household (brothers share one); the person's own number for people
    /// drawn alone.
    pub household: u64,
    /// The household's clan: the households of brothers (whose children are cousins).
    pub clan: u64,
    pub input: RecordInput,
}

#[derive(Debug, Clone, Copy)]
struct Person {
    given: usize,
    father: usize,
    family: Family,
    mother: usize,
    mother_family: Family,
    year: u16,
    governorate: usize,
    phone: Option<u32>,
}

/// A family name: an entry of [`FAMILY`] or "al-" + a male given name (العلي, المحمد), as
/// many Syrian family names are.
#[derive(Debug, Clone, Copy)]
enum Family {
    Listed(usize),
    FromGiven(usize),
}

/// Samples an index with probability proportional to 1 / (rank + 1)^exponent.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, exponent: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Generates `persons` people and the lists' records of them.
pub fn generate(persons: usize, lists: &[ListSpec], seed: u64) -> Vec<Vec<SyntheticRecord>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let male = Zipf::new(MALE_GIVEN.len(), 1.0);
    let female = Zipf::new(FEMALE_GIVEN.len(), 0.8);
    let family = Zipf::new(FAMILY.len(), 0.6);
    let governorate = Zipf::new(SYRIA_GOVERNORATES.len(), 0.5);
    let draw_family = |rng: &mut ChaCha8Rng| {
        if rng.random_bool(0.4) {
            Family::FromGiven(male.sample(rng))
        } else {
            Family::Listed(family.sample(rng))
        }
    };
    let people: Vec<Person> = (0..persons)
        .map(|_| Person {
            given: male.sample(&mut rng),
            father: male.sample(&mut rng),
            family: draw_family(&mut rng),
            mother: female.sample(&mut rng),
            mother_family: draw_family(&mut rng),
            year: rng.random_range(1955..=2004),
            governorate: governorate.sample(&mut rng),
            phone: rng
                .random_bool(0.8)
                .then(|| rng.random_range(30_000_000..100_000_000)),
        })
        .collect();
    let noise = Noise::default();
    write_lists(
        &people,
        lists,
        &mut rng,
        |index, _| (index as u64, index as u64),
        |person, spec, rng| {
            let (mut input, _) = render(person, spec, &noise, rng);
            if spec.full_name {
                input.full_name = chain(&mut input, false);
            }
            input
        },
    )
}

/// Each list's records of `people`: a person is on a list with the list's coverage, recorded
/// twice with its duplicate rate, written by `render`; `ids` gives a person's household and
/// clan. Lists come out in random order.
fn write_lists<P>(
    people: &[P],
    lists: &[ListSpec],
    rng: &mut ChaCha8Rng,
    ids: impl Fn(usize, &P) -> (u64, u64),
    mut render: impl FnMut(&P, &ListSpec, &mut ChaCha8Rng) -> RecordInput,
) -> Vec<Vec<SyntheticRecord>> {
    lists
        .iter()
        .enumerate()
        .map(|(list_index, spec)| {
            let mut records = Vec::new();
            for (person_index, person) in people.iter().enumerate() {
                if !rng.random_bool(spec.coverage.clamp(0.0, 1.0)) {
                    continue;
                }
                let copies = if rng.random_bool(spec.duplicates.clamp(0.0, 1.0)) {
                    2
                } else {
                    1
                };
                let (household, clan) = ids(person_index, person);
                for _ in 0..copies {
                    let id = format!("L{}-{}", list_index + 1, records.len() + 1);
                    let input = render(person, spec, rng);
                    records.push(SyntheticRecord {
                        id,
                        person: person_index as u64,
                        household,
                        clan,
                        input,
                    });
                }
            }
            // Lists are not sorted by person.
            for i in (1..records.len()).rev() {
                let j = rng.random_range(0..=i);
                records.swap(i, j);
            }
            records
        })
        .collect()
}

fn entry(list: &'static [Entry], index: usize) -> Entry {
    list.get(index).copied().unwrap_or(("محمد", &["Mohammed"]))
}

fn pick<'a>(options: &[&'a str], rng: &mut ChaCha8Rng) -> &'a str {
    // The first spelling is the most common: half the time, else uniform.
    if rng.random_bool(0.5) {
        return options.first().copied().unwrap_or("");
    }
    options
        .get(rng.random_range(0..options.len().max(1)))
        .copied()
        .unwrap_or("")
}

fn given_name(list: &'static [Entry], index: usize, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    let (ar, latin) = entry(list, index);
    if arabic {
        ar.to_owned()
    } else {
        pick(latin, rng).to_owned()
    }
}

fn family_name(family: Family, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    let (ar, latin, article): (String, &[&str], bool) = match family {
        Family::Listed(i) => {
            let (ar, latin) = entry(FAMILY, i);
            (ar.to_owned(), latin, ar.starts_with("ال"))
        }
        Family::FromGiven(i) => {
            let (ar, latin) = entry(MALE_GIVEN, i);
            // العلي, المحمد: the article before a given name; not before compounds.
            if ar.contains(' ') {
                (ar.to_owned(), latin, false)
            } else {
                (format!("ال{ar}"), latin, true)
            }
        }
    };
    if arabic {
        return ar;
    }
    let latin = pick(latin, rng);
    if article {
        latin_article(latin, rng)
    } else {
        latin.to_owned()
    }
}

/// The article as Latin lists write it: Al-, al-, El-, Al , joined, assimilated, or nothing.
fn latin_article(name: &str, rng: &mut ChaCha8Rng) -> String {
    let first = name.chars().next().unwrap_or('a').to_ascii_lowercase();
    let sun = matches!(first, 't' | 'd' | 'r' | 'z' | 's' | 'n');
    let lower = name.to_lowercase();
    match rng.random_range(0..10) {
        0..=2 => format!("Al-{name}"),
        3 => format!("al-{name}"),
        4 => format!("El-{name}"),
        5 => format!("Al {name}"),
        6 => format!("Al{lower}"),
        7 if sun => format!("{}{}-{name}", 'A', first),
        _ => name.to_owned(),
    }
}

/// A record of `person` as `spec`'s list writes it, and whether it is in Arabic script.
fn render(person: &Person, spec: &ListSpec, noise: &Noise, rng: &mut ChaCha8Rng) -> (RecordInput, bool) {
    let scale = spec.noise.max(0.0);
    let chance = |p: f64, rng: &mut ChaCha8Rng| rng.random_bool((p * scale).clamp(0.0, 1.0));
    let arabic = rng.random_bool(spec.arabic.clamp(0.0, 1.0));
    let mut given = given_name(MALE_GIVEN, person.given, arabic, rng);
    let mut father = given_name(MALE_GIVEN, person.father, arabic, rng);
    let mut family = family_name(person.family, arabic, rng);
    let mother_given = given_name(FEMALE_GIVEN, person.mother, arabic, rng);
    let mut mother = if rng.random_bool(0.6) {
        format!(
            "{mother_given} {}",
            family_name(person.mother_family, arabic, rng)
        )
    } else {
        mother_given
    };
    for name in [&mut given, &mut father, &mut family, &mut mother] {
        if chance(noise.typo_per_name, rng) {
            *name = typo(name, arabic, rng);
        }
    }
    if chance(noise.swap_given_father, rng) {
        std::mem::swap(&mut given, &mut father);
    }
    if chance(noise.father_missing, rng) {
        father.clear();
    }
    if chance(noise.mother_missing, rng) {
        mother.clear();
    }
    if chance(noise.family_missing, rng) {
        family.clear();
    }
    let mut year = person.year;
    if chance(noise.year_off_by_one, rng) {
        year = if rng.random_bool(0.5) {
            year.saturating_add(1)
        } else {
            year.saturating_sub(1)
        };
    }
    let birth_year = if chance(noise.year_missing, rng) {
        String::new()
    } else {
        year_text(year, arabic, rng)
    };
    let place = if chance(noise.place_missing, rng) {
        String::new()
    } else {
        place_text(person.governorate, arabic, rng)
    };
    let phone = match person.phone {
        Some(number) if !chance(noise.phone_missing, rng) => {
            let number = if chance(noise.phone_typo, rng) {
                phone_typo(number, rng)
            } else {
                number
            };
            phone_text(number, rng)
        }
        _ => String::new(),
    };
    let input = RecordInput {
        given,
        father,
        family,
        mother,
        birth_year,
        place,
        phone,
        ..RecordInput::default()
    };
    (input, arabic)
}

/// The name parts of `input` in one text (given, father, grandfather, family; the family name
/// first when `family_first` holds), the separate fields cleared.
fn chain(input: &mut RecordInput, family_first: bool) -> String {
    let parts = [
        std::mem::take(&mut input.given),
        std::mem::take(&mut input.father),
        std::mem::take(&mut input.grandfather),
    ];
    let family = std::mem::take(&mut input.family);
    let mut words: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if !family.is_empty() {
        if family_first {
            words.insert(0, family);
        } else {
            words.push(family);
        }
    }
    words.join(" ")
}

fn year_text(year: u16, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    if arabic && rng.random_bool(0.3) {
        year.to_string()
            .chars()
            .map(|d| char::from_u32(u32::from(d) - u32::from('0') + 0x0660).unwrap_or(d))
            .collect()
    } else {
        year.to_string()
    }
}

fn place_text(index: usize, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    let Some(g) = SYRIA_GOVERNORATES.get(index) else {
        return String::new();
    };
    if arabic {
        return g.arabic.to_owned();
    }
    if rng.random_bool(0.6) {
        g.english.to_owned()
    } else {
        pick(g.variants, rng).to_owned()
    }
}

fn phone_text(number: u32, rng: &mut ChaCha8Rng) -> String {
    let digits = format!("9{number:08}");
    match rng.random_range(0..4) {
        0 => format!("0{digits}"),
        1 => format!("+963 {digits}"),
        2 => format!("00963{digits}"),
        _ => format!("0{} {} {}", &digits[..3], &digits[3..6], &digits[6..]),
    }
}

fn phone_typo(number: u32, rng: &mut ChaCha8Rng) -> u32 {
    let position = 10u32.pow(rng.random_range(0..7));
    let digit = (number / position) % 10;
    let replacement = (digit + rng.random_range(1..10)) % 10;
    number - digit * position + replacement * position
}

const ARABIC_CONFUSIONS: &[(char, char)] = &[
    ('ة', 'ه'),
    ('ى', 'ي'),
    ('ا', 'أ'),
    ('ت', 'ث'),
    ('س', 'ص'),
    ('د', 'ذ'),
    ('ز', 'ظ'),
    ('ح', 'خ'),
    ('ع', 'غ'),
    ('ق', 'ف'),
    ('ط', 'ظ'),
];

/// One keyboard or spelling slip: a letter changed, dropped, doubled or two swapped.
fn typo(name: &str, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let letters: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_alphabetic())
        .map(|(i, _)| i)
        .collect();
    if letters.len() < 3 {
        return name.to_owned();
    }
    let at = letters
        .get(rng.random_range(1..letters.len()))
        .copied()
        .unwrap_or(0);
    match rng.random_range(0..4) {
        0 => {
            let replacement = if arabic {
                let c = chars.get(at).copied().unwrap_or('ا');
                ARABIC_CONFUSIONS
                    .iter()
                    .find_map(|&(x, y)| (x == c).then_some(y).or((y == c).then_some(x)))
                    .unwrap_or('ن')
            } else {
                char::from(b'a' + rng.random_range(0..26u8))
            };
            if let Some(slot) = chars.get_mut(at) {
                *slot = replacement;
            }
        }
        1 => {
            chars.remove(at);
        }
        2 => {
            let c = chars.get(at).copied().unwrap_or('a');
            chars.insert(at, c);
        }
        _ => {
            if at + 1 < chars.len() {
                chars.swap(at, at + 1);
            }
        }
    }
    chars.into_iter().collect()
}
