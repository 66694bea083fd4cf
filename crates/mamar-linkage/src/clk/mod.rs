//! Privacy-preserving linkage with keyed Bloom-filter encodings (cryptographic long-term keys,
//! CLKs; Schnell, Bachteler and Reiher 2011).
//!
//! Each organisation encodes its own list under a secret the organisations share and the
//! matching party never holds; the matching party sees only bit strings and compares them by
//! the Dice coefficient. What is encoded is script-neutral, so an Arabic-script record and a
//! Latin one of the same person meet: the consonant skeletons of the names (as bigrams), the
//! birth year, the governorate (or the place's skeleton) and the phone number.
//!
//! Hashing: a key per field is derived from the secret with HMAC-SHA-256 (RustCrypto `hmac`,
//! `sha2`); each feature's bit positions are taken from HMAC-SHA-256 under that key ("random
//! hashing": k independent positions, not the double hashing that published attacks exploit).
//!
//! Hardening (optional, both parties must use the same):
//! - salting: every feature is hashed together with a stable field of the record (the birth
//!   year), so equal names of people born in different years set unrelated bits; the cost is
//!   that a birth year recorded one off prevents the match;
//! - balancing: the filter is followed by its complement and the bits are permuted under the
//!   key, so every encoding has exactly half its bits set (frequency attacks on bit patterns and
//!   on the number of set bits have nothing to work with);
//! - XOR-folding: the two halves of the filter are XORed, halving its length and blurring which
//!   bits a feature sets.

mod dice;
mod matching;

pub use dice::{ClkStore, Kernel, dice, kernel, scan};
pub use matching::{ClkBlocking, ClkMatchOptions, ClkMatchOutcome, MAX_LISTS, match_lists};

use hmac::{Hmac, KeyInit as _, Mac as _};
use rand::SeedableRng as _;
use rand::seq::SliceRandom as _;
use rand_chacha::ChaCha20Rng;
use sha2::Sha256;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::name::Name;
use crate::record::Record;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ClkError {
    #[error("the CLK secret is too short: at least 16 bytes are needed (32 random bytes recommended)")]
    SecretTooShort,
    #[error("the CLK length must be a power of two from 256 to 4096 bits; got {0}")]
    Length(usize),
    #[error("an encoding has {got} bytes where {expected} were expected")]
    EncodingLength { expected: usize, got: usize },
    #[error("lists to match must have encodings of the same length ({0} and {1} bits)")]
    MixedLengths(usize, usize),
    #[error("the Dice threshold must lie strictly between 0 and 1; got {0}")]
    Threshold(f64),
    #[error("at most {max} lists can be matched at once; got {got}")]
    TooManyLists { max: usize, got: usize },
}

/// The secret the organisations share. Its `Debug` shows nothing of it; it is wiped on drop.
pub struct ClkSecret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for ClkSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClkSecret(…)")
    }
}

impl ClkSecret {
    pub fn new(bytes: Vec<u8>) -> Result<ClkSecret, ClkError> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() < 16 {
            return Err(ClkError::SecretTooShort);
        }
        Ok(ClkSecret(bytes))
    }
}

/// How the encodings are hardened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hardening {
    None,
    Balance,
    XorFold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClkConfig {
    /// Length of the Bloom filter before hardening (power of two, 256..=4096).
    pub bits: usize,
    /// Hash every feature together with the birth year.
    pub salt_with_birth_year: bool,
    pub hardening: Hardening,
}

impl Default for ClkConfig {
    fn default() -> Self {
        ClkConfig {
            bits: 1024,
            salt_with_birth_year: false,
            hardening: Hardening::None,
        }
    }
}

impl ClkConfig {
    /// The length of the encodings this configuration produces.
    pub fn output_bits(&self) -> usize {
        match self.hardening {
            Hardening::None => self.bits,
            Hardening::Balance => self.bits * 2,
            Hardening::XorFold => self.bits / 2,
        }
    }
}

/// What goes into an encoding, and how many bits each feature sets.
#[derive(Debug, Clone, Copy)]
enum Feature {
    Given,
    Father,
    Family,
    Mother,
    BirthYear,
    Place,
    Phone,
}

impl Feature {
    const ALL: [Feature; 7] = [
        Feature::Given,
        Feature::Father,
        Feature::Family,
        Feature::Mother,
        Feature::BirthYear,
        Feature::Place,
        Feature::Phone,
    ];

    fn label(self) -> &'static [u8] {
        match self {
            Feature::Given => b"given",
            Feature::Father => b"father",
            Feature::Family => b"family",
            Feature::Mother => b"mother",
            Feature::BirthYear => b"birth_year",
            Feature::Place => b"place",
            Feature::Phone => b"phone",
        }
    }

    /// Bits set per feature value (bigram or token).
    fn hashes(self) -> usize {
        match self {
            Feature::Given | Feature::Family => 12,
            Feature::Father => 10,
            Feature::Mother => 6,
            Feature::BirthYear => 24,
            Feature::Place => 8,
            Feature::Phone => 20,
        }
    }
}

/// Encodes records under a secret.
pub struct Encoder {
    keys: Vec<HmacSha256>,
    config: ClkConfig,
    permutation: Vec<u16>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A key derived from the secret for one purpose.
fn derive(secret: &ClkSecret, purpose: &[u8]) -> Result<Zeroizing<[u8; 32]>, ClkError> {
    let mut mac = HmacSha256::new_from_slice(&secret.0).map_err(|_| ClkError::SecretTooShort)?;
    mac.update(b"mamar-clk v1\0");
    mac.update(purpose);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    Ok(out)
}

impl Encoder {
    pub fn new(secret: &ClkSecret, config: ClkConfig) -> Result<Encoder, ClkError> {
        if !config.bits.is_power_of_two() || !(256..=4096).contains(&config.bits) {
            return Err(ClkError::Length(config.bits));
        }
        let mut keys = Vec::with_capacity(Feature::ALL.len());
        for feature in Feature::ALL {
            let key = derive(secret, feature.label())?;
            keys.push(HmacSha256::new_from_slice(key.as_slice()).map_err(|_| ClkError::SecretTooShort)?);
        }
        let mut permutation: Vec<u16> = Vec::new();
        if config.hardening == Hardening::Balance {
            let seed = derive(secret, b"balance permutation")?;
            let mut rng = ChaCha20Rng::from_seed(*seed);
            permutation = (0..(config.bits * 2) as u16).collect();
            permutation.shuffle(&mut rng);
        }
        Ok(Encoder {
            keys,
            config,
            permutation,
        })
    }

    pub fn config(&self) -> ClkConfig {
        self.config
    }

    fn set_bits(&self, filter: &mut [u64], feature: Feature, salt: &[u8], value: &[u8]) {
        let Some(key) = self.keys.get(feature as usize) else {
            return;
        };
        let mask = self.config.bits - 1;
        let mut remaining = feature.hashes();
        let mut block = 0u8;
        while remaining > 0 {
            let mut mac = key.clone();
            mac.update(&[block, u8::try_from(salt.len()).unwrap_or(u8::MAX)]);
            mac.update(salt);
            mac.update(value);
            let digest = mac.finalize().into_bytes();
            for pair in digest.chunks_exact(2).take(remaining) {
                let position = usize::from(u16::from_le_bytes([pair[0], pair[1]])) & mask;
                if let Some(word) = filter.get_mut(position / 64) {
                    *word |= 1u64 << (position % 64);
                }
                remaining -= 1;
            }
            block = block.wrapping_add(1);
        }
    }

    fn add_name(&self, filter: &mut [u64], feature: Feature, salt: &[u8], name: &Name) {
        let Some(part) = name.first() else { return };
        let skeleton = part.consonants.as_bytes();
        if skeleton.is_empty() {
            return;
        }
        // Padded bigrams: ^M MH HM MD D$.
        let mut padded = Vec::with_capacity(skeleton.len() + 2);
        padded.push(b'^');
        padded.extend_from_slice(skeleton);
        padded.push(b'$');
        for gram in padded.windows(2) {
            self.set_bits(filter, feature, salt, gram);
        }
    }

    /// Encodes one record.
    pub fn encode(&self, record: &Record) -> Clk {
        let mut filter = vec![0u64; self.config.bits / 64];
        let year = record.birth_year.map(|y| y.to_string()).unwrap_or_default();
        let salt: &[u8] = if self.config.salt_with_birth_year {
            year.as_bytes()
        } else {
            b""
        };
        self.add_name(&mut filter, Feature::Given, salt, &record.given);
        self.add_name(&mut filter, Feature::Father, salt, &record.father);
        self.add_name(&mut filter, Feature::Family, salt, &record.family);
        self.add_name(&mut filter, Feature::Mother, salt, &record.mother);
        if !year.is_empty() {
            self.set_bits(&mut filter, Feature::BirthYear, salt, year.as_bytes());
        }
        match record.place.governorate {
            Some(code) => self.set_bits(&mut filter, Feature::Place, salt, code.as_bytes()),
            None => self.add_name(&mut filter, Feature::Place, salt, &record.place.name),
        }
        if let Some(phone) = &record.phone {
            self.set_bits(&mut filter, Feature::Phone, salt, phone.as_bytes());
        }
        Clk {
            words: self.harden(filter),
        }
    }

    fn harden(&self, filter: Vec<u64>) -> Vec<u64> {
        match self.config.hardening {
            Hardening::None => filter,
            Hardening::XorFold => {
                let (low, high) = filter.split_at(filter.len() / 2);
                low.iter().zip(high).map(|(a, b)| a ^ b).collect()
            }
            Hardening::Balance => {
                let bits = self.config.bits;
                let bit = |i: usize| filter.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0);
                let mut out = vec![0u64; bits * 2 / 64];
                for (source, &target) in self.permutation.iter().enumerate() {
                    let value = if source < bits {
                        bit(source)
                    } else {
                        !bit(source - bits)
                    };
                    if value && let Some(word) = out.get_mut(usize::from(target) / 64) {
                        *word |= 1 << (usize::from(target) % 64);
                    }
                }
                out
            }
        }
    }
}

/// One encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clk {
    pub words: Vec<u64>,
}

impl Clk {
    pub fn bits(&self) -> usize {
        self.words.len() * 64
    }

    pub fn count_ones(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// The encoding as bytes: its 64-bit words, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8], bits: usize) -> Result<Clk, ClkError> {
        if bytes.len() * 8 != bits || !bits.is_multiple_of(64) {
            return Err(ClkError::EncodingLength {
                expected: bits / 8,
                got: bytes.len(),
            });
        }
        let words = bytes
            .chunks_exact(8)
            .map(|chunk| {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                u64::from_le_bytes(word)
            })
            .collect();
        Ok(Clk { words })
    }
}
