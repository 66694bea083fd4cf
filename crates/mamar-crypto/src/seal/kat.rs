//! RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! ChaCha20Poly1305, base mode. The values are transcribed from the RFC.
//!
//! Covered: `DeriveKeyPair` for both key pairs; encapsulation with the RFC's
//! ephemeral input (fed through the RNG, as `hpke` derives the ephemeral key
//! as `DeriveKeyPair(random(32))`), so `enc` and the first ciphertext come
//! out of this crate's own single-shot seal; the single-shot open; the
//! sequence-numbered encryptions 0, 1, 2, 4, 255 and 256; the three exports.

use std::convert::Infallible;

use hpke::rand_core::{TryCryptoRng, TryRng};
use hpke::{Deserializable, OpModeR, OpModeS};

use super::*;

const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
const IKM_E: &str = "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b";
const PK_EM: &str = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
const SK_EM: &str = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600";
const IKM_R: &str = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df";
const PK_RM: &str = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a";
const SK_RM: &str = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb";
const PLAINTEXT: &str = "4265617574792069732074727574682c20747275746820626561757479";

/// (sequence number, aad, ciphertext), A.2.1.1.
const ENCRYPTIONS: [(u32, &str, &str); 6] = [
    (
        0,
        "436f756e742d30",
        "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28",
    ),
    (
        1,
        "436f756e742d31",
        "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c",
    ),
    (
        2,
        "436f756e742d32",
        "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b",
    ),
    (
        4,
        "436f756e742d34",
        "63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122bb153495ff0b02e9e54a50dbe16",
    ),
    (
        255,
        "436f756e742d323535",
        "18ab939d63ddec9f6ac2b60d61d36a7375d2070c9b683861110757062c52b8880a5f6b3936da9cd6c23ef2a95c",
    ),
    (
        256,
        "436f756e742d323536",
        "7a4a13e9ef23978e2c520fd4d2e757514ae160cd0cd05e556ef692370ca53076214c0c40d4c728d6ed9e727a5b",
    ),
];

/// (exporter context, exported value), A.2.1.2, all of length 32.
const EXPORTS: [(&str, &str); 3] = [
    (
        "",
        "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e",
    ),
    (
        "00",
        "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69",
    ),
    (
        "54657374436f6e74657874",
        "5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53",
    ),
];

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

fn key(text: &str) -> SecretKey {
    SecretKey::from_slice(&h(text)).unwrap()
}

/// An "RNG" that hands out fixed bytes, to replay the RFC's ephemeral input.
struct FixedRng(Vec<u8>);

impl TryRng for FixedRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        assert!(
            dst.len() <= self.0.len(),
            "the KAT asked for more randomness than the RFC gives"
        );
        let rest = self.0.split_off(dst.len());
        dst.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}

impl TryCryptoRng for FixedRng {}

#[test]
fn derive_key_pair_matches_rfc_9180_a_2_1() {
    // The RFC prints private keys unclamped; `hpke` keeps them clamped (as
    // RFC 7748 uses them), so compare against the RFC key loaded the same way.
    for (ikm, sk, pk) in [(IKM_R, SK_RM, PK_RM), (IKM_E, SK_EM, PK_EM)] {
        let derived = EncryptionKeyPair::derive(&key(ikm));
        let published = EncryptionKeyPair::from_secret(&key(sk)).unwrap();
        assert_eq!(derived.secret_key(), published.secret_key());
        assert_eq!(derived.public_key().to_bytes().to_vec(), h(pk));
        assert_eq!(published.public_key().to_bytes().to_vec(), h(pk));
    }
}

#[test]
fn single_shot_seal_and_open_match_rfc_9180_a_2_1() {
    let recipient = EncryptionKeyPair::from_secret(&key(SK_RM)).unwrap();
    let (_, aad, expected) = ENCRYPTIONS[0];
    let (enc, ciphertext) = hpke_seal_with_rng(
        recipient.public_key(),
        &h(INFO),
        &h(aad),
        &h(PLAINTEXT),
        &mut FixedRng(h(IKM_E)),
    )
    .unwrap();
    assert_eq!(enc.to_vec(), h(PK_EM), "enc");
    assert_eq!(ciphertext, h(expected), "ciphertext, sequence 0");

    let opened = hpke_open(&recipient, &enc, &h(INFO), &h(aad), &h(expected)).unwrap();
    assert_eq!(opened.expose_secret(), h(PLAINTEXT));
    assert!(hpke_open(&recipient, &enc, &h(INFO), &h(ENCRYPTIONS[1].1), &h(expected)).is_err());
}

#[test]
fn sequence_numbered_encryptions_and_exports_match_rfc_9180_a_2_1() {
    let recipient = EncryptionKeyPair::from_secret(&key(SK_RM)).unwrap();
    let public = recipient.public_key().to_hpke().unwrap();
    let (enc, mut sender) = hpke::setup_sender_with_rng::<HpkeAead, Kdf, Kem>(
        &OpModeS::Base,
        &public,
        &h(INFO),
        &mut FixedRng(h(IKM_E)),
    )
    .unwrap();
    let mut expected = ENCRYPTIONS.iter().peekable();
    for sequence in 0..=256u32 {
        match expected.peek() {
            Some((seq, aad, ciphertext)) if *seq == sequence => {
                assert_eq!(
                    sender.seal(&h(PLAINTEXT), &h(aad)).unwrap(),
                    h(ciphertext),
                    "sequence {sequence}"
                );
                expected.next();
            }
            // The RFC skips these sequence numbers; seal anything to advance.
            _ => drop(sender.seal(b"", b"").unwrap()),
        }
    }
    assert!(expected.next().is_none());

    let enc = EncappedKey::from_bytes(&enc.to_bytes()).unwrap();
    let receiver =
        hpke::setup_receiver::<HpkeAead, Kdf, Kem>(&OpModeR::Base, &recipient.secret, &enc, &h(INFO))
            .unwrap();
    for (context, value) in EXPORTS {
        let mut from_sender = [0u8; 32];
        let mut from_receiver = [0u8; 32];
        sender.export(&h(context), &mut from_sender).unwrap();
        receiver.export(&h(context), &mut from_receiver).unwrap();
        assert_eq!(from_sender.to_vec(), h(value), "export {context:?}");
        assert_eq!(from_receiver.to_vec(), h(value), "export {context:?}");
    }
}
