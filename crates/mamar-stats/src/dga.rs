//! Bayesian model averaging over decomposable graphical models (Madigan & York 1997,
//! "Bayesian methods for estimation of the size of a closed population", Biometrika 84), the
//! method of the R package `dga` (Johndrow, Lum & Ball).
//!
//! Each decomposable graph on the lists is a model of how the lists depend on each other. Under
//! a graph, the cell probabilities have a hyper-Dirichlet prior (each cell of each marginal
//! table over a clique gets `delta` times `2^(lists - clique size)` prior observations, so the
//! marginals agree), and the marginal likelihood of the full table, for a given number of
//! unseen people, factorises over cliques and separators. The number unseen has a prior
//! proportional to 1/N (the package's default), and the graphs are equally likely a priori.
//! The posterior is computed exactly on a grid of totals: there is no sampling and no Monte
//! Carlo error.
//!
//! For a graph, the marginal likelihood is a product over the lists in a perfect numbering
//! (maximum cardinality search): each list with its earlier neighbours over those neighbours.
//! This equals the product over cliques divided by the product over separators.

use serde::Serialize;
use statrs::function::gamma::ln_gamma;
use thiserror::Error;

use crate::identify::{NotIdentified, check_overlaps};
use crate::lcmcr::CredibleInterval;
use crate::{CaptureTable, Level};

/// The method averages over every decomposable graph; 5 lists have 822, 6 would have 18,154.
pub const MAX_LISTS: usize = 5;
pub const MIN_LISTS: usize = 3;
/// A grid beyond this many totals is refused (the posterior would not fit in memory).
const MAX_GRID: u64 = 2_000_000;
/// The automatic grid visits the unseen numbers one by one up to this many times the most
/// probable one found by the scan (at least [`MIN_UNIT_STEPS`], at most [`UNIT_STEPS`]); beyond,
/// where the posterior is a smooth tail, the grid is geometric.
const UNIT_SPAN: f64 = 8.0;
const MIN_UNIT_STEPS: u64 = 2_000;
const UNIT_STEPS: u64 = 200_000;
/// Points of the geometric part of the grid.
const GEOMETRIC_POINTS: usize = 10_000;
/// The automatic grid stops where the posterior density has fallen this far (natural log)
/// below its peak: about 1e-12.
const TAIL_DROP: f64 = 27.6;
/// More unseen than this: the posterior does not fall away, and no total is defensible.
const RUNAWAY: f64 = 1e12;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DgaOptions {
    /// Prior observations per cell of the full table; `None` for the package's suggestion
    /// 2^-lists.
    pub delta: Option<f64>,
    /// Visit exactly the unseen numbers 0..=this (as the package's `Nmissing` argument does);
    /// `None` chooses the grid so the posterior's tail beyond it is negligible.
    pub max_unseen: Option<u64>,
    #[serde(skip)]
    pub level: Level,
    /// How many of the most probable graphs to report.
    pub top: usize,
}

impl Default for DgaOptions {
    fn default() -> Self {
        DgaOptions {
            delta: None,
            max_unseen: None,
            level: Level::default(),
            top: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum DgaError {
    #[error("the dga method averages over every decomposable graph of 3 to 5 lists; this table has {0}")]
    ListCount(usize),
    #[error("invalid dga options: {0}")]
    InvalidOptions(String),
    #[error("{0}")]
    NotIdentified(#[from] NotIdentified),
    #[error(
        "the posterior of the total does not fall away (still above 1e-12 of its peak at 10^12 unseen): \
         the lists do not bound the total under these models"
    )]
    RunsAway,
}

/// One graph in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DgaModel {
    /// The cliques, e.g. `A:B + B:C + D`.
    pub name: String,
    /// Posterior probability of the graph.
    pub probability: f64,
    /// Posterior median of the total under this graph alone.
    pub median: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DgaEstimate {
    /// The documented number: people on at least one list.
    pub observed: u64,
    /// Posterior median of the total, averaged over the graphs.
    pub median: f64,
    pub interval: CredibleInterval,
    pub unseen_median: f64,
    pub delta: f64,
    /// The prior on the total: "1/N".
    pub prior: &'static str,
    /// Decomposable graphs averaged over.
    pub graphs: usize,
    /// The largest number unseen on the grid.
    pub max_unseen: f64,
    /// Posterior mass at the grid's last point, relative to the peak: large when a grid given
    /// with `max_unseen` cuts the posterior short.
    pub tail_density: f64,
    /// The most probable graphs, most probable first.
    pub models: Vec<DgaModel>,
    /// The posterior of the total on the grid: (total, probability mass).
    #[serde(skip)]
    pub posterior: Vec<(f64, f64)>,
}

/// A decomposable graph as the factors of its marginal likelihood: for each list in a perfect
/// numbering, the list with its earlier neighbours (`family`) and the neighbours alone.
#[derive(Debug, Clone)]
struct Graph {
    factors: Vec<(u32, u32)>,
    cliques: Vec<u32>,
}

/// Every decomposable graph on `k` lists (8, 61 and 822 for 3, 4 and 5), in order of their
/// edge sets.
fn decomposable_graphs(k: usize) -> Vec<Graph> {
    let pairs: Vec<(usize, usize)> = (0..k).flat_map(|a| ((a + 1)..k).map(move |b| (a, b))).collect();
    let mut graphs = Vec::new();
    for edges in 0u32..(1 << pairs.len()) {
        let mut neighbours = vec![0u32; k];
        for (index, &(a, b)) in pairs.iter().enumerate() {
            if edges & (1 << index) != 0 {
                if let Some(n) = neighbours.get_mut(a) {
                    *n |= 1 << b;
                }
                if let Some(n) = neighbours.get_mut(b) {
                    *n |= 1 << a;
                }
            }
        }
        if let Some(graph) = perfect_numbering(&neighbours) {
            graphs.push(graph);
        }
    }
    graphs
}

/// Maximum cardinality search; `None` when the earlier neighbours of some list do not form a
/// complete set (the graph is not chordal, so not decomposable).
fn perfect_numbering(neighbours: &[u32]) -> Option<Graph> {
    let k = neighbours.len();
    let mut numbered = 0u32;
    let mut factors = Vec::with_capacity(k);
    for _ in 0..k {
        let next = (0..k).filter(|v| numbered & (1 << v) == 0).max_by_key(|&v| {
            (
                neighbours.get(v).map_or(0, |n| (n & numbered).count_ones()),
                usize::MAX - v,
            )
        })?;
        let earlier = neighbours.get(next).copied().unwrap_or(0) & numbered;
        let complete = (0..k)
            .filter(|u| earlier & (1 << u) != 0)
            .all(|u| neighbours.get(u).is_some_and(|n| (earlier & !(1 << u)) & !n == 0));
        if !complete {
            return None;
        }
        factors.push((earlier | (1 << next), earlier));
        numbered |= 1 << next;
    }
    let families: Vec<u32> = factors.iter().map(|&(family, _)| family).collect();
    let cliques = families
        .iter()
        .copied()
        .filter(|&family| {
            !families
                .iter()
                .any(|&other| other != family && other & family == family)
        })
        .fold(Vec::new(), |mut cliques: Vec<u32>, clique| {
            if !cliques.contains(&clique) {
                cliques.push(clique);
            }
            cliques
        });
    Some(Graph { factors, cliques })
}

/// The log marginal likelihood of every subset of lists, as a function of the number unseen.
struct Margins {
    k: usize,
    observed: f64,
    delta: f64,
    /// For each subset mask: the count of its all-absent cell (without the unseen), and the
    /// sum over its other cells of ln Γ(count + δ_A) − ln Γ(δ_A), plus −ln Γ(δ_A) for the
    /// all-absent cell.
    constant: Vec<(f64, f64, f64)>,
    log_factorials: f64,
}

impl Margins {
    fn new(table: &CaptureTable, delta: f64) -> Self {
        let k = table.list_count();
        let subsets = 1usize << k;
        let mut constant = Vec::with_capacity(subsets);
        for subset in 0..subsets as u32 {
            let size = subset.count_ones() as i32;
            let cell_delta = delta * 2f64.powi(k as i32 - size);
            let mut marginal = vec![0u64; 1 << size];
            for (mask, count) in table.observed_cells() {
                let index = pext(mask & subset, subset);
                if let Some(cell) = marginal.get_mut(index) {
                    *cell += count;
                }
            }
            let absent = marginal.first().copied().unwrap_or(0) as f64;
            let others: f64 = marginal
                .iter()
                .skip(1)
                .map(|&count| ln_gamma(count as f64 + cell_delta))
                .sum();
            let cells = marginal.len() as f64;
            constant.push((absent, others - cells * ln_gamma(cell_delta), cell_delta));
        }
        let log_factorials = table
            .observed_cells()
            .map(|(_, count)| ln_gamma(count as f64 + 1.0))
            .sum();
        Margins {
            k,
            observed: table.observed_total() as f64,
            delta,
            constant,
            log_factorials,
        }
    }

    /// ln m(A) for every subset A at `unseen`, the normalising term included, so m(∅) = 0.
    fn at(&self, unseen: f64, out: &mut [f64]) {
        let all = self.delta * (1u64 << self.k) as f64;
        let denominator = ln_gamma(all) - ln_gamma(self.observed + unseen + all);
        for (slot, &(absent, rest, cell_delta)) in out.iter_mut().zip(&self.constant) {
            *slot = ln_gamma(unseen + absent + cell_delta) + rest + denominator;
        }
        if let Some(empty) = out.first_mut() {
            *empty = 0.0;
        }
    }

    /// The terms every graph shares at `unseen`: the multinomial coefficient and the 1/N prior.
    fn shared(&self, unseen: f64) -> f64 {
        let total = self.observed + unseen;
        ln_gamma(total + 1.0) - ln_gamma(unseen + 1.0) - self.log_factorials - total.ln()
    }
}

/// Packs the bits of `value` selected by `mask` into the low bits (bit order kept).
fn pext(value: u32, mask: u32) -> usize {
    let mut out = 0usize;
    let mut position = 0;
    for bit in 0..32 {
        if mask & (1 << bit) != 0 {
            if value & (1 << bit) != 0 {
                out |= 1 << position;
            }
            position += 1;
        }
    }
    out
}

fn graph_log_likelihood(graph: &Graph, margins: &[f64]) -> f64 {
    graph
        .factors
        .iter()
        .map(|&(family, earlier)| {
            margins.get(family as usize).copied().unwrap_or(f64::NAN)
                - margins.get(earlier as usize).copied().unwrap_or(f64::NAN)
        })
        .sum()
}

fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let peak = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if !peak.is_finite() {
        return peak;
    }
    peak + values.map(|v| (v - peak).exp()).sum::<f64>().ln()
}

/// The log posterior (unnormalised) of each graph at `unseen`.
fn log_posteriors(graphs: &[Graph], margins: &Margins, unseen: f64, scratch: &mut [f64], out: &mut Vec<f64>) {
    margins.at(unseen, scratch);
    let shared = margins.shared(unseen);
    out.clear();
    out.extend(graphs.iter().map(|g| graph_log_likelihood(g, scratch) + shared));
}

/// The grid of unseen numbers and the width each point stands for.
fn grid(graphs: &[Graph], margins: &Margins, options: &DgaOptions) -> Result<Vec<(f64, f64)>, DgaError> {
    let (upper, unit_end) = match options.max_unseen {
        Some(upper) => {
            if upper >= MAX_GRID {
                return Err(DgaError::InvalidOptions(format!(
                    "the largest number unseen must be below {MAX_GRID}"
                )));
            }
            return Ok((0..=upper).map(|m| (m as f64, 1.0)).collect());
        }
        None => {
            let mut scratch = vec![0.0; margins.constant.len()];
            let mut per_graph = Vec::new();
            let mut density = |unseen: f64| {
                log_posteriors(graphs, margins, unseen, &mut scratch, &mut per_graph);
                log_sum_exp(per_graph.iter().copied())
            };
            let mut peak = density(0.0);
            let mut most_probable = 0.0f64;
            let mut previous = peak;
            let mut unseen = 1.0f64;
            loop {
                let value = density(unseen);
                if value > peak {
                    peak = value;
                    most_probable = unseen;
                }
                if value < peak - TAIL_DROP && value < previous {
                    let unit_end = ((UNIT_SPAN * most_probable) as u64).clamp(MIN_UNIT_STEPS, UNIT_STEPS);
                    break (unseen, unit_end);
                }
                if unseen > RUNAWAY {
                    return Err(DgaError::RunsAway);
                }
                previous = value;
                unseen *= 2.0;
            }
        }
    };
    let unit_end = (upper as u64).min(unit_end);
    let mut points: Vec<(f64, f64)> = (0..=unit_end).map(|m| (m as f64, 1.0)).collect();
    if (unit_end as f64) < upper {
        let start = unit_end as f64;
        let ratio = (upper / start).powf(1.0 / GEOMETRIC_POINTS as f64);
        let mut previous = start;
        for _ in 0..GEOMETRIC_POINTS {
            let next = (previous * ratio).round().max(previous + 1.0);
            points.push((next, next - previous));
            previous = next;
        }
    }
    Ok(points)
}

/// The `q` quantile of a distribution on grid points with masses, as a total.
fn grid_quantile(points: &[(f64, f64)], masses: &[f64], q: f64) -> f64 {
    let total: f64 = masses.iter().sum();
    let mut cumulative = 0.0;
    let mut previous = points.first().map_or(0.0, |p| p.0);
    for (&(at, width), &mass) in points.iter().zip(masses) {
        let next = cumulative + mass / total;
        if next >= q {
            if width <= 1.0 || mass <= 0.0 {
                return at;
            }
            // Within a geometric step, spread the mass evenly over the step.
            let fraction = (q - cumulative) / (next - cumulative);
            return previous + fraction * (at - previous);
        }
        cumulative = next;
        previous = at;
    }
    previous
}

fn clique_name(graph: &Graph, lists: &[String]) -> String {
    let mut cliques = graph.cliques.clone();
    cliques.sort_by_key(|c| (std::cmp::Reverse(c.count_ones()), c.trailing_zeros()));
    cliques
        .iter()
        .map(|&clique| {
            lists
                .iter()
                .enumerate()
                .filter(|(j, _)| clique & (1 << j) != 0)
                .map(|(_, name)| name.as_str())
                .collect::<Vec<_>>()
                .join(":")
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Averages over every decomposable graph and summarises the posterior of the total.
pub fn estimate(table: &CaptureTable, options: &DgaOptions) -> Result<DgaEstimate, DgaError> {
    let k = table.list_count();
    if !(MIN_LISTS..=MAX_LISTS).contains(&k) {
        return Err(DgaError::ListCount(k));
    }
    check_overlaps(table)?;
    let delta = options.delta.unwrap_or(1.0 / (1u64 << k) as f64);
    if !(delta > 0.0 && delta.is_finite()) {
        return Err(DgaError::InvalidOptions(
            "delta must be positive and finite".into(),
        ));
    }
    let graphs = decomposable_graphs(k);
    let margins = Margins::new(table, delta);
    let points = grid(&graphs, &margins, options)?;

    // One pass over the grid: the mass at each point (relative to a running reference) and
    // each graph's total mass. The reference moves up when a larger value appears.
    let mut scratch = vec![0.0; margins.constant.len()];
    let mut per_graph = Vec::with_capacity(graphs.len());
    let mut point_logs = Vec::with_capacity(points.len());
    let mut by_graph = vec![0.0; graphs.len()];
    let mut reference = f64::NEG_INFINITY;
    for &(unseen, width) in &points {
        log_posteriors(&graphs, &margins, unseen, &mut scratch, &mut per_graph);
        let shift = width.ln();
        let row_peak = per_graph.iter().copied().fold(f64::NEG_INFINITY, f64::max) + shift;
        if row_peak > reference {
            let scale = (reference - row_peak).exp();
            by_graph.iter_mut().for_each(|sum| *sum *= scale);
            reference = row_peak;
        }
        let mut row = 0.0;
        for (sum, value) in by_graph.iter_mut().zip(&per_graph) {
            let weight = (value + shift - reference).exp();
            *sum += weight;
            row += weight;
        }
        point_logs.push(row.ln() + reference);
    }
    if !reference.is_finite() {
        return Err(DgaError::RunsAway);
    }
    let masses: Vec<f64> = point_logs.iter().map(|v| (v - reference).exp()).collect();
    let total_mass: f64 = masses.iter().sum();
    let totals: Vec<(f64, f64)> = points
        .iter()
        .map(|&(unseen, width)| (unseen + margins.observed, width))
        .collect();
    let level = options.level.value();
    let median = grid_quantile(&totals, &masses, 0.5);
    let interval = CredibleInterval {
        level,
        lower: grid_quantile(&totals, &masses, (1.0 - level) / 2.0),
        upper: grid_quantile(&totals, &masses, (1.0 + level) / 2.0),
    };
    let last_density = masses
        .last()
        .zip(points.last())
        .map_or(0.0, |(mass, (_, width))| mass / width);
    let peak_density = masses
        .iter()
        .zip(&points)
        .map(|(mass, (_, width))| mass / width)
        .fold(0.0, f64::max);

    let mut order: Vec<usize> = (0..graphs.len()).collect();
    order.sort_by(|&a, &b| {
        by_graph
            .get(b)
            .unwrap_or(&0.0)
            .total_cmp(by_graph.get(a).unwrap_or(&0.0))
    });
    let models = order
        .iter()
        .take(options.top.max(1))
        .filter_map(|&index| {
            let graph = graphs.get(index)?;
            let mut scratch = vec![0.0; margins.constant.len()];
            let own: Vec<f64> = points
                .iter()
                .map(|&(unseen, width)| {
                    margins.at(unseen, &mut scratch);
                    (graph_log_likelihood(graph, &scratch) + margins.shared(unseen) + width.ln() - reference)
                        .exp()
                })
                .collect();
            Some(DgaModel {
                name: clique_name(graph, table.lists()),
                probability: by_graph.get(index).copied().unwrap_or(0.0) / total_mass,
                median: grid_quantile(&totals, &own, 0.5),
            })
        })
        .collect();
    Ok(DgaEstimate {
        observed: table.observed_total(),
        median,
        interval,
        unseen_median: median - margins.observed,
        delta,
        prior: "1/N",
        graphs: graphs.len(),
        max_unseen: points.last().map_or(0.0, |p| p.0),
        tail_density: if peak_density > 0.0 {
            last_density / peak_density
        } else {
            0.0
        },
        models,
        posterior: totals
            .iter()
            .zip(&masses)
            .map(|(&(total, _), &mass)| (total, mass / total_mass))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decomposable_graphs_are_counted_as_in_the_literature() {
        assert_eq!(decomposable_graphs(3).len(), 8);
        assert_eq!(decomposable_graphs(4).len(), 61);
        assert_eq!(decomposable_graphs(5).len(), 822);
    }

    #[test]
    fn a_four_cycle_is_not_decomposable_and_a_chain_has_two_cliques() {
        // A-B, B-C, C-D, D-A: a cycle without a chord.
        let cycle = [0b1010, 0b0101, 0b1010, 0b0101];
        assert!(perfect_numbering(&cycle).is_none());
        let chain = perfect_numbering(&[0b010, 0b101, 0b010]).unwrap();
        let mut cliques = chain.cliques.clone();
        cliques.sort();
        assert_eq!(cliques, vec![0b011, 0b110]);
    }

    #[test]
    fn bits_are_packed_in_order() {
        assert_eq!(pext(0b10100, 0b10110), 0b110);
        assert_eq!(pext(0b00010, 0b10110), 0b001);
    }
}
