//! The web crate's tests: HTTP behaviour, translations and the browser.
//! One test binary, so the 2-core CI links it once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod assets;
mod authz;
mod browser;
mod browser_breakglass;
mod browser_cases;
mod browser_export;
mod browser_journey;
mod browser_nav;
mod browser_partners;
mod browser_public;
mod browser_security;
mod browser_staff;
mod cases;
mod checkpoints;
mod closed;
mod conversation;
mod dashboard;
mod decoy;
mod export;
mod http;
mod i18n;
mod intake;
mod journey;
mod login_attack;
mod partners;
mod releases;
mod security;
mod staff;
mod support;
mod total;
mod verifier;
