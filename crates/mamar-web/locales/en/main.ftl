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

## Staff: login and home
staff-login-title = Staff login
staff-username = User name
staff-password = Password
staff-login-submit = Log in
staff-login-failed = Wrong user name or password.
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
