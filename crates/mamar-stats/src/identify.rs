//! What every method needs from the overlaps before it may give a number.
//!
//! Estimation works from the people seen on more than one list. If no list overlaps another,
//! or the lists split into groups that never overlap each other, nothing in the data says how
//! many people all the lists missed: any total fits the data as well as any other. The
//! log-linear models then have no finite estimate; a Bayesian method would return its prior
//! dressed as a result. Every method refuses such a table with the reason.

use serde::Serialize;
use thiserror::Error;

use crate::CaptureTable;

/// Why the overlaps cannot identify the total.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotIdentified {
    #[error("nobody is on list {list}: it says nothing about the people it missed")]
    EmptyList { list: String },
    #[error(
        "no person is on more than one list: the overlaps, which estimation works from, are all empty, \
         so the data fit any total equally well"
    )]
    NoOverlap,
    #[error(
        "the lists {first} never overlap the lists {second}: nothing in the data ties the two groups \
         together, so the data fit any total equally well"
    )]
    Disconnected { first: String, second: String },
}

/// Refuses a table whose overlaps cannot identify the total: a list with nobody on it, no
/// overlap at all, or lists falling into groups that never overlap each other.
pub fn check_overlaps(table: &CaptureTable) -> Result<(), NotIdentified> {
    let lists = table.lists();
    let k = lists.len();
    for (j, name) in lists.iter().enumerate() {
        if table.list_total(j) == 0 {
            return Err(NotIdentified::EmptyList { list: name.clone() });
        }
    }
    let overlapping = table
        .observed_cells()
        .any(|(mask, count)| count > 0 && mask.count_ones() >= 2);
    if !overlapping {
        return Err(NotIdentified::NoOverlap);
    }
    // The lists reachable from list 0 through pairs that share at least one person.
    let mut reached: u32 = 1;
    loop {
        let mut grown = reached;
        for (mask, count) in table.observed_cells() {
            if count > 0 && mask & grown != 0 {
                grown |= mask;
            }
        }
        if grown == reached {
            break;
        }
        reached = grown;
    }
    let all = (1u32 << k) - 1;
    if reached != all {
        let names = |set: u32| {
            (0..k)
                .filter(|j| set & (1 << j) != 0)
                .filter_map(|j| lists.get(j).map(String::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(NotIdentified::Disconnected {
            first: names(reached),
            second: names(all & !reached),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_that_never_overlap_are_refused() {
        let table = CaptureTable::from_masks(["A", "B", "C"], &[(1, 50), (2, 40), (4, 30)]).unwrap();
        assert_eq!(check_overlaps(&table), Err(NotIdentified::NoOverlap));
    }

    #[test]
    fn two_groups_that_never_overlap_are_refused_and_named() {
        let table = CaptureTable::from_masks(
            ["A", "B", "C", "D"],
            &[
                (0b0001, 50),
                (0b0010, 40),
                (0b0011, 10),
                (0b0100, 30),
                (0b1000, 20),
                (0b1100, 5),
            ],
        )
        .unwrap();
        assert_eq!(
            check_overlaps(&table),
            Err(NotIdentified::Disconnected {
                first: "A, B".into(),
                second: "C, D".into()
            })
        );
    }

    #[test]
    fn an_empty_list_is_refused_and_a_chain_of_overlaps_is_enough() {
        let table = CaptureTable::from_masks(["A", "B", "C"], &[(1, 50), (3, 4)]).unwrap();
        assert_eq!(
            check_overlaps(&table),
            Err(NotIdentified::EmptyList { list: "C".into() })
        );
        // A overlaps B, B overlaps C: every list is tied to every other.
        let table =
            CaptureTable::from_masks(["A", "B", "C"], &[(1, 50), (2, 40), (4, 30), (3, 4), (6, 3)]).unwrap();
        assert_eq!(check_overlaps(&table), Ok(()));
    }
}
