//! The capture table: how many people appear on each combination of lists.

use thiserror::Error;

/// The most lists a table may have. A table holds `2^k` cells, and the log-linear design grows
/// with it; 15 lists is far beyond what the data of any real study supports.
pub const MAX_LISTS: usize = 15;

/// Counts are kept below 2^53 so that every count and every sum of counts is exact as `f64`.
const MAX_TOTAL: u64 = 1 << 53;

/// Why a capture table could not be built. Line numbers are those the caller passed in
/// (for a file: 1 is the header, 2 the first data line).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TableError {
    #[error("there must be at least two lists; found {found}")]
    TooFewLists { found: usize },
    #[error("at most {max} lists are supported; found {found}")]
    TooManyLists { found: usize, max: usize },
    #[error("a list has an empty name")]
    EmptyListName,
    #[error("the list name {name:?} appears twice")]
    DuplicateListName { name: String },
    #[error("line {line}: expected {expected} list columns, found {found}")]
    WrongPatternLength {
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error(
        "line {line}: the pattern with every list 0 describes people seen by no list; it cannot be observed"
    )]
    AllZeroPattern { line: usize },
    #[error("line {line}: this pattern was already given on line {first_line}")]
    RepeatedPattern { line: usize, first_line: usize },
    #[error("line {line}: the counts add up to more than {MAX_TOTAL}")]
    CountTooLarge { line: usize },
    #[error("the table records nobody: every count is zero")]
    NobodyObserved,
}

/// Observed counts for every non-empty combination of `k` lists.
///
/// A combination is a *pattern*: bit `j` is set when the person is on list `j`. Pattern 0 (on
/// no list) is the unseen cell the estimators predict; its count is always 0 here. Patterns not
/// given by the caller count as zero: nobody was seen with that combination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureTable {
    lists: Vec<String>,
    counts: Vec<u64>,
    observed: u64,
}

impl CaptureTable {
    /// Starts a table for the named lists, in column order.
    pub fn builder<S: Into<String>>(lists: impl IntoIterator<Item = S>) -> Result<TableBuilder, TableError> {
        let lists: Vec<String> = lists.into_iter().map(Into::into).collect();
        if lists.len() < 2 {
            return Err(TableError::TooFewLists { found: lists.len() });
        }
        if lists.len() > MAX_LISTS {
            return Err(TableError::TooManyLists {
                found: lists.len(),
                max: MAX_LISTS,
            });
        }
        for (index, name) in lists.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(TableError::EmptyListName);
            }
            if lists.iter().take(index).any(|earlier| earlier == name) {
                return Err(TableError::DuplicateListName { name: name.clone() });
            }
        }
        let cells = 1usize << lists.len();
        Ok(TableBuilder {
            table: CaptureTable {
                lists,
                counts: vec![0; cells],
                observed: 0,
            },
            given_on_line: vec![None; cells],
        })
    }

    /// Builds a table from `(pattern, count)` pairs, where a pattern is a bit mask (bit `j` for
    /// list `j`). Convenient for code that already holds masks; the line numbers in errors are
    /// the 1-based positions in `cells`.
    pub fn from_masks<S: Into<String>>(
        lists: impl IntoIterator<Item = S>,
        cells: &[(u32, u64)],
    ) -> Result<CaptureTable, TableError> {
        let mut builder = CaptureTable::builder(lists)?;
        let k = builder.table.lists.len();
        for (index, &(mask, count)) in cells.iter().enumerate() {
            let line = index + 1;
            if (mask as usize) >> k != 0 {
                return Err(TableError::WrongPatternLength {
                    line,
                    expected: k,
                    found: 32 - mask.leading_zeros() as usize,
                });
            }
            let pattern: Vec<bool> = (0..k).map(|j| mask & (1 << j) != 0).collect();
            builder.add(line, &pattern, count)?;
        }
        builder.finish()
    }

    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    pub fn list_count(&self) -> usize {
        self.lists.len()
    }

    /// The number of cells including the unseen one: `2^k`.
    pub fn cell_count(&self) -> usize {
        self.counts.len()
    }

    /// The count of one pattern; 0 for the unseen pattern and for masks outside the table.
    pub fn count(&self, mask: u32) -> u64 {
        self.counts.get(mask as usize).copied().unwrap_or(0)
    }

    /// The observed patterns (1 to `2^k - 1`) with their counts, zeros included.
    pub fn observed_cells(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .skip(1)
            .map(|(mask, &count)| (mask as u32, count))
    }

    /// How many distinct people the lists recorded together: the documented number.
    pub fn observed_total(&self) -> u64 {
        self.observed
    }

    /// How many people were recorded on list `j`.
    pub fn list_total(&self, list: usize) -> u64 {
        self.observed_cells()
            .filter(|(mask, _)| mask & (1 << list) != 0)
            .map(|(_, count)| count)
            .sum()
    }

    /// How many people were recorded on every list in `mask` (and possibly others).
    pub fn overlap(&self, mask: u32) -> u64 {
        self.observed_cells()
            .filter(|(cell, _)| cell & mask == mask)
            .map(|(_, count)| count)
            .sum()
    }
}

/// Collects the rows of a capture table, checking each as it comes.
#[derive(Debug, Clone)]
pub struct TableBuilder {
    table: CaptureTable,
    given_on_line: Vec<Option<usize>>,
}

impl TableBuilder {
    /// Adds the count of one pattern (`pattern[j]` is true when on list `j`), read on `line`.
    pub fn add(&mut self, line: usize, pattern: &[bool], count: u64) -> Result<(), TableError> {
        let k = self.table.lists.len();
        if pattern.len() != k {
            return Err(TableError::WrongPatternLength {
                line,
                expected: k,
                found: pattern.len(),
            });
        }
        let mask = pattern
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .fold(0usize, |mask, (j, _)| mask | (1 << j));
        if mask == 0 {
            return Err(TableError::AllZeroPattern { line });
        }
        let slot = self
            .given_on_line
            .get_mut(mask)
            .ok_or(TableError::WrongPatternLength {
                line,
                expected: k,
                found: pattern.len(),
            })?;
        if let Some(first_line) = *slot {
            return Err(TableError::RepeatedPattern { line, first_line });
        }
        *slot = Some(line);
        let observed = self
            .table
            .observed
            .checked_add(count)
            .filter(|total| *total <= MAX_TOTAL)
            .ok_or(TableError::CountTooLarge { line })?;
        self.table.observed = observed;
        if let Some(cell) = self.table.counts.get_mut(mask) {
            *cell = count;
        }
        Ok(())
    }

    pub fn list_count(&self) -> usize {
        self.table.lists.len()
    }

    /// Finishes the table. A table in which nobody was recorded is refused.
    pub fn finish(self) -> Result<CaptureTable, TableError> {
        if self.table.observed == 0 {
            return Err(TableError::NobodyObserved);
        }
        Ok(self.table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_all_zero_patterns_name_their_lines() {
        let mut builder = CaptureTable::builder(["A", "B"]).unwrap();
        builder.add(2, &[true, false], 5).unwrap();
        assert_eq!(
            builder.add(3, &[true, false], 1),
            Err(TableError::RepeatedPattern {
                line: 3,
                first_line: 2
            })
        );
        assert_eq!(
            builder.add(4, &[false, false], 1),
            Err(TableError::AllZeroPattern { line: 4 })
        );
        assert_eq!(
            builder.add(5, &[true], 1),
            Err(TableError::WrongPatternLength {
                line: 5,
                expected: 2,
                found: 1
            })
        );
    }

    #[test]
    fn list_names_must_be_distinct_and_at_least_two() {
        assert_eq!(
            CaptureTable::builder(["A"]).err(),
            Some(TableError::TooFewLists { found: 1 })
        );
        assert_eq!(
            CaptureTable::builder(["A", "A"]).err(),
            Some(TableError::DuplicateListName { name: "A".into() })
        );
    }

    #[test]
    fn totals_and_overlaps_add_up() {
        let table =
            CaptureTable::from_masks(["A", "B", "C"], &[(0b001, 10), (0b011, 3), (0b111, 2)]).unwrap();
        assert_eq!(table.observed_total(), 15);
        assert_eq!(table.list_total(0), 15);
        assert_eq!(table.list_total(1), 5);
        assert_eq!(table.overlap(0b011), 5);
        assert_eq!(table.overlap(0b101), 2);
        assert_eq!(table.count(0b100), 0);
    }

    #[test]
    fn counts_beyond_exact_floating_point_are_refused() {
        let mut builder = CaptureTable::builder(["A", "B"]).unwrap();
        builder.add(2, &[true, false], MAX_TOTAL).unwrap();
        assert_eq!(
            builder.add(3, &[false, true], 1),
            Err(TableError::CountTooLarge { line: 3 })
        );
    }
}
