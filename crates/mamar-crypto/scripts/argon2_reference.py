"""Independent Argon2id reference values for mamar-crypto's `derive_key`.

Computes Argon2id (version 0x13, 32-byte output, no secret, no associated
data) with argon2-cffi, which wraps the reference C implementation of the
Argon2 authors (phc-winner-argon2). The Rust tests in
tests/mamar_crypto/kat.rs compare `mamar_crypto::derive_key` against the
values this prints.

Run:
    python3 -m venv /tmp/venv-crypto
    /tmp/venv-crypto/bin/pip install argon2-cffi
    /tmp/venv-crypto/bin/python crates/mamar-crypto/scripts/argon2_reference.py

Prints one line per case: password, salt (hex), m_cost KiB, t_cost,
p_cost, and the derived key in hex.
"""

from argon2.low_level import Type, hash_secret_raw

CASES = [
    # (password, salt, m_cost KiB, t_cost, p_cost)
    (b"correct horse battery staple", bytes(range(16)), 8, 1, 1),
    ("كلمة سر طويلة".encode("utf-8"), bytes([0xA5] * 16), 1024, 2, 2),
    (b"", bytes(range(100, 132)), 64, 3, 4),
]

for password, salt, m_cost, t_cost, p_cost in CASES:
    key = hash_secret_raw(
        secret=password,
        salt=salt,
        time_cost=t_cost,
        memory_cost=m_cost,
        parallelism=p_cost,
        hash_len=32,
        type=Type.ID,
        version=19,
    )
    print(password.hex(), salt.hex(), m_cost, t_cost, p_cost, key.hex())
