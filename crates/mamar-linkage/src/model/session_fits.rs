//! The EM sessions of [`super::estimate_m_with`], fitted on several threads.

use super::{BrothersFound, LEVELS, Parameters, Session, em_session};
use crate::compare::Field;

/// The fields a session leaves free (not blocked on).
pub(super) fn free_fields(session: &Session<'_>) -> [bool; Field::COUNT] {
    std::array::from_fn(|f| {
        Field::ALL
            .get(f)
            .is_some_and(|field| !session.blocked_fields.contains(field))
    })
}

/// Each session's EM fit ([`em_session`]) from the same start, in the sessions' order, on up to
/// `threads` threads: the largest sessions (by patterns) first, each to the thread with the
/// fewest patterns so far. `None` only for a session whose thread failed.
#[allow(clippy::type_complexity)]
pub(super) fn fit_sessions(
    sessions: &[Session<'_>],
    (initial, u): ([[f64; LEVELS]; Field::COUNT], [[f64; LEVELS]; Field::COUNT]),
    (max_iterations, threads): (usize, usize),
) -> Vec<Option<(Parameters, f64, Option<BrothersFound>)>> {
    let threads = threads.clamp(1, sessions.len().max(1));
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sessions.get(i).map_or(0, |s| s.patterns.len())));
    let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); threads];
    let mut load = vec![0usize; threads];
    for index in order {
        let lightest = (0..threads)
            .min_by_key(|&t| load.get(t).copied().unwrap_or(0))
            .unwrap_or(0);
        if let (Some(list), Some(l)) = (assigned.get_mut(lightest), load.get_mut(lightest)) {
            list.push(index);
            *l += sessions.get(index).map_or(0, |s| s.patterns.len());
        }
    }
    let mut fitted: Vec<Option<(Parameters, f64, Option<BrothersFound>)>> =
        (0..sessions.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = assigned
            .iter()
            .map(|indices| {
                scope.spawn(move || {
                    indices
                        .iter()
                        .filter_map(|&index| {
                            let session = sessions.get(index)?;
                            let fit = em_session(
                                session.patterns,
                                initial,
                                u,
                                free_fields(session),
                                session.households,
                                max_iterations,
                            );
                            Some((index, fit))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (index, fit) in handle.join().unwrap_or_default() {
                if let Some(slot) = fitted.get_mut(index) {
                    *slot = Some(fit);
                }
            }
        }
    });
    fitted
}
