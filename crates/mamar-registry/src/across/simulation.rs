//! Three organisations' registries of generated people, with the truth: for the test that the
//! estimated total across organisations finds the known total, and for the coverage study
//! (`examples/across_coverage.rs`). Pure: the people come from `mamar_linkage::synth`, the
//! encodings from `mamar_linkage::clk` under a secret made for the simulation.

use std::collections::BTreeMap;

use mamar_linkage::clk::{ClkConfig, ClkError, ClkSecret, ClkStore, Encoder};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::Record;
use mamar_linkage::synth::{ListSpec, SyntheticRecord, generate};

use super::exchange::EncodedList;

/// The stratum column of the simulated files.
pub const STRATUM_COLUMN: &str = "rank_class";

/// One stratum of the simulated population.
#[derive(Debug, Clone)]
pub struct StratumSpec {
    pub name: &'static str,
    pub people: usize,
    /// Each organisation's chance of documenting a person of this stratum.
    pub coverage: [f64; 3],
}

/// The default world: soldiers, documented by each organisation with a chance of a quarter to
/// a third, and officers, documented more often; records in Arabic script or Latin letters,
/// with the noise real lists have (halved), no duplicates within a list.
pub fn default_strata(scale: f64) -> Vec<StratumSpec> {
    let people = |n: f64| (n * scale).round().max(1.0) as usize;
    vec![
        StratumSpec {
            name: "soldier",
            people: people(2000.0),
            coverage: [0.35, 0.25, 0.3],
        },
        StratumSpec {
            name: "officer",
            people: people(600.0),
            coverage: [0.5, 0.4, 0.35],
        },
    ]
}

/// The organisations' names in the simulation.
pub const ORGANISATIONS: [&str; 3] = ["org_a", "org_b", "org_c"];
/// How often each organisation writes names in Arabic script (else Latin letters).
const ARABIC: [f64; 3] = [0.9, 0.5, 0.2];
const NOISE: f64 = 0.5;

/// The encoded lists the three organisations exchange, and the truth.
#[derive(Debug, Clone)]
pub struct World {
    pub lists: Vec<EncodedList>,
    /// Per stratum: the true number of people.
    pub true_totals: BTreeMap<String, u64>,
    /// Per stratum: the true number of people on each combination of lists (documented ones).
    pub true_cells: BTreeMap<String, BTreeMap<u32, u64>>,
}

/// Builds the three organisations' lists of the people of `strata`, encodes them under a
/// secret all three share, and keeps the truth. The same seed gives the same world.
pub fn three_organisations(strata: &[StratumSpec], seed: u64) -> Result<World, ClkError> {
    let secret = ClkSecret::new(format!("simulation secret {seed:016x}").into_bytes())?;
    let encoder = Encoder::new(&secret, ClkConfig::default())?;
    let gazetteer = Gazetteer::syria();
    let words = ClkConfig::default().output_bits() / 64;
    let mut lists: Vec<EncodedList> = ORGANISATIONS
        .iter()
        .map(|name| EncodedList {
            name: (*name).to_owned(),
            scheme: "mamar-clk-v1;bits=1024;hardening=none;salt=none".to_owned(),
            clks: ClkStore::new(words),
            ids: Vec::new(),
            stratum_columns: vec![STRATUM_COLUMN.to_owned()],
            stratum_values: Vec::new(),
        })
        .collect();
    let mut true_totals = BTreeMap::new();
    let mut true_cells = BTreeMap::new();
    for (index, stratum) in strata.iter().enumerate() {
        let specs: Vec<ListSpec> = ORGANISATIONS
            .iter()
            .zip(stratum.coverage)
            .zip(ARABIC)
            .map(|((name, coverage), arabic)| ListSpec {
                name: (*name).to_owned(),
                coverage,
                arabic,
                duplicates: 0.0,
                noise: NOISE,
                full_name: false,
            })
            .collect();
        let generated: Vec<Vec<SyntheticRecord>> = generate(
            stratum.people,
            &specs,
            seed.wrapping_mul(31).wrapping_add(index as u64),
        );
        let mut patterns: BTreeMap<u64, u32> = BTreeMap::new();
        for (list_index, (records, list)) in generated.iter().zip(lists.iter_mut()).enumerate() {
            for record in records {
                *patterns.entry(record.person).or_default() |= 1 << list_index;
                list.clks
                    .push(&encoder.encode(&Record::prepare(&record.input, &gazetteer)).words);
                list.ids.push(format!("{}-{}", stratum.name, record.id));
                list.stratum_values.push(vec![stratum.name.to_owned()]);
            }
        }
        let mut cells: BTreeMap<u32, u64> = BTreeMap::new();
        for pattern in patterns.into_values() {
            *cells.entry(pattern).or_default() += 1;
        }
        true_totals.insert(stratum.name.to_owned(), stratum.people as u64);
        true_cells.insert(stratum.name.to_owned(), cells);
    }
    Ok(World {
        lists,
        true_totals,
        true_cells,
    })
}
