//! Files for `mamar link` and `mamar clk`: person lists in CSV with errors that name the line
//! and column, and output files that appear whole or not at all.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use mamar_linkage::record::{RecordInput, parse_year};
use std::collections::HashMap;

/// The fields of a person record and the headers recognised for each (case-insensitive).
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "given_name",
        &[
            "given_name",
            "given",
            "first_name",
            "firstname",
            "name_1",
            "الاسم",
            "الاسم_الاول",
        ],
    ),
    (
        "father_name",
        &[
            "father_name",
            "father",
            "fathers_name",
            "اسم_الاب",
            "اسم الأب",
            "الأب",
            "الاب",
        ],
    ),
    (
        "family_name",
        &[
            "family_name",
            "family",
            "surname",
            "last_name",
            "lastname",
            "الكنية",
            "النسبة",
            "العائلة",
        ],
    ),
    (
        "mother_name",
        &[
            "mother_name",
            "mother",
            "mothers_name",
            "اسم_الام",
            "اسم الأم",
            "الأم",
            "الام",
        ],
    ),
    (
        "full_name",
        &["full_name", "name", "fullname", "الاسم_الكامل", "الاسم الكامل"],
    ),
    (
        "birth_year",
        &[
            "birth_year",
            "year_of_birth",
            "birth_date",
            "date_of_birth",
            "dob",
            "المواليد",
            "تاريخ_الولادة",
            "التولد",
        ],
    ),
    (
        "place",
        &[
            "place",
            "place_of_origin",
            "origin",
            "governorate",
            "birth_place",
            "المحافظة",
            "مكان_الولادة",
            "القيد",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "telephone",
            "phone_number",
            "الهاتف",
            "الجوال",
            "رقم_الهاتف",
        ],
    ),
    (
        "grandfather_name",
        &[
            "grandfather_name",
            "grandfather",
            "grandfathers_name",
            "اسم_الجد",
            "اسم الجد",
            "الجد",
        ],
    ),
];

/// The positions in [`FIELDS`] of the name columns (any one of them makes a list readable).
const NAME_FIELDS: [usize; 5] = [0, 1, 2, 4, 8];

/// The recognised columns and their headers, for `--help`.
pub fn recognised_columns_help() -> String {
    let mut text = String::from(
        "Recognised columns (headers matched without regard to case, spaces or hyphens; other \
         columns are ignored and named in the summary; --column NAME=HEADER maps any other header):\n",
    );
    for (name, aliases) in FIELDS {
        text.push_str(&format!("  {name:17} {}\n", aliases.join(", ")));
    }
    text
}

/// How lists are read: the identifier column, columns the user maps by hand, and limits.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub id_column: String,
    /// (field name, header): from `--column NAME=HEADER` and `--columns FILE`.
    pub columns: Vec<(String, String)>,
    /// The longest field accepted, in bytes.
    pub max_field_bytes: usize,
    /// The longest line (record) accepted, in bytes.
    pub max_line_bytes: usize,
    /// Columns whose values are carried through as they are (the stratum columns of `mamar
    /// clk encode`); each must be in the header.
    pub carry: Vec<String>,
}

pub const DEFAULT_MAX_FIELD_BYTES: usize = 16 * 1024;
pub const DEFAULT_MAX_LINE_BYTES: usize = 1024 * 1024;

impl ReadOptions {
    pub fn new(id_column: &str) -> ReadOptions {
        ReadOptions {
            id_column: id_column.to_owned(),
            columns: Vec::new(),
            max_field_bytes: DEFAULT_MAX_FIELD_BYTES,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            carry: Vec::new(),
        }
    }
}

/// Parses `NAME=HEADER` (a field name of [`FIELDS`] and a header of the file).
pub fn parse_column_mapping(text: &str) -> Result<(String, String), String> {
    let Some((name, header)) = text.split_once('=') else {
        return Err(format!("expected NAME=HEADER, got {text:?}"));
    };
    let (name, header) = (name.trim(), header.trim());
    if !FIELDS.iter().any(|(field, _)| *field == name) {
        let known: Vec<&str> = FIELDS.iter().map(|(field, _)| *field).collect();
        return Err(format!(
            "unknown column {name:?}; known columns: {}",
            known.join(", ")
        ));
    }
    if header.is_empty() {
        return Err(format!("no header given for {name}"));
    }
    Ok((name.to_owned(), header.to_owned()))
}

/// Reads a mapping file: one `NAME=HEADER` a line; blank lines and lines starting with `#`
/// are skipped.
pub fn read_column_mappings(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let bytes = read_utf8_file(path)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(index, line)| {
            parse_column_mapping(line)
                .map_err(|e| anyhow::anyhow!("{}: line {}: {e}", path.display(), index + 1))
        })
        .collect()
}

/// One list read from a file.
pub struct PersonList {
    pub name: String,
    pub ids: Vec<String>,
    pub inputs: Vec<RecordInput>,
    /// Birth years given but not readable as a year (counted, treated as missing).
    pub unreadable_years: usize,
    /// Headers of columns that are neither a recognised field nor the identifier.
    pub ignored_columns: Vec<String>,
    /// For each mapping of [`ReadOptions::columns`], whether this file has its header.
    pub mapped: Vec<bool>,
    /// Each record's values of [`ReadOptions::carry`] (trimmed).
    pub carried: Vec<Vec<String>>,
}

/// The lists' names: `--names` when given (one per file), else the file names; checked.
pub fn list_names(files: &[PathBuf], names: &[String]) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = if names.is_empty() {
        files.iter().map(|p| list_name(p)).collect()
    } else if names.len() == files.len() {
        names.to_vec()
    } else {
        bail!("--names gives {} names for {} files", names.len(), files.len());
    };
    check_list_names(&names)?;
    Ok(names)
}

/// The list's name: the file name without its extension.
pub fn list_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "list".to_owned(), |s| s.to_string_lossy().into_owned())
}

/// Reads a whole file, refusing encodings other than UTF-8 and empty files.
pub fn read_utf8_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        bail!(
            "{} is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)",
            path.display()
        );
    }
    let bytes = bytes
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!(
            "{} is empty: expected a header line and one line per person",
            path.display()
        );
    }
    Ok(bytes)
}

fn normalise_header(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Reads a CSV of people. `options.id_column` names the identifier column; without one,
/// records are named by their line number. A field or a line longer than the limits is an
/// error naming the line.
pub fn read_people(path: &Path, options: &ReadOptions) -> anyhow::Result<PersonList> {
    let id_column = options.id_column.as_str();
    let bytes = read_utf8_file(path)?;
    let display = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let headers = reader.byte_headers().map_err(|e| csv_error(path, &e))?.clone();
    let headers: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            std::str::from_utf8(h).map(normalise_header).map_err(|_| {
                anyhow::anyhow!(
                    "{display}: line 1, column {}: the header is not UTF-8 text; {}",
                    i + 1,
                    LEGACY_HINT
                )
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let find = |aliases: &[&str]| {
        headers
            .iter()
            .position(|h| aliases.iter().any(|a| normalise_header(a) == *h))
    };
    let mut columns: Vec<Option<usize>> = FIELDS.iter().map(|(_, aliases)| find(aliases)).collect();
    // Columns mapped by hand come before the recognised headers.
    let mut mapped = Vec::with_capacity(options.columns.len());
    for (name, header) in &options.columns {
        let position = headers.iter().position(|h| *h == normalise_header(header));
        mapped.push(position.is_some());
        let field = FIELDS.iter().position(|(field, _)| field == name);
        if let (Some(position), Some(field)) = (position, field) {
            for other in columns.iter_mut().filter(|c| **c == Some(position)) {
                *other = None;
            }
            if let Some(slot) = columns.get_mut(field) {
                *slot = Some(position);
            }
        }
    }
    let name_columns = NAME_FIELDS
        .iter()
        .filter_map(|&i| columns.get(i).copied().flatten())
        .count();
    if name_columns == 0 {
        let unmatched: Vec<String> = options
            .columns
            .iter()
            .zip(&mapped)
            .filter(|(_, found)| !**found)
            .map(|((name, header), _)| format!("; --column {name}={header}: no column headed {header:?}"))
            .collect();
        bail!(
            "{display}: no name column in the header; expected one of given_name, family_name, father_name, \
             grandfather_name or full_name, or --column NAME=HEADER (found: {}){}",
            headers.join(", "),
            unmatched.concat()
        );
    }
    let id_position = headers.iter().position(|h| *h == normalise_header(id_column));
    let carried: Vec<usize> = options
        .carry
        .iter()
        .map(|name| {
            headers
                .iter()
                .position(|h| *h == normalise_header(name))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{display}: no column headed {name:?} (found: {})",
                        headers.join(", ")
                    )
                })
        })
        .collect::<anyhow::Result<_>>()?;
    let ignored_columns = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != id_position && !columns.contains(&Some(*i)) && !carried.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    let mut list = PersonList {
        name: list_name(path),
        ids: Vec::new(),
        inputs: Vec::new(),
        unreadable_years: 0,
        ignored_columns,
        mapped,
        carried: Vec::new(),
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => return Err(csv_error(path, &error)),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let length = record.as_slice().len() + record.len().saturating_sub(1);
        if length > options.max_line_bytes {
            bail!(
                "{display}: line {line} is {length} bytes long; the limit is {} (--max-line-bytes)",
                options.max_line_bytes
            );
        }
        if let Some((column, raw)) = record
            .iter()
            .enumerate()
            .find(|(_, raw)| raw.len() > options.max_field_bytes)
        {
            bail!(
                "{display}: line {line}, column {} ({}): the field is {} bytes long; the limit is {} \
                 (--max-field-bytes)",
                column + 1,
                headers.get(column).map_or("", String::as_str),
                raw.len(),
                options.max_field_bytes
            );
        }
        let field = |column: Option<usize>| -> anyhow::Result<String> {
            let Some(column) = column else {
                return Ok(String::new());
            };
            let raw = record.get(column).unwrap_or_default();
            std::str::from_utf8(raw)
                .map(|s| s.trim().to_owned())
                .map_err(|_| {
                    anyhow::anyhow!(
                        "{display}: line {line}, column {} ({}): not UTF-8 text; {LEGACY_HINT}",
                        column + 1,
                        headers.get(column).map_or("", String::as_str)
                    )
                })
        };
        let get = |index: usize| field(columns.get(index).copied().flatten());
        let input = RecordInput {
            given: get(0)?,
            father: get(1)?,
            family: get(2)?,
            mother: get(3)?,
            full_name: get(4)?,
            birth_year: get(5)?,
            place: get(6)?,
            phone: get(7)?,
            grandfather: get(8)?,
        };
        if !input.birth_year.is_empty() && parse_year(&input.birth_year).is_none() {
            list.unreadable_years += 1;
        }
        let id = match id_position {
            Some(_) => field(id_position)?,
            None => format!("line-{line}"),
        };
        if id.is_empty() {
            bail!("{display}: line {line}: the {id_column} column is empty");
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            bail!("{display}: line {line}: the id {id:?} is already used on line {first}");
        }
        list.carried.push(
            carried
                .iter()
                .map(|&column| field(Some(column)))
                .collect::<anyhow::Result<_>>()?,
        );
        list.ids.push(id);
        list.inputs.push(input);
    }
    if list.inputs.is_empty() {
        bail!("{display} has a header but no records");
    }
    Ok(list)
}

/// Reads several lists, on up to `threads` threads; the first error (in the order of the
/// files) is returned.
/// A column mapped by hand that no file has is an error.
pub fn read_lists(
    paths: &[PathBuf],
    options: &ReadOptions,
    threads: usize,
) -> anyhow::Result<Vec<PersonList>> {
    let lists = read_lists_unchecked(paths, options, threads)?;
    for (index, (name, header)) in options.columns.iter().enumerate() {
        if !lists.iter().any(|list| list.mapped.get(index) == Some(&true)) {
            bail!("--column {name}={header}: no file has a column headed {header:?}");
        }
    }
    Ok(lists)
}

fn read_lists_unchecked(
    paths: &[PathBuf],
    options: &ReadOptions,
    threads: usize,
) -> anyhow::Result<Vec<PersonList>> {
    if threads <= 1 || paths.len() <= 1 {
        return paths.iter().map(|path| read_people(path, options)).collect();
    }
    let mut results: Vec<Option<anyhow::Result<PersonList>>> = paths.iter().map(|_| None).collect();
    for (paths, results) in paths.chunks(threads).zip(results.chunks_mut(threads)) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = paths
                .iter()
                .map(|path| scope.spawn(move || read_people(path, options)))
                .collect();
            for (slot, handle) in results.iter_mut().zip(handles) {
                *slot = Some(
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("reading a list failed"))),
                );
            }
        });
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("reading a list failed"))))
        .collect()
}

const LEGACY_HINT: &str = "the file may be in a legacy encoding such as Windows-1256; save it as UTF-8";

/// A CSV error naming the file, line and column.
pub fn csv_error(path: &Path, error: &csv::Error) -> anyhow::Error {
    let display = path.display();
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, csv::Position::line);
            anyhow::anyhow!("{display}: line {line} has {len} fields, but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { pos, err } => {
            let line = pos.as_ref().map_or(0, csv::Position::line);
            anyhow::anyhow!(
                "{display}: line {line}, column {}: not UTF-8 text; {LEGACY_HINT}",
                err.field() + 1
            )
        }
        csv::ErrorKind::Io(e) => anyhow::anyhow!("cannot read {display}: {e}"),
        _ => anyhow::anyhow!("{display}: {error}"),
    }
}

/// Output files written beside their final names and renamed into place only when all are
/// complete; if the run fails, the partial files are removed.
pub struct StagedFiles {
    staged: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl StagedFiles {
    pub fn new() -> StagedFiles {
        StagedFiles {
            staged: Vec::new(),
            committed: false,
        }
    }

    /// Creates a temporary file for `path` in the same directory.
    pub fn create(&mut self, path: &Path) -> anyhow::Result<BufWriter<File>> {
        let directory = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file_name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let temporary = directory.join(format!(".{file_name}.{}.partial", std::process::id()));
        let file =
            File::create(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
        self.staged.push((temporary, path.to_owned()));
        Ok(BufWriter::new(file))
    }

    /// Flushes a writer returned by [`create`](Self::create), reporting write errors.
    pub fn finish(writer: BufWriter<File>) -> anyhow::Result<()> {
        let file = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write output: {}", e.error()))?;
        file.sync_all().context("cannot write output")?;
        Ok(())
    }

    pub fn commit(mut self) -> anyhow::Result<()> {
        for (temporary, path) in &self.staged {
            std::fs::rename(temporary, path).with_context(|| format!("cannot write {}", path.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for StagedFiles {
    fn drop(&mut self) {
        if !self.committed {
            for (temporary, _) in &self.staged {
                let _ = std::fs::remove_file(temporary);
            }
        }
    }
}

/// Writes one CSV row.
pub fn write_row<W: std::io::Write>(writer: &mut csv::Writer<W>, fields: &[&str]) -> anyhow::Result<()> {
    writer.write_record(fields).context("cannot write output")
}

/// A writer for CSV into a staged file.
pub fn csv_writer(staged: &mut StagedFiles, path: &Path) -> anyhow::Result<csv::Writer<BufWriter<File>>> {
    Ok(csv::WriterBuilder::new().from_writer(staged.create(path)?))
}

/// Finishes a CSV writer.
pub fn finish_csv(writer: csv::Writer<BufWriter<File>>) -> anyhow::Result<()> {
    let inner = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write output: {}", e.error()))?;
    StagedFiles::finish(inner)
}

/// Writes the overlap counts in the format `mamar estimate` reads.
pub fn write_overlap(
    staged: &mut StagedFiles,
    path: &Path,
    lists: &[String],
    overlap: &[(u32, u64)],
) -> anyhow::Result<()> {
    let mut writer = csv_writer(staged, path)?;
    let mut header: Vec<&str> = lists.iter().map(String::as_str).collect();
    header.push("count");
    write_row(&mut writer, &header)?;
    for (pattern, count) in overlap {
        let mut row: Vec<String> = (0..lists.len())
            .map(|i| {
                if pattern & (1 << i) != 0 {
                    "1".into()
                } else {
                    "0".into()
                }
            })
            .collect();
        row.push(count.to_string());
        let refs: Vec<&str> = row.iter().map(String::as_str).collect();
        write_row(&mut writer, &refs)?;
    }
    finish_csv(writer)
}

/// Refuses list names that collide or would not make a column.
pub fn check_list_names(names: &[String]) -> anyhow::Result<()> {
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() || name == "count" {
            bail!("a list cannot be named {name:?}; rename the file or give --names");
        }
        if names.iter().skip(i + 1).any(|other| other == name) {
            bail!("two lists are both named {name:?}; rename a file or give --names");
        }
    }
    Ok(())
}

/// A terminal progress bar on standard error, or nothing when it is not a terminal.
pub fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// Flushes standard output, ignoring a closed pipe.
pub fn flush_stdout() {
    let _ = std::io::stdout().flush();
}
