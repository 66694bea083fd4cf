-- Issue 16: a requester can withdraw a consent on the follow-up page, and the staff navigation
-- counts what waits on referrals. Visible at rest by design, like the rest of these tables: the
-- day a consent was withdrawn; whether the case's coordinators have seen a partner's answer to a
-- referral, or a withdrawal (news of each stays counted until a coordinator opens the case).
ALTER TABLE referral_consent ADD COLUMN withdrawn_day BIGINT;
ALTER TABLE referral_consent ADD COLUMN withdrawal_seen BIGINT NOT NULL DEFAULT 1 CHECK (withdrawal_seen IN (0, 1));
-- Answers given before this version count as seen.
ALTER TABLE referral ADD COLUMN answer_seen BIGINT NOT NULL DEFAULT 1 CHECK (answer_seen IN (0, 1));
