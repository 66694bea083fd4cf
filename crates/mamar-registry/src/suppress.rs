//! Small-cell suppression with complementary suppression.
//!
//! A table is published with its margins (row totals, column totals, the
//! grand total). Every entry below the threshold is withheld (primary
//! suppression; a zero counts as small, so an empty cell says nothing
//! either). Withholding one entry is not enough: a lone withheld cell in a
//! row is the row total minus the others. So more entries are withheld
//! (complementary suppression) until no withheld entry can be worked out
//! exactly from what is published.
//!
//! The test for "worked out exactly" is exact, not a rule of thumb. Write the
//! table with its margins as an (R+1)×(C+1) grid: every line of it (a row or
//! a column, the margin's own line included) is one linear equation. The
//! withheld entries are the unknowns; each lies in exactly one row equation
//! and one column equation, so they are the edges of a bipartite graph
//! between lines. After flipping the sign of the margins the equations are
//! that graph's incidence equations, whose solutions move freely around
//! every cycle; an unknown is determined exactly when its edge lies on no
//! cycle: when it is a bridge. So a pattern is safe when its graph has no
//! bridge, and the loop below withholds more cells until it has none.
//!
//! Margins shared between tables of one release (counts by institution are
//! the row totals of institution × rank class) are withheld by one rule
//! applied to the margin alone ([`suppress_line`]), so every table of a
//! release withholds the same margins and none publishes what another hides.
//!
//! Outside this test: bounds from non-negativity (a withheld cell known to
//! lie between 0 and 3). The threshold and the noise of every published
//! value are what stand against that.

/// Which entries of a table are withheld. `true` = withheld.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub cells: Vec<Vec<bool>>,
    /// Row totals (empty for a table by one facet).
    pub row_totals: Vec<bool>,
    /// Column totals (empty for a table by one facet).
    pub col_totals: Vec<bool>,
    pub total: bool,
}

/// The pattern of a list of counts published with its sum: withheld below
/// the threshold; a single withheld count gets the smallest other one as its
/// complement (else it is the sum minus the rest); everything is withheld
/// when the sum itself is small.
pub fn suppress_line(counts: &[u64], threshold: u64) -> (Vec<bool>, bool) {
    let total: u64 = counts.iter().sum();
    if total < threshold {
        return (vec![true; counts.len()], true);
    }
    let mut withheld: Vec<bool> = counts.iter().map(|&c| c < threshold).collect();
    if withheld.iter().filter(|&&w| w).count() == 1
        && let Some(j) = smallest_published(counts, &withheld)
    {
        withheld[j] = true;
    }
    (withheld, false)
}

fn smallest_published(counts: &[u64], withheld: &[bool]) -> Option<usize> {
    counts
        .iter()
        .enumerate()
        .filter(|(j, _)| !withheld[*j])
        .min_by_key(|(j, c)| (**c, *j))
        .map(|(j, _)| j)
}

/// The pattern of a two-way table (`counts[row][col]`, at least one row and
/// one column) published with its row totals, column totals and total.
pub fn suppress_grid(counts: &[Vec<u64>], threshold: u64) -> Pattern {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    let all = || Pattern {
        cells: vec![vec![true; cols]; rows],
        row_totals: vec![true; rows],
        col_totals: vec![true; cols],
        total: true,
    };
    let row_sums: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
    let col_sums: Vec<u64> = (0..cols).map(|j| counts.iter().map(|r| r[j]).sum()).collect();
    let (row_totals, total_small) = suppress_line(&row_sums, threshold);
    if total_small || rows == 0 || cols == 0 {
        return all();
    }
    let (col_totals, _) = suppress_line(&col_sums, threshold);
    let mut pattern = Pattern {
        cells: counts
            .iter()
            .map(|r| r.iter().map(|&c| c < threshold).collect())
            .collect(),
        row_totals,
        col_totals,
        total: false,
    };
    // Each round withholds at least one more interior cell, so this ends.
    loop {
        let Some((u, v)) = bridges(&pattern).into_iter().next() else {
            return pattern;
        };
        match complement(counts, &pattern, u, v) {
            Some(cells) if !cells.is_empty() => {
                for (i, j) in cells {
                    pattern.cells[i][j] = true;
                }
            }
            _ => return all(),
        }
    }
}

/// The lines of the grid as graph nodes: rows `0..R`, the totals row `R`,
/// columns `R+1..R+1+C`, the totals column `R+1+C`.
fn edges(p: &Pattern) -> Vec<(usize, usize)> {
    let rows = p.cells.len();
    let cols = p.cells.first().map_or(0, Vec::len);
    let col_node = |j: usize| rows + 1 + j;
    let (total_row, total_col) = (rows, rows + 1 + cols);
    let mut out = Vec::new();
    for (i, line) in p.cells.iter().enumerate() {
        for (j, &w) in line.iter().enumerate() {
            if w {
                out.push((i, col_node(j)));
            }
        }
    }
    for (i, &w) in p.row_totals.iter().enumerate() {
        if w {
            out.push((i, total_col));
        }
    }
    for (j, &w) in p.col_totals.iter().enumerate() {
        if w {
            out.push((total_row, col_node(j)));
        }
    }
    if p.total {
        out.push((total_row, total_col));
    }
    out
}

/// The withheld entries that could be worked out exactly (bridges of the
/// graph), as node pairs.
pub(crate) fn bridges(p: &Pattern) -> Vec<(usize, usize)> {
    let edges = edges(p);
    let nodes = p.cells.len() + p.cells.first().map_or(0, Vec::len) + 2;
    (0..edges.len())
        .filter(|&k| !connected_without(&edges, nodes, k))
        .map(|k| edges[k])
        .collect()
}

fn connected_without(edges: &[(usize, usize)], nodes: usize, skip: usize) -> bool {
    let (from, to) = edges[skip];
    let mut adjacent = vec![Vec::new(); nodes];
    for (k, &(a, b)) in edges.iter().enumerate() {
        if k != skip {
            adjacent[a].push(b);
            adjacent[b].push(a);
        }
    }
    let mut seen = vec![false; nodes];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        for &m in &adjacent[n] {
            if !seen[m] {
                seen[m] = true;
                stack.push(m);
            }
        }
    }
    false
}

/// An interior cell, `(row, col)`.
type CellAt = (usize, usize);
/// A neighbour, the cost of reaching it, and the published cell on the way.
type Link = (usize, u64, Option<CellAt>);

/// The cells to withhold so that the bridge between nodes `u` and `v` lies on
/// a cycle: the cheapest path from `u` to `v` that does not use the bridge,
/// where a withheld entry costs nothing and a published interior cell costs
/// its count plus one (fewer and smaller cells first). Published margins are
/// never taken: the margins' pattern is fixed by [`suppress_line`].
fn complement(counts: &[Vec<u64>], p: &Pattern, u: usize, v: usize) -> Option<Vec<(usize, usize)>> {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    let nodes = rows + cols + 2;
    // (neighbour, cost, the interior cell if it is a published one)
    let mut adjacent: Vec<Vec<Link>> = vec![Vec::new(); nodes];
    let mut link = |a: usize, b: usize, cost: u64, cell: Option<(usize, usize)>| {
        adjacent[a].push((b, cost, cell));
        adjacent[b].push((a, cost, cell));
    };
    for (i, line) in counts.iter().enumerate() {
        for (j, &c) in line.iter().enumerate() {
            let (a, b) = (i, rows + 1 + j);
            if (a, b) == (u, v) || (a, b) == (v, u) {
                continue;
            }
            if p.cells[i][j] {
                link(a, b, 0, None);
            } else {
                link(a, b, c.saturating_add(1), Some((i, j)));
            }
        }
    }
    for (a, b) in edges(p) {
        let is_interior = a < rows && b > rows && b < rows + 1 + cols;
        if !is_interior && (a, b) != (u, v) && (a, b) != (v, u) {
            link(a, b, 0, None);
        }
    }
    // Dijkstra on a graph of a few dozen nodes.
    let mut best = vec![u64::MAX; nodes];
    let mut via: Vec<Option<(usize, Option<CellAt>)>> = vec![None; nodes];
    let mut done = vec![false; nodes];
    best[u] = 0;
    while let Some(n) = (0..nodes)
        .filter(|&n| !done[n] && best[n] < u64::MAX)
        .min_by_key(|&n| best[n])
    {
        done[n] = true;
        if n == v {
            break;
        }
        for &(m, cost, cell) in &adjacent[n] {
            let through = best[n].saturating_add(cost);
            if through < best[m] {
                best[m] = through;
                via[m] = Some((n, cell));
            }
        }
    }
    if best[v] == u64::MAX {
        return None;
    }
    let mut cells = Vec::new();
    let mut n = v;
    while let Some((prev, cell)) = via[n] {
        cells.extend(cell);
        n = prev;
    }
    Some(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_count_takes_the_next_smallest_with_it() {
        let (w, total) = suppress_line(&[40, 3, 25, 12], 10);
        assert_eq!(w, vec![false, true, false, true]);
        assert!(!total);
        let (w, total) = suppress_line(&[4, 3], 10);
        assert_eq!(w, vec![true, true]);
        assert!(total);
    }

    #[test]
    fn a_small_cell_in_a_grid_is_hidden_by_a_rectangle_of_four() {
        let counts = vec![vec![20, 30, 25], vec![15, 4, 40], vec![33, 21, 18]];
        let p = suppress_grid(&counts, 10);
        assert!(p.cells[1][1]);
        assert!(bridges(&p).is_empty());
        let withheld = p.cells.iter().flatten().filter(|&&w| w).count();
        assert_eq!(withheld, 4, "{p:?}");
        assert!(p.row_totals.iter().chain(&p.col_totals).all(|&w| !w));
    }
}
