//! mamar-core's integration tests: one test binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod answers;
mod case;
mod codename;
mod facets;
mod plan;
mod questionnaire_config;
mod questionnaire_validate;
