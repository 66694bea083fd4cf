//! Throughput of mamar-crypto's operations on one core.
//!
//! Run (release build, pinned to one core):
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-crypto cargo build --release -p mamar-crypto --example crypto_bench
//! taskset -c 0 /work/target-crypto/release/examples/crypto_bench
//! ```
//!
//! Each figure is the median of seven runs. Prints a Markdown table.

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use mamar_crypto::{
    BlindIndexKey, CaseKey, KdfParams, Keyring, OrgKey, OrgKeyKind, Password, RecordContext, SealPurpose,
    SecretKey, SessionKey, SignaturePurpose, StaffKeyPair, calibrate, open, seal,
};

const RUNS: usize = 7;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs `op` `iterations` times per run, `RUNS` times; returns the median
/// operations per second.
fn per_second(
    iterations: u32,
    mut op: impl FnMut() -> Result<(), Box<dyn Error>>,
) -> Result<f64, Box<dyn Error>> {
    let mut rates = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        for _ in 0..iterations {
            op()?;
        }
        rates.push(f64::from(iterations) / started.elapsed().as_secs_f64());
    }
    Ok(median(rates))
}

/// Median wall time of one call, over `RUNS` calls.
fn median_time(mut op: impl FnMut() -> Result<(), Box<dyn Error>>) -> Result<Duration, Box<dyn Error>> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        op()?;
        times.push(started.elapsed().as_secs_f64());
    }
    Ok(Duration::from_secs_f64(median(times)))
}

fn row(what: &str, rate: f64) {
    println!("| {what} | {rate:.0} /s | {:.1} µs |", 1e6 / rate);
}

fn main() -> Result<(), Box<dyn Error>> {
    let staff = StaffKeyPair::generate()?;
    let public = staff.public_keys();
    let intake = OrgKey::generate(OrgKeyKind::Intake, 1)?;
    let intake_pair = intake.intake().ok_or("no intake pair")?;
    let case_key = CaseKey::generate()?;
    let kib = vec![0x5a_u8; 1024];
    let context = RecordContext {
        record_id: &[1; 16],
        kind: "case.note",
        schema_version: 1,
    };
    let purpose = SealPurpose::Intake { request_id: &[2; 16] };

    println!("| operation | per second (median of {RUNS}) | per operation |");
    println!("| --- | ---: | ---: |");

    row(
        "HPKE seal, 1 KiB to the intake key",
        per_second(2_000, || {
            black_box(seal(intake_pair.public_key(), &purpose, &kib)?);
            Ok(())
        })?,
    );
    let sealed = seal(intake_pair.public_key(), &purpose, &kib)?;
    row(
        "HPKE open, 1 KiB",
        per_second(2_000, || {
            black_box(open(intake_pair, &purpose, &sealed)?);
            Ok(())
        })?,
    );
    row(
        "wrap a case key to a staff member (HPKE)",
        per_second(2_000, || {
            black_box(case_key.wrap_to(&public, &[3; 16])?);
            Ok(())
        })?,
    );
    let wrapped = case_key.wrap_to(&public, &[3; 16])?;
    row(
        "unwrap a case key (HPKE)",
        per_second(2_000, || {
            black_box(CaseKey::unwrap(&wrapped, &[3; 16], &staff)?);
            Ok(())
        })?,
    );
    row(
        "encrypt 1 KiB of case content (XChaCha20-Poly1305)",
        per_second(50_000, || {
            black_box(case_key.encrypt(&kib, &context)?);
            Ok(())
        })?,
    );
    let record = case_key.encrypt(&kib, &context)?;
    row(
        "decrypt 1 KiB of case content",
        per_second(50_000, || {
            black_box(case_key.decrypt(&record, &context)?);
            Ok(())
        })?,
    );
    let session = SessionKey::generate()?;
    let keyring = Keyring::new(StaffKeyPair::generate()?, OrgKey::generate_all(1)?);
    row(
        "seal a session keyring (staff keys + 4 org keys)",
        per_second(20_000, || {
            black_box(keyring.seal(&session, b"session")?);
            Ok(())
        })?,
    );
    let sealed_keyring = keyring.seal(&session, b"session")?;
    row(
        "open a session keyring",
        per_second(5_000, || {
            black_box(Keyring::open(&sealed_keyring, &session, b"session")?);
            Ok(())
        })?,
    );
    let index_key = BlindIndexKey::derive(&SecretKey::generate()?, "phone");
    row(
        "blind index of a value",
        per_second(200_000, || {
            black_box(index_key.index(b"+963 944 000 000"));
            Ok(())
        })?,
    );
    let signing = staff.signing();
    row(
        "Ed25519 sign 1 KiB",
        per_second(5_000, || {
            black_box(signing.sign(SignaturePurpose::AuditCheckpoint, &kib));
            Ok(())
        })?,
    );
    let signature = signing.sign(SignaturePurpose::AuditCheckpoint, &kib);
    let verifying = signing.verifying_key();
    row(
        "Ed25519 verify 1 KiB",
        per_second(5_000, || {
            verifying.verify(SignaturePurpose::AuditCheckpoint, &kib, &signature)?;
            Ok(())
        })?,
    );

    println!();
    println!("| Argon2id | median of {RUNS} |");
    println!("| --- | ---: |");
    let production = KdfParams::production();
    let argon = median_time(|| Ok(production.run_probe()?))?;
    println!(
        "| production default (m = {} KiB, t = {}, p = {}) | {:.0} ms |",
        production.m_cost,
        production.t_cost,
        production.p_cost,
        argon.as_secs_f64() * 1e3
    );
    let password = Password::from("correct horse battery staple");
    let blob = staff.wrap_with_password(&password, &production)?;
    let unlock = median_time(|| {
        black_box(StaffKeyPair::unwrap_with_password(&blob, &password)?);
        Ok(())
    })?;
    println!(
        "| unlock staff keys with the password, production default | {:.0} ms |",
        unlock.as_secs_f64() * 1e3
    );
    let target = Duration::from_millis(500);
    let calibrated = calibrate(target, 64 * 1024, |params| {
        let started = Instant::now();
        match params.run_probe() {
            Ok(()) => started.elapsed(),
            Err(_) => Duration::MAX,
        }
    });
    let calibrated_time = median_time(|| Ok(calibrated.run_probe()?))?;
    println!(
        "| calibrated for {} ms at 64 MiB: t = {} | {:.0} ms |",
        target.as_millis(),
        calibrated.t_cost,
        calibrated_time.as_secs_f64() * 1e3
    );
    Ok(())
}
