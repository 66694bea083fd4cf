"""Times Argon2id at mamar's production default with the Argon2 authors' C
implementation (argon2-cffi), for comparison with the Rust figure in
docs/bench/mamar-crypto.md.

Run pinned to one core, as the Rust benchmark is:
    /tmp/venv-crypto/bin/pip install argon2-cffi
    taskset -c 0 /tmp/venv-crypto/bin/python crates/mamar-crypto/scripts/argon2_timing.py

Prints the median of seven runs in milliseconds.
"""

import statistics
import time

from argon2.low_level import Type, hash_secret_raw

times = []
for _ in range(7):
    started = time.perf_counter()
    hash_secret_raw(
        secret=b"mamar calibration probe",
        salt=bytes(16),
        time_cost=3,
        memory_cost=64 * 1024,
        parallelism=4,
        hash_len=32,
        type=Type.ID,
        version=19,
    )
    times.append(time.perf_counter() - started)
print(f"argon2-cffi, m=65536 KiB, t=3, p=4: median {statistics.median(times) * 1e3:.0f} ms")
