-- Referral files between organisations that each run mamar (issue 16): the id of every referral
-- file and acknowledgement this server imported, so that a replayed file is refused. Visible at
-- rest by design: a random id chosen by the sending server, the kind of file and the day it was
-- imported. Nothing here names a case, a partner or a person.
CREATE TABLE referral_file_seen (
    file_id  BYTEA PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('referral', 'acknowledgement')),
    seen_day BIGINT NOT NULL
);
