//! The file partners exchange: one line per person with the keyed encoding (`mamar clk
//! encode`), its scheme, the organisation's own record id and, optionally, stratum columns
//! (rank class, period, …). Read from bytes here, so that the command line and the analyst's
//! upload page read it alike; reading the file itself is the caller's.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mamar_linkage::clk::{Clk, ClkStore};

/// The columns every file has; any other column is a stratum column.
pub const ID_COLUMN: &str = "id";
pub const CLK_COLUMN: &str = "clk";
pub const SCHEME_COLUMN: &str = "scheme";

/// The most encodings one file may hold (a partner's whole registry; far beyond any list of
/// defectors one organisation keeps).
pub const MAX_ENCODINGS: usize = 1_000_000;

/// One partner's encoded list.
#[derive(Debug, Clone)]
pub struct EncodedList {
    /// The list's name in reports (the partner's, or the file's).
    pub name: String,
    /// The encoding scheme (`mamar-clk-v1;bits=…`): every list must share it.
    pub scheme: String,
    pub clks: ClkStore,
    /// Each record's id (`line-N` when the file has no id column).
    pub ids: Vec<String>,
    /// The stratum columns the file has, in its order.
    pub stratum_columns: Vec<String>,
    /// Each record's values of `stratum_columns` (trimmed; empty when not known).
    pub stratum_values: Vec<Vec<String>>,
}

impl EncodedList {
    pub fn len(&self) -> usize {
        self.clks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clks.is_empty()
    }

    /// A record's value of a stratum column; empty when the file does not have the column.
    pub fn stratum_value(&self, record: usize, column: &str) -> &str {
        self.stratum_columns
            .iter()
            .position(|c| c == column)
            .and_then(|c| self.stratum_values.get(record).and_then(|values| values.get(c)))
            .map_or("", String::as_str)
    }
}

/// Why a file is not a list of encodings. Line numbers are the file's (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    #[error("not a file of encodings: the header needs the columns clk and scheme (from `mamar clk encode`)")]
    NotEncodings,
    #[error("the file is not CSV: {0}")]
    Csv(String),
    #[error("line {line}: the scheme {found:?} differs from {first:?} on the lines before")]
    MixedSchemes { line: u64, found: String, first: String },
    #[error("line {line}, column {column} (clk): not a base64 encoding")]
    NotBase64 { line: u64, column: usize },
    #[error("line {line}, column {column} (clk): an encoding of {bytes} bytes; expected a multiple of 8")]
    BadLength { line: u64, column: usize, bytes: usize },
    #[error("line {line}, column {column} (clk): {bits} bits where the lines before have {first}")]
    MixedLengths {
        line: u64,
        column: usize,
        bits: usize,
        first: usize,
    },
    #[error("has a header but no encodings")]
    Empty,
    #[error("more than {MAX_ENCODINGS} encodings")]
    TooMany,
}

/// Reads a file of encodings (UTF-8 CSV, a byte-order mark allowed).
pub fn parse_encodings(name: &str, bytes: &[u8]) -> Result<EncodedList, ExchangeError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ExchangeError::Csv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let position = |name: &str| headers.iter().position(|h| h == name);
    let (Some(clk_column), Some(scheme_column)) = (position(CLK_COLUMN), position(SCHEME_COLUMN)) else {
        return Err(ExchangeError::NotEncodings);
    };
    let id_column = position(ID_COLUMN);
    let strata: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != clk_column && *i != scheme_column && Some(*i) != id_column)
        .map(|(i, h)| (i, h.clone()))
        .collect();
    let mut list = EncodedList {
        name: name.to_owned(),
        scheme: String::new(),
        clks: ClkStore::new(0),
        ids: Vec::new(),
        stratum_columns: strata.iter().map(|(_, h)| h.clone()).collect(),
        stratum_values: Vec::new(),
    };
    let mut words_per_clk: Option<usize> = None;
    for row in reader.records() {
        let row = row.map_err(|e| ExchangeError::Csv(e.to_string()))?;
        if list.ids.len() >= MAX_ENCODINGS {
            return Err(ExchangeError::TooMany);
        }
        let line = row.position().map_or(0, csv::Position::line);
        list.ids.push(match id_column.and_then(|c| row.get(c)) {
            Some(id) => id.trim().to_owned(),
            None => format!("line-{line}"),
        });
        let scheme = row.get(scheme_column).unwrap_or_default().trim();
        if words_per_clk.is_none() {
            list.scheme = scheme.to_owned();
        } else if scheme != list.scheme {
            return Err(ExchangeError::MixedSchemes {
                line,
                found: scheme.to_owned(),
                first: list.scheme.clone(),
            });
        }
        let column = clk_column + 1;
        let encoded = row.get(clk_column).unwrap_or_default().trim();
        let bytes = BASE64
            .decode(encoded)
            .map_err(|_| ExchangeError::NotBase64 { line, column })?;
        if bytes.is_empty() || bytes.len() % 8 != 0 {
            return Err(ExchangeError::BadLength {
                line,
                column,
                bytes: bytes.len(),
            });
        }
        let Ok(Clk { words }) = Clk::from_bytes(&bytes, bytes.len() * 8) else {
            return Err(ExchangeError::BadLength {
                line,
                column,
                bytes: bytes.len(),
            });
        };
        match words_per_clk {
            None => {
                words_per_clk = Some(words.len());
                list.clks = ClkStore::new(words.len());
            }
            Some(first) if first != words.len() => {
                return Err(ExchangeError::MixedLengths {
                    line,
                    column,
                    bits: words.len() * 64,
                    first: first * 64,
                });
            }
            Some(_) => {}
        }
        list.clks.push(&words);
        list.stratum_values.push(
            strata
                .iter()
                .map(|(i, _)| row.get(*i).unwrap_or_default().trim().to_owned())
                .collect(),
        );
    }
    if list.clks.is_empty() {
        return Err(ExchangeError::Empty);
    }
    Ok(list)
}
