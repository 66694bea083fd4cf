//! Test data: the UK National Referral Mechanism 2013 table (Bales, Hesketh & Silverman, 2015),
//! copied from the shared data folder so the tests do not depend on it.

use mamar_stats::CaptureTable;
use mamar_stats::simulation::{Group, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub const UK_NRM_2013: &str = include_str!("../fixtures/uk-nrm-2013.csv");

/// Reads the simple fixture format: 0/1 list columns, then `count`. Real input goes through
/// `mamar estimate`, which checks everything; fixtures are known to be well formed.
pub fn table(csv: &str) -> CaptureTable {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let lists = &header[..header.len() - 1];
    let mut builder = CaptureTable::builder(lists.iter().copied()).unwrap();
    for (index, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let (pattern, count) = fields.split_at(fields.len() - 1);
        let pattern: Vec<bool> = pattern.iter().map(|f| *f == "1").collect();
        builder
            .add(index + 2, &pattern, count[0].parse().unwrap())
            .unwrap();
    }
    builder.finish().unwrap()
}

pub fn uk() -> CaptureTable {
    table(UK_NRM_2013)
}

/// A table of `population` people drawn from `groups`, lists independent within each group.
pub fn drawn(population: u64, groups: Vec<Group>, seed: u64) -> CaptureTable {
    let scenario = Scenario {
        name: "drawn".into(),
        population,
        groups,
        dependences: vec![],
    };
    scenario.draw(&mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
}
