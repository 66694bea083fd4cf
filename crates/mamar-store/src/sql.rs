//! SQL both backends share, written with `?` placeholders. PostgreSQL
//! numbers its placeholders; [`numbered`] rewrites them.

pub const INSERT_STAFF: &str =
    "INSERT INTO staff (id, username, roles, public_keys, wrapped_secret_keys) VALUES (?, ?, ?, ?, ?)";
pub const INSERT_GRANT: &str =
    "INSERT INTO org_key_grant (kind, generation, staff_id, wrapped) VALUES (?, ?, ?, ?)";
pub const INSERT_SESSION: &str = "INSERT INTO staff_session \
     (id, staff_id, keyring, csrf_token, created_at, last_seen, stage, decoy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
pub const SELECT_SESSION: &str = "SELECT id, staff_id, keyring, csrf_token, created_at, last_seen, stage, decoy FROM staff_session WHERE id = ?";
pub const TOUCH_SESSION: &str = "UPDATE staff_session SET last_seen = ? WHERE id = ?";
pub const DELETE_SESSION: &str = "DELETE FROM staff_session WHERE id = ?";
pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM staff_session WHERE last_seen < ? OR created_at < ?";
pub const DELETE_RECOVERY: &str = "DELETE FROM recovery_bundle";
pub const INSERT_RECOVERY: &str = "INSERT INTO recovery_bundle (id, sealed) VALUES (1, ?)";
pub const SELECT_RECOVERY: &str = "SELECT sealed FROM recovery_bundle WHERE id = 1";
pub const INSERT_CASE: &str = "INSERT INTO case_file (id, stage, opened_on) VALUES (?, ?, ?)";
pub const INSERT_CASE_GRANT: &str =
    "INSERT INTO case_key_grant (case_id, staff_id, wrapped) VALUES (?, ?, ?)";
pub const INSERT_CASE_RECORD: &str =
    "INSERT INTO case_record (id, case_id, kind, schema_version, ciphertext) VALUES (?, ?, ?, ?, ?)";
pub const COUNT_CASES: &str = "SELECT COUNT(*) FROM case_file";
pub const UPDATE_STAFF_KEYS: &str = "UPDATE staff SET wrapped_secret_keys = ? WHERE id = ?";
pub const SELECT_CASE_GRANTS: &str =
    "SELECT staff_id, wrapped FROM case_key_grant WHERE case_id = ? ORDER BY staff_id";
pub const SELECT_CASE_RECORDS: &str =
    "SELECT id, kind, schema_version, ciphertext FROM case_record WHERE case_id = ? ORDER BY seq, id";
pub const DELETE_CASE_GRANTS: &str = "DELETE FROM case_key_grant WHERE case_id = ?";
pub const UPDATE_CASE_RECORD: &str = "UPDATE case_record SET ciphertext = ? WHERE id = ? AND case_id = ?";
pub const SELECT_ORG_KEY_HOLDERS: &str = "SELECT DISTINCT s.id, s.public_keys FROM staff s \
     JOIN org_key_grant g ON g.staff_id = s.id WHERE g.kind = ? AND s.disabled = ? ORDER BY s.id";
pub const SELECT_ORG_PUBLIC_KEY: &str = "SELECT public_part FROM org_key WHERE kind = ? AND public_part IS NOT NULL ORDER BY generation DESC LIMIT 1";
pub const INSERT_ORG_KEY: &str = "INSERT INTO org_key (kind, generation, public_part) VALUES (?, ?, ?)";

/// The statements of the panic action, in order; each reports rows affected.
pub const DESTROY: [&str; 17] = [
    "DELETE FROM staff_session",
    "DELETE FROM org_key_grant",
    "DELETE FROM case_key_grant",
    // The public half of the signing key stays: it is public, and without it a genuine signed
    // reply or card could no longer be told from a forgery.
    "DELETE FROM org_key WHERE kind <> 'signing'",
    "DELETE FROM recovery_bundle",
    // An open invitation would let someone create an account on a server that has just been
    // given up for lost.
    "DELETE FROM staff_invitation",
    // The second factor is sealed to the destroyed keys and the duress keys are throwaways; neither
    // is worth keeping, and a restored account enrols afresh.
    "UPDATE staff SET wrapped_secret_keys = ?, disabled = ?, totp_sealed = NULL, totp_last_step = NULL, \
     duress_keys = NULL",
    // Replies are sealed to keys derived from the requester's codename, which the panic cannot
    // reach: their copies for the requester are erased so that nobody, codename or not, reads one
    // again. The organisation's copy, sealed to the destroyed keys, stays for a restore.
    "UPDATE intake_message SET sealed = substr(sealed, 1, 0) WHERE NOT from_requester",
    // The requester's own copies of what they wrote are sealed to the same codename-derived keys:
    // erased for the same reason. (The organisation's copy stays, sealed to the destroyed keys.)
    "UPDATE intake_message SET own_copy = NULL WHERE own_copy IS NOT NULL",
    // And so is the requester's own copy of their first request, under a key derived from the
    // same codename. Emptied rather than NULL: NULL says "made before copies were kept", and the
    // conversation tells the two apart.
    "UPDATE intake_request SET own_copy = substr(own_copy, 1, 0) WHERE length(own_copy) > 0",
    // Referral keys wrapped to partners' liaisons (counted with the case-key grants).
    "DELETE FROM referral_grant",
    // Break-glass: every case key's escrow wrap, the administrators' shares (and those handed to
    // an asker), the escrow public key, and the requests with their sealed reasons.
    "DELETE FROM case_escrow",
    "DELETE FROM break_glass_share",
    "DELETE FROM break_glass_approval",
    "DELETE FROM break_glass_key",
    "DELETE FROM break_glass_reason",
    "DELETE FROM break_glass_request",
];

/// What the [`DESTROY`] statements removed, from their row counts in order.
pub fn destroy_report(affected: [u64; DESTROY.len()]) -> crate::DestroyReport {
    let [
        sessions,
        org_key_grants,
        case_key_grants,
        org_keys,
        recovery_bundles,
        invitations,
        staff_keys,
        replies,
        own_copies,
        first_request_copies,
        referral_grants,
        escrow_wraps,
        break_glass_shares,
        break_glass_handed,
        break_glass_keys,
        _break_glass_reasons,
        _break_glass_requests,
    ] = affected;
    crate::DestroyReport {
        staff_keys,
        org_keys,
        org_key_grants,
        case_key_grants: case_key_grants + referral_grants + escrow_wraps,
        break_glass: break_glass_shares + break_glass_handed + break_glass_keys,
        sessions,
        recovery_bundles,
        invitations,
        replies,
        own_copies: own_copies + first_request_copies,
    }
}

/// `?, ?` → `$1, $2`. None of our statements holds a literal question mark.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

pub const INSERT_INTAKE_REQUEST: &str = "INSERT INTO intake_request \
     (id, lookup_tag, requester_key, sealed, intake_generation, received_month, own_copy) \
     VALUES (?, ?, ?, ?, ?, ?, ?)";
/// New requests inserted by one statement at most: a group commit sends a
/// run of them in one round trip to the database (7 parameters a row, far
/// below either backend's limit).
pub const INTAKE_REQUESTS_PER_INSERT: usize = 128;

/// [`INSERT_INTAKE_REQUEST`] for `rows` rows.
pub fn insert_intake_requests(rows: usize) -> String {
    let mut sql = String::from(INSERT_INTAKE_REQUEST);
    for _ in 1..rows {
        sql.push_str(", (?, ?, ?, ?, ?, ?, ?)");
    }
    sql
}
pub const INSERT_INTAKE_MESSAGE: &str = "INSERT INTO intake_message \
     (id, request_id, from_requester, sealed, key_generation, signature, staff_copy, sent_month, own_copy) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
pub const DELETE_INTAKE_REQUEST: &str = "DELETE FROM intake_request WHERE id = ?";
pub const INTAKE_REQUEST_COLUMNS: &str = "SELECT id, lookup_tag, requester_key, sealed, intake_generation, received_month, own_copy FROM intake_request";
pub const SELECT_INTAKE_MESSAGES: &str = "SELECT id, request_id, from_requester, sealed, key_generation, signature, staff_copy, \
     sent_month, own_copy \
     FROM intake_message WHERE request_id = ? ORDER BY seq";
pub const SELECT_SETTING: &str = "SELECT value FROM org_setting WHERE name = ?";
pub const INSERT_SETTING_IF_ABSENT: &str =
    "INSERT INTO org_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
pub const UPSERT_SETTING: &str = "INSERT INTO org_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value";

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_of_requests_is_one_statement() {
        assert_eq!(super::insert_intake_requests(1), super::INSERT_INTAKE_REQUEST);
        let three = super::insert_intake_requests(3);
        assert_eq!(three.matches('?').count(), 21);
        assert!(three.ends_with("(?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?)"));
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(super::numbered("a = ? AND b = ?"), "a = $1 AND b = $2");
    }
}
