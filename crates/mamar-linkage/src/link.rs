//! Linking records end to end: blocking, comparing, estimating the model, scoring, clustering.
//!
//! Thresholds are match probabilities. A pair at or above `accept` is a match and joins the
//! two records' clusters; a pair at or above `review` but below `accept` is left for a person
//! to decide (the review band) and joins nothing; a pair below `review` is a non-match. The
//! defaults (accept 0.80, review 0.50) accept a pair when the model, with brothers weighed from
//! a sample of the households (`household_sample`), gives it at most one chance in five of
//! being two different people, and put before a person every other pair the model leans
//! towards calling a match. (Until the household sample was on by default the accept threshold
//! was 0.90: the model then counted too few brothers and needed the margin; see
//! docs/bench/mamar-linkage.md, 2026-12-06 morning.)

use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;
use thiserror::Error;

use crate::blocking::{BlockingRule, Blocks, MAX_RULES, PairScope, RuleBits, RuleStats};
use crate::cluster::overlap_counts;
use crate::compact::{CompactComparer, Compacted};
use crate::compare::Comparison;
use crate::household::{household_agrees, sample_households};
use crate::model::{
    MIN_PAIRS_TO_ESTIMATE, Parameters, Scorer, Session, TermFrequencies, default_parameters, estimate_m_with,
    estimate_u_keeping, fit_m_by_script, probability, u_by_script, weight_of_probability,
};
use crate::record::Record;

mod clustering;
mod completion;
mod kinds;
mod one_to_one;
mod patterns;
use clustering::cluster;
use completion::Completion;
use kinds::{kind_of, max_matches, pair_kinds, possible_pairs, session_kinds};
use one_to_one::score_one_to_one;
use patterns::count_patterns;

/// The most lists one run can link (the overlap pattern is a bit set).
pub const MAX_LISTS: usize = 16;

#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub rules: Vec<BlockingRule>,
    pub scope: PairScope,
    /// Match probability at or above which a pair is accepted.
    pub accept: f64,
    /// Match probability at or above which a pair not accepted goes to review.
    pub review: f64,
    /// Random pairs drawn to estimate u.
    pub u_samples: usize,
    pub max_em_iterations: usize,
    pub term_frequency: bool,
    /// Across two or more lists without duplicates inside: each record matches at most one
    /// record of each other list (the best-scoring one).
    pub one_to_one: bool,
    /// Blocks that alone would give more candidate pairs than this are left out (and reported):
    /// a block of thousands of pairs (seventy people from each of two lists who share a
    /// common name and a birth year) says little about who is who, and its records meet again
    /// in the smaller blocks of the other rules. The default, 5,000, loses 0.3 % of the matches
    /// at 2 × 100,000 records and compares 44 % fewer pairs.
    pub max_block_pairs: u64,
    /// Weigh pairs whose household agrees against brothers as well as strangers, and keep
    /// apart the clusters of records scored as two people of one household (see
    /// [`crate::household`]).
    pub households: bool,
    /// With `households`: learn the brothers' years and their number from a random sample of
    /// the pairs that share the father's and the family name (see
    /// [`crate::household::sample_households`]) rather than from the candidate pairs, which
    /// blocking selects on the given name or the year (and so finds a twentieth of the
    /// brothers). On by default: the model it gives is calibrated, and with the default accept
    /// threshold it joins fewer brothers than the candidates' estimate would
    /// (docs/bench/mamar-linkage.md).
    pub household_sample: bool,
    /// Candidate pairs scored below this match probability are confident non-matches:
    /// clustering keeps their two records apart, as it keeps brothers apart, so that no chain
    /// of accepted pairs joins them (0: none). The default, 0.01, is the mirror of `accept`
    /// one decade further: a pair kept apart is at most one chance in a hundred one person.
    pub apart_below: f64,
    /// Lists with duplicates inside (not `one_to_one`): after clustering, a review pair one
    /// of whose records is in a cluster of several is weighed again with its missing fields
    /// taken from the other records of the two clusters, and accepted if it then reaches
    /// `accept` (see `link/completion.rs`).
    pub complete_clusters: bool,
    /// A prior of a match per kind of pair — within one list, across two given lists — each
    /// estimated from the data (see `model/prior.rs`), rather than one prior for all pairs:
    /// on lists with duplicates inside, a pair inside one list is far less often one person
    /// than a pair across two. Each EM session's shares of matches and brothers among its
    /// pairs are then per kind too. One list, or two lists without pairs inside them
    /// (`PairScope::AcrossLists`): one kind, the same model as without.
    pub prior_per_kind: bool,
    /// With `term_frequency`: the u of exact agreement on a name is the larger of the two
    /// records' shares, not their geometric mean (see
    /// [`TermFrequencies::with_larger_share`]): honest across scripts. Off by default: on the
    /// households bench, with the other defaults, it trades recall for precision (F1 0.9020 →
    /// 0.9016, P 0.9737 → 0.9788; docs/bench/mamar-linkage.md).
    pub term_frequency_larger_share: bool,
    /// With `term_frequency`: the name fields' m and u per combination of the two records'
    /// scripts (Arabic–Arabic, Arabic–Latin, Latin–Latin; see [`crate::model::ScriptWeights`]).
    /// Off by default: on the households bench it raises F1 a little (with the other defaults
    /// 0.9020 → 0.9033), but its fit of m costs about a third of a run's time (0.45 s at
    /// 100,000 persons; docs/bench/mamar-linkage.md), which would take `mamar link` past a
    /// tenth of Splink's time.
    pub name_weights_per_script: bool,
    pub seed: u64,
    pub threads: usize,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            rules: BlockingRule::DEFAULT.to_vec(),
            scope: PairScope::All,
            accept: 0.8,
            review: 0.5,
            u_samples: 200_000,
            max_em_iterations: 200,
            term_frequency: true,
            one_to_one: false,
            max_block_pairs: 5_000,
            households: true,
            household_sample: true,
            apart_below: 0.01,
            complete_clusters: true,
            prior_per_kind: true,
            term_frequency_larger_share: false,
            name_weights_per_script: false,
            seed: 1,
            threads: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum LinkError {
    #[error("there are no records to link")]
    NoRecords,
    #[error("at most {MAX_LISTS} lists can be linked at once; got {0}")]
    TooManyLists(usize),
    #[error("too many records for one run ({0}); the limit is 4,294,967,295")]
    TooManyRecords(usize),
    #[error("each record needs its list number ({records} records, {lists} list numbers)")]
    ListsMismatch { records: usize, lists: usize },
    #[error("thresholds must satisfy 0 < review ≤ accept < 1; got review {review}, accept {accept}")]
    Thresholds { review: f64, accept: f64 },
    #[error(
        "the non-match threshold must satisfy 0 ≤ apart-below ≤ review; got {apart_below}, review {review}"
    )]
    ApartThreshold { apart_below: f64, review: f64 },
    #[error("at least one blocking rule is needed, and at most {MAX_RULES}")]
    Rules,
}

/// Where a pair falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Accepted,
    Review,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub comparison: Comparison,
    pub weight: f64,
    pub probability: f64,
    /// Bit `i` set: blocking rule `i` found the pair.
    pub rules: RuleBits,
    pub band: Band,
}

/// A blocking rule's figures for one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleReport {
    pub rule: BlockingRule,
    pub stats: RuleStats,
    /// Accepted pairs this rule found, of all accepted pairs.
    pub accepted_found: u64,
    /// Accepted pairs no other rule found (what leaving the rule out would lose).
    pub accepted_only: u64,
}

#[derive(Debug, Clone)]
pub struct LinkOutcome {
    /// Pairs in the accepted and the review bands, best first.
    pub pairs: Vec<ScoredPair>,
    pub candidate_pairs: u64,
    /// The cluster (person) of each record.
    pub cluster_of: Vec<u32>,
    pub clusters: u64,
    pub parameters: Parameters,
    pub rules: Vec<RuleReport>,
    /// Persons per combination of lists (bit `i`: on list `i`).
    pub overlap: Vec<(u32, u64)>,
    /// Pairs of records of one household scored as two people, which no cluster joins.
    pub kept_apart_pairs: u64,
    /// Accepted pairs moved to review because they would have joined such records.
    pub refused_joins: u64,
    /// Confident non-matches (pairs scored below `apart_below`) inside one chain of accepted
    /// pairs, which clustering kept apart.
    pub apart_pairs: u64,
    /// Accepted pairs moved to review because they would have joined such a pair.
    pub refused_non_matches: u64,
    /// Review pairs accepted by cluster completion (`complete_clusters`).
    pub completed: u64,
    /// Seconds spent in each step, in order.
    pub timings: Vec<(&'static str, f64)>,
}

/// The stages a long run reports progress for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Blocking,
    Comparing,
    Estimating,
    Scoring,
    Clustering,
}

/// Links `records`; `list_of[i]` is the list (0..) record `i` came from. `progress(stage,
/// done, total)` is called from time to time, possibly from several threads.
pub fn link(
    records: &[Record],
    list_of: &[u16],
    options: &LinkOptions,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
) -> Result<LinkOutcome, LinkError> {
    check(records, list_of, options)?;
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |step: &'static str| {
        let now = std::time::Instant::now();
        timings.push((step, (now - clock).as_secs_f64()));
        clock = now;
    };
    let lists = list_of.iter().copied().max().map_or(0, |m| usize::from(m) + 1);
    progress(Stage::Blocking, 0, 1);
    let blocks = Blocks::new(
        records,
        list_of,
        &options.rules,
        options.scope,
        options.max_block_pairs,
        options.threads,
    );
    progress(Stage::Blocking, 1, 1);
    lap("blocking");
    let compacted = Compacted::with_threads(records, options.threads);
    lap("compact form");
    let (candidates, mut comparers) = compare_blocks(&blocks, &compacted, options.threads, progress);
    lap("comparing");
    let candidate_patterns = count_patterns(&candidates, (list_of, lists), options.threads);
    // Per rule (an EM session's pairs) and per kind of pair, as below; the kinds too small to
    // have a prior of their own (see `model/prior.rs`) share one share of matches per session.
    let mut patterns: Vec<FxHashMap<(Comparison, u16), u64>> =
        vec![FxHashMap::default(); options.rules.len()];
    let session_kind = session_kinds(list_of, lists);
    // By kind of pair (lists i ≤ j at `lists × i + j`), or all together with one prior.
    let kinds_counted = if options.prior_per_kind { lists * lists } else { 1 };
    let mut kind_patterns: Vec<FxHashMap<Comparison, u64>> = vec![FxHashMap::default(); kinds_counted.max(1)];
    for &((comparison, bits, kind), count) in &candidate_patterns {
        let index = if options.prior_per_kind {
            usize::from(kind)
        } else {
            0
        };
        if let Some(kind_patterns) = kind_patterns.get_mut(index) {
            *kind_patterns.entry(comparison).or_default() += count;
        }
        for (bit, rule_patterns) in patterns.iter_mut().enumerate() {
            if bits & (1 << bit) != 0 {
                let label = session_kind.get(index).copied().unwrap_or(u16::MAX);
                *rule_patterns.entry((comparison, label)).or_default() += count;
            }
        }
    }
    lap("counting patterns");
    let across = options.scope == PairScope::AcrossLists && lists > 1;
    let sessions: Vec<Session<'_>> = options
        .rules
        .iter()
        .zip(&patterns)
        .zip(&blocks.stats)
        .filter(|((rule, _), _)| rule.trains())
        .map(|((rule, patterns), stats)| Session {
            patterns,
            blocked_fields: rule.fields(),
            max_matches: max_matches(&stats.records, across),
            households: options.households,
        })
        .collect();

    progress(Stage::Estimating, 0, 1);
    let all_pairs = possible_pairs(list_of, lists, across);
    let kinds = pair_kinds(list_of, lists, across, options.prior_per_kind, &kind_patterns);
    // The random pairs u is counted from, kept for u per script combination.
    let mut random_pairs = Vec::new();
    let parameters = if all_pairs < MIN_PAIRS_TO_ESTIMATE {
        default_parameters(records.len(), all_pairs)
    } else {
        let (u, sampled) = estimate_u_keeping(
            &compacted,
            list_of,
            across,
            (options.u_samples, options.seed),
            &mut comparers,
        );
        random_pairs = sampled;
        lap("estimating u");
        let sample = (options.households && options.household_sample).then(|| {
            // The sample's shares per kind of pair, labelled as the sessions' are.
            let kind_label = |a: u32, b: u32| -> u16 {
                if options.prior_per_kind {
                    let index = usize::from(kind_of(list_of, lists, a, b));
                    session_kind.get(index).copied().unwrap_or(u16::MAX)
                } else {
                    0
                }
            };
            sample_households(
                records,
                &compacted,
                (list_of, &kind_label),
                across,
                (options.u_samples, options.max_block_pairs, options.seed),
                &mut comparers,
            )
        });
        lap("household sample");
        estimate_m_with(
            &sessions,
            &kinds,
            u,
            (options.max_em_iterations, options.threads),
            sample.as_ref(),
        )
    };
    lap("estimating m");
    let tf = options.term_frequency.then(|| {
        TermFrequencies::count_compact(&compacted).with_larger_share(options.term_frequency_larger_share)
    });
    lap("term frequencies");
    progress(Stage::Estimating, 1, 1);

    let total = candidates.pairs.len() as u64;
    let mut scorer = Scorer::new(&parameters, tf.as_ref(), list_of);
    let mut by_script = None;
    if options.name_weights_per_script
        && all_pairs >= MIN_PAIRS_TO_ESTIMATE
        && let Some(tf) = tf.as_ref()
    {
        let u = u_by_script(tf, &random_pairs);
        lap("u by script");
        let pairs = (&candidates.pairs[..], &candidates.comparisons[..]);
        let weights = fit_m_by_script(
            &parameters,
            &scorer,
            pairs,
            u,
            (options.max_em_iterations, options.threads),
        );
        scorer = scorer.with_script_weights(&weights);
        by_script = Some(weights);
        lap("m by script");
    }
    let households = parameters.household.is_some();
    let parameters = Parameters {
        by_script,
        ..parameters
    };
    let (pairs, two_people) = if options.one_to_one {
        let pairs = score_one_to_one(&candidates, &scorer, list_of, lists, options, progress);
        let mut two_people = Vec::new();
        if households {
            for (&(a, b), &comparison) in candidates.pairs.iter().zip(&candidates.comparisons) {
                if two_brothers(&scorer, comparison, a, b, options.accept) {
                    two_people.push((a, b));
                }
            }
        }
        (pairs, two_people)
    } else {
        let (mut pairs, two_people) = score_all(&candidates, &scorer, households, options, progress);
        best_first(&mut pairs);
        (pairs, two_people)
    };
    let mut pairs = pairs;
    lap("scoring");

    progress(Stage::Clustering, 0, 1);
    let kept_apart_pairs = two_people.len() as u64;
    let clustered = cluster(
        &mut pairs,
        &candidates,
        &mut Completion {
            compacted: &compacted,
            scorer: &scorer,
            accept: options.accept,
            // One that has compared the candidates knows the levels of most pairs of names.
            comparer: comparers.first_mut(),
        },
        &two_people,
        list_of,
        options,
    );
    if clustered.completed > 0 {
        // Completion raised the weights of the pairs it accepted.
        best_first(&mut pairs);
    }
    let cluster_of = clustered.cluster_of;
    let cluster_count = cluster_of.iter().copied().max().map_or(0, |m| u64::from(m) + 1);
    let overlap = overlap_counts(&cluster_of, list_of);
    progress(Stage::Clustering, 1, 1);
    lap("clustering");

    let rules = options
        .rules
        .iter()
        .zip(blocks.stats)
        .zip(clustered.accepted_found.into_iter().zip(clustered.accepted_only))
        .map(|((rule, stats), (accepted_found, accepted_only))| RuleReport {
            rule: *rule,
            stats,
            accepted_found,
            accepted_only,
        })
        .collect();
    Ok(LinkOutcome {
        pairs,
        candidate_pairs: total,
        cluster_of,
        clusters: cluster_count,
        parameters,
        rules,
        overlap,
        kept_apart_pairs,
        refused_joins: clustered.refused_joins,
        apart_pairs: clustered.apart_pairs,
        refused_non_matches: clustered.refused_non_matches,
        completed: clustered.completed,
        timings,
    })
}

/// Sorts pairs by weight, highest first (ties by record numbers).
fn best_first(pairs: &mut [ScoredPair]) {
    pairs.sort_by(|x, y| {
        y.weight
            .total_cmp(&x.weight)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
}

/// Whether a pair of records is of one household and scored as two people: brothers likelier
/// than a match, and not accepted (see [`crate::household`]). (Brothers likelier than a
/// match put the match's probability below one half: with a review threshold of at least
/// one half, as by default, such pairs are all below it.)
fn two_brothers(scorer: &Scorer<'_>, comparison: Comparison, a: u32, b: u32, accept: f64) -> bool {
    if !household_agrees(comparison) {
        return false;
    }
    let (weight, brothers) = scorer.weight_and_brothers(comparison, a as usize, b as usize);
    brothers && probability(weight) < accept
}

/// Scores every candidate pair (on `options.threads` threads) and keeps those at or above the
/// review threshold; with `households`, also the pairs of one household scored as two people
/// (see [`two_brothers`]), each weighed once.
fn score_all(
    candidates: &Compared,
    scorer: &Scorer<'_>,
    households: bool,
    options: &LinkOptions,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
) -> (Vec<ScoredPair>, Vec<(u32, u32)>) {
    let total = candidates.pairs.len() as u64;
    let done = AtomicU64::new(0);
    let chunk = candidates.pairs.len().div_ceil(options.threads.max(1)).max(1);
    // A weight this far below the review threshold's is below it whatever the rounding.
    let below_review = weight_of_probability(options.review) - 1e-6;
    let score_chunk = |start: usize| -> (Vec<ScoredPair>, Vec<(u32, u32)>) {
        let end = (start + chunk).min(candidates.pairs.len());
        let mut out = Vec::new();
        let mut two_people = Vec::new();
        let items = candidates
            .pairs
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .zip(candidates.comparisons.get(start..end).unwrap_or_default())
            .zip(candidates.rules.get(start..end).unwrap_or_default());
        for (index, ((&(a, b), &comparison), &rules)) in items.enumerate() {
            if index % 1_000_000 == 999_999 {
                let now = done.fetch_add(1_000_000, Ordering::Relaxed) + 1_000_000;
                progress(Stage::Scoring, now, total);
            }
            let (weight, brothers) = scorer.weight_and_brothers(comparison, a as usize, b as usize);
            // Most pairs are far below the review threshold: no power to compute for them.
            let p = if weight < below_review {
                0.0
            } else {
                probability(weight)
            };
            // Not accepted and likelier brothers than one person: two people (see
            // `two_brothers`).
            if p < options.accept && households && brothers && household_agrees(comparison) {
                two_people.push((a, b));
            }
            if p < options.review {
                continue;
            }
            let band = if p >= options.accept {
                Band::Accepted
            } else {
                Band::Review
            };
            out.push(ScoredPair {
                a,
                b,
                comparison,
                weight,
                probability: p,
                rules,
                band,
            });
        }
        (out, two_people)
    };
    progress(Stage::Scoring, 0, total);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..candidates.pairs.len())
            .step_by(chunk)
            .map(|start| scope.spawn(move || score_chunk(start)))
            .collect();
        let (mut pairs, mut two_people) = (Vec::new(), Vec::new());
        for handle in handles {
            let (scored, apart) = handle.join().unwrap_or_default();
            pairs.extend(scored);
            two_people.extend(apart);
        }
        (pairs, two_people)
    })
}

fn check(records: &[Record], list_of: &[u16], options: &LinkOptions) -> Result<(), LinkError> {
    if records.is_empty() {
        return Err(LinkError::NoRecords);
    }
    if u32::try_from(records.len()).is_err() {
        return Err(LinkError::TooManyRecords(records.len()));
    }
    if list_of.len() != records.len() {
        return Err(LinkError::ListsMismatch {
            records: records.len(),
            lists: list_of.len(),
        });
    }
    let lists = list_of.iter().copied().max().map_or(0, |m| usize::from(m) + 1);
    if lists > MAX_LISTS {
        return Err(LinkError::TooManyLists(lists));
    }
    let (review, accept) = (options.review, options.accept);
    if !(review > 0.0 && review <= accept && accept < 1.0) {
        return Err(LinkError::Thresholds { review, accept });
    }
    let apart_below = options.apart_below;
    if !(0.0..=review).contains(&apart_below) {
        return Err(LinkError::ApartThreshold { apart_below, review });
    }
    if options.rules.is_empty() || options.rules.len() > MAX_RULES {
        return Err(LinkError::Rules);
    }
    Ok(())
}

/// The candidate pairs, the rules that found each, and their comparisons.
#[derive(Debug, Default)]
struct Compared {
    pairs: Vec<(u32, u32)>,
    rules: Vec<RuleBits>,
    comparisons: Vec<Comparison>,
}

/// Compares the pairs of every block (each pair once), on `threads` threads. The blocks are
/// shared out in runs of about equal numbers of pairs; the pairs come back in block order.
fn compare_blocks(
    blocks: &Blocks,
    records: &Compacted<'_>,
    threads: usize,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
) -> (Compared, Vec<CompactComparer>) {
    let all = blocks.all_blocks();
    let sizes: Vec<u64> = all
        .iter()
        .map(|(rule, range)| blocks.block_size(*rule, *range))
        .collect();
    let total: u64 = sizes.iter().sum();
    let threads = threads.max(1);
    // Cut the list of blocks into `threads` runs of about total / threads pairs.
    let mut cuts = vec![0usize];
    let mut running = 0u64;
    for (index, size) in sizes.iter().enumerate() {
        running += size;
        if running * threads as u64 >= total * cuts.len() as u64 && cuts.len() < threads {
            cuts.push(index + 1);
        }
    }
    cuts.push(all.len());
    let done = AtomicU64::new(0);
    let compare_run = |first: usize, run: &[(usize, (u32, u32))]| -> (Compared, CompactComparer) {
        let mut comparer = CompactComparer::new();
        // At most the run's pairs (fewer: some were found by an earlier rule).
        let capacity = sizes
            .get(first..first + run.len())
            .map_or(0, |s| s.iter().sum::<u64>() as usize);
        let mut out = Compared {
            pairs: Vec::with_capacity(capacity),
            rules: Vec::with_capacity(capacity),
            comparisons: Vec::with_capacity(capacity),
        };
        let mut since_report = 0u64;
        let mut buffer = Vec::new();
        for (offset, &(rule, range)) in run.iter().enumerate() {
            blocks.for_each_pair_gathered(
                rule,
                range,
                |record| records.fields(record as usize),
                &mut buffer,
                |a, x, b, y, bits| {
                    let comparison = comparer.compare_fields(records, a as usize, x, b as usize, y);
                    out.pairs.push((a, b));
                    out.rules.push(bits);
                    out.comparisons.push(comparison);
                },
            );
            since_report += sizes.get(first + offset).copied().unwrap_or(0);
            if since_report >= 1 << 18 {
                let now = done.fetch_add(since_report, Ordering::Relaxed) + since_report;
                progress(Stage::Comparing, now, total);
                since_report = 0;
            }
        }
        (out, comparer)
    };
    let (parts, comparers): (Vec<Compared>, Vec<CompactComparer>) = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let run = all.get(w[0]..w[1]).unwrap_or_default();
                scope.spawn(move || compare_run(w[0], run))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| (Compared::default(), CompactComparer::new()))
            })
            .unzip()
    });
    progress(Stage::Comparing, total, total);
    let count: usize = parts.iter().map(|p| p.pairs.len()).sum();
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    out.pairs.reserve_exact(count - out.pairs.len());
    out.rules.reserve_exact(count - out.rules.len());
    out.comparisons.reserve_exact(count - out.comparisons.len());
    for part in parts {
        out.pairs.extend(part.pairs);
        out.rules.extend(part.rules);
        out.comparisons.extend(part.comparisons);
    }
    (out, comparers)
}
