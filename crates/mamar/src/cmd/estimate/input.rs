//! Reading and checking the CSV of overlap counts.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

use anyhow::{Context as _, bail};
use mamar_stats::{CaptureTable, TableBuilder};

use super::{Input, Stratum};

/// The longest line accepted: a capture table's lines are short (a header of 15 list names and
/// a few stratum columns), and a line of megabytes is not one.
const MAX_LINE: usize = 64 * 1024;
/// The largest file accepted.
const MAX_FILE: u64 = 256 * 1024 * 1024;
/// The most columns: the lists, the count and the stratum columns.
const MAX_COLUMNS: usize = 64;

/// Reads the file (or standard input for `-`), refusing one too large before it fills memory.
pub(super) fn read(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    let limit = MAX_FILE + 1;
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        std::fs::File::open(path)
            .and_then(|file| file.take(limit).read_to_end(&mut bytes))
            .context("cannot read the file")?;
    }
    if bytes.len() as u64 > MAX_FILE {
        bail!(
            "the file is larger than {} MiB: this is not a table of list overlaps",
            MAX_FILE >> 20
        );
    }
    String::from_utf8(bytes).context("the file is not UTF-8 text")
}

/// Refuses overlong lines and headers with too many columns before the CSV reader allocates a
/// field for each.
fn check_sizes(text: &str) -> anyhow::Result<()> {
    for (index, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE {
            bail!(
                "line {}: longer than {} KiB ({} bytes): this is not a table of list overlaps",
                index + 1,
                MAX_LINE / 1024,
                line.len()
            );
        }
        if index == 0 {
            let columns = line.matches(',').count() + 1;
            if columns > MAX_COLUMNS {
                bail!(
                    "line 1: {columns} columns; at most {MAX_COLUMNS} are accepted (at most {} lists, the count \
                     and stratum columns)",
                    mamar_stats::MAX_LISTS
                );
            }
        }
    }
    Ok(())
}

/// Reads and checks the CSV. Line numbers in errors are the file's (the header is line 1).
pub(super) fn parse(text: &str, strata: &[String], count_column: &str) -> anyhow::Result<Input> {
    check_sizes(text)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .context("cannot read the header line")?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        bail!("the file is empty: expected a header line naming the lists and `{count_column}`");
    }
    let find = |name: &str| header.iter().position(|column| column == name);
    let count_at = find(count_column).with_context(|| {
        format!(
            "line 1: no `{count_column}` column (the columns are: {})",
            header.join(", ")
        )
    })?;
    let mut strata_at = Vec::new();
    for name in strata {
        let at = find(name).with_context(|| format!("line 1: no stratum column `{name}` in the header"))?;
        if at == count_at {
            bail!("line 1: `{name}` is the count column and cannot also be a stratum");
        }
        strata_at.push(at);
    }
    let list_at: Vec<usize> = (0..header.len())
        .filter(|at| *at != count_at && !strata_at.contains(at))
        .collect();
    let lists: Vec<String> = list_at.iter().filter_map(|&at| header.get(at).cloned()).collect();
    // Surfaces "fewer than two lists", blank and repeated names before any data line.
    CaptureTable::builder(lists.iter().cloned()).context("line 1")?;

    let mut keys: HashMap<Vec<String>, usize> = HashMap::new();
    let mut builders: Vec<(Vec<String>, TableBuilder)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| match error.position() {
            Some(position) => anyhow::anyhow!("line {}: {}", position.line(), csv_problem(&error)),
            None => anyhow::anyhow!("{error}"),
        })?;
        let line = record.position().map_or(0, |position| position.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |at: usize| record.get(at).unwrap_or("");
        let mut pattern = Vec::with_capacity(list_at.len());
        for (&at, name) in list_at.iter().zip(&lists) {
            pattern.push(match field(at) {
                "0" => false,
                "1" => true,
                other => bail!("line {line}, column {name}: expected 0 or 1, found {other:?}"),
            });
        }
        let count = parse_count(field(count_at))
            .map_err(|why| anyhow::anyhow!("line {line}, column {count_column}: {why}"))?;
        let key: Vec<String> = strata_at.iter().map(|&at| field(at).to_string()).collect();
        let index = match keys.get(&key) {
            Some(&index) => index,
            None => {
                keys.insert(key.clone(), builders.len());
                builders.push((key, CaptureTable::builder(lists.iter().cloned())?));
                builders.len() - 1
            }
        };
        if let Some((_, builder)) = builders.get_mut(index) {
            builder.add(line, &pattern, count)?;
        }
    }
    if builders.is_empty() {
        bail!("no data lines after the header");
    }
    let tables = builders
        .into_iter()
        .map(|(values, builder)| {
            let table = builder.finish().with_context(|| {
                if values.is_empty() {
                    String::new()
                } else {
                    format!("stratum {}", values.join(", "))
                }
            })?;
            Ok(Stratum { values, table })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Input {
        lists,
        strata_columns: strata.to_vec(),
        strata: tables,
    })
}

fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields as in the header, found {len}"),
        _ => error.to_string(),
    }
}

fn parse_count(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("the count is missing".into());
    }
    if let Ok(count) = text.parse::<u64>() {
        return Ok(count);
    }
    match text.parse::<f64>() {
        Ok(value) if value < 0.0 => Err(format!("a count cannot be negative, found {text:?}")),
        Ok(value) if value.fract() != 0.0 => Err(format!("a count must be a whole number, found {text:?}")),
        Ok(_) => Err(format!("the count {text:?} is too large")),
        Err(_) => Err(format!("expected a whole number, found {text:?}")),
    }
}

/// All strata added together, for the pooled row.
pub(super) fn pool(input: &Input) -> anyhow::Result<CaptureTable> {
    let k = input.lists.len();
    let mut cells: Vec<(u32, u64)> = (1u32..(1 << k)).map(|mask| (mask, 0)).collect();
    for stratum in &input.strata {
        for (cell, (mask, count)) in cells.iter_mut().zip(stratum.table.observed_cells()) {
            debug_assert_eq!(cell.0, mask);
            cell.1 = cell.1.checked_add(count).context("the pooled counts overflow")?;
        }
    }
    Ok(CaptureTable::from_masks(input.lists.iter().cloned(), &cells)?)
}
