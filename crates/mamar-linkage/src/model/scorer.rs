//! [`Scorer`]: the match weight of many pairs, with the logarithms taken once, against
//! strangers and, with a household model, against brothers.

use super::{LEVELS, Parameters, SCRIPT_PAIRS, ScriptWeights, TF_FIELDS, TermFrequencies, tf_column};
use crate::compare::{Comparison, Field, GRANDFATHER, Level};

/// Scores many pairs: [`pair_weight`] with the logarithms taken once.
#[derive(Debug, Clone)]
pub struct Scorer<'t> {
    prior: f64,
    /// The prior of each kind of pair, at `lists × i + j` for lists i ≤ j (see
    /// [`super::KindPrior`]); empty when one prior serves every pair.
    kind_priors: Vec<f64>,
    lists: usize,
    list_of: &'t [u16],
    weights: [[f64; LEVELS + 1]; Field::COUNT],
    /// log2 of m at exact agreement, for the name fields (by term-frequency column).
    log_m_exact: [f64; TF_FIELDS],
    tf: Option<&'t TermFrequencies>,
    household: Option<BrotherWeights>,
    /// The name fields' weights (missing: 0) and log2 of m at exact agreement per script
    /// combination (see [`super::by_script`]), if estimated.
    by_script: Option<Box<ScriptTable>>,
}

#[derive(Debug, Clone)]
struct ScriptTable {
    weights: [[[f64; LEVELS + 1]; TF_FIELDS]; SCRIPT_PAIRS],
    log_m_exact: [[f64; TF_FIELDS]; SCRIPT_PAIRS],
}

/// A pair's weight taken apart (see [`Scorer::name_terms`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameTerms {
    /// The prior and the fields without script weights, against strangers.
    fixed_match: f64,
    /// Likewise against brothers (with a household model).
    fixed_brothers: Option<f64>,
    /// Per term-frequency column: the script combination + 1 (0: no script weight applies).
    pub(crate) scripts: [u8; TF_FIELDS],
    /// Per term-frequency column: the level's index.
    pub(crate) levels: [u8; TF_FIELDS],
    /// Per term-frequency column: log2 of the pair's share, where it agrees exactly (NaN: none).
    log_p: [f64; TF_FIELDS],
}

/// The exact agreement's weight adjusted for the name's share: log2(m / share), kept within 6
/// bits of the unadjusted weight `plain`.
#[inline]
fn tf_adjusted(log_m: f64, log_p: f64, plain: f64) -> f64 {
    (log_m - log_p.max(1e-9f64.log2())).clamp(plain - 6.0, plain + 6.0)
}

/// log2(o_match / (1 + o_brothers)) from the two log-odds against strangers, and whether
/// brothers are likelier than a match.
#[inline]
fn combine(w_match: f64, w_brothers: Option<f64>) -> (f64, bool) {
    match w_brothers {
        // Below 2^-40 (most pairs: their household differs) the term is under 1e-12 and is
        // left out, which spares a power and a logarithm per pair.
        Some(w) if w < -40.0 => (w_match, w > w_match),
        Some(w) => (
            w_match - w.min(60.0).exp2().ln_1p() / std::f64::consts::LN_2,
            w > w_match,
        ),
        None => (w_match, false),
    }
}

/// The household model's prior and year weights, for [`Scorer`].
#[derive(Debug, Clone)]
struct BrotherWeights {
    /// log2 of the brothers' prior odds against strangers.
    prior: f64,
    /// log2(brothers' share / strangers' share) of each birth-year level (0 for missing).
    year: [f64; LEVELS + 1],
    /// log2(brothers' share / matches' share) of each given-name level (0 for missing), added
    /// to the match's (term-frequency adjusted) weight of the given name.
    given: [f64; LEVELS + 1],
}

impl BrotherWeights {
    /// What a field at `level` (index), weighing `value` for a match, adds to the weight of
    /// brothers: the year its own, the given name the match's shifted by the brothers', every
    /// other field the match's (brothers share the household).
    #[inline]
    fn term(&self, field: usize, level: usize, value: f64) -> f64 {
        if field == Field::BirthYear as usize {
            self.year.get(level).copied().unwrap_or(0.0)
        } else if field == Field::Given as usize {
            if level == Level::Missing as usize {
                0.0
            } else {
                value + self.given.get(level).copied().unwrap_or(0.0)
            }
        } else {
            value
        }
    }
}

impl<'t> Scorer<'t> {
    /// A scorer of the records `list_of` gives the lists of (the records the model and the
    /// term frequencies were estimated on).
    pub fn new(parameters: &Parameters, tf: Option<&'t TermFrequencies>, list_of: &'t [u16]) -> Scorer<'t> {
        let prior = parameters.prior_weight();
        let lists = parameters
            .kinds
            .iter()
            .map(|kind| usize::from(kind.lists.1) + 1)
            .max()
            .unwrap_or(0);
        // One prior for all the kinds (one kind, or all pooled): no table to look up.
        let shared = parameters.kinds.iter().all(|kind| kind.pooled) || parameters.kinds.len() < 2;
        let mut kind_priors = if shared {
            Vec::new()
        } else {
            vec![prior; lists * lists]
        };
        for kind in &parameters.kinds {
            let (i, j) = (usize::from(kind.lists.0), usize::from(kind.lists.1));
            if let Some(slot) = kind_priors.get_mut(i * lists + j) {
                *slot = (kind.lambda / (1.0 - kind.lambda)).log2();
            }
        }
        Scorer {
            prior,
            kind_priors,
            lists,
            list_of,
            weights: std::array::from_fn(|field| {
                std::array::from_fn(|level| parameters.weight(field, Level::from_index(level as u8)))
            }),
            log_m_exact: std::array::from_fn(|column| {
                let field = if column == 4 { GRANDFATHER } else { column };
                parameters
                    .m
                    .get(field)
                    .and_then(|m| m.first())
                    .map_or(0.0, |m| m.log2())
            }),
            tf,
            household: parameters.household.as_ref().map(|fit| BrotherWeights {
                prior: fit.prior_weight(parameters),
                year: std::array::from_fn(|level| {
                    fit.year_weight(parameters, Level::from_index(level as u8))
                }),
                given: std::array::from_fn(|level| {
                    fit.given_shift(parameters, Level::from_index(level as u8))
                }),
            }),
            by_script: None,
        }
    }

    /// Weighs the name fields by the m and u of the two records' script combination (with
    /// term frequencies only: they hold the records' scripts).
    pub fn with_script_weights(mut self, weights: &ScriptWeights) -> Scorer<'t> {
        let weight = |pair: usize, column: usize, level: usize| -> f64 {
            let at = |rows: &super::ByScript| {
                rows.get(pair)
                    .and_then(|r| r.get(column))
                    .and_then(|r| r.get(level))
                    .copied()
            };
            match (at(&weights.m), at(&weights.u)) {
                (Some(m), Some(u)) => (m / u).log2(),
                _ => 0.0,
            }
        };
        self.by_script = Some(Box::new(ScriptTable {
            weights: std::array::from_fn(|pair| {
                std::array::from_fn(|column| std::array::from_fn(|level| weight(pair, column, level)))
            }),
            log_m_exact: std::array::from_fn(|pair| {
                std::array::from_fn(|column| {
                    weights
                        .m
                        .get(pair)
                        .and_then(|r| r.get(column))
                        .and_then(|r| r.first())
                        .map_or(0.0, |m| m.log2())
                })
            }),
        }));
        self
    }

    /// A field's weight at `level` (index) for records `a` and `b`, unadjusted for the
    /// name's frequency, and the script combination the name fields were weighed by.
    #[inline]
    fn plain(&self, field: usize, level: usize, a: usize, b: usize) -> (f64, Option<usize>) {
        if let (Some(table), Some(tf), Some(column)) = (&self.by_script, self.tf, tf_column(field))
            && let Some(pair) = tf.script_pair(a, b, column)
            && let Some(value) = table
                .weights
                .get(pair)
                .and_then(|r| r.get(column))
                .and_then(|r| r.get(level))
        {
            return (*value, Some(pair));
        }
        let value = self
            .weights
            .get(field)
            .and_then(|r| r.get(level))
            .copied()
            .unwrap_or(0.0);
        (value, None)
    }

    /// The match weight of records `a` and `b` compared as `comparison`: the log-odds of a
    /// match against both other kinds of pair, strangers and brothers (see
    /// [`crate::household`]).
    pub fn weight(&self, comparison: Comparison, a: usize, b: usize) -> f64 {
        self.weight_and_brothers(comparison, a, b).0
    }

    /// Whether brothers are likelier than a match for this pair.
    pub fn brothers_likelier(&self, comparison: Comparison, a: usize, b: usize) -> bool {
        self.weight_and_brothers(comparison, a, b).1
    }

    /// [`Scorer::weight`] and [`Scorer::brothers_likelier`] at once.
    pub fn weight_and_brothers(&self, comparison: Comparison, a: usize, b: usize) -> (f64, bool) {
        let (w_match, w_brothers) = self.weights(comparison, a, b);
        // o being odds against strangers: log2(o_match / (1 + o_brothers)).
        combine(w_match, w_brothers)
    }

    /// The log-odds against strangers of a match (term-frequency adjusted) and, with a
    /// household model, of brothers.
    fn weights(&self, comparison: Comparison, a: usize, b: usize) -> (f64, Option<f64>) {
        let Some(household) = &self.household else {
            return (self.stranger_weight(comparison, a, b), None);
        };
        let mut w_match = self.prior_of(a, b);
        let mut w_brothers = household.prior;
        for field in 0..Field::COUNT {
            let level = comparison.level(field) as usize;
            let (plain, pair) = self.plain(field, level, a, b);
            let value = match self.tf {
                Some(tf) if level == 0 => match tf_column(field) {
                    Some(column) => self.adjusted(tf, column, (a, b), plain, pair),
                    None => plain,
                },
                _ => plain,
            };
            w_match += value;
            w_brothers += household.term(field, level, value);
        }
        (w_match, Some(w_brothers))
    }

    /// The match weight against a stranger alone (the Fellegi–Sunter weight).
    pub fn stranger_weight(&self, comparison: Comparison, a: usize, b: usize) -> f64 {
        let mut weight = self.prior_of(a, b);
        for field in 0..Field::COUNT {
            let level = comparison.level(field) as usize;
            let (plain, pair) = self.plain(field, level, a, b);
            weight += match self.tf {
                Some(tf) if level == 0 => match tf_column(field) {
                    Some(column) => self.adjusted(tf, column, (a, b), plain, pair),
                    None => plain,
                },
                _ => plain,
            };
        }
        weight
    }

    /// log2 of the share of records that a pair agreeing exactly on term-frequency column
    /// `column` shares its name with (`None`: neither record's share is known).
    #[inline]
    fn log_share(tf: &TermFrequencies, column: usize, (a, b): (usize, usize)) -> Option<f64> {
        let log_share = |record: usize| {
            tf.log_shares
                .get(record)
                .and_then(|row| row.get(column))
                .copied()
                .filter(|v| !v.is_nan())
        };
        match (log_share(a), log_share(b)) {
            (Some(x), Some(y)) if tf.larger_share => Some(x.max(y)),
            (Some(x), Some(y)) => Some(0.5 * (x + y)),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        }
    }

    /// The weight of records `a` and `b` compared as `comparison` taken apart for refitting
    /// the name fields' m per script combination (see `by_script::fit_m`): what no script
    /// weight changes summed once, and for each name field written on both sides its script
    /// combination, level and (where it agrees exactly) log2 share. [`Scorer::weight_of_terms`]
    /// puts it back together under any scorer of the same records, priors and household
    /// model: the weight [`Scorer::weight`] gives, up to the order of the additions.
    pub(crate) fn name_terms(&self, comparison: Comparison, a: usize, b: usize) -> NameTerms {
        let mut terms = NameTerms {
            fixed_match: self.prior_of(a, b),
            fixed_brothers: self.household.as_ref().map(|h| h.prior),
            scripts: [0; TF_FIELDS],
            levels: [0; TF_FIELDS],
            log_p: [f64::NAN; TF_FIELDS],
        };
        for field in 0..Field::COUNT {
            let level = comparison.level(field) as usize;
            if let (Some(tf), Some(column)) = (self.tf, tf_column(field))
                && let Some(pair) = tf.script_pair(a, b, column)
                && let (Some(script), Some(slot), Some(log_p)) = (
                    terms.scripts.get_mut(column),
                    terms.levels.get_mut(column),
                    terms.log_p.get_mut(column),
                )
            {
                *script = pair as u8 + 1;
                *slot = level as u8;
                if level == 0
                    && let Some(value) = Self::log_share(tf, column, (a, b))
                {
                    *log_p = value;
                }
                continue;
            }
            // A field no script weight applies to: its weight as `weights` takes it.
            let (plain, pair) = self.plain(field, level, a, b);
            let value = match (self.tf, tf_column(field)) {
                (Some(tf), Some(column)) if level == 0 => self.adjusted(tf, column, (a, b), plain, pair),
                _ => plain,
            };
            terms.fixed_match += value;
            if let (Some(household), Some(brothers)) = (&self.household, terms.fixed_brothers.as_mut()) {
                *brothers += household.term(field, level, value);
            }
        }
        terms
    }

    /// The weight of a pair taken apart by [`Scorer::name_terms`], under this scorer's name
    /// weights (per script combination if it has them).
    pub(crate) fn weight_of_terms(&self, terms: &NameTerms) -> f64 {
        let mut w_match = terms.fixed_match;
        let mut w_brothers = terms.fixed_brothers;
        for column in 0..TF_FIELDS {
            let script = terms.scripts.get(column).copied().unwrap_or(0);
            if script == 0 {
                continue;
            }
            let pair = usize::from(script - 1);
            let level = usize::from(terms.levels.get(column).copied().unwrap_or(0));
            let field = if column == 4 { GRANDFATHER } else { column };
            let (plain, log_m) = match &self.by_script {
                Some(table) => (
                    table
                        .weights
                        .get(pair)
                        .and_then(|r| r.get(column))
                        .and_then(|r| r.get(level)),
                    table.log_m_exact.get(pair).and_then(|r| r.get(column)),
                ),
                None => (
                    self.weights.get(field).and_then(|r| r.get(level)),
                    self.log_m_exact.get(column),
                ),
            };
            let plain = plain.copied().unwrap_or(0.0);
            let log_p = terms.log_p.get(column).copied().unwrap_or(f64::NAN);
            let value = if level == 0 && !log_p.is_nan() {
                tf_adjusted(log_m.copied().unwrap_or(0.0), log_p, plain)
            } else {
                plain
            };
            w_match += value;
            if let (Some(household), Some(brothers)) = (&self.household, w_brothers.as_mut()) {
                *brothers += household.term(field, level, value);
            }
        }
        combine(w_match, w_brothers).0
    }

    /// log2 of the prior odds of a match for records `a` and `b`, by the kind of their pair.
    #[inline]
    fn prior_of(&self, a: usize, b: usize) -> f64 {
        if self.kind_priors.is_empty() {
            return self.prior;
        }
        match (self.list_of.get(a), self.list_of.get(b)) {
            (Some(&x), Some(&y)) => {
                let (i, j) = (usize::from(x.min(y)), usize::from(x.max(y)));
                self.kind_priors
                    .get(i * self.lists + j)
                    .copied()
                    .unwrap_or(self.prior)
            }
            _ => self.prior,
        }
    }

    /// The exact agreement's weight on term-frequency column `column`, adjusted.
    fn adjusted(
        &self,
        tf: &TermFrequencies,
        column: usize,
        (a, b): (usize, usize),
        plain: f64,
        pair: Option<usize>,
    ) -> f64 {
        let Some(log_p) = Self::log_share(tf, column, (a, b)) else {
            return plain;
        };
        let by_script = pair.and_then(|pair| {
            self.by_script
                .as_ref()
                .and_then(|t| t.log_m_exact.get(pair))
                .and_then(|r| r.get(column))
        });
        let log_m = by_script
            .or_else(|| self.log_m_exact.get(column))
            .copied()
            .unwrap_or(0.0);
        tf_adjusted(log_m, log_p, plain)
    }
}
