//! The one-to-one scoring of lists without duplicates inside (`--one-to-one`): the pairs are
//! matched one to one, then each matched pair gets the probability that it is right given the
//! rest of that matching.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{Band, Compared, LinkOptions, ScoredPair, Stage};
use crate::compare::Comparison;
use crate::model::Scorer;

/// Odds are summed as integers in units of 2^-16 (so that the sums do not depend on the order
/// of the additions, hence on the number of threads), each pair's odds capped at 2^40.
const ODDS_UNIT: f64 = (1u64 << 16) as f64;
const ODDS_CAP: f64 = (1u64 << 40) as f64;
/// Below this weight a pair's odds round to 0 units.
const NO_ODDS_WEIGHT: f64 = -17.0;
/// Probabilities are summed in units of 2^-32.
const PROBABILITY_UNIT: f64 = (1u64 << 32) as f64;
/// The smallest 1 − π (the prior probability that a record has no match in another list).
const MIN_NO_MATCH: f64 = 0.01;
/// Pairs that could reach this probability take part in the one-to-one matching (whatever the
/// review threshold, so that the accepted pairs do not depend on it).
const MATCHING_FLOOR: f64 = 0.01;
const NO_PARTNER: u32 = u32::MAX;

fn odds_units(weight: f64) -> u64 {
    if weight < NO_ODDS_WEIGHT {
        return 0;
    }
    (weight.min(60.0).exp2().min(ODDS_CAP) * ODDS_UNIT).round() as u64
}

/// A candidate pair with odds above 0 units: its index among the candidates, its records and
/// its Fellegi–Sunter weight.
#[derive(Clone, Copy)]
struct Live {
    index: u32,
    a: u32,
    b: u32,
    weight: f64,
}

/// What one thread of the first pass found.
#[derive(Default)]
struct FirstPass {
    live: Vec<Live>,
    /// `odds[record * lists + list]`: the summed odds (units) of the record's candidates in
    /// `list`.
    odds: Vec<u64>,
    /// Expected matches (units) per pair of lists, `low * lists + high`.
    matches: Vec<u64>,
}

/// Scores the candidate pairs of lists without duplicates inside (`--one-to-one`): each record
/// matches at most one record of each other list.
///
/// The pairs are first matched one to one, best Fellegi–Sunter weight first. Then each matched
/// pair gets the probability that it is right given the rest of that matching. Record `a` of
/// list A has a match in list B with prior probability π = M / |A| (M: the expected number of
/// matches between A and B, the sum of the pairs' Fellegi–Sunter probabilities), any record of
/// B alike; its posterior of being matched to `b` rather than to nobody or to another record
/// of B still free is
///
/// ```text
/// P(a ↔ b) = odds(a, b) / (1 − π + Σ odds(a, b'))
/// ```
///
/// over `b` and `a`'s other candidates `b'` in B not matched to someone else, with odds(a, b) =
/// 2^weight, the Fellegi–Sunter odds of the pair alone. A pair with no free rival gains (its
/// odds are divided by 1 − π rather than 1); a pair whose record has another free candidate
/// as good loses. The same from `b`'s side; the pair's probability is the smaller of the two.
/// Only matched pairs are returned (at or above the review threshold), best first.
pub(super) fn score_one_to_one(
    candidates: &Compared,
    scorer: &Scorer<'_>,
    list_of: &[u16],
    lists: usize,
    options: &LinkOptions,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
) -> Vec<ScoredPair> {
    let lists = lists.max(1);
    let total = candidates.pairs.len() as u64;
    let list = |record: u32| usize::from(list_of.get(record as usize).copied().unwrap_or(0));
    let slot = |record: u32, other_list: usize| record as usize * lists + other_list;
    // A pair below this weight cannot reach the floor probability, whatever its rivals.
    let floor_odds = MATCHING_FLOOR.min(options.review) / (1.0 - MATCHING_FLOOR.min(options.review));
    let floor = (floor_odds * MIN_NO_MATCH).log2();
    let threads = options.threads.max(1);

    // Pass 1: each record's summed odds per other list, the expected matches per pair of lists,
    // and the pairs with odds (integers: the sums are the same whatever the threads).
    let done = AtomicU64::new(0);
    let chunk = candidates.pairs.len().div_ceil(threads).max(1);
    progress(Stage::Scoring, 0, total);
    let first_pass = |start: usize| -> FirstPass {
        let end = (start + chunk).min(candidates.pairs.len());
        let mut out = FirstPass {
            live: Vec::new(),
            odds: vec![0; list_of.len() * lists],
            matches: vec![0; lists * lists],
        };
        let items = candidates
            .pairs
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .zip(candidates.comparisons.get(start..end).unwrap_or_default());
        for (offset, (&(a, b), &comparison)) in items.enumerate() {
            if offset % 1_000_000 == 999_999 {
                let now = done.fetch_add(1_000_000, Ordering::Relaxed) + 1_000_000;
                progress(Stage::Scoring, now, total);
            }
            let weight = scorer.weight(comparison, a as usize, b as usize);
            if weight < NO_ODDS_WEIGHT {
                continue;
            }
            let odds = weight.min(60.0).exp2();
            let units = odds_units(weight);
            let (list_a, list_b) = (list(a), list(b));
            if let Some(cell) = out.odds.get_mut(slot(a, list_b)) {
                *cell = cell.saturating_add(units);
            }
            if let Some(cell) = out.odds.get_mut(slot(b, list_a)) {
                *cell = cell.saturating_add(units);
            }
            if let Some(cell) = out
                .matches
                .get_mut(list_a.min(list_b) * lists + list_a.max(list_b))
            {
                *cell += (odds / (1.0 + odds) * PROBABILITY_UNIT).round() as u64;
            }
            out.live.push(Live {
                index: u32::try_from(start + offset).unwrap_or(u32::MAX),
                a,
                b,
                weight,
            });
        }
        out
    };
    let passes: Vec<FirstPass> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..candidates.pairs.len())
            .step_by(chunk)
            .map(|start| scope.spawn(move || first_pass(start)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut passes = passes.into_iter();
    let mut first = passes.next().unwrap_or_default();
    for pass in passes {
        for (total, part) in first.odds.iter_mut().zip(pass.odds) {
            *total = total.saturating_add(part);
        }
        for (total, part) in first.matches.iter_mut().zip(pass.matches) {
            *total += part;
        }
        first.live.extend(pass.live);
    }
    let FirstPass { live, odds, matches } = first;

    // One to one, best first.
    let mut order: Vec<Live> = live.iter().filter(|p| p.weight >= floor).copied().collect();
    order.sort_unstable_by(|x, y| {
        y.weight
            .total_cmp(&x.weight)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    let mut partner = vec![NO_PARTNER; list_of.len() * lists];
    let mut matched = Vec::new();
    for &pair in &order {
        let (slot_a, slot_b) = (slot(pair.a, list(pair.b)), slot(pair.b, list(pair.a)));
        if partner.get(slot_a) != Some(&NO_PARTNER) || partner.get(slot_b) != Some(&NO_PARTNER) {
            continue;
        }
        if let Some(p) = partner.get_mut(slot_a) {
            *p = pair.b;
        }
        if let Some(p) = partner.get_mut(slot_b) {
            *p = pair.a;
        }
        matched.push(pair);
    }
    drop(order);

    // Pass 2: the odds of rivals matched to someone else, to take out of the sums.
    let live_chunk = live.len().div_ceil(threads).max(1);
    let taken_parts: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = live
            .chunks(live_chunk)
            .map(|pairs| {
                let partner = &partner;
                scope.spawn(move || {
                    let mut taken = vec![0u64; list_of.len() * lists];
                    for pair in pairs {
                        let (list_a, list_b) = (list(pair.a), list(pair.b));
                        let partner_of_a = partner.get(slot(pair.a, list_b)).copied().unwrap_or(NO_PARTNER);
                        let partner_of_b = partner.get(slot(pair.b, list_a)).copied().unwrap_or(NO_PARTNER);
                        let b_elsewhere = partner_of_b != NO_PARTNER && partner_of_b != pair.a;
                        let a_elsewhere = partner_of_a != NO_PARTNER && partner_of_a != pair.b;
                        if !a_elsewhere && !b_elsewhere {
                            continue;
                        }
                        let units = odds_units(pair.weight);
                        if b_elsewhere && let Some(cell) = taken.get_mut(slot(pair.a, list_b)) {
                            *cell = cell.saturating_add(units);
                        }
                        if a_elsewhere && let Some(cell) = taken.get_mut(slot(pair.b, list_a)) {
                            *cell = cell.saturating_add(units);
                        }
                    }
                    taken
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut taken_parts = taken_parts.into_iter();
    let mut taken = taken_parts.next().unwrap_or_default();
    for part in taken_parts {
        for (total, units) in taken.iter_mut().zip(part) {
            *total = total.saturating_add(units);
        }
    }
    progress(Stage::Scoring, total, total);

    let mut sizes = vec![0f64; lists];
    for &l in list_of {
        if let Some(size) = sizes.get_mut(usize::from(l)) {
            *size += 1.0;
        }
    }
    let no_match = |from: usize, to: usize| {
        let expected = matches
            .get(from.min(to) * lists + from.max(to))
            .map_or(0.0, |&m| m as f64 / PROBABILITY_UNIT);
        let size = sizes.get(from).copied().unwrap_or(0.0).max(1.0);
        (1.0 - expected / size).max(MIN_NO_MATCH)
    };
    let free_odds = |record: u32, other_list: usize| {
        let all = odds.get(slot(record, other_list)).copied().unwrap_or(0);
        let gone = taken.get(slot(record, other_list)).copied().unwrap_or(0);
        all.saturating_sub(gone) as f64 / ODDS_UNIT
    };
    let mut out: Vec<ScoredPair> = matched
        .into_iter()
        .filter_map(|Live { index, a, b, weight }| {
            let (list_a, list_b) = (list(a), list(b));
            let own = odds_units(weight) as f64 / ODDS_UNIT;
            let side_a = own / (no_match(list_a, list_b) + free_odds(a, list_b).max(own));
            let side_b = own / (no_match(list_b, list_a) + free_odds(b, list_a).max(own));
            let p = side_a.min(side_b);
            if p < options.review {
                return None;
            }
            let index = index as usize;
            Some(ScoredPair {
                a,
                b,
                comparison: candidates
                    .comparisons
                    .get(index)
                    .copied()
                    .unwrap_or(Comparison(0)),
                weight,
                probability: p,
                rules: candidates.rules.get(index).copied().unwrap_or(0),
                band: if p >= options.accept {
                    Band::Accepted
                } else {
                    Band::Review
                },
            })
        })
        .collect();
    out.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then(y.weight.total_cmp(&x.weight))
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    out
}
