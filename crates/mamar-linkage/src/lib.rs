//! Arabic-aware name normalisation, record linkage and privacy-preserving CLK matching. No I/O.

pub mod blocking;
pub mod clk;
pub mod cluster;
pub mod compact;
pub mod compare;
pub mod household;
pub mod link;
pub mod model;
pub mod name;
pub mod normalize;
pub mod place;
pub mod record;
pub mod similarity;
pub mod synth;
