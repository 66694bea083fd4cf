# Exporting a case with a second person (issue 13); withdrawing consent and referral news (issue 16).

case-approval-export = Exporting the case to a file
case-export-heading = Export this case
case-export-reason = Why export it (for example: the person asked for a copy of their file)
case-export-help = Once approved, only you can download it, once, before the approval's time runs out. It holds what your duties let you read of this case, encrypted to a passphrase you choose.
case-export-ask = Ask to export the case
case-export-ready = An export of this case was approved for you. You can download it once, until { $until }.
case-export-download-link = Download the export
case-event-exported = downloaded an export of the case
case-problem-not-the-asker = Only the person who asked for the export can download it.
case-problem-already-downloaded = This export was downloaded already. Ask again for another.
case-problem-weak-passphrase = The passphrase must be at least 12 characters long.
case-problem-no-export = There is no export of this case for you to download: it was not approved, it was downloaded already, or its time ran out.
case-problem-passphrase-mismatch = The two passphrases are not the same. Type the same passphrase twice.

export-title = Download the export of this case
export-back = Back to the case
export-once = You can download this file once, until { $until }. The download is recorded in the case's timeline and in the audit log.
export-contains-heading = What the file contains
export-contains-records = The case's records: the answers, who the person is, the conversation, the notes, the vetting findings, the exit plan with its check-ins and tasks, and the timeline.
export-contains-only-yours = Only what your duties on this case let you read, nothing more.
export-contains-no-files = The names and sizes of attached files, not the files themselves.
export-contains-readme = A short explanation at the top, then the records in JSON.
export-passphrase-heading = The passphrase
export-passphrase-never-stored = The file is encrypted to the passphrase you type here. mamar never stores it and cannot recover it: without it nobody can open the file, you included.
export-how-to-open = The file is in the age format: open it on a computer with "age -d" (or rage) and type the passphrase.
export-passphrase = Passphrase
export-passphrase-help =
    { $count ->
        [one] At least one character.
       *[other] At least { $count } characters. Several words are easier to remember than symbols.
    }
export-passphrase-again = The same passphrase again
export-download = Download the encrypted file
export-readme =
    This file is an export of one case from mamar.
    It was asked for by the staff member named in "exported_by", approved by a second person who did not ask, and downloaded once.
    It holds only what that person's duties on the case let them read.
    Keep it encrypted. Do not send it unencrypted by e-mail or chat, and delete it when it is no longer needed.
    Below the line "----- JSON -----" are the records in JSON: answers, identity, findings, notes, messages, timeline, attachments (names and sizes only) and plan. Times are Unix seconds (UTC).

consent-source-withdrawn = Withdrawn by the person on the follow-up page on { $day }: it counts no more.
case-problem-consent-withdrawn = Refused: the person withdrew their consent to share with this partner.
case-event-consent-withdrawn = the person withdrew their consent to share with { $detail }; every referral to that partner was taken back

follow-up-withdraw-title = What you agreed to share
follow-up-withdraw-explained = You can take back your agreement at any time. The partner then loses at once what we sent them, and we send them nothing more unless you agree again.
follow-up-withdraw-line = { $partner } may know: { $fields }
follow-up-withdraw-seen = { $partner } has already opened: { $fields }. They may have noted it, and that cannot be taken back.
follow-up-withdraw-unseen = { $partner } has not opened anything we sent.
follow-up-withdraw-confirm = I understand: { $partner } will no longer be able to open what we sent, and we will send them nothing unless I agree again.
follow-up-withdraw = Withdraw my agreement
follow-up-withdraw-unconfirmed = Tick the box to confirm, or leave this part as it is.
follow-up-withdrawn = Your agreement to share with { $partner } is withdrawn. They can no longer open what we sent them, and the team working on your request has been told.
follow-up-withdrawn-seen = Before you withdrew it, { $partner } had already opened: { $fields }. We cannot take back what they saw.
follow-up-withdraw-nothing = There was no agreement with this partner to withdraw.

nav-referral-news = Referral news
home-referral-news = Referrals: news to act on
home-referral-news-help = Opening the case as its coordinator marks these as seen.
home-referral-accepted = { $partner } accepted the referral
home-referral-declined = { $partner } declined the referral: find another partner or tell the person
home-referral-withdrawn = The person withdrew their consent to share with { $partner }
