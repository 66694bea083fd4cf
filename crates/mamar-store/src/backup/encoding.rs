//! The portable encoding of a [`Snapshot`]: a magic line, the format, the
//! backend, the schema version, then each table's name, columns and typed
//! rows, every length given before its bytes.

use super::{FORMAT, MAGIC, Snapshot, TableDump, Value, bad};
use crate::{Backend, StoreError};

impl Snapshot {
    /// The table called `name`, if the snapshot holds it.
    pub fn table(&self, name: &str) -> Option<&TableDump> {
        self.tables.iter().find(|table| table.name == name)
    }

    /// How many rows the snapshot holds in all.
    pub fn row_count(&self) -> u64 {
        self.tables.iter().map(|table| table.rows.len() as u64).sum()
    }

    /// The portable encoding: a magic line, the format, the backend, the
    /// schema version, then each table's name, columns and typed rows, every
    /// length given before its bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(FORMAT);
        out.push(match self.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        });
        out.extend_from_slice(&self.schema_version.to_le_bytes());
        put_len(&mut out, self.tables.len());
        for table in &self.tables {
            put_bytes(&mut out, table.name.as_bytes());
            put_len(&mut out, table.columns.len());
            for column in &table.columns {
                put_bytes(&mut out, column.as_bytes());
            }
            put_len(&mut out, table.rows.len());
            for row in &table.rows {
                for value in row {
                    match value {
                        Value::Null => out.push(0),
                        Value::Int(v) => {
                            out.push(1);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                        Value::Real(v) => {
                            out.push(2);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                        Value::Text(v) => {
                            out.push(3);
                            put_bytes(&mut out, v.as_bytes());
                        }
                        Value::Blob(v) => {
                            out.push(4);
                            put_bytes(&mut out, v);
                        }
                        Value::Bool(v) => out.push(if *v { 6 } else { 5 }),
                    }
                }
            }
        }
        out
    }

    /// Parses [`Snapshot::encode`]'s form; any damage is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, StoreError> {
        let mut input = Input { bytes, at: 0 };
        if input.take(MAGIC.len())? != MAGIC {
            return Err(bad("not a mamar snapshot"));
        }
        if input.u8()? != FORMAT {
            return Err(bad("a snapshot format this version cannot read"));
        }
        let backend = match input.u8()? {
            1 => Backend::Sqlite,
            2 => Backend::Postgres,
            _ => return Err(bad("an unknown backend")),
        };
        let schema_version = input.i64()?;
        let table_count = input.len()?;
        let mut tables = Vec::new();
        for _ in 0..table_count {
            let name = input.text()?;
            let column_count = input.len()?;
            let columns = (0..column_count)
                .map(|_| input.text())
                .collect::<Result<Vec<_>, _>>()?;
            let row_count = input.len()?;
            if column_count == 0 && row_count > 0 {
                return Err(bad("rows without columns"));
            }
            let mut rows = Vec::new();
            for _ in 0..row_count {
                let row = (0..column_count)
                    .map(|_| input.value())
                    .collect::<Result<Vec<_>, _>>()?;
                rows.push(row);
            }
            tables.push(TableDump { name, columns, rows });
        }
        if input.at != bytes.len() {
            return Err(bad("bytes after the last table"));
        }
        Ok(Snapshot {
            backend,
            schema_version,
            tables,
        })
    }
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&(len as u64).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_len(out, bytes.len());
    out.extend_from_slice(bytes);
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], StoreError> {
        let end = self.at.checked_add(len).ok_or_else(|| bad("truncated"))?;
        let slice = self.bytes.get(self.at..end).ok_or_else(|| bad("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, StoreError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    fn array8(&mut self) -> Result<[u8; 8], StoreError> {
        self.take(8)?.try_into().map_err(|_| bad("truncated"))
    }

    fn i64(&mut self) -> Result<i64, StoreError> {
        Ok(i64::from_le_bytes(self.array8()?))
    }

    fn len(&mut self) -> Result<usize, StoreError> {
        let len = usize::try_from(u64::from_le_bytes(self.array8()?)).map_err(|_| bad("a length"))?;
        // Every counted item takes at least one byte: a length beyond the
        // rest of the input is damage, not a reason to allocate.
        if len > self.bytes.len().saturating_sub(self.at) {
            return Err(bad("truncated"));
        }
        Ok(len)
    }

    fn bytes(&mut self) -> Result<&'a [u8], StoreError> {
        let len = self.len()?;
        self.take(len)
    }

    fn text(&mut self) -> Result<String, StoreError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| bad("text that is not UTF-8"))
    }

    fn value(&mut self) -> Result<Value, StoreError> {
        Ok(match self.u8()? {
            0 => Value::Null,
            1 => Value::Int(self.i64()?),
            2 => Value::Real(f64::from_le_bytes(self.array8()?)),
            3 => Value::Text(self.text()?),
            4 => Value::Blob(self.bytes()?.to_vec()),
            5 => Value::Bool(false),
            6 => Value::Bool(true),
            _ => return Err(bad("an unknown value type")),
        })
    }
}
