//! The Fellegi–Sunter model: for each field and level, m (the probability of that level among
//! pairs of records of the same person) and u (among pairs of different people), estimated
//! without labels: u from random pairs, m by expectation–maximisation over the candidate pairs.
//! A pair's match weight is the sum of log2(m/u) over its fields, plus the prior log-odds.
//!
//! Term-frequency adjustment: two records agreeing exactly on a name are weighed by how common
//! that name is. Agreement on a name carried by a share p of records has u = p (not the average
//! u of exact agreement), so agreeing on محمد counts for less than agreeing on a rare name.

use rand::Rng as _;
use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use crate::compact::{CompactComparer, Compacted};
use crate::compare::{Comparison, Field, Level};

mod by_script;
mod prior;
mod scorer;
mod session_fits;
mod term_frequencies;
use crate::household::{HouseholdFit, HouseholdSample, learn_brothers};
pub use by_script::{ByScript, SCRIPT_PAIRS, ScriptWeights};
pub(crate) use by_script::{fit_m as fit_m_by_script, u_by_script};
pub use prior::{KindCandidates, KindPrior};
pub use scorer::Scorer;
pub use term_frequencies::{TF_FIELDS, TermFrequencies, pair_weight, tf_column};

const LEVELS: usize = Level::AGREEMENT_LEVELS;

/// The smallest m of any level.
const M_FLOOR: f64 = 0.002;

/// Estimated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// The prior probability that two records are a match: `matches` over all the pairs there
    /// would be without blocking (over all kinds of pair; each kind's is in `kinds`).
    pub lambda: f64,
    /// The number of matching pairs the model expects.
    pub matches: f64,
    /// The prior of each kind of pair (within a list, across two lists), which scoring uses
    /// (see [`prior`]); empty for built-in parameters, where `lambda` serves every pair.
    pub kinds: Vec<KindPrior>,
    pub m: [[f64; LEVELS]; Field::COUNT],
    pub u: [[f64; LEVELS]; Field::COUNT],
    pub em_iterations: usize,
    /// What each EM session (one per blocking rule that trains, see
    /// [`crate::blocking::BlockingRule::trains`]) found, in the order of the rules.
    pub sessions: Vec<SessionFit>,
    /// The model of pairs whose household agrees (see [`crate::household`]), if estimated.
    pub household: Option<HouseholdFit>,
    /// The name fields' m and u per combination of the records' scripts, if estimated (see
    /// [`ScriptWeights`]; after the rest of the model, from the candidate pairs).
    pub by_script: Option<ScriptWeights>,
}

/// One EM session's result.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFit {
    /// The session's candidate pairs.
    pub pairs: u64,
    /// How many of them the session counts as matches.
    pub expected_matches: f64,
    /// m as the session estimated it (rows of the fields it blocks on are left as they started).
    pub m: [[f64; LEVELS]; Field::COUNT],
    /// Whether the session's m entered the model (see [`estimate_m`]).
    pub kept: bool,
    /// With the household model: the brother pairs the session counts, and their given
    /// names' levels where the session leaves the given name free.
    pub brothers: f64,
    pub brothers_given: Option<[f64; LEVELS]>,
}

impl Parameters {
    /// log2(m/u) of a field at a level (0 for missing).
    pub fn weight(&self, field: usize, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.m.get(field).and_then(|m| m.get(l)),
            self.u.get(field).and_then(|u| u.get(l)),
        ) {
            (Some(m), Some(u)) if level != Level::Missing => (m / u).log2(),
            _ => 0.0,
        }
    }

    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The match weight of a comparison without term-frequency adjustment.
    pub fn match_weight(&self, comparison: Comparison) -> f64 {
        self.prior_weight() + self.fields_weight(comparison)
    }

    /// [`Parameters::match_weight`] without the prior.
    pub fn fields_weight(&self, comparison: Comparison) -> f64 {
        (0..Field::COUNT)
            .map(|f| self.weight(f, comparison.level(f)))
            .sum::<f64>()
    }
}

/// The probability of a match from its weight.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.clamp(-60.0, 60.0).exp2();
    odds / (1.0 + odds)
}

/// The weight for a probability.
pub fn weight_of_probability(probability: f64) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

/// Random pairs for u are drawn in this many independent streams, so that the estimate does
/// not depend on the number of threads.
const U_STREAMS: usize = 8;

/// u from random pairs of records (across lists when `across` holds), on up to `threads`
/// threads; the same seed gives the same u whatever the number of threads.
pub fn estimate_u(
    records: &Compacted<'_>,
    list_of: &[u16],
    across: bool,
    samples: usize,
    seed: u64,
    threads: usize,
) -> [[f64; LEVELS]; Field::COUNT] {
    let mut comparers: Vec<CompactComparer> = (0..threads.clamp(1, U_STREAMS))
        .map(|_| CompactComparer::new())
        .collect();
    estimate_u_with(records, list_of, across, samples, seed, &mut comparers)
}

/// [`estimate_u`] on one thread per comparer given (comparers that have already compared
/// these records know many levels already); the same u.
pub fn estimate_u_with(
    records: &Compacted<'_>,
    list_of: &[u16],
    across: bool,
    samples: usize,
    seed: u64,
    comparers: &mut [CompactComparer],
) -> [[f64; LEVELS]; Field::COUNT] {
    estimate_u_keeping(records, list_of, across, (samples, seed), comparers).0
}

/// The random pairs u was counted from, and their comparisons.
pub(crate) type RandomPairs = Vec<(u32, u32, Comparison)>;

/// [`estimate_u_with`], and the random pairs it compared (in an order that does not depend
/// on the number of threads), for u per script combination (see `by_script::u_by_script`).
pub(crate) fn estimate_u_keeping(
    records: &Compacted<'_>,
    list_of: &[u16],
    across: bool,
    (samples, seed): (usize, u64),
    comparers: &mut [CompactComparer],
) -> ([[f64; LEVELS]; Field::COUNT], RandomPairs) {
    let n = records.len();
    // The comparer only remembers levels: the counts do not depend on which thread ran a stream.
    let stream = |index: usize,
                  comparer: &mut CompactComparer,
                  kept: &mut RandomPairs|
     -> [[u64; LEVELS]; Field::COUNT] {
        let mut counts = [[0u64; LEVELS]; Field::COUNT];
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index as u64);
        let samples = samples / U_STREAMS + usize::from(index < samples % U_STREAMS);
        let mut drawn = 0usize;
        let mut attempts = 0usize;
        while n >= 2 && drawn < samples && attempts < samples.saturating_mul(20) {
            attempts += 1;
            let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
            if i == j || (across && list_of.get(i) == list_of.get(j)) {
                continue;
            }
            let comparison = comparer.compare(records, i, j);
            kept.push((i as u32, j as u32, comparison));
            for (field, row) in counts.iter_mut().enumerate() {
                if let Some(slot) = row.get_mut(comparison.level(field) as usize) {
                    *slot += 1;
                }
            }
            drawn += 1;
        }
        counts
    };
    let mut own = [CompactComparer::new()];
    let comparers = if comparers.is_empty() {
        &mut own[..]
    } else {
        let threads = comparers.len().min(U_STREAMS);
        comparers.get_mut(..threads).unwrap_or_default()
    };
    let threads = comparers.len();
    type ThreadPart = ([[u64; LEVELS]; Field::COUNT], Vec<(usize, RandomPairs)>);
    let per_thread: Vec<ThreadPart> = std::thread::scope(|scope| {
        let handles: Vec<_> = comparers
            .iter_mut()
            .enumerate()
            .map(|(t, comparer)| {
                scope.spawn(move || {
                    let mut sum = [[0u64; LEVELS]; Field::COUNT];
                    let mut pairs = Vec::new();
                    for index in (t..U_STREAMS).step_by(threads) {
                        let mut kept = Vec::new();
                        for (total, part) in sum.iter_mut().zip(stream(index, comparer, &mut kept)) {
                            total.iter_mut().zip(part).for_each(|(x, y)| *x += y);
                        }
                        pairs.push((index, kept));
                    }
                    (sum, pairs)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut counts = [[0u64; LEVELS]; Field::COUNT];
    let mut streams = Vec::new();
    for (part, pairs) in per_thread {
        streams.extend(pairs);
        for (total, row) in counts.iter_mut().zip(part) {
            total.iter_mut().zip(row).for_each(|(x, y)| *x += y);
        }
    }
    let mut u = [[0.0; LEVELS]; Field::COUNT];
    for (row, count) in u.iter_mut().zip(counts) {
        let total: u64 = count.iter().sum();
        for (slot, c) in row.iter_mut().zip(count) {
            // Half a pseudo-count keeps a level never seen among random pairs finite.
            *slot = (c as f64 + 0.5) / (total as f64 + 0.5 * LEVELS as f64);
        }
    }
    streams.sort_unstable_by_key(|(index, _)| *index);
    (u, streams.into_iter().flat_map(|(_, pairs)| pairs).collect())
}

/// Built-in parameters for inputs too small to estimate from (see [`MIN_PAIRS_TO_ESTIMATE`]):
/// m as the EM starts from, u typical of random pairs of Syrian records (measured on the
/// synthetic generator's lists), and one expected match per record.
pub fn default_parameters(records: usize, all_pairs: f64) -> Parameters {
    let u = |field: Field| match field {
        Field::Given | Field::Father | Field::Grandfather => [0.055, 0.015, 0.16, 0.77],
        Field::Family => [0.02, 0.005, 0.12, 0.855],
        Field::Mother => [0.007, 0.005, 0.05, 0.938],
        Field::BirthYear => [0.02, 0.04, 0.075, 0.865],
        Field::Place => [0.085, 0.002, 0.002, 0.911],
        Field::Phone => [0.0001, 0.0001, 0.0001, 0.9997],
    };
    Parameters {
        lambda: (records as f64 / 2.0 / all_pairs.max(1.0)).clamp(1e-12, 0.5),
        matches: records as f64 / 2.0,
        m: std::array::from_fn(|f| {
            Field::ALL
                .get(f)
                .map_or([0.25; LEVELS], |field| initial_m(*field))
        }),
        u: std::array::from_fn(|f| Field::ALL.get(f).map_or([0.25; LEVELS], |field| u(*field))),
        kinds: Vec::new(),
        em_iterations: 0,
        sessions: Vec::new(),
        household: None,
        by_script: None,
    }
}

/// Below this many possible pairs the model is not estimated; built-in parameters are used.
pub const MIN_PAIRS_TO_ESTIMATE: f64 = 20_000.0;

fn initial_m(field: Field) -> [f64; LEVELS] {
    match field {
        Field::BirthYear => [0.8, 0.1, 0.05, 0.05],
        Field::Phone => [0.9, 0.03, 0.02, 0.05],
        _ => [0.85, 0.08, 0.04, 0.03],
    }
}

/// One EM session: the comparison patterns of the pairs one blocking rule found, and the
/// fields that rule blocks on (their m cannot be learnt from these pairs: every pair agrees).
pub struct Session<'a> {
    /// How many pairs have each comparison, by kind of pair (a label: the session's share of
    /// matches is estimated per kind, as the prior is, see [`prior`]; one label, one share).
    pub patterns: &'a FxHashMap<(Comparison, u16), u64>,
    pub blocked_fields: &'a [Field],
    /// The most matches the session's pairs can hold (see [`estimate_m`]).
    pub max_matches: f64,
    /// Fit a third class beside matches and strangers: brothers (see [`em_session`]).
    pub households: bool,
}

/// m by expectation–maximisation, one session per blocking rule, u held at the random-pair
/// estimate (as Splink does).
///
/// Within the pairs of one rule, the fields the rule blocks on agree by construction, so
/// their m stays fixed in that session; the other fields' m is estimated. A session that
/// counts more matches than its pairs can hold (`max_matches`: across lists without
/// duplicates, a record matches at most one record of each other list) has fitted some kind
/// of non-match instead — in blocks of one family name, say, people whose given name is that
/// name — and is left out (reported in [`Parameters::sessions`]). A field's m is the mean of
/// its estimates over the sessions kept that could estimate it (the starting m if none).
///
/// λ, the prior probability that two records picked at random are a match, is M over
/// `all_pairs` (the pairs there would be without blocking), M being the number of matches:
/// the expected number of matches among the candidate pairs when the prior is M over
/// `all_pairs` (a fixed point, found from above). Blocking leaves out few matches, so M
/// counts nearly all of them; the pairs' probabilities are then calibrated whatever the size
/// of the lists (a prior estimated among candidate pairs instead would grow with the lists).
pub fn estimate_m(
    sessions: &[Session<'_>],
    all_candidates: &FxHashMap<Comparison, u64>,
    u: [[f64; LEVELS]; Field::COUNT],
    all_pairs: f64,
    max_iterations: usize,
) -> Parameters {
    let kind = KindCandidates {
        lists: (0, 0),
        all_pairs,
        patterns: all_candidates,
    };
    estimate_m_with(sessions, &[kind], u, (max_iterations, 1), None)
}

/// [`estimate_m`] with a sample of the pairs sharing a household key (see
/// [`crate::household::sample_households`]): the brothers' given names and years are learnt
/// from it, and their number is the sample's brothers per match times the number of matches
/// (the sessions' candidate pairs hold few brothers, and those selected on the year or the
/// given name). The candidate pairs come by kind (`kinds`: within a list, across two lists),
/// each kind with its own prior (see [`prior`]).
///
/// The sessions are fitted on up to `threads` threads, each session on one (the same fit
/// whatever the number).
pub fn estimate_m_with(
    sessions: &[Session<'_>],
    kinds: &[KindCandidates<'_>],
    u: [[f64; LEVELS]; Field::COUNT],
    (max_iterations, threads): (usize, usize),
    household_sample: Option<&HouseholdSample>,
) -> Parameters {
    let initial: [[f64; LEVELS]; Field::COUNT] = std::array::from_fn(|f| {
        Field::ALL
            .get(f)
            .map_or([0.25; LEVELS], |field| initial_m(*field))
    });
    let fitted = session_fits::fit_sessions(sessions, (initial, u), (max_iterations, threads));
    let mut sums = [[0f64; LEVELS]; Field::COUNT];
    let mut estimates = [0u32; Field::COUNT];
    let mut iterations = 0;
    let mut fits = Vec::with_capacity(sessions.len());
    let mut brothers_year_sum = [0f64; LEVELS];
    let mut brothers_year_sessions = 0f64;
    let mut brothers_given_sum = [0f64; LEVELS];
    let mut brothers_given_sessions = 0f64;
    for (session, fitted) in sessions.iter().zip(fitted) {
        let free = session_fits::free_fields(session);
        let Some((fit, session_matches, session_brothers)) = fitted else {
            continue;
        };
        iterations += fit.em_iterations;
        // More matches than the pairs can hold: the session's "matches" are a kind of
        // non-match (in blocks of one family name, say, people whose given name is that name).
        let kept = session_matches <= session.max_matches;
        // The sessions' brothers pooled by how many each found (a session blocked on the
        // phone holds thousands, one blocked on the year only twins).
        if kept && let Some(found) = &session_brothers {
            if let Some(year) = found.year {
                brothers_year_sum
                    .iter_mut()
                    .zip(year)
                    .for_each(|(s, v)| *s += v * found.count);
                brothers_year_sessions += found.count;
            }
            if let Some(given) = found.given {
                brothers_given_sum
                    .iter_mut()
                    .zip(given)
                    .for_each(|(s, v)| *s += v * found.count);
                brothers_given_sessions += found.count;
            }
        }
        fits.push(SessionFit {
            pairs: session.patterns.values().sum(),
            expected_matches: session_matches,
            m: fit.m,
            kept,
            brothers: session_brothers.as_ref().map_or(0.0, |b| b.count),
            brothers_given: session_brothers.as_ref().and_then(|b| b.given),
        });
        for field in 0..Field::COUNT {
            if kept
                && free.get(field) == Some(&true)
                && let (Some(sum), Some(m), Some(count)) =
                    (sums.get_mut(field), fit.m.get(field), estimates.get_mut(field))
            {
                sum.iter_mut().zip(m).for_each(|(s, v)| *s += v);
                *count += 1;
            }
        }
    }
    let mut m =
        std::array::from_fn(
            |field| match (estimates.get(field), sums.get(field), initial.get(field)) {
                (Some(&count), Some(sum), _) if count > 0 => sum.map(|s| s / f64::from(count)),
                (_, _, Some(init)) => *init,
                _ => [0.25; LEVELS],
            },
        );
    // No level is impossible for a true match: a clerk can mistype anything.
    for row in &mut m {
        let floored = row.map(|v: f64| v.max(M_FLOOR));
        let sum: f64 = floored.iter().sum();
        *row = floored.map(|v| v / sum);
    }
    // How many matches there are, with m and u now fixed: the expected number of matches among
    // the candidate pairs when the prior is that number over all pairs (per kind of pair).
    let all_pairs: f64 = kinds.iter().map(|k| k.all_pairs).sum();
    let candidates: f64 = kinds
        .iter()
        .map(|k| k.patterns.values().sum::<u64>() as f64)
        .sum();
    let mut fit = Parameters {
        lambda: 0.0,
        matches: 0.0,
        kinds: Vec::new(),
        m,
        u,
        em_iterations: iterations,
        sessions: fits,
        household: None,
        by_script: None,
    };
    // Brothers: their years as the sessions found them; their number, like the matches', a
    // fixed point over the candidate pairs.
    if brothers_year_sessions > 0.0 {
        let year = brothers_year_sum.map(|v| v / brothers_year_sessions);
        // No session saw brothers' given names: they agree as strangers' do.
        let given = if brothers_given_sessions > 0.0 {
            brothers_given_sum.map(|v| v / brothers_given_sessions)
        } else {
            fit.u
                .get(Field::Given as usize)
                .copied()
                .unwrap_or([0.25; LEVELS])
        };
        let strangers_given_exact = fit.u.get(Field::Given as usize).map_or(0.0, |u| u[0]);
        // Brothers are not given one name: a fit whose brothers agree exactly on the given
        // name as often as strangers or more has found not brothers but a second share of
        // the matches (on lists without households: brothers given one name 88 % of the
        // time, strangers 5 %); the candidates' fit stands.
        let learnt = household_sample
            .and_then(|sample| learn_brothers(sample, &fit.m, &fit.u, max_iterations))
            .filter(|learnt| learnt.given[0] < strangers_given_exact);
        fit.household = Some(match learnt {
            Some(learnt) => HouseholdFit {
                lambda: (candidates / all_pairs.max(1.0) * 0.01).clamp(1e-12, 0.1),
                brothers: 0.0,
                year: learnt.year,
                given: if brothers_given_sessions > 0.0 {
                    given
                } else {
                    learnt.given
                },
                per_match: Some(learnt.brothers / learnt.matches),
            },
            None => HouseholdFit {
                lambda: (candidates / all_pairs.max(1.0) * 0.01).clamp(1e-12, 0.1),
                brothers: 0.0,
                year,
                given,
                per_match: None,
            },
        });
    }
    prior::find_matches(&mut fit, kinds, max_iterations);
    fit
}

/// Patterns counted by comparison and kind of pair (a label), the fields of `clear` read as
/// missing (`mask`): the kinds numbered from 0 in their labels' order, in a fixed order (the
/// sums over them do not depend on how the counts were gathered), and each kind's pairs.
pub(crate) fn patterns_by_kind(
    patterns: &FxHashMap<(Comparison, u16), u64>,
    (clear, mask): (u32, u32),
) -> (Vec<(Comparison, usize, f64)>, Vec<f64>) {
    let mut labels: Vec<u16> = patterns.keys().map(|(_, kind)| *kind).collect();
    labels.sort_unstable();
    labels.dedup();
    let slot_of = |kind: u16| labels.binary_search(&kind).unwrap_or(0);
    let mut merged: FxHashMap<(Comparison, usize), f64> = FxHashMap::default();
    for ((c, kind), n) in patterns {
        *merged
            .entry((Comparison((c.0 & !clear) | mask), slot_of(*kind)))
            .or_default() += *n as f64;
    }
    let mut patterns: Vec<(Comparison, usize, f64)> =
        merged.into_iter().map(|((c, k), n)| (c, k, n)).collect();
    patterns.sort_unstable_by_key(|(c, k, _)| (*c, *k));
    let mut kind_pairs = vec![0f64; labels.len().max(1)];
    for &(_, kind, n) in &patterns {
        if let Some(pairs) = kind_pairs.get_mut(kind) {
            *pairs += n;
        }
    }
    (patterns, kind_pairs)
}

/// EM over one session's patterns; returns the fit and the expected number of matches.
///
/// With `households`, the pairs are of three kinds, not two: matches (m), strangers (u), and
/// brothers, who agree on the household's fields as matches do (m), on the given name as
/// strangers do (u: brothers' names are no likelier to agree than strangers'), and on the
/// birth year in their own way (estimated here, with their share). Blocked on the phone or on
/// the family name, the mother and the year, many pairs are brothers; counted as matches they
/// would teach the model that a match's given names often differ.
fn em_session(
    patterns: &FxHashMap<(Comparison, u16), u64>,
    m: [[f64; LEVELS]; Field::COUNT],
    u: [[f64; LEVELS]; Field::COUNT],
    free: [bool; Field::COUNT],
    households: bool,
    max_iterations: usize,
) -> (Parameters, f64, Option<BrothersFound>) {
    let mut fit = Parameters {
        lambda: 0.05,
        matches: 0.0,
        kinds: Vec::new(),
        m,
        u,
        em_iterations: 0,
        sessions: Vec::new(),
        household: None,
        by_script: None,
    };
    // The blocked fields agree by construction: they are left out of the likelihood (read as
    // missing), or every pair would look like a match.
    let mask: u32 = free
        .iter()
        .enumerate()
        .filter(|(_, is_free)| !**is_free)
        .fold(0, |acc, (field, _)| {
            acc | ((Level::Missing as u32) << (3 * field))
        });
    let clear: u32 = free
        .iter()
        .enumerate()
        .filter(|(_, f)| !**f)
        .fold(0, |acc, (field, _)| acc | (0b111 << (3 * field)));
    let (patterns, kind_pairs) = patterns_by_kind(patterns, (clear, mask));
    let total: f64 = kind_pairs.iter().sum();
    if total <= 0.0 {
        return (fit, 0.0, None);
    }
    // Each kind's share of matches (a pair inside a list with few duplicates is less often a
    // match than a pair across two lists of the same people).
    let mut lambdas = vec![fit.lambda; kind_pairs.len()];
    let mut matches = 0f64;
    // The brothers' share and their years' levels (households only).
    let brothers = if households { 0.01 } else { 0.0 };
    // Brothers' share per kind too, or brothers would take the matches a kind's lower share
    // leaves (two records of one person in one list sharing a phone).
    let mut kind_brothers = vec![brothers; kind_pairs.len()];
    let mut brothers_year = [0.05, 0.2, 0.3, 0.45];
    let (given, year) = (Field::Given as usize, Field::BirthYear as usize);
    // The brothers' years are learnt where the session leaves the year free; their given
    // names, which start as strangers' (u), where it leaves both free: blocked on the year, a
    // session's brothers are twins at most, and its third kind of pair is mostly strangers
    // who share a name and a year.
    let year_free = free.get(year) == Some(&true);
    let given_free = year_free && free.get(given) == Some(&true);
    let mut brothers_given = fit.u.get(given).copied().unwrap_or([0.25; LEVELS]);
    let mut brothers_found = 0.0;
    for iteration in 0..max_iterations {
        let mut m_counts = [[0f64; LEVELS]; Field::COUNT];
        let mut year_counts = [0.5f64; LEVELS];
        let mut given_counts = [0.5f64; LEVELS];
        let mut brother_sum = 0.0;
        matches = 0.0;
        let mut kind_matches = vec![0f64; kind_pairs.len()];
        let mut kind_brother_sums = vec![0f64; kind_pairs.len()];
        // Each field's weight at each level (missing: 0), for matches and for brothers, taken
        // once per iteration rather than once per pattern.
        let match_table: [[f64; LEVELS + 1]; Field::COUNT] = std::array::from_fn(|field| {
            std::array::from_fn(|level| fit.weight(field, Level::from_index(level as u8)))
        });
        let brothers_table: [[f64; LEVELS + 1]; Field::COUNT] = std::array::from_fn(|field| {
            let own = match field {
                f if f == year => Some(&brothers_year),
                f if f == given => Some(&brothers_given),
                _ => None,
            };
            std::array::from_fn(|level| match own {
                Some(row) => match (row.get(level), fit.u.get(field).and_then(|r| r.get(level))) {
                    (Some(b), Some(u)) => (b / u).log2(),
                    _ => 0.0,
                },
                None => match_table
                    .get(field)
                    .and_then(|r| r.get(level))
                    .copied()
                    .unwrap_or(0.0),
            })
        });
        // Each kind's priors: of a match and of brothers against strangers (three kinds of
        // pair), of a match against the rest (two).
        let priors: Vec<(f64, f64, f64)> = lambdas
            .iter()
            .zip(&kind_brothers)
            .map(|(lambda, brothers)| {
                let strangers = (1.0 - lambda - brothers).max(1e-9);
                (
                    (lambda / strangers).log2(),
                    (brothers.max(1e-12) / strangers).log2(),
                    (lambda / (1.0 - lambda)).log2(),
                )
            })
            .collect();
        for &(comparison, kind, count) in &patterns {
            let (prior_match, prior_brothers, plain_prior) = priors.get(kind).copied().unwrap_or_default();
            let p = if households {
                let (p, b) = three_kinds(
                    comparison,
                    (prior_match, prior_brothers),
                    &match_table,
                    &brothers_table,
                );
                brother_sum += b * count;
                if let Some(found) = kind_brother_sums.get_mut(kind) {
                    *found += b * count;
                }
                if let Some(slot) = year_counts.get_mut(comparison.level(year) as usize) {
                    *slot += b * count;
                }
                if let Some(slot) = given_counts.get_mut(comparison.level(given) as usize) {
                    *slot += b * count;
                }
                p
            } else {
                let weight = match_table
                    .iter()
                    .enumerate()
                    .fold(plain_prior, |w, (field, row)| {
                        w + row.get(comparison.level(field) as usize).copied().unwrap_or(0.0)
                    });
                probability(weight)
            };
            matches += p * count;
            if let Some(found) = kind_matches.get_mut(kind) {
                *found += p * count;
            }
            for (field, row) in m_counts.iter_mut().enumerate() {
                if let Some(slot) = row.get_mut(comparison.level(field) as usize) {
                    *slot += p * count;
                }
            }
        }
        if households {
            let sum: f64 = year_counts.iter().sum();
            brothers_year = year_counts.map(|c| c / sum);
            if given_free {
                brothers_given = floored(given_counts);
            }
            for ((share, found), pairs) in kind_brothers.iter_mut().zip(&kind_brother_sums).zip(&kind_pairs) {
                if *pairs > 0.0 {
                    *share = (found / pairs).clamp(1e-9, 1.0 - 1e-6);
                }
            }
            brothers_found = brother_sum;
        }
        let before = fit.m;
        let mut change = normalise_into(&mut fit.m, &m_counts);
        for (field, is_free) in free.iter().enumerate() {
            if !is_free && let (Some(row), Some(old)) = (fit.m.get_mut(field), before.get(field)) {
                *row = *old;
            }
        }
        for ((lambda, found), pairs) in lambdas.iter_mut().zip(&kind_matches).zip(&kind_pairs) {
            if *pairs > 0.0 {
                let next = (found / pairs).clamp(1e-9, 1.0 - 1e-9);
                change = change.max((next - *lambda).abs());
                *lambda = next;
            }
        }
        fit.lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        fit.em_iterations = iteration + 1;
        if change < 1e-6 {
            break;
        }
    }
    // Brothers from a session that found hardly any say nothing.
    let found = (households && brothers_found >= 100.0).then_some(BrothersFound {
        count: brothers_found,
        year: year_free.then_some(brothers_year),
        given: given_free.then_some(brothers_given),
    });
    (fit, matches, found)
}

/// A pattern's probabilities of a match and of brothers (strangers the rest), from the two
/// kinds' priors and fields' weights against strangers (log2, by field and level).
pub(crate) fn three_kinds(
    comparison: Comparison,
    (prior_match, prior_brothers): (f64, f64),
    match_table: &[[f64; LEVELS + 1]; Field::COUNT],
    brothers_table: &[[f64; LEVELS + 1]; Field::COUNT],
) -> (f64, f64) {
    let (mut w_match, mut w_brothers) = (prior_match, prior_brothers);
    for (field, (m_row, b_row)) in match_table.iter().zip(brothers_table).enumerate() {
        let level = comparison.level(field) as usize;
        w_match += m_row.get(level).copied().unwrap_or(0.0);
        w_brothers += b_row.get(level).copied().unwrap_or(0.0);
    }
    let (o_match, o_brothers) = (
        w_match.clamp(-60.0, 60.0).exp2(),
        w_brothers.clamp(-60.0, 60.0).exp2(),
    );
    let denominator = 1.0 + o_match + o_brothers;
    (o_match / denominator, o_brothers / denominator)
}

/// What one EM session learnt of brothers: where the session leaves the year free, their
/// years' levels, and where it leaves the given name free too, their given names' levels.
struct BrothersFound {
    /// The brother pairs the session counts.
    count: f64,
    year: Option<[f64; LEVELS]>,
    given: Option<[f64; LEVELS]>,
}

/// Counts into probabilities, none below [`M_FLOOR`] (a clerk can mistype anything).
pub(crate) fn floored(counts: [f64; LEVELS]) -> [f64; LEVELS] {
    let sum: f64 = counts.iter().sum::<f64>().max(1e-12);
    let row = counts.map(|c| (c / sum).max(M_FLOOR));
    let total: f64 = row.iter().sum();
    row.map(|v| v / total)
}

/// Rows of counts into probabilities (with a small floor); returns the largest change.
fn normalise_into(target: &mut [[f64; LEVELS]; Field::COUNT], counts: &[[f64; LEVELS]; Field::COUNT]) -> f64 {
    let mut change = 0f64;
    for (row, counts) in target.iter_mut().zip(counts) {
        let sum: f64 = counts.iter().sum();
        if sum <= 0.0 {
            continue;
        }
        for (slot, c) in row.iter_mut().zip(counts) {
            let value = (c / sum).max(1e-6);
            change = change.max((value - *slot).abs());
            *slot = value;
        }
    }
    change
}
