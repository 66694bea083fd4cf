//! Blocking: which pairs of records are compared at all. Several rules are OR-ed: a pair is a
//! candidate if any rule puts both records in the same block. Each rule's number of pairs is
//! reported, and, once pairs are scored, the share of the accepted matches it found (its recall
//! relative to all rules together).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

mod blocks;
mod many;

pub use blocks::{Blocks, Candidates, PairScope, RuleStats, candidates};
use many::deletion_keys;

use crate::compare::{Field, rotated};
use crate::name::Name;
use crate::record::Record;

/// A blocking rule: records agreeing on its key are compared. Names enter keys as consonant
/// skeletons of their first part, so Arabic and Latin spellings meet; the given and the
/// father's name enter as an unordered pair, so records with the two swapped meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockingRule {
    /// Given and father's name (either order) and family name.
    NamesFamily,
    /// Given and father's name (either order) and birth year.
    NamesYear,
    /// Given name, family name and birth year (the father's name missing or misspelt).
    GivenFamilyYear,
    /// Mother's given name, given name and birth year.
    MotherGivenYear,
    /// Family name, mother's given name and birth year (the given name misspelt).
    FamilyMotherYear,
    /// Given, family and mother's given name (the birth year missing or one off).
    GivenFamilyMother,
    /// First consonants of the given, father's and family names, and birth year (a typo
    /// anywhere but in a first letter).
    InitialsYear,
    /// The phone number.
    Phone,
    /// Given name, family name and the governorate of the place (a town or the governorate
    /// itself): a record without the birth year, or with it one off, and without the mother's
    /// or the father's name, which every rule above needs one of.
    GivenFamilyGovernorate,
    /// Given and father's name (either order) and the grandfather's name: a record without the
    /// family name (lists that write the chain without it, or write it another way: «Al Ahmet»
    /// against «الأحمد») and without the year.
    NamesGrandfather,
    /// Given and father's name (either order) and family name, a chain from one field that
    /// may have been written family name first (see `Record::order_unsure`) read so: «Hamwi
    /// Mohammed Khaled» meets «Mohammed Khaled Hamwi». Only blocks holding such a chain are
    /// kept (the others are the blocks of `names+family`).
    OtherOrder,
    /// Given and father's name (either order) and family name, one of the three written
    /// with one slip (a letter of its skeleton changed, dropped, added or two swapped; the
    /// deletion neighbourhood of SymSpell: each record is in the blocks of its names as
    /// written and of each with one letter of one skeleton deleted). Only pairs of which one
    /// record at least has no birth year: with the year, `initials+year` finds a slip
    /// anywhere but in a first consonant, and without it a slip in a name and the mother
    /// missing left a record met by no rule (Ahmad written Amhad: `MHD` against `HMD`). Not
    /// a default rule (see [`BlockingRule::OPTIONAL`]); named, it goes last but for
    /// `other-order`.
    NamesFamilyTypo,
}

/// See [`BlockingRule::block_pairs_limit`].
const SPARSE_BLOCK_DIVISOR: u64 = 25;

/// The most rules one run can block on (a pair's rules are a bit set).
pub const MAX_RULES: usize = 16;

/// The rules that found a pair: bit `i` set, rule `i` found it.
pub type RuleBits = u16;

impl BlockingRule {
    pub const DEFAULT: [BlockingRule; 11] = [
        BlockingRule::NamesFamily,
        BlockingRule::NamesYear,
        BlockingRule::GivenFamilyYear,
        BlockingRule::MotherGivenYear,
        BlockingRule::FamilyMotherYear,
        BlockingRule::GivenFamilyMother,
        BlockingRule::InitialsYear,
        BlockingRule::Phone,
        BlockingRule::GivenFamilyGovernorate,
        BlockingRule::NamesGrandfather,
        BlockingRule::OtherOrder,
    ];

    /// Rules a run may name besides the default ones. `names+family~1` is not a default
    /// one: on the households bench (2026-12-06) it raised F1 from 0.8843 to 0.8849 and the
    /// processor time of a run by about a fifth (BENCHMARKS.md).
    pub const OPTIONAL: [BlockingRule; 1] = [BlockingRule::NamesFamilyTypo];

    pub fn name(self) -> &'static str {
        match self {
            BlockingRule::NamesFamily => "names+family",
            BlockingRule::NamesYear => "names+year",
            BlockingRule::GivenFamilyYear => "given+family+year",
            BlockingRule::MotherGivenYear => "mother+given+year",
            BlockingRule::FamilyMotherYear => "family+mother+year",
            BlockingRule::GivenFamilyMother => "given+family+mother",
            BlockingRule::InitialsYear => "initials+year",
            BlockingRule::Phone => "phone",
            BlockingRule::GivenFamilyGovernorate => "given+family+place",
            BlockingRule::NamesGrandfather => "names+grandfather",
            BlockingRule::OtherOrder => "other-order",
            BlockingRule::NamesFamilyTypo => "names+family~1",
        }
    }

    /// The fields this rule blocks on.
    pub fn fields(self) -> &'static [Field] {
        match self {
            BlockingRule::NamesFamily => &[Field::Given, Field::Father, Field::Family],
            BlockingRule::NamesYear => &[Field::Given, Field::Father, Field::BirthYear],
            BlockingRule::GivenFamilyYear => &[Field::Given, Field::Family, Field::BirthYear],
            BlockingRule::MotherGivenYear => &[Field::Mother, Field::Given, Field::BirthYear],
            BlockingRule::FamilyMotherYear => &[Field::Family, Field::Mother, Field::BirthYear],
            BlockingRule::GivenFamilyMother => &[Field::Given, Field::Family, Field::Mother],
            BlockingRule::InitialsYear => &[Field::Given, Field::Father, Field::Family, Field::BirthYear],
            BlockingRule::Phone => &[Field::Phone],
            BlockingRule::GivenFamilyGovernorate => &[Field::Given, Field::Family, Field::Place],
            BlockingRule::NamesGrandfather => &[Field::Given, Field::Father, Field::Grandfather],
            BlockingRule::OtherOrder | BlockingRule::NamesFamilyTypo => {
                &[Field::Given, Field::Father, Field::Family]
            }
        }
    }

    /// Whether the pairs this rule finds train the model (an EM session of their own). The
    /// pairs of `other-order` are mostly those of `names+family` again: a second session on
    /// them would count those pairs twice in the mean of the sessions. `given+family+place`
    /// and `names+grandfather` are there for the sparse records the other rules miss: their
    /// blocks are mostly namesakes, cousins and the pairs of other rules again, and the model
    /// is the one the other sessions learn (its number of matches and brothers is found over
    /// all candidate pairs, theirs included).
    pub fn trains(self) -> bool {
        !matches!(
            self,
            BlockingRule::OtherOrder
                | BlockingRule::GivenFamilyGovernorate
                | BlockingRule::NamesGrandfather
                | BlockingRule::NamesFamilyTypo
        )
    }

    /// The most pairs a block of this rule may give, for the run's `max_block_pairs`. The
    /// rules for sparse records keep only blocks of a twenty-fifth of that (200 pairs by
    /// default: about twenty records across lists): their new pairs lack the year and the
    /// mother, and among more namesakes than that such a pair cannot be told from the others
    /// (on the households bench, blocks up to the run's limit gave 3.5 times the new pairs for
    /// 40 % more recall).
    pub fn block_pairs_limit(self, max_block_pairs: u64) -> u64 {
        match self {
            BlockingRule::GivenFamilyGovernorate
            | BlockingRule::NamesGrandfather
            | BlockingRule::NamesFamilyTypo => (max_block_pairs / SPARSE_BLOCK_DIVISOR).max(1),
            _ => max_block_pairs,
        }
    }

    /// Whether a block of this rule is kept only if one of its records is an anchor (see
    /// [`BlockingRule::anchor`]).
    fn anchored(self) -> bool {
        matches!(self, BlockingRule::OtherOrder | BlockingRule::NamesFamilyTypo)
    }

    /// For `other-order`, a chain read the other way round; for `names+family~1`, a record
    /// without the birth year (with it, `initials+year` finds the slips but in a first
    /// letter, and the pairs of this rule's blocks are only those with an anchor).
    fn anchor(self, record: &Record) -> bool {
        match self {
            BlockingRule::OtherOrder => record.order_unsure,
            BlockingRule::NamesFamilyTypo => record.birth_year.is_none(),
            _ => true,
        }
    }

    pub fn parse(name: &str) -> Option<BlockingRule> {
        BlockingRule::DEFAULT
            .into_iter()
            .chain(BlockingRule::OPTIONAL)
            .find(|rule| rule.name() == name)
    }

    /// Whether a record has several keys under this rule (see [`BlockingRule::keys`]), and
    /// is in several of its blocks.
    pub fn has_many_keys(self) -> bool {
        self == BlockingRule::NamesFamilyTypo
    }

    /// The block keys of a record, in any order, without repeats: the one of
    /// [`BlockingRule::key`], or for `names+family~1` the names as written and with one letter
    /// of one skeleton deleted. None if the record lacks a field the rule needs.
    pub fn keys(self, record: &Record, out: &mut Vec<u64>) {
        out.clear();
        if self != BlockingRule::NamesFamilyTypo {
            out.extend(self.key(record));
            return;
        }
        let (Some(given), Some(father), Some(family)) =
            (first(&record.given), first(&record.father), first(&record.family))
        else {
            return;
        };
        deletion_keys([given, father, family], out, |[given, father, family]| {
            let mut hasher = FxHasher::default();
            (self as u8).hash(&mut hasher);
            (given.min(father), given.max(father), family).hash(&mut hasher);
            hasher.finish()
        });
    }

    /// The block key of a record, or `None` if the record lacks a field the rule needs (for
    /// a rule of several keys, [`BlockingRule::keys`], the names as written).
    pub fn key(self, record: &Record) -> Option<u64> {
        let mut hasher = FxHasher::default();
        (self as u8).hash(&mut hasher);
        match self {
            BlockingRule::NamesFamily => {
                names(record)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
            }
            BlockingRule::NamesYear => {
                names(record)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::GivenFamilyYear => {
                first(&record.given)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::MotherGivenYear => {
                first(&record.mother)?.hash(&mut hasher);
                first(&record.given)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::FamilyMotherYear => {
                first(&record.family)?.hash(&mut hasher);
                first(&record.mother)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::GivenFamilyMother => {
                first(&record.given)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
                first(&record.mother)?.hash(&mut hasher);
            }
            BlockingRule::InitialsYear => {
                for name in [&record.given, &record.father, &record.family] {
                    first(name)?.chars().next().hash(&mut hasher);
                }
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::Phone => record.phone.as_ref()?.hash(&mut hasher),
            BlockingRule::GivenFamilyGovernorate => {
                first(&record.given)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
                record.place.governorate?.hash(&mut hasher);
            }
            BlockingRule::NamesGrandfather => {
                names(record)?.hash(&mut hasher);
                first(&record.grandfather)?.hash(&mut hasher);
            }
            BlockingRule::OtherOrder if record.order_unsure => {
                let (given, father, _, family) =
                    rotated(&record.given, &record.father, &record.grandfather, &record.family);
                ordered(first(given)?, first(father)?).hash(&mut hasher);
                first(family)?.hash(&mut hasher);
            }
            BlockingRule::OtherOrder | BlockingRule::NamesFamilyTypo => {
                names(record)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
            }
        }
        Some(hasher.finish())
    }
}

/// The household key of a record: the skeletons of the first parts of the father's and the
/// family name (`None` if either is missing). Records sharing it are the pairs the household
/// model learns its brothers from (see [`crate::household::sample_households`]): a key on
/// neither the given name nor the birth year, so that the brothers among them are not
/// selected on the two fields that tell them apart.
pub(crate) fn household_key(record: &Record) -> Option<u64> {
    let mut hasher = FxHasher::default();
    first(&record.father)?.hash(&mut hasher);
    first(&record.family)?.hash(&mut hasher);
    Some(hasher.finish())
}

/// The consonant skeleton of a name's first part, if any.
fn first(name: &Name) -> Option<&str> {
    name.first()
        .map(|p| p.consonants.as_str())
        .filter(|c| !c.is_empty())
}

/// The given and father's names' skeletons in a fixed order.
fn names(record: &Record) -> Option<(&str, &str)> {
    Some(ordered(first(&record.given)?, first(&record.father)?))
}

/// Two names' skeletons in a fixed order (the given and the father's name either way round).
fn ordered<'a>(given: &'a str, father: &'a str) -> (&'a str, &'a str) {
    if given <= father {
        (given, father)
    } else {
        (father, given)
    }
}
