-- The requester's own copy of their first request: what they typed into the form, sealed under a
-- key derived from their codename (XChaCha20-Poly1305; mamar_crypto::OwnCopyKey), so that they
-- alone can read it again in their conversation. Written in the same statement as the request by
-- the intake writer. NULL for requests made before this column (the conversation says so); erased
-- (set to an empty value) by the panic, like the copies of later messages; it goes with the row
-- when the requester deletes the request and when the case it became is shredded. Opening a case
-- from the request leaves it: it is the requester's, and no staff key opens it.
ALTER TABLE intake_request ADD COLUMN own_copy BLOB;
