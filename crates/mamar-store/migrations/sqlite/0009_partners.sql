-- Partner organisations, consents and referrals (issue 16). Visible at rest by design: a partner's
-- public names, its signed contact card and fingerprint (public documents), who registered and who
-- confirmed it, which staff are its liaisons; which case consented to which partner and the codes
-- of the fields consented to; which case was referred to which partner, the field codes shared,
-- the referral's status and the day it was offered. What a referral shares is ciphertext under a
-- referral key wrapped only to the partner's liaisons (referral_grant).
CREATE TABLE partner (
    id            BLOB PRIMARY KEY,
    name_ar       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    card          TEXT NOT NULL,
    fingerprint   BLOB NOT NULL UNIQUE,
    registered_by BLOB NOT NULL REFERENCES staff (id),
    confirmed_by  BLOB REFERENCES staff (id),
    CHECK (confirmed_by IS NULL OR confirmed_by <> registered_by)
) STRICT;

-- A liaison account belongs to exactly one partner.
CREATE TABLE partner_liaison (
    staff_id   BLOB PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
    partner_id BLOB NOT NULL REFERENCES partner (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE referral_consent (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    partner_id  BLOB NOT NULL REFERENCES partner (id) ON DELETE CASCADE,
    fields      TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('requester', 'call')),
    recorded_by BLOB REFERENCES staff (id),
    approved_by BLOB REFERENCES staff (id),
    CHECK (approved_by IS NULL OR recorded_by IS NULL OR approved_by <> recorded_by)
) STRICT;
CREATE INDEX referral_consent_by_case ON referral_consent (case_id);

CREATE TABLE referral (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    partner_id  BLOB NOT NULL REFERENCES partner (id) ON DELETE CASCADE,
    fields      TEXT NOT NULL,
    handover    INTEGER NOT NULL CHECK (handover IN (0, 1)),
    sealed      BLOB NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'revoked')),
    offered_by  BLOB NOT NULL REFERENCES staff (id),
    answered_by BLOB REFERENCES staff (id),
    seen        INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),
    offered_day INTEGER NOT NULL,
    CHECK (answered_by IS NULL OR handover = 0 OR answered_by <> offered_by)
) STRICT;
CREATE INDEX referral_by_case ON referral (case_id);
CREATE INDEX referral_by_partner ON referral (partner_id);

CREATE TABLE referral_grant (
    referral_id BLOB NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
    staff_id    BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    wrapped     BLOB NOT NULL,
    PRIMARY KEY (referral_id, staff_id)
) STRICT;
CREATE INDEX referral_grant_by_staff ON referral_grant (staff_id);
