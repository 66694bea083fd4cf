//! The intake path, written once for every channel (the web form, the
//! Telegram bot): sealing a request to the organisation's intake key,
//! committing it through the group-commit writer before the codename is
//! given, finding a request again by its codename, the requester's later
//! messages, deleting a request, opening the replies, and whether intake is
//! open at all. Nothing here logs or stores who is asking, and nothing here
//! knows HTTP or Telegram: a channel parses its input, calls [`Intake`] and
//! renders the answer.

mod admission;
mod case_team;
mod codename;
mod inbox;
mod replies;
mod service;

pub use admission::{Admission, IntakeLimits};
pub use case_team::message_to_case_team;
pub use codename::{CODENAME_KDF, new_codename, parse_codename, problem_message};
pub use inbox::{InboxError, InboxPage, InboxRequest, inbox_page, inbox_request, reply_to_request};
pub use replies::{
    Entry, FirstRequest, MAX_MESSAGE_CHARS, MessageProblem, ReadReply, Said, check_message, month_arguments,
    own_copy, own_copy_of_request, read_conversation, read_first_request, reply_body,
};
pub use service::{
    CARD_SETTING, Conversation, INTAKE_KEY_RECHECK, Intake, IntakeCache, IntakeError, random_id,
};
