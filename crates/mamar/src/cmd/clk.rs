//! `mamar clk`: privacy-preserving linkage. Each organisation encodes its own list under a
//! secret the organisations share (`encode`); a matching party that never holds the secret
//! counts the people on each combination of lists from the encodings alone (`match`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mamar_linkage::clk::{
    ClkBlocking, ClkConfig, ClkMatchOptions, ClkSecret, ClkStore, Encoder, Hardening, kernel, match_lists,
};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::Record;
use mamar_registry::across::{EncodedList, parse_encodings};

use super::link::io::{self, StagedFiles, csv_writer, finish_csv, write_row};

#[derive(clap::Subcommand)]
pub enum ClkCommand {
    /// Encode a list of people (CSV) into keyed Bloom-filter encodings, under the shared secret.
    Encode(EncodeArgs),
    /// Count the people on each combination of several encoded lists (no secret needed).
    Match(MatchArgs),
    /// Estimate the total across organisations from their encoded lists, per stratum.
    Total(super::clk_total::TotalArgs),
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum HardeningArg {
    None,
    Balance,
    XorFold,
}

const ENCODE_ABOUT: &str = "\
Encode a list of people into keyed Bloom-filter encodings (CLKs).

INPUT is a CSV of people with the columns `mamar link` reads. The output CSV has one line per \
person: the id, the encoding (base64), the scheme and the --strata columns as they are (for `mamar clk \
total`). Names are encoded by their consonant \
skeletons, so an Arabic-script record and a Latin one of the same person can match.

The secret is read from --secret-file (never from the command line; at least 16 bytes, e.g. \
`head -c 32 /dev/urandom | base64 > clk.secret`). Every organisation uses the same secret and the \
same options; the party that runs `mamar clk match` must never receive the secret.";

#[derive(clap::Args)]
#[command(long_about = ENCODE_ABOUT)]
pub struct EncodeArgs {
    /// The list of people (CSV).
    input: PathBuf,
    /// The file holding the shared secret.
    #[arg(long)]
    secret_file: PathBuf,
    /// Where to write the encodings (CSV).
    #[arg(long)]
    out: PathBuf,
    /// The column holding each record's identifier.
    #[arg(long, default_value = "id")]
    id_column: String,
    /// Bloom filter length in bits (a power of two, 256 to 4096).
    #[arg(long, default_value_t = 1024)]
    bits: usize,
    /// Hardening: balance (append the complement and permute) or xor-fold (halve by XOR).
    #[arg(long, value_enum, default_value = "none")]
    hardening: HardeningArg,
    /// Hash every feature together with the birth year (a year off then prevents a match).
    #[arg(long)]
    salt_birth_year: bool,
    /// Columns copied into the output as they are, for `mamar clk total` to count by (e.g.
    /// `rank_class,period`): coarse categories, never a name.
    #[arg(long, value_delimiter = ',')]
    strata: Vec<String>,
    /// No summary on standard output.
    #[arg(long)]
    quiet: bool,
}

const MATCH_ABOUT: &str = "\
Count the people on each combination of lists from their encodings (the output of `mamar clk \
encode`, made by every organisation with the same secret and options).

Encodings whose Dice coefficient reaches --threshold are the same person; the best pairs are \
joined first, and two records of one list are never joined (deduplicate each list first). The \
output is the number of people per overlap pattern, in the format `mamar estimate` reads; with \
--pairs, also the matched pairs (list and id of each record), for a registry that must know who \
is who. The summary gives the comparisons made per second.";

#[derive(clap::Args)]
#[command(long_about = MATCH_ABOUT)]
pub struct MatchArgs {
    /// The encoded lists (two or more).
    #[arg(required = true, num_args = 2..)]
    files: Vec<PathBuf>,
    /// Where to write the overlap counts (CSV).
    #[arg(long)]
    out: PathBuf,
    /// Where to write the matched pairs (CSV: list_a, id_a, list_b, id_b); not written unless
    /// given.
    #[arg(long)]
    pairs: Option<PathBuf>,
    /// Names of the lists in the output, comma-separated (default: the file names).
    #[arg(long, value_delimiter = ',')]
    names: Vec<String>,
    /// Dice coefficient at or above which two encodings are the same person.
    #[arg(long, default_value_t = 0.8)]
    threshold: f64,
    /// Compare every pair (exhaustive), or only pairs sharing a MinHash band of the encodings.
    #[arg(long, value_enum, default_value = "exhaustive")]
    blocking: BlockingArg,
    /// Worker threads (default: the number of processors).
    #[arg(long)]
    threads: Option<usize>,
    /// No summary on standard output.
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum BlockingArg {
    Exhaustive,
    Minhash,
}

pub fn run(command: ClkCommand) -> anyhow::Result<ExitCode> {
    match command {
        ClkCommand::Encode(args) => encode(args),
        ClkCommand::Match(args) => match_command(args),
        ClkCommand::Total(args) => super::clk_total::run(args),
    }
}

fn read_secret(path: &Path) -> anyhow::Result<ClkSecret> {
    let mut bytes =
        std::fs::read(path).with_context(|| format!("cannot read the secret file {}", path.display()))?;
    while bytes.last().is_some_and(u8::is_ascii_whitespace) {
        bytes.pop();
    }
    ClkSecret::new(bytes).with_context(|| format!("the secret file {} cannot be used", path.display()))
}

fn scheme(config: &ClkConfig) -> String {
    let hardening = match config.hardening {
        Hardening::None => "none",
        Hardening::Balance => "balance",
        Hardening::XorFold => "xor-fold",
    };
    let salt = if config.salt_with_birth_year {
        "birth_year"
    } else {
        "none"
    };
    format!(
        "mamar-clk-v1;bits={};hardening={hardening};salt={salt}",
        config.bits
    )
}

fn encode(args: EncodeArgs) -> anyhow::Result<ExitCode> {
    let secret = read_secret(&args.secret_file)?;
    let hardening = match args.hardening {
        HardeningArg::None => Hardening::None,
        HardeningArg::Balance => Hardening::Balance,
        HardeningArg::XorFold => Hardening::XorFold,
    };
    let config = ClkConfig {
        bits: args.bits,
        salt_with_birth_year: args.salt_birth_year,
        hardening,
    };
    let encoder = Encoder::new(&secret, config)?;
    drop(secret);
    let mut options = io::ReadOptions::new(&args.id_column);
    options.carry.clone_from(&args.strata);
    let list = io::read_people(&args.input, &options)?;
    let gazetteer = Gazetteer::syria();
    let scheme = scheme(&config);
    let mut staged = StagedFiles::new();
    let mut writer = csv_writer(&mut staged, &args.out)?;
    let mut header = vec!["id", "clk", "scheme"];
    header.extend(args.strata.iter().map(String::as_str));
    write_row(&mut writer, &header)?;
    for ((id, input), carried) in list.ids.iter().zip(&list.inputs).zip(&list.carried) {
        let clk = BASE64.encode(encoder.encode(&Record::prepare(input, &gazetteer)).to_bytes());
        let mut row = vec![id.as_str(), clk.as_str(), scheme.as_str()];
        row.extend(carried.iter().map(String::as_str));
        write_row(&mut writer, &row)?;
    }
    finish_csv(writer)?;
    staged.commit()?;
    if !args.quiet {
        println!(
            "{} records encoded ({} bits each, {scheme}) → {}",
            list.ids.len(),
            config.output_bits(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads an encoded list: the store, its scheme and the records' ids (`line-N` without an id
/// column).
fn read_encodings(path: &Path) -> anyhow::Result<(ClkStore, String, Vec<String>)> {
    let list = read_encoded_list(path, &io::list_name(path))?;
    Ok((list.clks, list.scheme, list.ids))
}

/// Reads a partner's file of encodings (`mamar clk encode`), with its stratum columns.
pub(super) fn read_encoded_list(path: &Path, name: &str) -> anyhow::Result<EncodedList> {
    let bytes = io::read_utf8_file(path)?;
    parse_encodings(name, &bytes).with_context(|| path.display().to_string())
}

fn match_command(args: MatchArgs) -> anyhow::Result<ExitCode> {
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        bail!(
            "--threshold must lie strictly between 0 and 1 (got {})",
            args.threshold
        );
    }
    let mut stores = Vec::new();
    let mut schemes: Vec<String> = Vec::new();
    let mut records: Vec<(usize, String)> = Vec::new();
    for (list, path) in args.files.iter().enumerate() {
        let (store, scheme, ids) = read_encodings(path)?;
        records.extend(ids.into_iter().map(|id| (list, id)));
        if let Some(first) = schemes.first()
            && *first != scheme
        {
            bail!(
                "{} was encoded with {scheme:?} but {} with {first:?}; every list must be encoded with the same options",
                path.display(),
                args.files
                    .first()
                    .map_or_else(String::new, |p| p.display().to_string())
            );
        }
        schemes.push(scheme);
        stores.push(store);
    }
    let names = io::list_names(&args.files, &args.names)?;
    let blocking = match args.blocking {
        BlockingArg::Exhaustive => ClkBlocking::Exhaustive,
        BlockingArg::Minhash => ClkBlocking::MinHash { bands: 24, rows: 4 },
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let options = ClkMatchOptions {
        threshold: args.threshold,
        blocking,
        kernel: kernel(),
        threads,
    };
    let started = std::time::Instant::now();
    let outcome = match_lists(&stores, &options)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut staged = StagedFiles::new();
    io::write_overlap(&mut staged, &args.out, &names, &outcome.overlap)?;
    if let Some(path) = &args.pairs {
        let mut writer = csv_writer(&mut staged, path)?;
        write_row(&mut writer, &["list_a", "id_a", "list_b", "id_b"])?;
        let record = |index: u32| {
            records.get(index as usize).map_or(("", ""), |(list, id)| {
                (names.get(*list).map_or("", String::as_str), id.as_str())
            })
        };
        for &(a, b) in &outcome.pairs {
            let ((list_a, id_a), (list_b, id_b)) = (record(a), record(b));
            write_row(&mut writer, &[list_a, id_a, list_b, id_b])?;
        }
        finish_csv(writer)?;
    }
    staged.commit()?;
    if !args.quiet {
        let people: u64 = outcome.overlap.iter().map(|(_, c)| c).sum();
        for (name, store) in names.iter().zip(&stores) {
            println!("  {name}: {} encodings", store.len());
        }
        println!(
            "{} comparisons ({:?} kernel) in {seconds:.2} s, {:.0} million per second; {} matches → {people} people; \
             overlap counts in {}",
            outcome.comparisons,
            options.kernel,
            outcome.comparisons as f64 / seconds.max(1e-9) / 1e6,
            outcome.pairs.len(),
            args.out.display()
        );
        if let Some(path) = &args.pairs {
            println!("matched pairs in {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
