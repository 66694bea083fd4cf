//! Attachments: a scan, a photo or a voice message kept with a case,
//! encrypted as it streams in and as it streams out.
//!
//! An upload is written chunk by chunk (never whole in memory, never in
//! plaintext on disk), each chunk under the attachment's own key; its type
//! is found from its first bytes and must be one the organisation can open
//! safely; its size is capped by the case configuration. It becomes part of
//! the case only when the case change that records it (name, type, size, key,
//! under the case key) commits; a refused or broken upload leaves nothing.

use mamar_core::case::CaseRuleError;
use mamar_core::case::machine::{Command, Effect};
use mamar_crypto::{AttachmentKey, ChunkPosition, SecretBytes};
use mamar_store::Store;
use zeroize::Zeroize as _;

use super::act::{Extra, act, event};
use super::{duties_of, load, random_id};
use crate::config::{CaseConfig, Section};
use crate::records::{self, Attachment};
use crate::{Caller, CaseError, day_of};

/// The plaintext size of every chunk but the last.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// The longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 120;

/// The types mamar keeps, found from the content: documents and pictures a
/// browser shows without running anything, and voice messages.
const ALLOWED_TYPES: [&str; 7] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "audio/ogg",
    "audio/mpeg",
    "audio/m4a",
];

/// Bytes needed before the type of a file can be told.
const SNIFF_BYTES: usize = 512;

/// Why an upload was refused, beyond the case rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UploadRefusal {
    #[error("the file is larger than the organisation accepts")]
    TooLarge,
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a kind of file that can be kept (pictures, PDF, voice messages)")]
    WrongType,
}

/// Whether `caller` may add attachments to a case in `loaded`'s state.
fn may_attach(
    config: &CaseConfig,
    caller: &Caller<'_>,
    loaded: &super::Loaded,
    now: i64,
) -> Result<(), CaseError> {
    let duties = duties_of(&loaded.state, caller.staff.id);
    if !config.readable(&duties).contains(&Section::Attachments) {
        return Err(CaseRuleError::WrongDuty.into());
    }
    // The same gate as any other new content: not on a frozen or closed case.
    loaded
        .state
        .clone()
        .apply(&caller.actor(), &Command::AddContent, now)?;
    Ok(())
}

/// An upload in progress. Feed it with [`Upload::push`], then
/// [`Upload::finish`]; on any error call [`Upload::abort`] (an upload
/// dropped without either is swept away later).
pub struct Upload {
    case: [u8; 16],
    id: [u8; 16],
    key: AttachmentKey,
    buffer: Vec<u8>,
    next_chunk: u32,
    bytes: u64,
    max_bytes: u64,
    content_type: Option<&'static str>,
}

impl Drop for Upload {
    fn drop(&mut self) {
        self.buffer.zeroize();
    }
}

/// Starts an upload to `case`, if the caller may add attachments to it.
pub async fn begin_upload(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<Upload, CaseError> {
    let loaded = load(store, caller, case).await?;
    may_attach(config, caller, &loaded, now)?;
    let id = random_id()?;
    store.begin_attachment(&id, case, day_of(now)).await?;
    Ok(Upload {
        case: *case,
        id,
        key: AttachmentKey::generate()?,
        buffer: Vec::with_capacity(CHUNK_BYTES * 2),
        next_chunk: 0,
        bytes: 0,
        max_bytes: config.attachment_max_bytes,
        content_type: None,
    })
}

fn sniff(head: &[u8]) -> Result<&'static str, UploadRefusal> {
    let found = infer::get(head).ok_or(UploadRefusal::WrongType)?;
    ALLOWED_TYPES
        .into_iter()
        .find(|allowed| *allowed == found.mime_type())
        .ok_or(UploadRefusal::WrongType)
}

impl Upload {
    /// Takes the next piece of the file. Writes every full chunk but the
    /// last (which is only known at the end).
    pub async fn push(&mut self, store: &dyn Store, piece: &[u8]) -> Result<(), CaseError> {
        self.bytes = self.bytes.saturating_add(piece.len() as u64);
        if self.bytes > self.max_bytes {
            return Err(CaseError::Upload(UploadRefusal::TooLarge));
        }
        self.buffer.extend_from_slice(piece);
        if self.content_type.is_none() && self.buffer.len() >= SNIFF_BYTES {
            self.content_type = Some(sniff(&self.buffer).map_err(CaseError::Upload)?);
        }
        while self.buffer.len() > CHUNK_BYTES {
            let rest = self.buffer.split_off(CHUNK_BYTES);
            let chunk = std::mem::replace(&mut self.buffer, rest);
            self.write(store, chunk, false).await?;
        }
        Ok(())
    }

    async fn write(&mut self, store: &dyn Store, mut chunk: Vec<u8>, last: bool) -> Result<(), CaseError> {
        let position = ChunkPosition {
            attachment_id: &self.id,
            index: self.next_chunk,
            last,
        };
        let sealed = self.key.encrypt_chunk(&position, &chunk);
        chunk.zeroize();
        store
            .add_attachment_chunk(&self.id, self.next_chunk, &sealed?)
            .await?;
        self.next_chunk += 1;
        Ok(())
    }

    /// Writes the last chunk and records the attachment in the case, named
    /// `name` (cleaned of anything a file system or a page could misread).
    /// Refused, it removes what was written.
    pub async fn finish(
        self,
        store: &dyn Store,
        config: &CaseConfig,
        caller: &Caller<'_>,
        name: &str,
        now: i64,
    ) -> Result<Effect, CaseError> {
        let id = self.id;
        let finished = self.record(store, config, caller, name, now).await;
        if finished.is_err() {
            // Only an unfinished upload is removed: one the case already records stays.
            store.discard_attachment(&id).await?;
        }
        finished
    }

    async fn record(
        mut self,
        store: &dyn Store,
        config: &CaseConfig,
        caller: &Caller<'_>,
        name: &str,
        now: i64,
    ) -> Result<Effect, CaseError> {
        if self.bytes == 0 {
            return Err(CaseError::Upload(UploadRefusal::Empty));
        }
        let content_type = match self.content_type {
            Some(found) => found,
            None => sniff(&self.buffer).map_err(CaseError::Upload)?,
        };
        let last = std::mem::take(&mut self.buffer);
        self.write(store, last, true).await?;
        let name = clean_name(name, content_type);
        let attachment = Attachment {
            id: hex::encode(self.id),
            name: name.clone(),
            content_type: content_type.to_owned(),
            bytes: self.bytes,
            chunks: self.next_chunk,
            added_by: records::staff_text(caller.staff.id),
            at: now,
            key: hex::encode(self.key.expose_secret()),
        };
        let id = self.id;
        act(
            store,
            caller,
            &self.case,
            Command::AddContent,
            now,
            |loaded, _| {
                may_attach(config, caller, loaded, now)?;
                Ok(Extra {
                    event: Some(event(caller, now, "attached", Some(&name), None)),
                    records: vec![records::encrypt(
                        &loaded.key,
                        random_id()?,
                        records::ATTACHMENT,
                        &attachment,
                    )?],
                    attachments: vec![id],
                    ..Extra::default()
                })
            },
        )
        .await
    }

    /// Removes what was written of this upload.
    pub async fn abort(self, store: &dyn Store) -> Result<(), CaseError> {
        store.discard_attachment(&self.id).await?;
        Ok(())
    }
}

/// A file name without paths, control characters or direction overrides,
/// at most [`MAX_NAME_CHARS`] long; "attachment" with the type's extension
/// when nothing is left.
fn clean_name(name: &str, content_type: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '"'))
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        let extension = content_type.rsplit('/').next().unwrap_or("bin");
        format!("attachment.{extension}")
    } else {
        cleaned
    }
}

/// An attachment as the case page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: [u8; 16],
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    pub added_by: String,
    pub at: i64,
}

impl AttachmentInfo {
    pub(crate) fn from_record(record: &Attachment) -> Option<AttachmentInfo> {
        Some(AttachmentInfo {
            id: hex::decode(&record.id).ok()?.try_into().ok()?,
            name: record.name.clone(),
            content_type: record.content_type.clone(),
            bytes: record.bytes,
            added_by: record.added_by.clone(),
            at: record.at,
        })
    }
}

/// An attachment opened for reading: its description, and its chunks one
/// at a time with [`Download::chunk`].
pub struct Download {
    pub info: AttachmentInfo,
    case: [u8; 16],
    chunks: u32,
    key: AttachmentKey,
}

/// Opens attachment `id` of `case` for reading, if the caller's duties may
/// read attachments. Recorded in the audit log first.
pub async fn open_attachment(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    id: &[u8; 16],
) -> Result<Download, CaseError> {
    let loaded = load(store, caller, case).await?;
    let duties = duties_of(&loaded.state, caller.staff.id);
    if !config.readable(&duties).contains(&Section::Attachments) {
        return Err(CaseError::NotFound);
    }
    let wanted = hex::encode(id);
    for record in store.case_records(case).await? {
        if record.kind != records::ATTACHMENT {
            continue;
        }
        let attachment: Attachment = records::decrypt(&loaded.key, &record)?;
        if attachment.id != wanted {
            continue;
        }
        let stored = store.attachment_chunks(case, id).await?;
        if stored != Some(attachment.chunks) {
            return Err(CaseError::Corrupt);
        }
        let key_bytes = hex::decode(&attachment.key).map_err(|_| CaseError::Corrupt)?;
        let key = AttachmentKey::from_slice(&key_bytes)?;
        mamar_store::audit::record(
            store,
            Some(caller.staff.id),
            mamar_audit::Action::CaseRead,
            Some(*case),
            mamar_audit::Outcome::Ok,
        )
        .await?;
        return Ok(Download {
            info: AttachmentInfo::from_record(&attachment).ok_or(CaseError::Corrupt)?,
            case: *case,
            chunks: attachment.chunks,
            key,
        });
    }
    Err(CaseError::NotFound)
}

impl Download {
    pub fn chunk_count(&self) -> u32 {
        self.chunks
    }

    /// Chunk `index`, decrypted; a chunk moved, dropped or changed fails.
    pub async fn chunk(&self, store: &dyn Store, index: u32) -> Result<SecretBytes, CaseError> {
        let sealed = store
            .attachment_chunk(&self.case, &self.info.id, index)
            .await?
            .ok_or(CaseError::Corrupt)?;
        let position = ChunkPosition {
            attachment_id: &self.info.id,
            index,
            last: index + 1 == self.chunks,
        };
        Ok(self.key.decrypt_chunk(&position, &sealed)?)
    }
}

/// The attachments listed in a case's records, for the case page.
pub(crate) fn listed(
    key: &mamar_crypto::CaseKey,
    record: &mamar_store::NewCaseRecord,
) -> Result<AttachmentInfo, CaseError> {
    let attachment: Attachment = records::decrypt(key, record)?;
    AttachmentInfo::from_record(&attachment).ok_or(CaseError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_controls_and_direction_tricks() {
        assert_eq!(clean_name("C:\\Users\\x\\هوية.jpg", "image/jpeg"), "هوية.jpg");
        assert_eq!(clean_name("../../etc/passwd", "image/png"), "passwd");
        assert_eq!(clean_name("photo\u{202E}gpj.exe", "image/jpeg"), "photogpj.exe");
        assert_eq!(clean_name("  .hidden ", "application/pdf"), "hidden");
        assert_eq!(clean_name("\u{0}\n", "application/pdf"), "attachment.pdf");
        assert_eq!(
            clean_name(&"a".repeat(500), "image/png").chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn the_type_comes_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Ok("application/pdf"));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']),
            Ok("image/jpeg")
        );
        // A script named .jpg, an HTML page, and an executable are refused.
        assert_eq!(
            sniff(b"<html><script>alert(1)</script>"),
            Err(UploadRefusal::WrongType)
        );
        assert_eq!(
            sniff(b"MZ\x90\x00\x03\x00\x00\x00"),
            Err(UploadRefusal::WrongType)
        );
        assert_eq!(sniff(b"plain words"), Err(UploadRefusal::WrongType));
    }
}
