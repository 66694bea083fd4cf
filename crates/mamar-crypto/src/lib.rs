//! Keys, envelopes, sealing, signatures, blind indexes and secret types for mamar. No I/O.
