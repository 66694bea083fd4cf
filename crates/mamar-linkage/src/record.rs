//! Person records as they arrive (text fields) and as they are compared (parsed once).

use rustc_hash::FxHashMap;

use crate::name::{Name, NamePart, PartMemo};
use crate::normalize::digits;
use crate::place::{Gazetteer, Place};

/// One person record as given: every field optional text. Either the name parts are given
/// separately or `full_name` holds the whole chain in the usual order (given, father,
/// grandfather, further ancestors, family; see [`Record::prepare`]).
#[derive(Debug, Clone, Default)]
pub struct RecordInput {
    pub full_name: String,
    pub given: String,
    pub father: String,
    pub grandfather: String,
    pub family: String,
    pub mother: String,
    pub birth_year: String,
    pub place: String,
    pub phone: String,
}

/// A record parsed for comparison.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub given: Name,
    pub father: Name,
    pub grandfather: Name,
    /// Ancestors beyond the grandfather, from a full name of more than five parts (kept, not
    /// compared).
    pub ancestors: Name,
    pub family: Name,
    pub mother: Name,
    /// The chain came from one field of three parts or more in the usual order, with nothing
    /// marking the family name (no article on its first or last word): it may have been
    /// written family name first (Hamwi Mohammed Khaled), which comparison and blocking (rule
    /// `other-order`) try too.
    pub order_unsure: bool,
    pub birth_year: Option<u16>,
    pub place: Place,
    /// The national significant number: the last nine digits, without country code or trunk 0.
    pub phone: Option<String>,
}

impl Record {
    pub fn prepare(input: &RecordInput, gazetteer: &Gazetteer) -> Record {
        Record::prepare_with(input, gazetteer, &mut Memo::default())
    }

    /// Prepares many records on `threads` threads. Lists repeat the same names, places and
    /// years thousands of times, so each distinct text is parsed once. The same records as
    /// [`Record::prepare`] one by one, in the same order.
    pub fn prepare_all(inputs: &[RecordInput], gazetteer: &Gazetteer, threads: usize) -> Vec<Record> {
        Record::prepare_lists(&[inputs], gazetteer, threads)
    }

    /// [`Record::prepare_all`] of several lists at once (their records one after the other):
    /// a name written in two lists is parsed once.
    pub fn prepare_lists(lists: &[&[RecordInput]], gazetteer: &Gazetteer, threads: usize) -> Vec<Record> {
        let threads = threads.max(1);
        let inputs: Vec<&RecordInput> = lists.iter().flat_map(|l| l.iter()).collect();
        let chunk = inputs.len().div_ceil(threads).max(1);
        // Number the distinct texts, and note each record's: each thread a run of records,
        // then the runs' numbers made one, in order (as if numbered one record after another).
        let local: Vec<([Texts<'_>; 3], Vec<[u32; 8]>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .map(|slice| {
                    scope.spawn(move || {
                        let [mut names, mut places, mut years]: [Texts<'_>; 3] = Default::default();
                        let numbered: Vec<[u32; 8]> = slice
                            .iter()
                            .map(|input| {
                                [
                                    names.number(&input.given),
                                    names.number(&input.father),
                                    names.number(&input.family),
                                    names.number(&input.mother),
                                    names.number(&input.full_name),
                                    names.number(&input.grandfather),
                                    places.number(&input.place),
                                    years.number(&input.birth_year),
                                ]
                            })
                            .collect();
                        ([names, places, years], numbered)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let [mut names, mut places, mut years]: [Texts<'_>; 3] = Default::default();
        let renumbered: Vec<[Vec<u32>; 3]> = local
            .iter()
            .map(|(texts, _)| {
                let [n, p, y] = texts;
                [
                    n.texts.iter().map(|t| names.number(t)).collect(),
                    p.texts.iter().map(|t| places.number(t)).collect(),
                    y.texts.iter().map(|t| years.number(t)).collect(),
                ]
            })
            .collect();
        let numbered: Vec<[u32; 8]> = std::thread::scope(|scope| {
            let handles: Vec<_> = local
                .iter()
                .zip(&renumbered)
                .map(|((_, numbered), [n, p, y])| {
                    scope.spawn(move || {
                        let global =
                            |table: &Vec<u32>, local: u32| table.get(local as usize).copied().unwrap_or(0);
                        numbered
                            .iter()
                            .map(|row| {
                                let mut out = *row;
                                for cell in out.iter_mut().take(PLACE) {
                                    *cell = global(n, *cell);
                                }
                                out[PLACE] = global(p, row[PLACE]);
                                out[YEAR] = global(y, row[YEAR]);
                                out
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        drop(local);
        // Parse each distinct text once, on several threads, with the order a full name is
        // written in (normalised once for both).
        let parsed_names = parallel_map(&names.texts, threads, |memo: &mut PartMemo, text| {
            if text.is_empty() {
                (Name::default(), Written::Unmarked)
            } else {
                let normalized = crate::normalize::normalize(text);
                (
                    Name::parse_normalized(&normalized, memo),
                    written_order_normalized(&normalized),
                )
            }
        });
        let parsed_places = parallel_map(&places.texts, threads, |(), text| gazetteer.place(text));
        let parsed_years = parallel_map(&years.texts, threads, |(), text| parse_year(text));
        std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .zip(numbered.chunks(chunk))
                .map(|(inputs, numbers)| {
                    let (parsed_names, parsed_places, parsed_years) =
                        (&parsed_names, &parsed_places, &parsed_years);
                    scope.spawn(move || {
                        inputs
                            .iter()
                            .zip(numbers)
                            .map(|(input, n)| {
                                let parsed = |i: usize| n.get(i).and_then(|&k| parsed_names.get(k as usize));
                                let name =
                                    |i: usize| parsed(i).map(|(name, _)| name.clone()).unwrap_or_default();
                                Record::assemble(
                                    [name(0), name(1), name(2), name(3), name(4), name(5)],
                                    parsed(4).map_or(Written::Unmarked, |&(_, written)| written),
                                    parsed_years.get(n[YEAR] as usize).copied().flatten(),
                                    parsed_places.get(n[PLACE] as usize).cloned().unwrap_or_default(),
                                    phone_number(&input.phone),
                                )
                            })
                            .collect::<Vec<Record>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    /// A record from its parsed fields: given, father's, family, mother's, full and
    /// grandfather's name.
    ///
    /// - A full name fills the name chain when given, father's, grandfather's and family name
    ///   are all empty: one part is the given name; two, given and family; three, given,
    ///   father and family; four, given, father, grandfather and family; more, the parts
    ///   between the grandfather and the family name are further ancestors. A full name whose
    ///   first word carries the article and whose last does not (الخطيب محمد أحمد, Al-Khatib
    ///   Mohammed Ahmad) is written family name first; one whose last word carries it and whose
    ///   first does not (محمد أحمد الخطيب) is in the usual order; any other of three parts or
    ///   more is of unsure order (`order_unsure`).
    /// - A given name of several parts with no father's name is the chain written in one
    ///   field (محمد أحمد, Mohammed Ahmad): the parts are given, father and grandfather (two
    ///   parts only if the grandfather's column is filled).
    fn assemble(
        names: [Name; 6],
        written: Written,
        birth_year: Option<u16>,
        place: Place,
        phone: Option<String>,
    ) -> Record {
        let [mut given, mut father, mut family, mother, full, mut grandfather] = names;
        let mut ancestors = Name::default();
        let mut order_unsure = false;
        let one =
            |part: Option<&NamePart>| part.map_or_else(Name::default, |p| Name::from_parts(vec![p.clone()]));
        if given.is_empty() && father.is_empty() && family.is_empty() && grandfather.is_empty() {
            let mut parts: Vec<NamePart> = full.parts.to_vec();
            let family_first = written == Written::FamilyFirst;
            if family_first && parts.len() >= 2 {
                parts.rotate_left(1);
            }
            let count = parts.len();
            order_unsure = written == Written::Unmarked && count >= 3;
            given = one(parts.first());
            if count >= 2 {
                family = one(parts.last());
            }
            if count >= 3 {
                father = one(parts.get(1));
            }
            if count >= 4 {
                grandfather = one(parts.get(2));
            }
            if count >= 5 {
                ancestors = Name::from_parts(parts.get(3..count - 1).unwrap_or_default().to_vec());
            }
        } else if father.is_empty()
            && given.parts.len() >= 2
            && (grandfather.is_empty() || given.parts.len() == 2)
        {
            let parts = given.parts.clone();
            given = one(parts.first());
            father = one(parts.get(1));
            if grandfather.is_empty() {
                grandfather = one(parts.get(2));
                if parts.len() > 3 {
                    ancestors = Name::from_parts(parts.get(3..).unwrap_or_default().to_vec());
                }
            }
        }
        Record {
            given,
            father,
            grandfather,
            ancestors,
            family,
            mother,
            order_unsure,
            birth_year,
            place,
            phone,
        }
    }

    fn prepare_with<'a>(input: &'a RecordInput, gazetteer: &Gazetteer, memo: &mut Memo<'a>) -> Record {
        let names = [
            memo.name(&input.given),
            memo.name(&input.father),
            memo.name(&input.family),
            memo.name(&input.mother),
            memo.name(&input.full_name),
            memo.name(&input.grandfather),
        ];
        Record::assemble(
            names,
            written_order(&input.full_name),
            memo.year(&input.birth_year),
            memo.place(gazetteer, &input.place),
            phone_number(&input.phone),
        )
    }
}

/// Where the place and the year stand in a record's numbered texts (the names before them).
const PLACE: usize = 6;
const YEAR: usize = 7;

/// How a full name's order reads from its articles (ال, al-, el-).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// The first word carries the article and the last does not: the family name written
    /// first (الخطيب محمد أحمد, Al-Khatib Mohammed Ahmad).
    FamilyFirst,
    /// The last word carries the article (and is not the second word of a compound such as
    /// Abd al-Rahman or Nour al-Din) and the first does not: the family name written last
    /// (محمد أحمد الخطيب). Given names do not carry the article.
    FamilyLast,
    /// Nothing marks the family name.
    Unmarked,
}

fn written_order(full_name: &str) -> Written {
    if full_name.is_empty() {
        return Written::Unmarked;
    }
    written_order_normalized(&crate::normalize::normalize(full_name))
}

/// [`written_order`] of a full name already normalised.
fn written_order_normalized(normalized: &str) -> Written {
    // Most names are one or two words: nothing marks their order, and nothing is allocated.
    if normalized.split_whitespace().nth(2).is_none() {
        return Written::Unmarked;
    }
    // Normalised text is already lower case.
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let has_article = |word: &str| {
        (word.starts_with("ال") && word.chars().count() > 3 && !matches!(word, "الله" | "الياس"))
            || ["al-", "el-"]
                .iter()
                .any(|a| word.starts_with(a) && word.len() > 4)
    };
    let apart = |word: &str| matches!(word, "al" | "el");
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let n = words.len();
    // The article of the last name: on its last word, or written apart before it.
    let (last_has, before) = if has_article(word(n - 1)) {
        (true, word(n - 2))
    } else if apart(word(n - 2)) {
        (true, word(n - 3))
    } else {
        (false, "")
    };
    // Abd al-Rahman, Abu al-Fadl, Nour al-Din: the article inside a given name.
    let compound = matches!(
        before,
        "عبد" | "ابو" | "abd" | "abdul" | "abdel" | "abdal" | "abu" | "abou" | "abo"
    ) || matches!(
        word(n - 1),
        "الدين" | "الله" | "al-din" | "ad-din" | "el-din" | "eddin" | "din"
    );
    let first_has = has_article(word(0)) || apart(word(0));
    if first_has && !last_has {
        Written::FamilyFirst
    } else if last_has && !compound && !first_has {
        Written::FamilyLast
    } else {
        Written::Unmarked
    }
}

/// Distinct texts, numbered in order of first appearance.
#[derive(Default)]
struct Texts<'a> {
    numbers: FxHashMap<&'a str, u32>,
    texts: Vec<&'a str>,
}

impl<'a> Texts<'a> {
    fn number(&mut self, text: &'a str) -> u32 {
        let next = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        let number = *self.numbers.entry(text).or_insert(next);
        if number == next {
            self.texts.push(text);
        }
        number
    }
}

/// `f` of each text, on up to `threads` threads, in order, each thread with its own state
/// (a memo). Each thread takes a run of texts of about as many bytes as the others': the
/// distinct texts are numbered in order of first appearance, so a list of full names after
/// lists of single names puts the long texts last.
fn parallel_map<S: Default, U: Send>(
    texts: &[&str],
    threads: usize,
    f: impl Fn(&mut S, &&str) -> U + Sync,
) -> Vec<U> {
    // A text's cost: its bytes, and a fixed part for the work every text takes.
    let cost = |text: &&str| text.len() + 16;
    let total: usize = texts.iter().map(cost).sum();
    let threads = threads.max(1);
    let mut runs = Vec::with_capacity(threads);
    let (mut start, mut running) = (0, 0);
    for (index, text) in texts.iter().enumerate() {
        running += cost(text);
        if running * threads >= total * (runs.len() + 1) && runs.len() + 1 < threads {
            runs.push(texts.get(start..=index).unwrap_or_default());
            start = index + 1;
        }
    }
    runs.push(texts.get(start..).unwrap_or_default());
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|slice| {
                scope.spawn(move || {
                    let mut state = S::default();
                    slice.iter().map(|text| f(&mut state, text)).collect::<Vec<U>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Texts already parsed (at most a million of each kind).
#[derive(Default)]
struct Memo<'a> {
    names: FxHashMap<&'a str, Name>,
    places: FxHashMap<&'a str, Place>,
    years: FxHashMap<&'a str, Option<u16>>,
}

const MEMO_LIMIT: usize = 1_000_000;

impl<'a> Memo<'a> {
    fn name(&mut self, text: &'a str) -> Name {
        if text.is_empty() {
            return Name::default();
        }
        if let Some(name) = self.names.get(text) {
            return name.clone();
        }
        let name = Name::parse(text);
        if self.names.len() < MEMO_LIMIT {
            self.names.insert(text, name.clone());
        }
        name
    }

    fn place(&mut self, gazetteer: &Gazetteer, text: &'a str) -> Place {
        if let Some(place) = self.places.get(text) {
            return place.clone();
        }
        let place = gazetteer.place(text);
        if self.places.len() < MEMO_LIMIT {
            self.places.insert(text, place.clone());
        }
        place
    }

    fn year(&mut self, text: &'a str) -> Option<u16> {
        if let Some(year) = self.years.get(text) {
            return *year;
        }
        let year = parse_year(text);
        if self.years.len() < MEMO_LIMIT {
            self.years.insert(text, year);
        }
        year
    }
}

/// A plausible birth year (1900–2100) from text in any digits, or nothing.
pub fn parse_year(text: &str) -> Option<u16> {
    // The first run of four digits in range: "1985", "١٩٨٥", "15/03/1985", "1985-03-15".
    let normalized = crate::normalize::normalize(text);
    normalized
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse::<u16>().ok())
        .find(|year| (1900..=2100).contains(year))
}

/// The last nine digits of a phone number (Syrian numbers: 9 significant digits), or nothing if
/// fewer than seven digits are given.
pub fn phone_number(text: &str) -> Option<String> {
    let digits = digits(text);
    if digits.len() < 7 {
        return None;
    }
    let start = digits.len().saturating_sub(9);
    digits.get(start..).map(str::to_owned)
}
