//! Backups sealed to the trustees: [`seal_backup`] reads a consistent
//! snapshot of the database and seals it to the organisation's backup public
//! key (stored when the trustees' shares are made, see
//! [`crate::create_recovery`]); [`open_backup`] rebuilds the backup key
//! from k trustees' shares and opens a backup, which the binary then writes
//! into an empty database (`mamar_store::backup::open_for_restore`). The server that writes a backup cannot read it.

use mamar_crypto::{EncryptionPublicKey, RecoveryShare};
use mamar_store::Store;
use mamar_store::backup::Snapshot;

use crate::KeyError;

/// The setting that holds the backup public key (32 bytes).
pub const BACKUP_KEY_SETTING: &str = "backup_public_key";

/// A sealed backup and what it holds, for the operator's report.
pub struct SealedBackup {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// The database format (newest migration) it was taken at.
    pub schema_version: i64,
    /// Rows in all tables.
    pub rows: u64,
}

/// The public key backups are sealed to, once the trustees' shares exist.
pub async fn backup_public_key(store: &dyn Store) -> Result<Option<EncryptionPublicKey>, KeyError> {
    match store.setting(BACKUP_KEY_SETTING).await? {
        None => Ok(None),
        Some(bytes) => {
            let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyError::Corrupt)?;
            Ok(Some(EncryptionPublicKey::from_bytes(bytes)))
        }
    }
}

/// Takes a consistent snapshot (while the server runs) and seals it to the
/// backup key. Before sealing, the encoded snapshot is read back and must
/// equal what was read from the database.
pub async fn seal_backup(store: &dyn Store) -> Result<SealedBackup, KeyError> {
    let public = backup_public_key(store).await?.ok_or(KeyError::NoBackupKey)?;
    let snapshot = store.snapshot().await?;
    let encoded = zeroize::Zeroizing::new(snapshot.encode());
    if Snapshot::decode(&encoded)? != snapshot {
        return Err(KeyError::Corrupt);
    }
    let bytes = mamar_crypto::seal_backup(&public, &encoded)?;
    Ok(SealedBackup {
        bytes,
        schema_version: snapshot.schema_version,
        rows: snapshot.row_count(),
    })
}

/// Opens a sealed backup with k trustees' shares.
pub fn open_backup(shares: &[RecoveryShare], sealed: &[u8]) -> Result<Snapshot, KeyError> {
    let secret = mamar_crypto::combine(shares)?;
    let plaintext = mamar_crypto::open_backup(&secret.backup_key_pair(), sealed)?;
    Ok(Snapshot::decode(plaintext.expose_secret())?)
}
