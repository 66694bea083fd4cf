//! Known-answer tests against published vectors, for the primitives exactly
//! as this crate configures them. (RFC 9180 HPKE and RFC 8032 Ed25519 are
//! unit tests inside the crate, where the HPKE path can be fed the RFC's
//! ephemeral randomness.)

use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use mamar_crypto::{BlindIndexKey, KdfParams, SecretKey, derive_key};
use sha2::Sha256;

use crate::h;

/// RFC 9106 §5.3: Argon2id, version 0x13, 32 KiB, 3 passes, 4 lanes, with a
/// secret and associated data.
#[test]
fn argon2id_matches_rfc_9106_section_5_3() {
    let params = ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .data(AssociatedData::new(&[0x04; 12]).unwrap())
        .output_len(32)
        .build()
        .unwrap();
    let secret = [0x03; 8];
    let argon2 = Argon2::new_with_secret(&secret, Algorithm::Argon2id, Version::V0x13, params).unwrap();
    let mut tag = [0u8; 32];
    argon2
        .hash_password_into(&[0x01; 32], &[0x02; 16], &mut tag)
        .unwrap();
    assert_eq!(
        tag.to_vec(),
        h("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    );
}

/// `derive_key` against the Argon2 authors' C implementation (argon2-cffi),
/// values from `scripts/argon2_reference.py`.
#[test]
fn derive_key_matches_the_reference_implementation() {
    struct Case {
        password: &'static [u8],
        salt: Vec<u8>,
        params: KdfParams,
        expected: &'static str,
    }
    let params = |m_cost, t_cost, p_cost| KdfParams {
        m_cost,
        t_cost,
        p_cost,
        version: 0x13,
    };
    let cases = [
        Case {
            password: b"correct horse battery staple",
            salt: (0..16).collect(),
            params: params(8, 1, 1),
            expected: "d17ea6341ca93da6079ea2f64dc4aa31dd1aaf9caa67fb42ac4afd0714706f26",
        },
        Case {
            password: "كلمة سر طويلة".as_bytes(),
            salt: vec![0xa5; 16],
            params: params(1024, 2, 2),
            expected: "0becb2b8992ba973a2e142972bb703303f09cccb6551a75848e713dc540f18ba",
        },
        Case {
            password: b"",
            salt: (100..132).collect(),
            params: params(64, 3, 4),
            expected: "3b9d547585eaf408a0528116e4285da33a9838f59da4a0b69c8875a8158b8d41",
        },
    ];
    for case in cases {
        let key = derive_key(case.password, &case.salt, &case.params).unwrap();
        assert_eq!(
            key.expose_secret().to_vec(),
            h(case.expected),
            "{:?}",
            case.params
        );
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// RFC 4231 §4.2–4.8, HMAC-SHA-256 (case 5 truncated to 128 bits as the RFC
/// prints it).
#[test]
fn hmac_sha256_matches_rfc_4231() {
    let large_key = vec![0xaa; 131];
    let cases: [(Vec<u8>, Vec<u8>, &str); 7] = [
        (
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            vec![0xaa; 20],
            vec![0xdd; 50],
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        ),
        (
            (1..=25).collect(),
            vec![0xcd; 50],
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        ),
        (
            vec![0x0c; 20],
            b"Test With Truncation".to_vec(),
            "a3b6167473100ee06e0c796c2955552b",
        ),
        (
            large_key.clone(),
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            large_key,
            b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (number, (key, data, expected)) in cases.into_iter().enumerate() {
        let expected = h(expected);
        let mac = hmac_sha256(&key, &data);
        assert_eq!(mac[..expected.len()], expected[..], "test case {}", number + 1);
    }
}

/// RFC 5869 Appendix A, test cases 1–3 (HKDF-SHA256).
#[test]
fn hkdf_sha256_matches_rfc_5869() {
    struct Case {
        ikm: Vec<u8>,
        salt: Vec<u8>,
        info: Vec<u8>,
        prk: &'static str,
        okm: &'static str,
    }
    let cases = [
        Case {
            ikm: vec![0x0b; 22],
            salt: (0x00..=0x0c).collect(),
            info: (0xf0..=0xf9).collect(),
            prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        },
        Case {
            ikm: (0x00..=0x4f).collect(),
            salt: (0x60..=0xaf).collect(),
            info: (0xb0..=0xff).collect(),
            prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
                  59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
                  cc30c58179ec3e87c14c01d5c1f3434f1d87",
        },
        Case {
            ikm: vec![0x0b; 22],
            salt: Vec::new(),
            info: Vec::new(),
            prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        },
    ];
    for (number, case) in cases.into_iter().enumerate() {
        let (extracted, hkdf) = Hkdf::<Sha256>::extract(Some(&case.salt), &case.ikm);
        assert_eq!(extracted.to_vec(), h(case.prk), "PRK, test case {}", number + 1);
        let mut out = vec![0u8; h(case.okm).len()];
        hkdf.expand(&case.info, &mut out).unwrap();
        assert_eq!(out, h(case.okm), "OKM, test case {}", number + 1);
    }
}

/// The blind index is the documented composition of the two primitives
/// tested above: HMAC-SHA256 under HKDF-SHA256(root, no salt,
/// "mamar/v1/blind-index/" || field).
#[test]
fn blind_index_is_hmac_under_an_hkdf_derived_field_key() {
    let root = [0x42u8; 32];
    let mut field_key = [0u8; 32];
    Hkdf::<Sha256>::new(None, &root)
        .expand(b"mamar/v1/blind-index/phone", &mut field_key)
        .unwrap();
    let expected = hmac_sha256(&field_key, b"+963 944 000 000");
    let index = BlindIndexKey::derive(&SecretKey::from_bytes(root), "phone").index(b"+963 944 000 000");
    assert_eq!(index.as_bytes().to_vec(), expected);
}
