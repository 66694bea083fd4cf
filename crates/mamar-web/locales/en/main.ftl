## Layout
site-tagline = Safe passage out of armed service
skip-to-content = Skip to content
language-switcher = Language
footer-privacy = This site loads nothing from other sites, stores no visitor addresses and works without JavaScript.

## Landing page
landing-title = Leave armed service safely
landing-lead = { $org } helps soldiers, officers, police and security-service members who want to leave their service, and conscripts escaping forced service, reach a safe place.
landing-how-title = How it works
landing-how-1 = You contact us anonymously and tell us only what we need to help.
landing-how-2 = You receive a secret codename. With it you come back, read our replies and answer.
landing-how-3 = A small team plans your exit with partners, in secret, and receives you in a safe area. You decide whether to stay there or move on.
landing-safety-title = Before you write
landing-safety = Use a device and a connection that nobody watches. Never send us military information: no positions, no unit strengths, no targets. We do not need it and will not ask for it.
landing-verify = Check that this page really belongs to { $org } before you trust it.

## First-run setup
setup-title = mamar is not set up yet
setup-lead = This server has no organisation yet. An administrator finishes the setup on the server itself, in { $count ->
    [one] one step
   *[other] { $count } steps
  }:
setup-step-init = Create the organisation and its first administrator:
setup-step-restart = Reload this page. The public call page appears here once setup is done.
setup-help = Run mamar init --help to see every option, or run mamar init without options to be asked each question.

## Errors
error-title = Something went wrong
error-not-found-title = Page not found
error-not-found = There is no page at this address. Check the address, or go back to the start page.
error-internal = We could not complete this request. Nothing you sent before was lost. Please try again in a moment.
error-bad-request = We could not read this request. Please go back and try again.
error-too-large = What you sent is too large. Please shorten it and try again.
error-busy = We are receiving many requests right now. Please try again in a minute.
error-back-home = Back to the start page
error-back-workspace = Back to the workspace
error-waiting-for-keys-title = Waiting for your keys
error-waiting-for-keys = Your account is ready, but an administrator still has to give it the keys of your roles. The accounts page shows them that you are waiting; this page opens once they have.

## Staff: login and home
staff-login-title = Staff login
staff-username = User name
staff-password = Password
staff-login-submit = Log in
staff-login-failed = Login failed: the user name or password is wrong, or the account is protected after several failed attempts.
staff-login-code-label = Code from your authenticator app (only if your right password was refused)
staff-login-code-hint = After several failed attempts on an account, a browser it has not logged in from needs the password and the current code together. Your usual browser is not held back.
staff-home-title = Your workspace
staff-signed-in-as = You are logged in as { $name }.
staff-keys-unlocked = Keys unlocked for this session
staff-keys-explained = These keys are open only while you are logged in. Logging out, or leaving the session unused for 30 minutes, locks them again.
staff-logout = Log out
key-kind-intake = Intake (reading new requests)
key-kind-analytics = Analytics (statistics)
key-kind-linkage = Linkage (matching lists)
key-kind-signing = Signing (the organisation's signature)

## Help: safer ways to connect
help-title = Safer ways to reach us
help-lead = Reaching out can put you at risk if someone watches your phone or your connection. These steps lower the risk.
help-device-title = Your device
help-device-1 = Use a device that nobody else checks or can take from you, ideally one that is not registered in your name.
help-device-2 = Do not save this site in your bookmarks or history; close the browser when you are done.
help-device-3 = Do not write your codename down where it can be found. Learn it by heart.
help-tor-title = Tor Browser
help-tor-1 = Tor Browser hides which sites you visit from whoever watches your connection, and hides your address from us.
help-tor-2 = Set its security level to "Safest". This site works fully without JavaScript.
help-tor-3 = If we publish an onion address, use it: check it on the verification page first.
help-channels-title = Phones and messaging apps
help-channels-1 = Phone calls and apps such as Telegram reveal more about you than this site does. Use them only when you must.
help-channels-2 = A message claiming to be from us is only genuine if its signature checks against our published fingerprint.
help-never-title = Never send
help-never = Never send military information: no positions, no unit strengths, no targets. We do not need it to help you and will not ask for it.
landing-help-link = Safer ways to reach us

## Contact form
contact-title = Ask for help
contact-no-military = Do not send military information: no positions, no unit strengths, no targets. We do not need it and will not ask for it.
contact-required = (required)
contact-codename-language = Language of your codename
contact-codename-language-help = After sending, you receive a secret codename made of words. Choose the language of its words.
contact-submit = Send my request
contact-errors =
    { $count ->
        [one] One answer needs your attention. Nothing was sent yet.
       *[other] { $count } answers need your attention. Nothing was sent yet.
    }
contact-bad-encoding = We could not read what you sent. Please check the text and send it again.
field-missing = Please answer this question.
field-not-an-option = Please choose one of the answers offered.
field-too-long = This answer is too long. Please shorten it.
field-control-character = This answer contains characters we cannot accept (invisible control or direction-changing characters). Please retype it.
field-invalid = This answer is not valid. Please check it.

## Codename
codename-title = Your request has been received
codename-received = Your request is stored safely. Only our team can read it.
codename-yours = This is your secret codename. It is shown only this once:
codename-keep-title = Keep your codename safe
codename-keep-1 = Learn it by heart. With it you can come back, read our replies and answer.
codename-keep-2 = Anyone who knows your codename can read our replies to you. Never share it.
codename-keep-3 = If you lose it, we cannot give it back: send a new request instead.
codename-follow-up-link = Come back later to read replies

## Follow-up
follow-up-title = Read replies
follow-up-lead = Enter your codename to read our replies, write to us again, or delete your request.
follow-up-codename = Your codename
follow-up-open = Open
follow-up-unknown = We found no request with this codename. Check the words and try again.
follow-up-too-many = Too many attempts right now. Please wait a minute and try again.
conversation-title = Your request
conversation-sent =
    { $count ->
        [one] You have sent us one message (your first request included).
       *[other] You have sent us { $count } messages (your first request included).
    }
conversation-no-reply = No reply yet. Please come back later.
conversation-history = Our conversation
conversation-you-wrote = Your message
conversation-we-wrote = Our reply
conversation-earlier-not-shown = Messages you sent before this page kept a copy for you are not shown here.
conversation-first-request = Your first request
conversation-first-nothing-typed = You wrote no text in your first request: you only chose answers, and those are not repeated here.
conversation-first-not-kept = Your first request cannot be shown: requests made before this version of our site kept no copy for you to read.
conversation-first-unavailable = Your first request can no longer be shown here.
# The month a message was sent, never a day or a time (Levantine month names in Arabic).
month-year = { $month ->
    [m01] January
    [m02] February
    [m03] March
    [m04] April
    [m05] May
    [m06] June
    [m07] July
    [m08] August
    [m09] September
    [m10] October
    [m11] November
   *[m12] December
    } { $year }
conversation-signature-valid = Signed by the organisation: the signature checks.
conversation-signature-invalid = Warning: this reply's signature does not check. Do not trust it.
conversation-signature-details = Check the signature yourself
conversation-fingerprint = The organisation's key fingerprint:
conversation-write = Write to us again
conversation-message = Your message
conversation-send = Send
conversation-sent-notice = Your message has been received.
conversation-empty-message = Please write a message before sending.
conversation-delete-title = Delete your request
conversation-delete-explained = This wipes your request and every message in it from our server. It cannot be undone, and we cannot contact you afterwards.
conversation-delete-confirm = Yes, delete my request and all its messages
conversation-delete = Delete
conversation-delete-unconfirmed = Tick the box to confirm the deletion.
deleted-title = Your request is deleted
deleted-explained = Your request and all its messages have been wiped from our server. Your codename no longer opens anything.

## Staff inbox
inbox-title = New requests
inbox-empty = No requests yet.
inbox-request = Request received in { $month }
inbox-reference = Reference in the audit log:
inbox-unreadable = This request is sealed to an intake key you do not hold.
inbox-from-requester = Requester:
inbox-from-staff = Our reply:
inbox-reply = Reply (signed by the organisation and readable only with the requester's codename)
inbox-send-reply = Send reply
inbox-no-intake-key = Your role does not hold the intake key, so you cannot read new requests.
staff-inbox-link = Read new requests
landing-contact-link = Ask for help
landing-follow-up-link = I already have a codename

## Verification
verify-title = Check that this channel is really ours
verify-lead = Fake offers have been used as traps. Before you trust a page, a phone number or a bot that claims to be ours, check it against our key's fingerprint, which we publish in several places.
verify-no-key = This server has no signing key yet.
verify-fingerprint = Our key's fingerprint
verify-qr = The same fingerprint as a QR code
verify-qr-alt = QR code of the organisation's key fingerprint
verify-card = Our signed contact card
verify-no-card = The contact card has not been published yet.
verify-card-download = Download the signed card (card.txt)
verify-phone-title = Check with a phone alone
verify-phone-intro = These are our key's fingerprint words. We publish the same words, in the same order, on our other channels.
verify-phone-1 = Find our fingerprint words in a place this page does not control: a printed flyer, a person you trust, or another of our channels:
verify-phone-2 = Compare them word by word, in order. Every word must be the same.
verify-phone-3 = If a single word differs, or you cannot find our words anywhere else, do not trust this page and send nothing here.
verify-phone-not-enough = A page that only says "signature valid" proves nothing: an impostor can print that too. Only words you compare yourself, from two places, show that it is us.
verify-get-mamar = The command is mamar-verify, a small program for computers: free software built from the same code our server runs. It works without the internet and sends nothing. It answers in Arabic or English (--lang ar or --lang en) and ends with VALID or NOT VALID.
verify-tool-title = Get the verifier
verify-tool-downloads = Our builds of the verifier. Check a file's SHA-256 before you run it:
verify-tool-sha = Compute the SHA-256 of the file you saved (Linux: sha256sum FILE; Mac: shasum -a 256 FILE; Windows: certutil -hashfile FILE SHA256) and compare it with the one listed here and with the one on our other channels. If they differ, do not run the file.
verify-tool-none = This server offers no build of the verifier. Get it from a person you trust, or build it yourself from the source code.
verify-tool-build = To build it yourself from mamar's published source code (Rust needed), in the source folder:
verify-tool-exit = Its exit code is 0 when the card or reply is valid, 1 when it is not, and 2 when it could not check (a missing file, a wrong option).
verify-how-title = Check with a computer, offline
verify-how-1 = Compare this fingerprint (the letters and digits, or the QR code) with one you got from somewhere else: a printed flyer, a trusted person, another of our channels. All must be the same.
verify-how-2 = Download the signed card.
verify-how-3 = Run the command below on your own computer. It says whether the card was signed by the key with that fingerprint and is still valid. Our replies to you carry the same signature.
landing-verify-link = Check that this page is really ours
conversation-check-offline = With a computer: save the block below as a text file and check it with the command under it. Compare nothing in the block by eye: its key line is not the fingerprint.
conversation-check-phone = With a phone: "the signature checks" is what this server says, and an impostor can say it too. Compare our fingerprint words with those on our other channels.

## Staff: accounts, second factor, duress
error-forbidden = This page is not open to your role. If you think you need it, ask an administrator.
staff-login-welcome = Your account is ready. Log in with your new password; you will then set up a second factor.
staff-login-logged-out = You have logged out. The keys of your session are destroyed.
staff-code-title = Second factor
staff-code-explained = Enter the six-digit code your authenticator app shows now.
staff-code-failed = That code is not right, or it was used already. Wait for the next code and try again.
staff-code-label = Code
staff-code-submit = Continue
staff-cancel-login = Cancel and log out
staff-enrol-title = Set up your second factor
staff-enrol-explained = Every login needs your password and a code from an authenticator app on a device you keep with you. Set it up now.
staff-enrol-step-scan = Scan this code with the authenticator app,
staff-enrol-qr-alt = QR code holding the secret for your authenticator app
staff-enrol-step-type = or type this secret into it:
staff-enrol-step-confirm = then enter the code the app shows, to prove it works.
staff-enrol-submit = Confirm and continue
staff-invitation-title = Set up your account
staff-invitation-for = You have been invited to join as { $name }. Choose your password: nobody else, administrators included, will ever see it.
staff-password-advice = Use at least 12 characters; a few unrelated words make a good password. Common or leaked passwords are refused.
staff-new-password = New password
staff-new-password-again = The same password again
staff-invitation-submit = Create my account
staff-security-title = Your account's safety
staff-back-home = Back to your workspace
staff-duress-title = Duress password
staff-duress-explained = If someone forces you to log in, use this password instead of your own. You will see an empty workspace, and the organisation's chosen response happens silently: your keys may be destroyed and the administrators alerted. Nothing on the screen shows it.
staff-duress-is-set = A duress password is set.
staff-duress-not-set = No duress password is set.
staff-duress-new = Duress password
staff-current-password = Your current password
staff-password-title = Your password
staff-password-change = Change my password
staff-password-changed = Your password is changed. Use the new one from your next login.
staff-password-same-as-duress = The new password must differ from your duress password.
staff-duress-save = Save the duress password
staff-duress-remove = Remove the duress password
staff-duress-set = The duress password is saved.
staff-duress-removed = The duress password is removed.
staff-duress-same = The duress password must differ from your own password.
staff-accounts-title = Accounts
staff-accounts-link = Accounts and invitations
staff-security-link = Your account's safety
staff-nav = Workspace
staff-invite-link-explained = Send this invitation link to the person over a safe channel. It works once, for 72 hours.
staff-alerts-title = Alerts
staff-alert-duress = A duress password was used to log in to the account { $name }.
staff-accounts-list = People
staff-account-disabled = This account is disabled.
staff-account-keys-missing = Waiting for keys: its roles need organisation keys it does not hold yet. Give them below with your password.
staff-grant-keys = Give the keys of its roles
staff-waiting-for-keys =
    { $count ->
        [one] One person is waiting for the keys of their roles:
       *[other] { $count } people are waiting for the keys of their roles:
    }
staff-roles = Roles
staff-your-password = Your password, to confirm
staff-roles-save = Save roles and keys
staff-account-enable = Enable the account
staff-account-disable = Disable the account
staff-invitations-title = Open invitations
staff-invitation-expired = expired
staff-invitation-revoke = Revoke
staff-invite-title = Invite someone
staff-username-advice = Use a pseudonym of 3 to 64 letters a–z, digits, dots, dashes or underscores: user names are visible on the server.
staff-invite-submit = Create the invitation
staff-invite-created = The invitation is created.
staff-invite-bad-username = That user name cannot be used: 3 to 64 characters a–z, 0–9, '.', '_' or '-', starting with a letter.
staff-invite-no-role = Choose at least one role.
staff-invite-taken = An account or an open invitation has that user name already.
staff-reauth-failed = Your password was not right. Nothing was changed.
staff-duress-response-title = When a duress password is used
staff-duress-response-legend = What happens, besides the empty workspace
staff-duress-response-wipe = Destroy every key of that account, disable it, and alert the administrators
staff-duress-response-alert = Only alert the administrators
staff-save = Save
password-problem-too-short = The password needs at least 12 characters.
password-problem-too-long = The password may have at most 128 characters.
password-problem-common = That password is on the list of common or leaked passwords. Choose another.
password-problem-contains-username = The password must not contain the user name.
password-problem-repetitive = The password repeats one character or a simple sequence. Choose another.
password-problem-mismatch = The two passwords are not the same.
role-administrator = Administrator
role-intake-operator = Intake operator
role-vetting-officer = Vetting officer
role-exit-coordinator = Exit coordinator
role-reception-officer = Reception officer
role-analyst = Analyst
role-auditor = Auditor
role-partner-liaison = Partner liaison

## Staff: the audit log
audit-title = Audit log
audit-link = Audit log
audit-explained = Every security-relevant act is recorded here as ids and kinds only, each entry chained to the one before. Nobody can edit or delete an entry without the chain showing it.
audit-intact = The chain is intact: { $entries ->
        [one] one entry
       *[other] { $entries } entries
    } and { $checkpoints ->
        [one] one signed checkpoint
       *[other] { $checkpoints } signed checkpoints
    } verified.
audit-broken = The log has been altered: the chain is broken. Keep this page and tell the organisation's auditor and administrators.
audit-newest = The newest entries, newest first
audit-when = When (UTC)
audit-who = Who
audit-what = What
audit-object = Object
audit-outcome = Outcome
audit-action-login_succeeded = Logged in
audit-action-login_failed = Login failed
audit-action-login_locked = Login while locked out
audit-action-keys_unlocked = Keys unlocked
audit-action-logout = Logged out
audit-action-session_expired = Session expired
audit-action-reauthenticated = Password confirmed again
audit-action-case_read = Read a request or case
audit-action-case_written = Wrote to a case
audit-action-case_deleted = Deleted a case
audit-action-case_assigned = Assigned a case
audit-action-case_unassigned = Removed from a case
audit-action-reply_sent = Sent a reply
audit-action-export = Exported data
audit-action-role_changed = Changed roles
audit-action-staff_invited = Invited someone
audit-action-invitation_revoked = Revoked an invitation
audit-action-invitation_accepted = Accepted an invitation
audit-action-staff_disabled = Disabled an account
audit-action-staff_enabled = Enabled an account
audit-action-password_changed = Changed a password
audit-action-duress_password_set = Set a duress password
audit-action-duress_password_removed = Removed a duress password
audit-action-second_factor_enrolled = Set up a second factor
audit-action-second_factor_removed = Removed a second factor
audit-action-duress_response = Duress response carried out
audit-action-recovery_created = Created recovery shares
audit-action-recovery_restored = Restored access from recovery shares
audit-action-backup_written = Wrote a backup sealed to the trustees
audit-action-backup_restored = Restored the database from a backup
audit-action-release_published = Published a statistical release
audit-action-case_shredded = Destroyed a case's identifying data (crypto-shredding)
audit-action-retention_run = Ran retention: destroyed the closed cases past their period
audit-action-partner_registered = Registered a partner organisation
audit-action-partner_confirmed = Confirmed a partner's card fingerprint
audit-action-liaison_set = Made someone a partner liaison
audit-action-consent_recorded = Recorded consent to a referral
audit-action-referral_offered = Referred a case to a partner
audit-action-referral_answered = Answered a referral
audit-action-referral_revoked = Revoked a referral
audit-action-referral_file_exported = Sent a referral to a partner as a file
audit-action-referral_file_imported = Imported a referral file or its acknowledgement
audit-action-break_glass_set_up = Set up break-glass
audit-action-break_glass_reshared = Re-shared break-glass among the administrators
audit-action-break_glass_requested = Asked to open a case by break-glass
audit-action-break_glass_approved = Approved a break-glass request
audit-action-break_glass_opened = Opened a case by break-glass
audit-action-break_glass_expired = A break-glass grant ended
audit-action-org_key_rotated = Rotated an organisation key
audit-action-card_published = Published the contact card
audit-action-panic = Panic: keys destroyed
audit-action-audit_read = Read the audit log
audit-action-audit_checkpoint = Signed an audit checkpoint
audit-action-audit_checkpoint_key_certified = Certified the server's checkpoint key
audit-action-audit_checkpoint_copied = Copied a checkpoint off the server
audit-action-consent_withdrawn = Withdrew consent to share with a partner (the requester)
audit-action-export_requested = Asked to export a case
audit-action-export_granted = Granted an export of a case
audit-action-export_downloaded = Downloaded an export of a case
audit-checkpoints = Checkpoints to keep away from the server
audit-checkpoints-explained = A checkpoint is a signed summary of the log up to one entry. Keep copies away from this server, on another computer or on paper: with one, mamar audit verify --checkpoint proves that nothing up to its entry was changed, even by someone who has taken the server.
audit-checkpoint-scheduled = This server signs a new checkpoint on a schedule, with a key of its own that the organisation's signing key has certified.
audit-checkpoint-waiting = This server is not signing checkpoints on its own yet: its checkpoint key is certified when an administrator who holds the organisation's signing key logs in, again after every restart.
audit-checkpoint-newest = The newest checkpoint covers entry { $entry } and was signed on { $when } (UTC):
audit-checkpoint-none = No checkpoint has been signed yet.
audit-checkpoint-copy = Download it and note it as copied
audit-copy-never = No checkpoint has ever been copied off this server. Download the newest one and keep it somewhere else.
audit-copy-overdue = No checkpoint has been copied off this server since { $since } (UTC). Download the newest one and keep it somewhere else.
audit-copy-last = A checkpoint was last copied off this server on { $since } (UTC).
audit-outcome-ok = done
audit-outcome-denied = refused
audit-outcome-failed = failed

## Staff: security keys and passkeys
staff-key-explained = Touch your security key, or use the passkey on this device.
staff-key-use = Use my security key or passkey
staff-key-failed = The key did not answer, or its answer was not accepted. Try again, or use a code from your app.
staff-key-why-not-allowed = The key was not touched in time, or the request was cancelled.
staff-key-why-security = Security keys work only at this server's own address, the one `mamar serve` printed (on a trial http://localhost, not http://127.0.0.1): open this page there.
staff-key-why-known = This key is already registered to your account.
staff-key-why-refused = The server did not accept the key's answer.
staff-key-needs-script = Security keys need JavaScript in this browser; codes from the app work without it.
staff-enrol-key-title = A security key or passkey
staff-enrol-key-explained = The strongest second factor: a key you plug in or touch, or a passkey on this device. You can add more keys later.
staff-enrol-app-title = Or an authenticator app
staff-key-add = Add a security key or passkey
staff-keys-title = Security keys and passkeys
staff-key-added-on = A key added on { $date }
staff-key-remove = Remove this key
staff-key-removed = The key is removed: it no longer opens your account.
staff-key-unknown = That key is not one of yours.
staff-key-last = This is your only second factor: add another key or an authenticator app before removing it.
staff-key-name = Name of the key (your own label)
staff-key-name-hint = { $max ->
        [one] At most one character. A label only you see, such as "blue key" or "work phone"; leave out names of people and places.
       *[other] At most { $max } characters. A label only you see, such as "blue key" or "work phone"; leave out names of people and places.
    }
staff-key-rename = Save the name
staff-key-renamed = The key's name is saved.
staff-key-name-too-long = That name is too long. Please shorten it.
staff-key-name-invalid = A key's name is one line of ordinary text.
staff-app-title = Authenticator app
staff-app-is-set = Your account has an authenticator app for login codes.
staff-app-not-set = Your account has no authenticator app: only security keys confirm your logins.
staff-app-replace = Replace the authenticator app (new phone, lost phone)
staff-app-add = Add an authenticator app
staff-app-new-title = A new authenticator app
staff-app-new-explained = Set up the new app with the secret below. Your current app keeps working until you confirm with your password and a code from the new app; then only the new app's codes are accepted.
staff-app-new-confirm = Type the 6-digit code the new app shows, and your current password.
staff-app-new-code = Code from the new app
staff-app-new-submit = Use the new app from now on
staff-app-new-cancel = Back to your security page, keeping the current app
staff-app-code-failed = That code is not from the new app, or it is too old. Nothing has changed: type the code the new app shows now.
staff-app-replaced = The new authenticator app is in use. Codes from the old one no longer work.
staff-keys-count = { $count ->
        [one] One key can confirm your logins.
       *[other] { $count } keys can confirm your logins.
    }
staff-security-key-added = The key is added.

staff-reset-second-factor = Reset the second factor (a lost phone or key)
staff-role-names-title = Your names for the roles
staff-role-names-explained = Call the roles what your organisation calls them. A name changes only what people read: what each role may do stays the same. Leave a field empty to keep mamar's name.
staff-role-name-ar = Name in Arabic
staff-role-name-en = Name in English
staff-role-name-invalid = A role name must be one line of at most 60 characters, without hidden direction marks.

staff-panic-title = Destroy every key (panic)
staff-panic-lead = If the server is about to be seized, this makes everything it stores unreadable for good: for you too.
staff-panic-link = Go to the panic action
staff-panic-back = Back to accounts, destroying nothing
staff-panic-explained = This destroys every key on this server: every staff member's, the organisation's, every case key and the recovery material. What is stored stays, and nobody can ever read it again, not even with the trustees' shares. Everyone is logged out. There is no undo.
staff-panic-phrase = destroy all keys
staff-panic-type = To confirm, type: { $phrase }
staff-panic-phrase-wrong = The phrase was not typed exactly. Nothing was destroyed.
staff-panic-submit = Destroy every key now
staff-panic-done-title = Every key is destroyed
staff-panic-done = Every key on this server is destroyed. Nothing it stores can be read again.

## mamar verify (the command line check of a card or a reply)

verify-cli-valid = VALID: signed by the key with this fingerprint
verify-cli-valid-until = VALID: signed by the key with this fingerprint, valid until { $date }
verify-cli-expired = NOT VALID: the card expired on { $date }; ask the organisation for a current one
verify-cli-not-from-organisation = NOT VALID: the key in the file does not have the fingerprint you gave: this is not from the organisation
verify-cli-forged = NOT VALID: the signature does not match the contents: the file was changed or forged
verify-cli-bad-fingerprint = NOT VALID: the fingerprint must be 64 hex digits, the 20 fingerprint words, or the text of the QR code
verify-cli-damaged = NOT VALID: the file is damaged or is not a mamar card, reply or release ({ $detail })
verify-cli-org-ar = Organisation (Arabic)
verify-cli-org-en = Organisation (English)
verify-cli-web = Web
verify-cli-onion = Onion
verify-cli-hotline = Hotline
verify-cli-telegram = Telegram bot
verify-cli-valid-until-field = Valid until
verify-cli-release = Release
verify-cli-release-date = Published
verify-cli-release-period = Period
verify-cli-release-tables = Tables
verify-cli-release-note = Note

## mamar estimate --plot: the picture's labels (the reader's language; --lang)
estimate-plot-lists = { $lists ->
    [one] one list
   *[other] { $lists } lists
    }
estimate-plot-documented = documented
estimate-plot-documented-count = documented { $count }
estimate-plot-total-axis = total (documented + estimated unseen)
estimate-plot-bootstrap = bootstrap of the choice
estimate-plot-chain = chain { $number }
estimate-plot-draw-axis = kept draw (total on the vertical axis)
estimate-plot-posterior = posterior of the total
estimate-plot-dashed-interval = dashed: credible interval
estimate-plot-no-estimate = No estimate: { $reason }
estimate-plot-not-converged = did not converge: no total
estimate-plot-lcmcr = LCMCR (posterior median)
estimate-plot-joined-lcmcr = joined with LCMCR
estimate-plot-lcmcr-not-joined = LCMCR did not converge: not joined
estimate-plot-lcmcr-lists-avoid = Two lists avoid each other: LCMCR not joined

## The public site closed for now (a full disk, a flood, after the panic action)
closed-title = We cannot take requests here right now
closed-for-now = This channel cannot take new requests at the moment. Nothing you sent before was lost. Please try again later, or reach us through one of our other channels.
closed-keys-destroyed = This channel is closed for now. Requests sent here can no longer be read, and nothing new can be sent. Please reach us through one of our other channels.
closed-not-stored-title = Your request was not stored
closed-not-stored = We could not store what you just sent: it was not saved, and no codename was made for it. Please try again later, or reach us through one of our other channels.
closed-channels-title = Our other channels
closed-no-channels = Our other channels are listed on our signed contact card, which this server cannot show right now. Use a channel you got from a flyer or a trusted person.
closed-check-channels = Check any channel against our key's fingerprint before you trust it.
closed-staff-title = The organisation's keys were destroyed
closed-staff-keys-destroyed = The panic action destroyed every key on this server. Nobody can log in here, and nothing stored here can be read. To carry on, an administrator restores a backup of the database made before the panic on a new server and rebuilds the keys from the trustees' shares (mamar recovery restore).

## The registry's releases (issue 21)
registry-releases-title = Published figures
registry-releases-lead = Counts of the people this organisation has documented, published signed so that anyone can check they are ours and unchanged.
registry-releases-none = Nothing has been published yet.
registry-release-title = Release { $number }
registry-period = period
registry-lower-bound = A count is a lower bound, not an estimate: it counts only the people who reached this organisation and were recorded. Many more left service without contacting us.
registry-release-method = Counts below the threshold are withheld, and so are the counts that would give them away; every published count has random noise added (discrete Laplace, OpenDP). This release spent ε = { $epsilon } of its period's privacy budget.
registry-method = Threshold { $threshold }; noise: discrete Laplace (OpenDP), ε = { $epsilon } for this table.
registry-table-by = By { $facet }
registry-table-by-two = By { $rows } and { $cols }
registry-count = Count
registry-total = Total
registry-unknown = Not known
registry-withheld = withheld
registry-facet-institution = institution
registry-facet-service-type = service type
registry-facet-rank-class = rank class
registry-facet-governorate = governorate
registry-facet-month-of-contact = month of first contact
registry-facet-month-of-arrival = month of arrival
registry-facet-outcome = outcome
registry-facet-destination = destination
registry-facet-age-band = age band
registry-facet-service-years-band = years in service
registry-reference-title = Beside the published estimates
registry-reference-lead = The estimates most often quoted, with the share of the force's strength where the source gives one, and what this release documents for the same group. Our count is the people we helped and recorded: it can only be smaller than the true number, and is no estimate of it.
registry-reference-col-group = Group
registry-reference-col-estimate = Published estimate
registry-reference-col-share = Share of the force
registry-reference-col-documented = Documented here
registry-reference-group = { $institution }, { $rank }
registry-ref-army = Army
registry-ref-interior-ministry = Interior ministry
registry-ref-officer = officers
registry-ref-nco = NCOs
registry-ref-enlisted = enlisted soldiers
registry-ref-nco-and-enlisted = NCOs and enlisted
registry-ref-defected = defected
registry-ref-killed-after-defection = killed after defecting
registry-files-title = The signed files
registry-download-csv = Signed CSV
registry-download-json = Signed JSON
registry-verify-how = Check that a file is ours and unchanged, offline, with the fingerprint from the verification page:

received-again-title = This request was already received
received-again-text = This form was sent before, and that request is stored. It was not stored a second time.
received-again-codename = Your codename was shown once, on the page after the first sending; it is not shown again. If you wrote it down, use it to come back. If you did not, send a new request from the start.
