//! `mamar link`: deduplicate one list of people or link several. CSV in; clusters, scored
//! pairs, a review file and overlap counts out. The linkage itself is `mamar-linkage`.

#[path = "link_io.rs"]
pub mod io;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use mamar_linkage::blocking::{BlockingRule, PairScope};
use mamar_linkage::compare::{Field, Level};
use mamar_linkage::link::{Band, LinkOptions, LinkOutcome, ScoredPair, Stage, link};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};

use io::{PersonList, StagedFiles, csv_writer, finish_csv, write_row};

type CsvFile = csv::Writer<std::io::BufWriter<std::fs::File>>;

const LONG_ABOUT: &str = "\
Deduplicate one list of people, or link several lists, and count the people on each combination \
of lists.

Each FILE is a UTF-8 CSV with a header. Columns: id, given_name, father_name, \
grandfather_name, family_name, mother_name, full_name (the whole chain in one field: given, \
father, grandfather, further ancestors, family; or the family name first, marked by its \
article), birth_year (a year or a date), place (a governorate or a town of Syria in Arabic, \
English, French or another common spelling, or another place), phone. Names may be in Arabic \
script or Latin letters, in any of their common spellings; the headers recognised for each \
column are listed below, and --column NAME=HEADER (or --columns FILE, one NAME=HEADER a line) \
maps any other header. A field longer than --max-field-bytes or a line longer than \
--max-line-bytes is an error naming the line, and nothing is written.

Written to --out:
  clusters.csv  every record and the person (cluster) it was assigned to
  pairs.csv     every pair scored at or above --review, best first, with its field levels
  review.csv    the pairs between --review and --accept: a person should decide these
  overlap.csv   people per combination of lists (the input of `mamar estimate`)

Pairs at or above --accept (match probability) are matches; pairs at or above --review but \
below --accept go to review and join nothing. Pairs below --apart-below are confident \
non-matches: no chain of accepted pairs joins their two records (the link that would goes to \
review). Without --one-to-one, a review pair whose records are already in clusters of several \
is weighed again with the fields it lacks taken from the other records of those clusters, and \
accepted if it then reaches --accept (--no-completion turns this off); pairs.csv gives it that \
probability. The summary counts both. The files appear only when the run succeeds.";

#[derive(clap::Args)]
#[command(long_about = LONG_ABOUT, after_help = io::recognised_columns_help())]
pub struct LinkArgs {
    /// The lists (CSV). One file: find duplicates within it. Several: link them.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Directory for the output files (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Names of the lists in the outputs, comma-separated (default: the file names).
    #[arg(long, value_delimiter = ',')]
    names: Vec<String>,
    /// The column holding each record's identifier (default: `id`; without it, line numbers).
    #[arg(long, default_value = "id")]
    id_column: String,
    /// Read column NAME (given_name, father_name, …; see below) from the column headed
    /// HEADER. Repeatable.
    #[arg(long = "column", value_name = "NAME=HEADER", value_parser = io::parse_column_mapping)]
    columns: Vec<(String, String)>,
    /// A file of column mappings, one NAME=HEADER a line (# starts a comment).
    #[arg(long = "columns", value_name = "FILE")]
    columns_file: Option<PathBuf>,
    /// The longest field accepted, in bytes.
    #[arg(long, default_value_t = io::DEFAULT_MAX_FIELD_BYTES)]
    max_field_bytes: usize,
    /// The longest line accepted, in bytes.
    #[arg(long, default_value_t = io::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Match probability at or above which a pair is accepted as the same person.
    #[arg(long, default_value_t = LinkOptions::default().accept)]
    accept: f64,
    /// Match probability at or above which a pair not accepted goes to review.
    #[arg(long, default_value_t = 0.5)]
    review: f64,
    /// Candidate pairs scored below this match probability are confident non-matches: no
    /// chain of accepted pairs joins their two records (the link that would is moved to
    /// review). 0 keeps none apart; at most --review.
    #[arg(long, value_name = "P", default_value_t = LinkOptions::default().apart_below)]
    apart_below: f64,
    /// Do not weigh review pairs again with the fields the other records of their clusters
    /// hold (cluster completion; lists with duplicates inside only).
    #[arg(long)]
    no_completion: bool,
    /// Learn how many pairs of brothers there are, and how often they share a birth year, from
    /// the pairs compared (which blocking picks on the name or the year, and so finds few
    /// brothers) rather than from a random sample of the records that share the father's and
    /// family name, as by default: more brothers joined; with it, try --accept 0.9.
    #[arg(long)]
    no_household_sample: bool,
    /// The default (kept so that scripts written when it was an option still run).
    #[arg(long, hide = true, conflicts_with = "no_household_sample")]
    household_sample: bool,
    /// One prior probability of a match for every pair of records, rather than one per kind
    /// of pair (within each list, across each two lists), each estimated from the lists.
    #[arg(long)]
    one_prior: bool,
    /// Weigh agreement on a name by the larger of the two records' name frequencies rather
    /// than their mean: a name written in Latin letters stands for every Arabic spelling it
    /// can be read as, so agreement across scripts says less than the mean makes it say.
    /// Honest probabilities below --accept; fewer pairs accepted at a high --accept.
    #[arg(long)]
    larger_name_frequency: bool,
    /// Weigh agreement on a name by m and u estimated for each combination of the two records'
    /// scripts (Arabic–Arabic, Arabic–Latin, Latin–Latin), rather than alike whatever the
    /// scripts. A little more recall on lists in both scripts; the run takes about a third
    /// longer.
    #[arg(long)]
    script_weights: bool,
    /// The lists have no duplicates inside: compare only across lists, and match each record
    /// to at most one record of each other list.
    #[arg(long)]
    one_to_one: bool,
    /// Blocking rules, comma-separated (default: all but the optional names+family~1, which finds
    /// one slip in a name where the year is missing, for about a fifth more time).
    #[arg(long, value_delimiter = ',', value_parser = parse_rule)]
    rules: Vec<BlockingRule>,
    /// Do not weigh exact name agreement by how common the name is.
    #[arg(long)]
    no_term_frequencies: bool,
    /// Worker threads (default: the number of processors).
    #[arg(long)]
    threads: Option<usize>,
    /// Random seed (for the pairs sampled to estimate u); the same seed gives the same result.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Blocks with more candidate pairs than this are left out (reported in the summary):
    /// people who merely share a common name; they meet again in smaller blocks of other rules.
    #[arg(long, default_value_t = LinkOptions::default().max_block_pairs)]
    max_block_pairs: u64,
    /// No progress bar and no summary on standard output.
    #[arg(long)]
    quiet: bool,
}

fn parse_rule(text: &str) -> Result<BlockingRule, String> {
    BlockingRule::parse(text).ok_or_else(|| {
        let known: Vec<&str> = BlockingRule::DEFAULT
            .iter()
            .chain(BlockingRule::OPTIONAL.iter())
            .map(|r| r.name())
            .collect();
        format!(
            "unknown blocking rule {text:?}; known rules: {}",
            known.join(", ")
        )
    })
}

pub fn run(args: LinkArgs) -> anyhow::Result<ExitCode> {
    if !(args.review > 0.0 && args.review <= args.accept && args.accept < 1.0) {
        bail!(
            "thresholds must satisfy 0 < --review ≤ --accept < 1 (got --review {} --accept {})",
            args.review,
            args.accept
        );
    }
    if !(0.0..=args.review).contains(&args.apart_below) {
        bail!(
            "the non-match threshold must satisfy 0 ≤ --apart-below ≤ --review (got --apart-below {} --review {})",
            args.apart_below,
            args.review
        );
    }
    let mut clock = std::time::Instant::now();
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let mut lap = |step: &'static str, timings: &mut Vec<(&str, f64)>| {
        let now = std::time::Instant::now();
        timings.push((step, (now - clock).as_secs_f64()));
        clock = now;
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let mut read_options = io::ReadOptions::new(&args.id_column);
    if let Some(path) = &args.columns_file {
        read_options.columns = io::read_column_mappings(path)?;
    }
    read_options.columns.extend(args.columns.iter().cloned());
    read_options.max_field_bytes = args.max_field_bytes;
    read_options.max_line_bytes = args.max_line_bytes;
    let mut lists = io::read_lists(&args.files, &read_options, threads)?;
    if !args.names.is_empty() {
        if args.names.len() != lists.len() {
            bail!(
                "--names gives {} names for {} files",
                args.names.len(),
                lists.len()
            );
        }
        for (list, name) in lists.iter_mut().zip(&args.names) {
            list.name.clone_from(name);
        }
    }
    let names: Vec<String> = lists.iter().map(|l| l.name.clone()).collect();
    io::check_list_names(&names)?;
    if lists.len() > mamar_linkage::link::MAX_LISTS {
        bail!(
            "at most {} lists can be linked at once; got {}",
            mamar_linkage::link::MAX_LISTS,
            lists.len()
        );
    }
    if args.one_to_one && lists.len() < 2 {
        bail!("--one-to-one needs two or more lists");
    }

    lap("reading", &mut timings);
    let gazetteer = Gazetteer::syria();
    let inputs: Vec<&[RecordInput]> = lists.iter().map(|l| l.inputs.as_slice()).collect();
    let records = Record::prepare_lists(&inputs, &gazetteer, threads);
    let mut list_of = Vec::new();
    let mut ids = Vec::new();
    for (index, list) in lists.iter().enumerate() {
        let list_index = u16::try_from(index).unwrap_or(u16::MAX);
        list_of.extend(std::iter::repeat_n(list_index, list.inputs.len()));
        ids.extend(list.ids.iter().map(String::as_str));
    }
    let options = LinkOptions {
        rules: if args.rules.is_empty() {
            BlockingRule::DEFAULT.to_vec()
        } else {
            args.rules.clone()
        },
        scope: if args.one_to_one {
            PairScope::AcrossLists
        } else {
            PairScope::All
        },
        accept: args.accept,
        review: args.review,
        term_frequency: !args.no_term_frequencies,
        one_to_one: args.one_to_one,
        seed: args.seed,
        threads,
        max_block_pairs: args.max_block_pairs,
        apart_below: args.apart_below,
        complete_clusters: !args.no_completion,
        household_sample: args.household_sample || !args.no_household_sample,
        prior_per_kind: !args.one_prior,
        term_frequency_larger_share: args.larger_name_frequency,
        name_weights_per_script: args.script_weights,
        ..LinkOptions::default()
    };

    lap("preparing", &mut timings);
    let bar = io::progress_bar(args.quiet);
    let progress = |stage: Stage, done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_message(stage_name(stage));
            bar.set_length(total.max(1));
            bar.set_position(done);
        }
    };
    let outcome = link(&records, &list_of, &options, &progress)?;
    lap("linking", &mut timings);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    std::fs::create_dir_all(&args.out)
        .map_err(|e| anyhow::anyhow!("cannot create the output directory {}: {e}", args.out.display()))?;
    let mut staged = StagedFiles::new();
    let context = Context {
        names: &names,
        ids: &ids,
        list_of: &list_of,
    };
    let clusters = csv_writer(&mut staged, &args.out.join("clusters.csv"))?;
    let pairs = csv_writer(&mut staged, &args.out.join("pairs.csv"))?;
    let review = csv_writer(&mut staged, &args.out.join("review.csv"))?;
    // The clusters (a line per record) on a thread of their own.
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let clusters = scope.spawn(|| write_clusters(clusters, &context, &outcome));
        write_pairs(pairs, &context, outcome.pairs.iter())?;
        let in_review = outcome.pairs.iter().filter(|p| p.band == Band::Review);
        write_pairs(review, &context, in_review)?;
        clusters
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("cannot write the clusters")))
    })?;
    io::write_overlap(
        &mut staged,
        &args.out.join("overlap.csv"),
        &names,
        &outcome.overlap,
    )?;
    staged.commit()?;
    lap("writing", &mut timings);

    if !args.quiet {
        print!("{}", summary(&lists, &outcome, &options, &args.out));
        let steps = |steps: &[(&str, f64)]| {
            steps
                .iter()
                .map(|(step, seconds)| format!("{step} {seconds:.2} s"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("time: {}", steps(&timings));
        println!("  linking: {}", steps(&outcome.timings));
        io::flush_stdout();
    }
    // The process ends here: freeing millions of small allocations one by one would only
    // delay it (a tenth of a second at 200,000 records).
    std::mem::forget(outcome);
    std::mem::forget(records);
    std::mem::forget(lists);
    Ok(ExitCode::SUCCESS)
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Blocking => "blocking",
        Stage::Comparing => "comparing",
        Stage::Estimating => "estimating",
        Stage::Scoring => "scoring",
        Stage::Clustering => "clustering",
    }
}

struct Context<'a> {
    names: &'a [String],
    ids: &'a [&'a str],
    list_of: &'a [u16],
}

impl Context<'_> {
    fn list(&self, record: u32) -> &str {
        let list = self.list_of.get(record as usize).copied().unwrap_or(0);
        self.names.get(usize::from(list)).map_or("", String::as_str)
    }

    fn id(&self, record: u32) -> &str {
        self.ids.get(record as usize).copied().unwrap_or("")
    }
}

fn write_clusters(mut writer: CsvFile, context: &Context<'_>, outcome: &LinkOutcome) -> anyhow::Result<()> {
    let mut sizes = vec![0u32; usize::try_from(outcome.clusters).unwrap_or(0)];
    for &cluster in &outcome.cluster_of {
        if let Some(size) = sizes.get_mut(cluster as usize) {
            *size += 1;
        }
    }
    write_row(&mut writer, &["list", "id", "cluster", "cluster_size"])?;
    for (record, &cluster) in outcome.cluster_of.iter().enumerate() {
        let record = u32::try_from(record).unwrap_or(u32::MAX);
        let size = sizes.get(cluster as usize).copied().unwrap_or(1).to_string();
        write_row(
            &mut writer,
            &[
                context.list(record),
                context.id(record),
                &cluster.to_string(),
                &size,
            ],
        )?;
    }
    finish_csv(writer)
}

fn write_pairs<'p>(
    mut writer: CsvFile,
    context: &Context<'_>,
    pairs: impl Iterator<Item = &'p ScoredPair>,
) -> anyhow::Result<()> {
    let mut header = vec![
        "list_a",
        "id_a",
        "list_b",
        "id_b",
        "probability",
        "match_weight",
        "band",
    ];
    header.extend(Field::ALL.iter().map(|f| f.name()));
    write_row(&mut writer, &header)?;
    for pair in pairs {
        let band = match pair.band {
            Band::Accepted => "accepted",
            Band::Review => "review",
        };
        let probability = format!("{:.6}", pair.probability);
        let weight = format!("{:.3}", pair.weight);
        let mut row = vec![
            context.list(pair.a),
            context.id(pair.a),
            context.list(pair.b),
            context.id(pair.b),
        ];
        row.extend([probability.as_str(), weight.as_str(), band]);
        let levels = pair.comparison.levels();
        row.extend(levels.iter().map(|l| l.name()));
        write_row(&mut writer, &row)?;
    }
    finish_csv(writer)
}

fn summary(lists: &[PersonList], outcome: &LinkOutcome, options: &LinkOptions, out: &Path) -> String {
    let mut text = String::new();
    let records: usize = lists.iter().map(|l| l.inputs.len()).sum();
    let accepted = outcome.pairs.iter().filter(|p| p.band == Band::Accepted).count();
    let review = outcome.pairs.len() - accepted;
    let _ = writeln!(
        text,
        "{records} records in {} list(s) → {} people",
        lists.len(),
        outcome.clusters
    );
    for list in lists {
        let _ = write!(text, "  {}: {} records", list.name, list.inputs.len());
        if list.unreadable_years > 0 {
            let _ = write!(
                text,
                " ({} birth years not readable, treated as missing)",
                list.unreadable_years
            );
        }
        if !list.ignored_columns.is_empty() {
            let _ = write!(
                text,
                "; columns not used: {} (map one with --column NAME=HEADER)",
                list.ignored_columns.join(", ")
            );
        }
        text.push('\n');
    }
    let _ = writeln!(
        text,
        "{} candidate pairs compared; {accepted} accepted (p ≥ {}), {review} to review (p ≥ {})",
        outcome.candidate_pairs, options.accept, options.review
    );
    let _ = writeln!(
        text,
        "\nblocking rule               pairs  skipped blocks  accepted matches found  found by no other rule"
    );
    let percent = |count: u64| {
        if accepted > 0 {
            count as f64 / accepted as f64 * 100.0
        } else {
            0.0
        }
    };
    for rule in &outcome.rules {
        let _ = writeln!(
            text,
            "  {:20} {:>10} {:>15} {:>22.1} % {:>22.1} %",
            rule.rule.name(),
            rule.stats.pairs,
            rule.stats.skipped_blocks,
            percent(rule.accepted_found),
            percent(rule.accepted_only)
        );
    }
    for (rule, session) in outcome
        .rules
        .iter()
        .filter(|r| r.rule.trains())
        .zip(&outcome.parameters.sessions)
    {
        if !session.kept {
            let _ = writeln!(
                text,
                "  EM on the pairs of {} left out: it counted {:.0} matches among {} pairs, more than the \
                 lists can hold",
                rule.rule.name(),
                session.expected_matches,
                session.pairs
            );
        }
    }
    if let Some(household) = &outcome.parameters.household {
        let _ = writeln!(
            text,
            "households: {:.0} pairs of brothers expected among the candidates; {} pairs of one household \
             scored as two people are kept apart ({} accepted links that would have joined them moved to review)",
            household.brothers, outcome.kept_apart_pairs, outcome.refused_joins
        );
    }
    if options.apart_below > 0.0 {
        let _ = writeln!(
            text,
            "confident non-matches (p < {}): {} pairs inside chains of accepted pairs kept apart; {} accepted \
             links refused because they would have joined the two records of such a pair (moved to review)",
            options.apart_below, outcome.apart_pairs, outcome.refused_non_matches
        );
    } else {
        let _ = writeln!(text, "confident non-matches: none kept apart (--apart-below 0)");
    }
    // With --one-to-one a record has at most one pair with each other list: nothing to complete.
    if !options.one_to_one {
        if options.complete_clusters {
            let _ = writeln!(
                text,
                "cluster completion: {} review pairs accepted after weighing them with the fields the \
                 other records of their clusters hold",
                outcome.completed
            );
        } else {
            let _ = writeln!(text, "cluster completion: off (--no-completion)");
        }
    }
    let _ = writeln!(
        text,
        "\nmodel (m / u per level: exact, close, partial, different; {:.0} matches expected)",
        outcome.parameters.matches
    );
    // Each kind of pair (within a list, across two lists) has its own prior when there are
    // several and they were estimated apart.
    let kinds = &outcome.parameters.kinds;
    if kinds.len() > 1 && kinds.iter().any(|kind| !kind.pooled) {
        let name = |list: u16| lists.get(usize::from(list)).map_or("?", |l| l.name.as_str());
        let _ = writeln!(text, "  prior of a match by kind of pair:");
        for kind in kinds {
            let (a, b) = kind.lists;
            let pair = if a == b {
                format!("within {}", name(a))
            } else {
                format!("{} – {}", name(a), name(b))
            };
            let _ = writeln!(
                text,
                "    {pair:24} {:.0} matches expected among {:.0} pairs (prior {:.2e}){}",
                kind.matches,
                kind.all_pairs,
                kind.lambda,
                if kind.pooled {
                    ", pooled with other small kinds"
                } else {
                    ""
                }
            );
        }
    }
    for (field, (m, u)) in Field::ALL
        .iter()
        .zip(outcome.parameters.m.iter().zip(&outcome.parameters.u))
    {
        let levels: Vec<String> = (0..Level::AGREEMENT_LEVELS)
            .map(|l| {
                format!(
                    "{:.3}/{:.4}",
                    m.get(l).copied().unwrap_or(0.0),
                    u.get(l).copied().unwrap_or(0.0)
                )
            })
            .collect();
        let _ = writeln!(text, "  {:12} {}", field.name(), levels.join("  "));
    }
    // The given name's exact agreement by the two records' scripts, when weighed apart.
    if let Some(by_script) = &outcome.parameters.by_script {
        let exact = |pair: usize| {
            let at = |rows: &mamar_linkage::model::ByScript| {
                rows.get(pair)
                    .and_then(|r| r.first())
                    .and_then(|r| r.first())
                    .copied()
                    .unwrap_or(0.0)
            };
            format!("{:.3}/{:.4}", at(&by_script.m), at(&by_script.u))
        };
        let _ = writeln!(
            text,
            "  given name exact by scripts: Arabic–Arabic {}  Arabic–Latin {}  Latin–Latin {}",
            exact(0),
            exact(1),
            exact(2)
        );
    }
    let _ = writeln!(
        text,
        "\nwritten to {}: clusters.csv, pairs.csv, review.csv, overlap.csv",
        out.display()
    );
    text
}
