-- A security key's name: its owner's own label, sealed to their own key (a label may name a person,
-- a phone or a place) under the credential's id; NULL when no name was given.
ALTER TABLE staff_webauthn ADD COLUMN name_sealed BYTEA;

-- The requester's conversation. sent_month: the month a message was sent, never a day or a time
-- (NULL for messages stored before this column). own_copy: what the requester wrote, sealed to
-- their codename-derived key so that they alone can read it again (NULL for replies, and for
-- messages stored before this column). Both go with the row: deleted with the request, when a case
-- is opened from it (for the messages the case took in), and by shredding.
ALTER TABLE intake_message ADD COLUMN sent_month TEXT;
ALTER TABLE intake_message ADD COLUMN own_copy BYTEA;
