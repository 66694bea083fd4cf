//! mamar-web
