//! The keyed-encoding (CLK) benchmarks: Dice throughput, matching quality and the export for
//! anonlink.

use super::*;

fn encoded_lists(
    persons: usize,
    coverage: f64,
    config: mamar_linkage::clk::ClkConfig,
) -> (Vec<Vec<SyntheticRecord>>, Vec<mamar_linkage::clk::ClkStore>, f64) {
    use mamar_linkage::clk::{ClkSecret, ClkStore, Encoder};
    let lists = generate(persons, &specs(coverage), 7);
    let gazetteer = Gazetteer::syria();
    let secret = ClkSecret::new(b"benchmark secret, not for real use".to_vec()).unwrap();
    let encoder = Encoder::new(&secret, config).unwrap();
    let started = Instant::now();
    let mut stores = Vec::new();
    for list in &lists {
        let mut store = ClkStore::new(config.output_bits() / 64);
        for r in list {
            store.push(&encoder.encode(&Record::prepare(&r.input, &gazetteer)).words);
        }
        stores.push(store);
    }
    let seconds = started.elapsed().as_secs_f64();
    (lists, stores, seconds)
}

/// Dice comparisons per second on one core, per kernel: each of `queries` encodings of list A
/// against all of list B; median of `runs`.
pub(crate) fn clk_throughput(records: usize, runs: usize, queries: usize) {
    use mamar_linkage::clk::{ClkConfig, Kernel, kernel, scan};
    let persons = (records as f64 / 0.625) as usize;
    let (_, stores, encode_seconds) = encoded_lists(persons, 0.625, ClkConfig::default());
    let (a, b) = (&stores[0], &stores[1]);
    println!(
        "encoded {} + {} records in {encode_seconds:.2}s; detected kernel {:?}",
        a.len(),
        b.len(),
        kernel()
    );
    let queries = queries.min(a.len());
    let mut kernels = vec![Kernel::Portable, Kernel::Popcnt];
    if kernel() == Kernel::Avx512 {
        kernels.push(Kernel::Avx512);
    }
    for k in kernels {
        let mut rates = Vec::new();
        let mut hits = Vec::new();
        let mut found = 0usize;
        for _ in 0..runs {
            let started = Instant::now();
            let mut comparisons = 0u64;
            for q in 0..queries {
                hits.clear();
                comparisons += scan(k, a.get(q).unwrap().0, b, 0.8, &mut hits);
                found += hits.len();
            }
            rates.push(comparisons as f64 / started.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        println!(
            "{k:?}: median {:.1} million comparisons/s (runs: {:?}) [{} pairs >= 0.8 per run]",
            rates[rates.len() / 2] / 1e6,
            rates.iter().map(|r| (r / 1e6).round()).collect::<Vec<_>>(),
            found / runs.max(1)
        );
    }
}

/// Precision and recall of CLK matching against the truth.
pub(crate) fn clk_quality(persons: usize, coverage: f64, hardening: &str, threshold: f64) {
    use mamar_linkage::clk::{ClkBlocking, ClkConfig, ClkMatchOptions, Hardening, kernel, match_lists};
    let mut config = ClkConfig::default();
    match hardening {
        "balance" => config.hardening = Hardening::Balance,
        "xor" => config.hardening = Hardening::XorFold,
        "salt" => config.salt_with_birth_year = true,
        _ => {}
    }
    let (lists, stores, encode_seconds) = encoded_lists(persons, coverage, config);
    let true_pairs: usize = {
        let a: HashSet<u64> = lists[0].iter().map(|r| r.person).collect();
        lists[1].iter().filter(|r| a.contains(&r.person)).count()
    };
    println!(
        "encoded {} + {} in {encode_seconds:.2}s, true pairs {true_pairs}",
        stores[0].len(),
        stores[1].len()
    );
    for blocking in [
        ClkBlocking::Exhaustive,
        ClkBlocking::MinHash { bands: 24, rows: 4 },
    ] {
        let started = Instant::now();
        let options = ClkMatchOptions {
            threshold,
            blocking,
            kernel: kernel(),
            threads: 2,
        };
        let outcome = match_lists(&stores, &options).unwrap();
        let n0 = lists[0].len() as u32;
        let tp = outcome
            .pairs
            .iter()
            .filter(|(a, b)| lists[0][*a as usize].person == lists[1][(*b - n0) as usize].person)
            .count();
        let p = tp as f64 / outcome.pairs.len().max(1) as f64;
        let r = tp as f64 / true_pairs.max(1) as f64;
        println!(
            "{blocking:?} threshold {threshold}: comparisons {} matched {} precision {p:.4} recall {r:.4} F1 {:.4} in {:.2}s; overlap {:?}",
            outcome.comparisons,
            outcome.pairs.len(),
            2.0 * p * r / (p + r).max(1e-12),
            started.elapsed().as_secs_f64(),
            outcome.overlap
        );
    }
}

/// Writes the encodings of both lists (one hex string per line) for anonlink.
pub(crate) fn clk_export(records: usize, out: &str) {
    let persons = (records as f64 / 0.625) as usize;
    let (_, stores, _) = encoded_lists(persons, 0.625, mamar_linkage::clk::ClkConfig::default());
    std::fs::create_dir_all(out).unwrap();
    for (name, store) in ["clk_a", "clk_b"].iter().zip(&stores) {
        let mut file = std::io::BufWriter::new(std::fs::File::create(format!("{out}/{name}.hex")).unwrap());
        for i in 0..store.len() {
            let (words, _) = store.get(i).unwrap();
            let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            writeln!(file, "{hex}").unwrap();
        }
    }
}
