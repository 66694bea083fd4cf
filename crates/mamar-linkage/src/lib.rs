//! Arabic-aware name normalisation, record linkage and privacy-preserving CLK matching. No I/O.
