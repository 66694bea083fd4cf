use mamar_core::facets::{Facet, Facets};
use mamar_registry::{Budget, Policy, RegistryError, Release, TableRequest, release};
use proptest::prelude::*;

const FACETS: [Facet; 3] = [Facet::Institution, Facet::RankClass, Facet::Governorate];
const VALUES: [&[&str]; 3] = [
    &["army", "interior", "security"],
    &["officer", "nco", "soldier"],
    &["sy-hl", "sy-di", "sy-id"],
];

fn person(codes: [Option<usize>; 3]) -> Facets {
    let pick = |k: usize| codes[k].map(|v| VALUES[k][v].to_string());
    Facets {
        institution: pick(0),
        rank_class: pick(1),
        governorate: pick(2),
        ..Facets::default()
    }
}

fn people() -> impl Strategy<Value = Vec<Facets>> {
    // Skewed towards a few common combinations, as real registries are, so
    // that tables mix large and small cells.
    let value = prop_oneof![
        6 => Just(Some(0usize)),
        2 => Just(Some(1)),
        1 => Just(Some(2)),
        1 => Just(None),
    ];
    prop::collection::vec([value.clone(), value.clone(), value], 0..160)
        .prop_map(|rows| rows.into_iter().map(person).collect())
}

fn requests() -> impl Strategy<Value = Vec<Vec<TableRequest>>> {
    let request = (0..3usize, prop::option::of(0..3usize)).prop_map(|(r, c)| TableRequest {
        rows: FACETS[r],
        cols: c.map(|c| FACETS[c]),
    });
    prop::collection::vec(prop::collection::vec(request, 1..4), 1..5)
}

/// One published or withheld entry, as the set of atoms (full combinations
/// of the three facets' values) it adds up.
struct Entry {
    atoms: Vec<bool>,
    true_count: u64,
    shown: Option<u64>,
}

/// Every value each facet can take (the questionnaire's, and "unknown"),
/// whether or not a case has it: the attacker does not know which
/// combinations are empty.
fn atom_values() -> Vec<Vec<String>> {
    VALUES
        .iter()
        .map(|values| {
            let mut all: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
            all.push(mamar_core::facets::UNKNOWN.to_owned());
            all
        })
        .collect()
}

fn atoms_of(values: &[Vec<String>]) -> Vec<[String; 3]> {
    let mut out = Vec::new();
    for a in &values[0] {
        for b in &values[1] {
            for c in &values[2] {
                out.push([a.clone(), b.clone(), c.clone()]);
            }
        }
    }
    out
}

fn index(f: Facet) -> usize {
    FACETS.iter().position(|&g| g == f).unwrap()
}

/// Every entry of a released table, with the atoms it covers and its true count.
fn entries(release: &Release, people: &[Facets], atoms: &[[String; 3]]) -> Vec<Entry> {
    let mut out = Vec::new();
    for t in &release.tables {
        let r = index(t.rows);
        let c = t.cols.map(index);
        let mut add = |row: Option<&str>, col: Option<&str>, shown: Option<u64>| {
            let covers = |values: &[String; 3]| {
                row.is_none_or(|v| values[r] == v) && col.is_none_or(|v| c.is_some_and(|c| values[c] == v))
            };
            let true_count = people
                .iter()
                .filter(|p| {
                    let values = [p.value(FACETS[0]), p.value(FACETS[1]), p.value(FACETS[2])];
                    covers(&values)
                })
                .count() as u64;
            out.push(Entry {
                atoms: atoms.iter().map(covers).collect(),
                true_count,
                shown,
            });
        };
        for (i, row) in t.cells.iter().enumerate() {
            for (j, &shown) in row.iter().enumerate() {
                let col = t.col_labels.get(j).map(String::as_str);
                add(Some(&t.row_labels[i]), col, shown);
            }
        }
        for (i, &shown) in t.row_totals.iter().enumerate() {
            add(Some(&t.row_labels[i]), None, shown);
        }
        for (j, &shown) in t.col_totals.iter().enumerate() {
            add(None, Some(&t.col_labels[j]), shown);
        }
        add(None, None, t.total);
    }
    out
}

/// Whether `target` is a linear combination of `basis` (over the rationals;
/// computed modulo two large primes, where a 0/1 system of this size gives
/// the same answer).
fn in_span(basis: &[Vec<bool>], target: &[bool]) -> bool {
    [2_147_483_647u64, 1_000_000_007].iter().all(|&p| {
        let rank = |rows: &[Vec<bool>]| rank_mod(rows, p);
        let mut with = basis.to_vec();
        with.push(target.to_vec());
        rank(basis) == rank(&with)
    })
}

fn rank_mod(rows: &[Vec<bool>], p: u64) -> usize {
    let width = rows.first().map_or(0, Vec::len);
    let mut m: Vec<Vec<u64>> = rows
        .iter()
        .map(|r| r.iter().map(|&b| u64::from(b)).collect())
        .collect();
    let pow = |mut b: u64, mut e: u64| {
        let mut acc = 1u64;
        while e > 0 {
            if e & 1 == 1 {
                acc = acc * b % p;
            }
            b = b * b % p;
            e >>= 1;
        }
        acc
    };
    let mut rank = 0;
    for col in 0..width {
        let Some(pivot) = (rank..m.len()).find(|&i| m[i][col] != 0) else {
            continue;
        };
        m.swap(rank, pivot);
        let inv = pow(m[rank][col], p - 2);
        for i in 0..m.len() {
            if i != rank && m[i][col] != 0 {
                let factor = m[i][col] * inv % p;
                let pivot_row = m[rank].clone();
                for (x, &y) in m[i].iter_mut().zip(&pivot_row).skip(col) {
                    *x = (*x + p - factor * y % p) % p;
                }
            }
        }
        rank += 1;
    }
    rank
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Releases made one after another from the same cases (the attacker's
    /// best case: nothing changed between them): every published count has a
    /// true count at or above the threshold and reads at or above it, and no
    /// withheld count of any release is a linear combination of all the
    /// counts published by all of them.
    #[test]
    fn no_release_sequence_shows_or_gives_away_a_small_count(
        people in people(),
        sequence in requests(),
        threshold in 3u64..15,
    ) {
        let policy = Policy { threshold, epsilon_per_table: 1.0 };
        let mut budget = Budget::new("2026-12", u64::MAX);
        let atoms = atoms_of(&atom_values());
        let mut all = Vec::new();
        for requests in &sequence {
            let r = release(&people, requests, &policy, &mut budget).unwrap();
            all.extend(entries(&r, &people, &atoms));
        }
        for e in &all {
            if let Some(shown) = e.shown {
                prop_assert!(e.true_count >= threshold, "published a cell of {}", e.true_count);
                prop_assert!(shown >= threshold);
            }
        }
        let published: Vec<Vec<bool>> =
            all.iter().filter(|e| e.shown.is_some()).map(|e| e.atoms.clone()).collect();
        for e in all.iter().filter(|e| e.shown.is_none()) {
            prop_assert!(
                !in_span(&published, &e.atoms),
                "a withheld count ({}) follows from the published ones", e.true_count
            );
        }
    }

    /// However releases are asked for, the period never spends past its
    /// limit, and a refused release spends nothing.
    #[test]
    fn the_budget_is_never_overspent(
        limit_tenths in 1u64..40,
        asks in prop::collection::vec((1usize..4, 1u32..20), 1..20),
    ) {
        let people = vec![person([Some(0), Some(0), Some(0)]); 30];
        let limit = limit_tenths * 100_000;
        let mut budget = Budget::new("2026-Q4", limit);
        let mut spent = 0u64;
        for (tables, epsilon_tenths) in asks {
            let policy = Policy { threshold: 10, epsilon_per_table: f64::from(epsilon_tenths) / 10.0 };
            let requests = vec![TableRequest { rows: Facet::Institution, cols: None }; tables];
            let before = budget.clone();
            match release(&people, &requests, &policy, &mut budget) {
                Ok(r) => {
                    spent += r.epsilon_micro;
                    // OpenDP charges at least what was asked for.
                    prop_assert!(r.epsilon_micro as f64 >= tables as f64 * policy.epsilon_per_table * 1e6 - 1.0);
                }
                Err(RegistryError::BudgetExhausted { .. }) => prop_assert_eq!(&budget, &before),
                Err(other) => prop_assert!(false, "{other}"),
            }
            prop_assert_eq!(budget.spent_micro, spent);
            prop_assert!(budget.spent_micro <= limit);
        }
    }
}

#[test]
fn a_withheld_cell_and_its_complement_in_a_known_table() {
    // 25 army officers, 4 army soldiers, 30 interior officers, 20 interior
    // soldiers: army soldiers (4) are withheld, and so must be enough other
    // entries that 4 cannot be had back from the totals.
    let mut people = Vec::new();
    for (n, inst, rank) in [(25, 0, 0), (4, 0, 2), (30, 1, 0), (20, 1, 2)] {
        people.extend(vec![person([Some(inst), Some(rank), Some(0)]); n]);
    }
    let mut budget = Budget::new("2026-12", 10_000_000);
    let r = release(
        &people,
        &[TableRequest {
            rows: Facet::Institution,
            cols: Some(Facet::RankClass),
        }],
        &Policy::default(),
        &mut budget,
    )
    .unwrap();
    let t = &r.tables[0];
    assert_eq!(t.row_labels, ["army", "interior"]);
    assert_eq!(t.col_labels, ["officer", "soldier"]);
    assert_eq!(t.cells[0][1], None, "4 army soldiers must not be shown");
    let withheld = t.cells.iter().flatten().filter(|c| c.is_none()).count();
    assert_eq!(
        withheld, 4,
        "a 2×2 table with one small cell hides all four: {t:?}"
    );
    assert!(t.total.is_some());
    assert_eq!(t.method.sensitivity, 4);
    assert!(t.method.mechanism.contains("OpenDP"));
    assert!((t.method.epsilon - 0.5).abs() < 1e-6, "{}", t.method.epsilon);
    assert_eq!(budget.spent_micro, r.epsilon_micro);
}

#[test]
fn noise_moves_counts_and_a_small_registry_publishes_nothing() {
    let many: Vec<Facets> = (0..500).map(|_| person([Some(0), Some(0), Some(0)])).collect();
    let mut budget = Budget::new("2026-12", u64::MAX);
    let policy = Policy {
        threshold: 10,
        epsilon_per_table: 0.1,
    };
    let request = [TableRequest {
        rows: Facet::Institution,
        cols: None,
    }];
    let shown: Vec<u64> = (0..20)
        .map(|_| {
            release(&many, &request, &policy, &mut budget).unwrap().tables[0]
                .total
                .unwrap()
        })
        .collect();
    assert!(shown.iter().any(|&s| s != 500), "no noise in {shown:?}");
    assert!(shown.iter().all(|&s| s.abs_diff(500) < 400), "{shown:?}");

    let few: Vec<Facets> = (0..7).map(|_| person([Some(0), Some(0), Some(0)])).collect();
    let t = &release(&few, &request, &policy, &mut budget).unwrap().tables[0];
    assert_eq!(t.total, None);
    assert!(t.cells.iter().flatten().all(Option::is_none));
}
