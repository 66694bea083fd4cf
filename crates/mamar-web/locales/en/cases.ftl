## The staff workspace: navigation, home, cases, the inbox's pages

nav-home = Home
nav-more = More
nav-cases = My cases
nav-approvals = Waiting for me
nav-awaiting = Messages to answer
nav-requests = New requests

home-approvals = Decisions waiting for you
home-no-approvals = Nothing waits for your approval.
home-requests = Requests
home-urgent = in immediate danger
home-new-requests = new requests
home-my-cases = Your cases
home-awaiting = messages to answer
home-frozen = frozen cases

stage-new = New
stage-triage = Triage
stage-vetting = Vetting
stage-planning = Planning
stage-in-transit = In transit
stage-arrived = Arrived
stage-follow-up = Follow-up
stage-closed = Closed

duty-intake = Intake
duty-coordinator = Coordinator
duty-vetting = Vetting
duty-reception = Reception
duty-partner-liaison = Partner liaison

vetting-cleared = cleared
vetting-not-cleared = not cleared
vetting-suspected-infiltration = suspected infiltration

outcome-safe-staying = safe and staying
outcome-safe-relocated = safe and relocated
outcome-lost-contact = lost contact
outcome-withdrew = withdrew
outcome-suspected-infiltration = suspected infiltration
outcome-arrested = arrested
outcome-killed = killed

source-request = a request
source-hotline = a hotline call
source-partner = a referral file from a partner organisation

cases-title = Your cases
cases-search = Reference, name or phone
cases-stage = Stage
cases-any-stage = Any stage
cases-urgent-only = In immediate danger only
cases-mine-only = Cases I own
cases-filter = Show
cases-count =
    { $count ->
        [one] One case.
       *[other] { $count } cases.
    }
cases-empty = No case matches.
cases-search-needs-key = Searching by name or phone needs the linkage key, which your role does not hold. Search by reference number instead.
cases-unfreeze-title = Unfreeze a case
cases-unfreeze-reference = Reference number of the frozen case
cases-unfreeze-help = You cannot read the case. Someone on the case must agree before it is unfrozen.
cases-unfreeze-ask = Ask to unfreeze
case-frozen-flag = Frozen
case-urgent-flag = Immediate danger
case-awaiting-flag = Message to answer
days-ago =
    { $count ->
        [0] active today
        [one] active yesterday
       *[other] active { $count } days ago
    }

case-title = Case { $reference }
case-heading = Case
case-next = Next:
case-your-duties = Your duty on this case: { $duties }
case-pending = Waiting for a second person
case-asked-by = asked by { $name }
case-approve = Approve
case-refuse = Refuse
case-waiting-for-someone-else = Waiting for approval by someone else on the case.
case-answers = The request
case-identity = Who the person is
case-identity-name = Full name
case-identity-birth-year = Year of birth
case-identity-phone = Phone
case-messages = Conversation with the requester
case-no-messages = No messages yet.
case-signed = signed
case-message-label = Message to the requester (signed by the organisation; they read it with their codename)
case-message-send = Send message
case-vetting = Vetting
case-vetting-warning = Vetting asks whether the person is who they say and whether their story holds. It never asks for military information, and nothing about our team or routes is shared.
case-no-findings = No findings yet.
case-finding-item = Checklist item
case-finding-text = What you found
case-finding-add = Record finding
case-vetting-decision = Your decision
case-vetting-rationale = Why
case-needs-second-person = A second person on the case must approve this before it takes effect.
case-vetting-freeze-help = "Suspected infiltration" freezes the case at once; the requester sees nothing different.
case-vetting-propose = Propose decision
case-notes = Internal notes
case-notes-private = The requester never sees these.
case-note-label = New note
case-note-add = Add note
case-team = Team
case-owner = owner
case-unassign = Remove
case-unassign-help = Removing someone gives the case a new key: what they could read before opens nothing new.
case-assign-who = Add a person
case-assign-duty = Duty
case-assign = Add to the case
case-move = Move the case
case-advance = Move to the next stage
case-reopen-reason = Why reopen
case-reopen = Ask to reopen
case-close-outcome = Outcome
case-close-reason = Note on the closure
case-close-help = A closed case can only be read, until it is reopened with a second person.
case-close = Ask to close the case
case-timeline = Timeline
case-the-requester = The requester
case-before-case = before the case opened
case-close-as = closing as "{ $outcome }"
case-approval-vetting = Vetting decision
case-approval-close = Closing
case-approval-reopen = Reopening
case-approval-unfreeze = Unfreezing

case-next-new = add the people who will work on it, then start triage.
case-next-triage = check the request, then move to vetting (a vetting officer must be on the case).
case-next-vetting = record findings on the checklist and propose a vetting decision.
case-next-planning = make the exit plan with the coordinator.
case-next-in-transit = stay in contact until the person arrives.
case-next-arrived = record the person's choice and begin follow-up.
case-next-follow-up = follow up, then close the case with a second person.
case-next-closed = nothing: the case is closed. It can be reopened with a reason.
case-next-frozen = nothing: the case is frozen. An administrator may ask to unfreeze it, and someone on the case must agree.

case-event-opened = opened the case from { $detail }
case-event-assigned = added { $subject } as { $detail }
case-event-unassigned = removed { $subject } (the case has a new key)
case-event-owner = handed the case to { $subject }
case-event-stage = moved the case to { $detail }
case-event-requested = asked a second person: { $detail }
case-event-granted = approved: { $detail }
case-event-refused = refused: { $detail }
case-event-frozen = froze the case and asked a second person: { $detail }

case-done-advanced = The case moved to its next stage.
case-done-note = Note added.
case-done-finding = Finding recorded.
case-done-assigned = Added to the case. The case key is now wrapped to them.
case-done-unassigned = Removed from the case. The case has a new key.
case-done-sent-for-approval = Sent to a second person for approval.
case-done-frozen = The case is frozen and your decision waits for a second person.
case-done-granted = Approved. It takes effect now.
case-done-refused = Refused. Nothing changed.
case-done-message-sent = Message sent, signed by the organisation.
case-done-opened = Case opened. The request now lives in this case only.
case-done-opened-duplicates = Case opened. Another case may be the same person: search by name or phone and compare before going further.
case-done-unfreeze-asked = Asked. Someone on the case must agree before it is unfrozen.
case-done-reply-sent = Reply sent, signed by the organisation.

case-problem-not-assigned = Only people on this case can do that.
case-problem-wrong-duty = Your duty on this case does not include that.
case-problem-duty-not-allowed = That person's role does not allow that duty.
case-problem-closed = The case is closed: it can only be read, or reopened with a second person.
case-problem-frozen = The case is frozen: only an administrator's unfreeze, approved by someone on the case, is accepted.
case-problem-not-frozen = The case is not frozen.
case-problem-wrong-stage = That cannot be done at this stage.
case-problem-already-assigned = That person already has that duty on the case.
case-problem-owner-cannot-leave = The owner cannot be removed before someone else owns the case. Add a coordinator first.
case-problem-owner-not-assigned = The owner must be someone on the case.
case-problem-no-vetting-officer = Add a vetting officer to the case before vetting starts.
case-problem-already-pending = The same kind of decision already waits for a second person.
case-problem-no-such-approval = That approval is no longer waiting.
case-problem-own-request = Nobody approves their own request: someone else on the case must.
case-problem-expired = The approval expired. Ask again.
case-problem-administrator-only = Only an administrator can do that.
case-problem-reason-needed = Please give a reason.
case-problem-missing-key = Your keys do not allow that (it needs the signing, intake or linkage key).
case-problem-no-such-staff = Choose a person from the list.
case-problem-bad-text = The text is empty or longer than 5,000 characters. Nothing was saved.
case-problem-bad-year = The year of birth must be four digits, for example 1998. Nothing was saved.
case-problem-conflict = Someone else changed the case at the same moment. Nothing was saved; please try again.
case-problem-no-request = That request no longer exists.
case-problem-already-opened = That request is already a case.
case-problem-no-case = No case has that reference number.

inbox-count =
    { $count ->
        [one] One request not yet opened as a case.
       *[other] { $count } requests not yet opened as cases.
    }
inbox-show-all = show all
inbox-urgent-only = show those in immediate danger only
inbox-unreadable-short = sealed to a key you do not hold
inbox-messages =
    { $count ->
        [0] no messages
        [one] one message
       *[other] { $count } messages
    }
inbox-pages = Pages
page-previous = Newer
page-next = Older
page-of = Page { $page } of { $pages }
inbox-back = Back to new requests
inbox-open-case = Open a case
inbox-open-case-explained = Opening a case moves the request and its messages under a new case key that only the people on the case hold. You will own it until a coordinator takes it over.
optional = (optional)
inbox-open-identity-help = Only if the person told you: these are encrypted with the case and indexed so that mamar can warn of the same person in another case.
inbox-open-case-button = Open the case

audit-action-case_opened = Opened a case
audit-action-case_stage_changed = Moved a case to another stage
audit-action-case_frozen = Froze a case (suspected infiltration)
audit-action-approval_requested = Asked a second person to approve
audit-action-approval_granted = Approved another person's request
audit-action-approval_refused = Refused another person's request

call-title = Take down a call
call-lead = For someone who called a hotline: ask the questions of the form in the caller's words, then open a case. Nothing is stored until you press the button.
call-hotlines = The hotline numbers on the signed contact card:
call-no-hotlines = No hotline numbers on the signed contact card yet: an administrator adds them to the card (mamar card) and they appear here and on the public pages.
call-open = Open a case for this call
nav-call = Take down a call
case-done-opened-call = Case opened for the call. You own it until a coordinator takes it over.
cases-governorate = Governorate
cases-any-governorate = Any governorate
cases-assignee = Person on the case
cases-anyone = Anyone

landing-channels-title = Our channels
landing-channels-check = These are the addresses and numbers of our signed contact card. Anyone who offers you another channel in our name is not us: check a card on the verification page.

# Between the items of a list inside a sentence (a comma and a space).
list-separator = {", "}

# Attachments and possible duplicates
case-files = Files
case-no-files = No files yet.
case-file-label = Add a file (a scan, a photo, a voice message)
case-file-hint = Pictures (JPEG, PNG, WebP), PDF, or voice messages (OGG, MP3, M4A), up to { $megabytes } MB. The file is encrypted as it arrives; only the people on this case whose duty includes files can open it. Photos can carry where they were taken: remove that before adding one if it could hurt someone.
case-file-add = Add the file
case-event-attached = added the file { $detail }
case-event-attached-unnamed = added a file
case-done-attached = File added. It is encrypted under this case's key.
case-problem-file-too-large = The file is larger than the organisation accepts. Nothing was kept.
case-problem-file-missing = No file arrived (none was chosen, or the upload broke off). Nothing was kept; choose the file again.
case-problem-file-wrong-type = That kind of file cannot be kept: only pictures, PDF and voice messages. Nothing was kept.
case-duplicates = This may be the same person as another case:
case-duplicates-hint = Compare with that case's team before going further. Nothing is merged by itself.
case-duplicate-phone = the same phone number
case-duplicate-name = every part of the name and the year of birth
case-duplicate-similar = a similar name and details ({ $percent }% alike)
size-kb = { $n } KB
size-mb = { $n } MB

## Break-glass (issue 16)
duty-break-glass = Break-glass (read only)
nav-break-glass = Break-glass
home-break-glass =
    { $count ->
        [one] One break-glass request or opening is live.
       *[other] { $count } break-glass requests or openings are live.
    } Every administrator sees them.
case-break-glass-reading = You are reading this case by break-glass: you can read it and change nothing, until your access ends. Every administrator sees that you opened it, and the audit log records it.
case-done-break-glass-opened = Opened by break-glass. Every administrator is alerted and the audit log records it.
case-problem-read-only = You read this case by break-glass: you cannot change anything in it.
case-problem-already-approved = You have already approved this request.
case-problem-break-glass-threshold = Break-glass needs at least two administrators together.
case-problem-break-glass-not-set-up = Break-glass is not set up in this organisation, so nobody who is not on a case can read it.
case-problem-no-break-glass-share = You hold no break-glass share: you became an administrator after break-glass was set up.
case-problem-no-such-break-glass = That break-glass request is no longer waiting.
case-problem-break-glass-waiting = More administrators must approve before the case can be opened.
case-problem-no-escrow = This case was opened before break-glass was set up and nobody on it has opened it since: break-glass cannot open it yet.
case-problem-bad-duration = Give a number of hours, at least 1.
break-glass-title = Break-glass
break-glass-explained = When the people on a case cannot be reached, an administrator can ask to read it, with a written reason, for a limited time. Other administrators approve in their own sessions: each hands over their share of the break-glass key, and fewer administrators than the threshold cannot open the case. The reader changes nothing. Every administrator sees each request and opening here, and the audit log records them. When the time is over the access ends, and the case gets a new key the next time someone on it opens it.
break-glass-not-set-up = Break-glass is not set up: nobody who is not on a case can read it. An administrator can set it up on the server with: mamar keys break-glass setup --threshold 2
break-glass-threshold =
    { $count ->
        [one] One administrator opens a case.
       *[other] { $count } administrators together open a case.
    }
break-glass-without-escrow =
    { $count ->
        [0] Break-glass can open every case.
        [one] One case opened before break-glass was set up cannot be opened by it yet: it will be when someone on it next opens it.
       *[other] { $count } cases opened before break-glass was set up cannot be opened by it yet: each will be when someone on it next opens it.
    }
break-glass-shares-unusable = Break-glass cannot be used now: too few administrators in office hold a share (holding one: { $in_office }; needed: { $threshold }). Holders who left can still give theirs in person at the server: mamar keys break-glass reshare
break-glass-shares-mismatch = The shares no longer match the administrators (holders who are no longer administrators: { $left }; administrators without a share: { $without }). Re-share them at the server: mamar keys break-glass reshare
break-glass-live = Requests and openings
break-glass-none = No request is waiting and no case is open by break-glass.
break-glass-asked-by = Asked by { $name }
break-glass-reason-hidden = (the reason was not sealed to your keys)
break-glass-shares = Shares in hand: { $shares } of { $threshold }
break-glass-open-until = Open until { $until }
break-glass-waiting-until = Waiting for approvals until { $until }
break-glass-approve = Approve and hand over my share
break-glass-open = Open the case
break-glass-go = Read the case
break-glass-ask-title = Ask to read a case
break-glass-reference = Reference number of the case
break-glass-reason = Why you must read it, and why the people on it cannot be reached
break-glass-hours = For how many hours (at most { $max })
break-glass-ask = Ask the other administrators
break-glass-done-asked = Asked. Every administrator sees your request and its reason.
break-glass-done-approved = Approved: your share is sealed to the administrator who asked.
break-glass-done-opened = Opened.
