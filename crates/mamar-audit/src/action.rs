//! What an entry records: the kind of act and how it ended. Each has a
//! stable text code that goes into the entry's hash and into the database;
//! a code, once shipped, never changes meaning and is never reused.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A text code that no version of mamar writes for this field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown audit code {0:?}")]
pub struct UnknownCode(pub String);

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(code: &str) -> Result<Self, UnknownCode> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err(UnknownCode(other.to_owned())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

coded_enum!(
    /// The kind of act an entry records.
    Action {
        /// A staff member logged in (password and second factor).
        LoginSucceeded = "login_succeeded",
        /// A login attempt failed (the actor is known only if the account exists).
        LoginFailed = "login_failed",
        /// An account was locked after repeated failures.
        LoginLocked = "login_locked",
        /// A staff member's keys were unlocked into a session.
        KeysUnlocked = "keys_unlocked",
        /// A staff member logged out.
        Logout = "logout",
        /// A session ended by idle or absolute time-out.
        SessionExpired = "session_expired",
        /// A staff member confirmed their password before a sensitive act.
        Reauthenticated = "reauthenticated",
        /// A case (or request) was opened and shown.
        CaseRead = "case_read",
        /// A case (or request) was changed.
        CaseWritten = "case_written",
        /// A case was deleted.
        CaseDeleted = "case_deleted",
        /// A staff member was assigned to a case.
        CaseAssigned = "case_assigned",
        /// A staff member was taken off a case (the case was re-keyed).
        CaseUnassigned = "case_unassigned",
        /// A signed reply was sent to a requester.
        ReplySent = "reply_sent",
        /// Data left mamar (an export of any kind).
        Export = "export",
        /// A staff member's roles changed.
        RoleChanged = "role_changed",
        /// An administrator invited a new staff member.
        StaffInvited = "staff_invited",
        /// An invitation was withdrawn or expired unused.
        InvitationRevoked = "invitation_revoked",
        /// An invitee set their password and joined.
        InvitationAccepted = "invitation_accepted",
        /// A staff member was disabled (their sessions end).
        StaffDisabled = "staff_disabled",
        /// A disabled staff member was enabled again.
        StaffEnabled = "staff_enabled",
        /// A staff member's password changed.
        PasswordChanged = "password_changed",
        /// A staff member set or changed their duress password.
        DuressPasswordSet = "duress_password_set",
        DuressPasswordRemoved = "duress_password_removed",
        /// A second factor (security key, passkey, TOTP) was enrolled.
        SecondFactorEnrolled = "second_factor_enrolled",
        /// A second factor was removed.
        SecondFactorRemoved = "second_factor_removed",
        /// The organisation's duress response was carried out.
        DuressResponse = "duress_response",
        /// Trustees' recovery shares were created.
        RecoveryCreated = "recovery_created",
        /// An administrator was restored from trustees' shares.
        RecoveryRestored = "recovery_restored",
        /// A new generation of an organisation key was made.
        OrgKeyRotated = "org_key_rotated",
        /// The signed contact card was published.
        CardPublished = "card_published",
        /// The panic action: every key destroyed.
        Panic = "panic",
        /// The audit log itself was read by an auditor.
        AuditRead = "audit_read",
        /// A signed checkpoint of the audit log was taken.
        AuditCheckpoint = "audit_checkpoint",
        /// The server's checkpoint key was certified with the organisation's signing key.
        AuditCheckpointKeyCertified = "audit_checkpoint_key_certified",
        /// The newest checkpoint was copied off the server (downloaded from the audit page).
        AuditCheckpointCopied = "audit_checkpoint_copied",
        CaseOpened = "case_opened",
        CaseStageChanged = "case_stage_changed",
        CaseFrozen = "case_frozen",
        ApprovalRequested = "approval_requested",
        ApprovalGranted = "approval_granted",
        ApprovalRefused = "approval_refused",
        /// A backup sealed to the trustees was written.
        BackupWritten = "backup_written",
        /// The database was restored from a backup with trustees' shares.
        BackupRestored = "backup_restored",
        /// A statistical release was signed and published (issue 21).
        ReleasePublished = "release_published",
        /// A case's identifying data was crypto-shredded (its retention period over, or its
        /// deletion approved by a second person); the object is the case's id.
        CaseShredded = "case_shredded",
        /// A retention run ended; the cases it shredded are the `case_shredded` entries
        /// before it (a count, never content).
        RetentionRun = "retention_run",
        /// A partner organisation was registered by its signed contact card.
        PartnerRegistered = "partner_registered",
        /// A second administrator confirmed a partner's card fingerprint.
        PartnerConfirmed = "partner_confirmed",
        /// A staff member was made a liaison of a partner.
        LiaisonSet = "liaison_set",
        /// A requester's consent to a referral was recorded (or approved).
        ConsentRecorded = "consent_recorded",
        /// A referral (or a handover) was offered to a partner.
        ReferralOffered = "referral_offered",
        /// A partner's liaison accepted or declined a referral.
        ReferralAnswered = "referral_answered",
        /// A referral was revoked: the partner's keys to it deleted.
        ReferralRevoked = "referral_revoked",
        /// A referral left as a file for a partner that runs its own mamar (signed, sealed).
        ReferralFileExported = "referral_file_exported",
        /// A referral file or its acknowledgement was imported (or refused: tampered,
        /// replayed, from an unknown sender, sealed to another organisation).
        ReferralFileImported = "referral_file_imported",
        /// Break-glass was set up: an escrow key split among the administrators.
        BreakGlassSetUp = "break_glass_set_up",
        /// Break-glass was re-shared among the current administrators under a new escrow key.
        BreakGlassReshared = "break_glass_reshared",
        /// An administrator asked to open a case by break-glass (the object is the case).
        BreakGlassRequested = "break_glass_requested",
        /// Another administrator approved it, handing over their share.
        BreakGlassApproved = "break_glass_approved",
        /// The asker opened the escrowed case key: a time-limited grant began.
        BreakGlassOpened = "break_glass_opened",
        /// A break-glass grant ended (its time was over): the grant deleted, the case due a new key.
        BreakGlassExpired = "break_glass_expired",
        /// The requester withdrew their consent to share with a partner (on the follow-up
        /// page); the object is the case's id. Every live referral to that partner was revoked.
        ConsentWithdrawn = "consent_withdrawn",
        /// Someone leading a case asked to export its records, with a reason.
        ExportRequested = "export_requested",
        /// A second person granted an export that someone else asked for.
        ExportGranted = "export_granted",
        /// The person who asked downloaded a granted export (once; the file's content is not
        /// kept, nor its passphrase).
        ExportDownloaded = "export_downloaded",
    }
);

coded_enum!(
    /// How the act ended.
    Outcome {
        /// It happened.
        Ok = "ok",
        /// It was refused (wrong credentials, not allowed).
        Denied = "denied",
        /// It was attempted and failed for another reason.
        Failed = "failed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(seen.insert(action.code()), "{action:?}");
            assert_eq!(action.code().parse::<Action>(), Ok(*action));
            assert!(action.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
        for outcome in Outcome::ALL {
            assert_eq!(outcome.code().parse::<Outcome>(), Ok(*outcome));
        }
        assert!("Panic".parse::<Action>().is_err());
        assert!("".parse::<Outcome>().is_err());
    }

    #[test]
    fn shipped_codes_never_change() {
        // These codes are inside stored hashes: changing one breaks every old log.
        assert_eq!(Action::LoginSucceeded.code(), "login_succeeded");
        assert_eq!(Action::Panic.code(), "panic");
        assert_eq!(Action::AuditCheckpoint.code(), "audit_checkpoint");
        assert_eq!(Action::OrgKeyRotated.code(), "org_key_rotated");
        assert_eq!(Outcome::Denied.code(), "denied");
    }
}
