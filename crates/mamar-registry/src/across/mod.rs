//! The total across organisations: partners exchange keyed encodings of the people they
//! documented (never names), the encodings are matched across the lists, each person found is
//! put in a stratum, and the overlap counts of each stratum (a capture-history table) feed the
//! log-linear estimation of `mamar-stats`. The documented number (people on at least one list)
//! and the estimated total with its interval are always kept apart.
//!
//! The steps are pure functions: [`exchange::parse_encodings`] (bytes → an encoded list),
//! [`match_people`] (lists → each person's lists and stratum), [`capture_tables`] (people →
//! one table per stratum) and [`estimate`] (a table → the chosen model, its total, its
//! interval); [`estimate_total`] runs them in order.

pub mod exchange;
pub mod simulation;

use std::collections::BTreeMap;

use mamar_linkage::clk::{ClkBlocking, ClkError, ClkMatchOptions, ClkStore, kernel, match_lists};
use mamar_linkage::cluster::Clusters;
use mamar_stats::loglinear::{self, BootstrapInterval, Criterion, Interval, Search};
use mamar_stats::{CaptureTable, Level};

pub use exchange::{EncodedList, ExchangeError, parse_encodings};
pub use mamar_linkage::clk::MAX_LISTS;

/// The Dice coefficient at or above which two encodings are one person: the threshold at which
/// the possible duplicates of a case are flagged. In the coverage study (BENCHMARKS.md) 0.8
/// missed enough matches to push the estimates up and out of their intervals; 0.75 balances
/// missed and false matches.
pub const DEFAULT_THRESHOLD: f64 = 0.75;
/// The most strata one report has: a stratum column holds categories (rank class, year), never
/// a name or an id, and a column with more values is refused rather than shown.
pub const MAX_STRATA: usize = 40;
/// Bootstrap resamples for the interval that allows for the choice of model.
pub const DEFAULT_REPLICATES: usize = 200;

/// The assumptions behind every estimate, in plain words (the command line prints them; the
/// web pages have them in both languages).
pub const ASSUMPTIONS: [&str; 5] = [
    "Closed population: the people counted are one group over one period; nobody joins or leaves it between the lists.",
    "The matching is right: two encodings at or above the Dice threshold are one person, and each list holds each person once.",
    "The lists may depend on each other only as the chosen model allows (its two-way interactions); with three lists, \
     the three-way interaction cannot be checked and is taken to be absent.",
    "Within a stratum, people the lists missed are like people the lists share with respect to those dependencies.",
    "The interval allows for the choice of model (resampling the people seen); it does not allow for matching errors.",
];

/// How to match and estimate.
#[derive(Debug, Clone)]
pub struct TotalOptions {
    /// Dice coefficient at or above which two encodings are one person.
    pub threshold: f64,
    /// The stratum columns (each file must have them); none for one table.
    pub strata: Vec<String>,
    pub level: Level,
    /// Bootstrap resamples (0: the chosen model's profile-likelihood interval only).
    pub replicates: usize,
    pub seed: u64,
    pub threads: usize,
}

impl Default for TotalOptions {
    fn default() -> Self {
        TotalOptions {
            threshold: DEFAULT_THRESHOLD,
            strata: Vec::new(),
            level: Level::default(),
            replicates: DEFAULT_REPLICATES,
            seed: 1,
            threads: 1,
        }
    }
}

/// Why no report was made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TotalError {
    #[error("an estimate across organisations needs the lists of at least two; got {0}")]
    TooFewLists(usize),
    #[error(
        "{list} was encoded with {scheme:?} but {first} with {first_scheme:?}; every partner must encode with the same secret and options"
    )]
    MixedSchemes {
        list: String,
        scheme: String,
        first: String,
        first_scheme: String,
    },
    #[error("{list} has no column {column:?}; its stratum columns are: {present}")]
    MissingColumn {
        list: String,
        column: String,
        present: String,
    },
    #[error(
        "the stratum columns give {0} strata; at most {MAX_STRATA} are allowed (a stratum column holds categories, such as a rank class or a year, never a name or an id)"
    )]
    TooManyStrata(usize),
    #[error("two lists are named {0:?}; give each a different name")]
    DuplicateName(String),
    #[error(transparent)]
    Matching(#[from] ClkError),
}

/// The people found across the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct People {
    /// Each person's lists (bit `i`: on list `i`) and stratum values.
    pub people: Vec<(u32, Vec<String>)>,
    /// Pairs of records joined as one person.
    pub matched_pairs: usize,
    pub comparisons: u64,
}

/// Matches the lists' encodings and gives each person found their lists and stratum. A
/// person's stratum value is the first list's (in the order given) that records one; a person
/// no list gives a value for has the empty value ("not recorded").
pub fn match_people(lists: &[EncodedList], options: &TotalOptions) -> Result<People, TotalError> {
    check_lists(lists, &options.strata)?;
    let stores: Vec<ClkStore> = lists.iter().map(|l| l.clks.clone()).collect();
    let outcome = match_lists(
        &stores,
        &ClkMatchOptions {
            threshold: options.threshold,
            blocking: ClkBlocking::Exhaustive,
            kernel: kernel(),
            threads: options.threads.max(1),
        },
    )?;
    // Every record: its list and its index in the list, in the order `match_lists` numbers them.
    let records: Vec<(usize, usize)> = lists
        .iter()
        .enumerate()
        .flat_map(|(list, l)| (0..l.len()).map(move |index| (list, index)))
        .collect();
    let mut clusters = Clusters::new(records.len());
    for &(a, b) in &outcome.pairs {
        clusters.union(a, b);
    }
    let labels = clusters.labels();
    let mut by_label: BTreeMap<u32, (u32, Vec<String>)> = BTreeMap::new();
    for (&(list, index), &label) in records.iter().zip(&labels) {
        let person = by_label
            .entry(label)
            .or_insert_with(|| (0, vec![String::new(); options.strata.len()]));
        person.0 |= 1 << list;
        let Some(encoded) = lists.get(list) else {
            continue;
        };
        for (value, column) in person.1.iter_mut().zip(&options.strata) {
            // Lists come in order, so the first list that records a value keeps it.
            if value.is_empty() {
                encoded.stratum_value(index, column).clone_into(value);
            }
        }
    }
    Ok(People {
        people: by_label.into_values().collect(),
        matched_pairs: outcome.pairs.len(),
        comparisons: outcome.comparisons,
    })
}

fn check_lists(lists: &[EncodedList], strata: &[String]) -> Result<(), TotalError> {
    if lists.len() < 2 {
        return Err(TotalError::TooFewLists(lists.len()));
    }
    let Some(first) = lists.first() else {
        return Err(TotalError::TooFewLists(0));
    };
    for (index, list) in lists.iter().enumerate() {
        if list.scheme != first.scheme {
            return Err(TotalError::MixedSchemes {
                list: list.name.clone(),
                scheme: list.scheme.clone(),
                first: first.name.clone(),
                first_scheme: first.scheme.clone(),
            });
        }
        if lists.iter().take(index).any(|other| other.name == list.name) {
            return Err(TotalError::DuplicateName(list.name.clone()));
        }
        if let Some(column) = strata.iter().find(|c| !list.stratum_columns.contains(c)) {
            return Err(TotalError::MissingColumn {
                list: list.name.clone(),
                column: column.clone(),
                present: if list.stratum_columns.is_empty() {
                    "none".to_owned()
                } else {
                    list.stratum_columns.join(", ")
                },
            });
        }
    }
    Ok(())
}

/// One capture-history table per stratum (ordered by the stratum's values): the number of
/// people on each combination of lists.
pub fn capture_tables(people: &People) -> BTreeMap<Vec<String>, Vec<(u32, u64)>> {
    let mut counts: BTreeMap<Vec<String>, BTreeMap<u32, u64>> = BTreeMap::new();
    for (pattern, stratum) in &people.people {
        *counts
            .entry(stratum.clone())
            .or_default()
            .entry(*pattern)
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(stratum, cells)| (stratum, cells.into_iter().collect()))
        .collect()
}

/// The estimate of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalEstimate {
    /// The chosen model, e.g. `a:b` (lists a and b depend on each other) or `independence`.
    pub model: String,
    /// Models that could be fitted, out of those compared.
    pub models_estimable: usize,
    pub total: f64,
    pub unseen: f64,
    /// The chosen model's own profile-likelihood interval.
    pub profile: Interval,
    /// The interval that allows for the choice of model, when resamples were asked for and
    /// at least half of them gave an estimate.
    pub bootstrap: Option<BootstrapInterval>,
}

impl TotalEstimate {
    /// The interval to show: the bootstrap's when there is one, else the profile's (`None` as
    /// the upper limit: the data set none).
    pub fn interval(&self) -> (f64, Option<f64>) {
        match &self.bootstrap {
            Some(b) => (b.lower, b.upper),
            None => (self.profile.lower, self.profile.upper),
        }
    }
}

/// One stratum's line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumTotal {
    /// The stratum's values (in the order of the stratum columns); empty for the only table
    /// or the pooled one.
    pub stratum: Vec<String>,
    /// All strata together (shown after them when there are several).
    pub pooled: bool,
    /// People per combination of lists (bit `i`: on list `i`).
    pub cells: Vec<(u32, u64)>,
    /// People on at least one list: counted, not estimated.
    pub documented: u64,
    /// The estimate, or why there is none.
    pub estimate: Result<TotalEstimate, String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalReport {
    pub lists: Vec<String>,
    /// Encodings in each list.
    pub sizes: Vec<usize>,
    pub strata_columns: Vec<String>,
    pub threshold: f64,
    pub level: f64,
    pub matched_pairs: usize,
    pub comparisons: u64,
    /// Each stratum, then (with several strata) all of them pooled.
    pub strata: Vec<StratumTotal>,
}

/// Chooses a log-linear model by AIC among the hierarchical models with two-way interactions
/// and gives its total, with the interval that allows for the choice when `replicates` > 0.
pub fn estimate(table: &CaptureTable, options: &TotalOptions) -> Result<TotalEstimate, String> {
    mamar_stats::identify::check_overlaps(table).map_err(|e| e.to_string())?;
    let selection = loglinear::select(table, Criterion::Aic, Search::Auto, 1, options.level)
        .map_err(|e| e.to_string())?;
    let Some(best) = selection.ranked.first() else {
        return Err("no model could be fitted".to_owned());
    };
    let Some(profile) = best.interval else {
        return Err(best
            .interval_problem
            .clone()
            .unwrap_or_else(|| "the chosen model has no interval".to_owned()));
    };
    let bootstrap = if options.replicates == 0 {
        None
    } else {
        loglinear::bootstrap_selection(
            table,
            Criterion::Aic,
            Search::Auto,
            options.replicates,
            options.seed,
            options.level,
            options.threads.max(1),
        )
        .map_err(|e| e.to_string())?
    };
    Ok(TotalEstimate {
        model: best.estimate.name.clone(),
        models_estimable: selection.models_estimable,
        total: best.estimate.total,
        unseen: best.estimate.unseen,
        profile,
        bootstrap,
    })
}

/// Matches the partners' lists, counts the overlaps per stratum and estimates each stratum's
/// total (and, with several strata, the pooled total).
pub fn estimate_total(lists: &[EncodedList], options: &TotalOptions) -> Result<TotalReport, TotalError> {
    let people = match_people(lists, options)?;
    let names: Vec<String> = lists.iter().map(|l| l.name.clone()).collect();
    let tables = capture_tables(&people);
    if tables.len() > MAX_STRATA {
        return Err(TotalError::TooManyStrata(tables.len()));
    }
    let line = |stratum: Vec<String>, pooled: bool, cells: Vec<(u32, u64)>| {
        let documented = cells.iter().map(|(_, c)| c).sum();
        let estimate = CaptureTable::from_masks(names.clone(), &cells)
            .map_err(|e| e.to_string())
            .and_then(|table| estimate(&table, options));
        StratumTotal {
            stratum,
            pooled,
            cells,
            documented,
            estimate,
        }
    };
    let several = tables.len() > 1;
    let mut pooled: BTreeMap<u32, u64> = BTreeMap::new();
    let mut strata = Vec::new();
    for (stratum, cells) in tables {
        for &(pattern, count) in &cells {
            *pooled.entry(pattern).or_default() += count;
        }
        strata.push(line(stratum, false, cells));
    }
    if several {
        strata.push(line(Vec::new(), true, pooled.into_iter().collect()));
    }
    Ok(TotalReport {
        lists: names,
        sizes: lists.iter().map(EncodedList::len).collect(),
        strata_columns: options.strata.clone(),
        threshold: options.threshold,
        level: options.level.value(),
        matched_pairs: people.matched_pairs,
        comparisons: people.comparisons,
        strata,
    })
}
