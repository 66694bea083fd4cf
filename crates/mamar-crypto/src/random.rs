//! Randomness, always from the operating system, always fallible: a failing
//! OS RNG becomes [`CryptoError::Rng`], never a panic and never a weak value.

use chacha20::ChaCha20Rng;
use chacha20poly1305::aead::Generate;
use hpke::rand_core::SeedableRng;

use crate::error::CryptoError;

/// `N` bytes from the operating system's random number generator.
pub(crate) fn random_array<const N: usize>() -> Result<[u8; N], CryptoError> {
    <[u8; N]>::try_generate().map_err(|_| CryptoError::Rng)
}

/// A CSPRNG for library calls that take an infallible RNG (`hpke`'s
/// encapsulation, `blahaj`'s dealer). It is seeded from the OS with a
/// fallible call, so an RNG failure is reported here instead of panicking
/// inside those crates, and it is dropped (and zeroized) after one use.
pub(crate) fn seeded_rng() -> Result<ChaCha20Rng, CryptoError> {
    let mut seed = random_array::<32>()?;
    let rng = ChaCha20Rng::from_seed(seed);
    zeroize::Zeroize::zeroize(&mut seed);
    Ok(rng)
}

/// `N` random bytes from the operating system, for values that must be
/// unguessable but are not keys (session ids, CSRF tokens). Keys have their
/// own `generate` constructors, which keep them in zeroizing types.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    random_array()
}

/// A fresh random salt for Argon2id (16 bytes, the length RFC 9106
/// recommends). Salts are not secret: they are stored next to what they
/// protect.
pub fn generate_salt() -> Result<[u8; 16], CryptoError> {
    random_array()
}
