//! mamar-store
