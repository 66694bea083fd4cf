//! Multiple systems estimation (log-linear and LCMCR) for mamar. No I/O.
