//! Dice coefficients of bit strings: 2·|A∧B| / (|A| + |B|), computed with the processor's
//! population count where it has one (chosen at run time), with a portable fallback that gives
//! the same results.

/// A store of equal-length encodings, contiguous in memory, with their bit counts.
#[derive(Debug, Clone, Default)]
pub struct ClkStore {
    words: usize,
    data: Vec<u64>,
    ones: Vec<u32>,
}

impl ClkStore {
    pub fn new(words: usize) -> ClkStore {
        ClkStore {
            words,
            data: Vec::new(),
            ones: Vec::new(),
        }
    }

    pub fn push(&mut self, clk: &[u64]) {
        let mut padded = clk.to_vec();
        padded.resize(self.words, 0);
        self.ones.push(padded.iter().map(|w| w.count_ones()).sum());
        self.data.extend_from_slice(&padded);
    }

    pub fn len(&self) -> usize {
        self.ones.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ones.is_empty()
    }

    pub fn words(&self) -> usize {
        self.words
    }

    pub fn get(&self, index: usize) -> Option<(&[u64], u32)> {
        let start = index.checked_mul(self.words)?;
        let words = self.data.get(start..start + self.words)?;
        Some((words, *self.ones.get(index)?))
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = (&[u64], u32)> {
        self.data
            .chunks_exact(self.words.max(1))
            .zip(self.ones.iter().copied())
    }
}

/// The Dice coefficient of two encodings.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    let ones: u32 = a.iter().chain(b).map(|w| w.count_ones()).sum();
    if ones == 0 {
        return 0.0;
    }
    2.0 * f64::from(and_count(a, b)) / f64::from(ones)
}

#[inline(always)]
fn and_count(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
}

/// The population-count implementation in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Plain Rust, any processor.
    Portable,
    /// x86-64 with the POPCNT instruction.
    Popcnt,
    /// x86-64 with AVX-512 VPOPCNTDQ.
    Avx512,
}

/// The fastest kernel this processor supports.
pub fn kernel() -> Kernel {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
        {
            return Kernel::Avx512;
        }
        if std::arch::is_x86_feature_detected!("popcnt") {
            return Kernel::Popcnt;
        }
    }
    Kernel::Portable
}

/// Appends to `out` every (index, Dice) of `list` whose Dice with `query` is at least
/// `threshold`; returns the number of comparisons made.
#[inline(always)]
fn scan_body(
    query: &[u64],
    query_ones: u32,
    list: &ClkStore,
    threshold: f32,
    base: u32,
    out: &mut Vec<(u32, f32)>,
) -> u64 {
    // Common lengths get a loop the compiler unrolls completely.
    match list.words {
        8 => return scan_fixed::<8>(query, query_ones, list, threshold, base, out),
        16 => return scan_fixed::<16>(query, query_ones, list, threshold, base, out),
        32 => return scan_fixed::<32>(query, query_ones, list, threshold, base, out),
        _ => {}
    }
    let mut index = base;
    for (row, ones) in list.rows() {
        let common = and_count(query, row);
        let total = query_ones + ones;
        if total > 0 && 2.0 * common as f32 >= threshold * total as f32 {
            out.push((index, 2.0 * common as f32 / total as f32));
        }
        index = index.wrapping_add(1);
    }
    list.len() as u64
}

#[inline(always)]
fn scan_fixed<const W: usize>(
    query: &[u64],
    query_ones: u32,
    list: &ClkStore,
    threshold: f32,
    base: u32,
    out: &mut Vec<(u32, f32)>,
) -> u64 {
    let Ok(query) = <&[u64; W]>::try_from(query) else {
        return 0;
    };
    let mut index = base;
    for (row, &ones) in list.data.chunks_exact(W).zip(&list.ones) {
        let Ok(row) = <&[u64; W]>::try_from(row) else {
            continue;
        };
        let mut common = 0u32;
        for i in 0..W {
            common += (query[i] & row[i]).count_ones();
        }
        let total = query_ones + ones;
        if total > 0 && 2.0 * common as f32 >= threshold * total as f32 {
            out.push((index, 2.0 * common as f32 / total as f32));
        }
        index = index.wrapping_add(1);
    }
    list.len() as u64
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn scan_popcnt(
    query: &[u64],
    query_ones: u32,
    list: &ClkStore,
    threshold: f32,
    out: &mut Vec<(u32, f32)>,
) -> u64 {
    scan_body(query, query_ones, list, threshold, 0, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq,popcnt")]
fn scan_avx512(
    query: &[u64],
    query_ones: u32,
    list: &ClkStore,
    threshold: f32,
    out: &mut Vec<(u32, f32)>,
) -> u64 {
    scan_body(query, query_ones, list, threshold, 0, out)
}

/// Compares `query` with every encoding of `list` using `kernel` (a kernel the processor lacks
/// falls back to the portable one). Appends (index, Dice) at or above `threshold` to `out`
/// and returns the number of comparisons.
#[allow(unsafe_code)]
pub fn scan(
    kernel: Kernel,
    query: &[u64],
    list: &ClkStore,
    threshold: f32,
    out: &mut Vec<(u32, f32)>,
) -> u64 {
    let query_ones: u32 = query.iter().map(|w| w.count_ones()).sum();
    #[cfg(target_arch = "x86_64")]
    {
        if kernel == Kernel::Avx512
            && std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
            && std::arch::is_x86_feature_detected!("popcnt")
        {
            // SAFETY: the three features `scan_avx512` is compiled for were detected on this
            // processor just above.
            return unsafe { scan_avx512(query, query_ones, list, threshold, out) };
        }
        if kernel != Kernel::Portable && std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: POPCNT, the one feature `scan_popcnt` is compiled for, was detected on this
            // processor just above.
            return unsafe { scan_popcnt(query, query_ones, list, threshold, out) };
        }
    }
    let _ = kernel;
    scan_body(query, query_ones, list, threshold, 0, out)
}
