//! The audit log for auditors: the whole chain verified against the stored
//! checkpoints and the organisation's signing keys, and the newest entries
//! (ids and kinds only; actors shown by user name). Reading it is itself
//! recorded. It also offers the newest signed checkpoint to copy off the
//! server, and warns when none has been copied for the configured time.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use mamar_store::audit::SignedCheckpoint;
use mamar_usecases::audit_checkpoints::CopyStatus;
use mamar_usecases::audit_view::{self, AuditView, AuditViewError};

use super::cases::caller;
use super::inbox::hex;
use super::{LangLink, render, switch_links};
use crate::auth::{Ctx, forbidden};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

pub struct EntryView {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "staff_audit.html")]
struct AuditPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    intact: bool,
    summary: String,
    detail: String,
    entries: Vec<EntryView>,
    checkpoint: CheckpointView,
    csrf: String,
}

/// The checkpoint part of the page.
struct CheckpointView {
    /// Whether the server holds a certified checkpoint key (it signs on a schedule).
    scheduled: bool,
    /// "The newest checkpoint, of entry …", and its text.
    newest: Option<(String, String)>,
    /// The warning that nothing was copied off the server in time.
    warning: Option<String>,
    /// When a checkpoint was last copied, when it is not overdue.
    last_copy: Option<String>,
}

/// `YYYY-MM-DD HH:MM` in UTC, from Unix seconds (civil-from-days, proleptic Gregorian).
pub(crate) fn utc_minute(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        secs / 3_600,
        secs % 3_600 / 60
    )
}

fn checkpoint_view(
    state: &AppState,
    tr: &Tr,
    newest: Option<SignedCheckpoint>,
    status: CopyStatus,
) -> CheckpointView {
    let (warning, last_copy) = match status {
        CopyStatus::NeverCopied => (Some(tr.t("audit-copy-never")), None),
        CopyStatus::Overdue { at } => (Some(tr.t1("audit-copy-overdue", "since", utc_minute(at))), None),
        CopyStatus::Recent { at } => (None, Some(tr.t1("audit-copy-last", "since", utc_minute(at)))),
        CopyStatus::NotYetDue => (None, None),
    };
    CheckpointView {
        scheduled: state.checkpoints.is_certified(),
        newest: newest.map(|signed| {
            (
                tr.t2(
                    "audit-checkpoint-newest",
                    ("entry", signed.checkpoint.seq.to_string().into()),
                    ("when", utc_minute(signed.checkpoint.at).into()),
                ),
                signed.to_text(),
            )
        }),
        warning,
        last_copy,
    }
}

/// The newest checkpoint as a file to keep off the server; taking it is
/// noted as a copy (the audit page's warning waits again from now) and
/// recorded in the log.
pub async fn copy_checkpoint(State(state): State<AppState>, ctx: Ctx) -> Response {
    let locale = ctx.locale;
    let result =
        audit_view::copy_newest_checkpoint(state.store.as_ref(), &caller(&ctx), state.clock.now()).await;
    match result {
        Ok(Some(newest)) => {
            let name = format!(
                "attachment; filename=\"mamar-audit-checkpoint-{}.txt\"",
                newest.checkpoint.seq
            );
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; charset=utf-8".to_owned(),
                    ),
                    (axum::http::header::CONTENT_DISPOSITION, name),
                    (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                newest.to_text(),
            )
                .into_response()
        }
        // Nothing signed yet: back to the page, which says so.
        Ok(None) => axum::response::Redirect::to(&format!("/{}/staff/audit", locale.code())).into_response(),
        Err(AuditViewError::NotAllowed) => forbidden(locale),
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

pub async fn audit(State(state): State<AppState>, ctx: Ctx) -> Response {
    let locale = ctx.locale;
    let view = match audit_view::audit_view(
        state.store.as_ref(),
        &caller(&ctx),
        state.clock.now(),
        state.checkpoint_schedule,
    )
    .await
    {
        Ok(view) => view,
        Err(AuditViewError::NotAllowed) => return forbidden(locale),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let AuditView {
        verdict,
        entries,
        names,
        newest,
        copy_status,
    } = view;
    let tr = Tr::new(locale);
    let checkpoint = checkpoint_view(&state, &tr, newest, copy_status);
    let (intact, summary, detail) = match verdict {
        Ok(verified) => (
            true,
            tr.t2(
                "audit-intact",
                ("entries", verified.entries.into()),
                ("checkpoints", (verified.checkpoints as u64).into()),
            ),
            String::new(),
        ),
        Err(found) => (false, tr.t("audit-broken"), found.to_string()),
    };
    let entries = entries
        .iter()
        .rev()
        .map(|entry| EntryView {
            seq: entry.seq,
            at: utc_minute(entry.at),
            actor: entry
                .actor
                .and_then(|actor| names.get(&actor).cloned())
                .unwrap_or_else(|| "—".into()),
            action: tr.t(&format!("audit-action-{}", entry.action.code())),
            object: entry.object.map(|id| hex(&id[..4])).unwrap_or_default(),
            outcome: tr.t(&format!("audit-outcome-{}", entry.outcome.code())),
        })
        .collect();
    let page = AuditPage {
        switch: switch_links(locale, "/staff/audit"),
        nav: super::staff::nav(&state, &ctx).await,
        intact,
        summary,
        detail,
        entries,
        checkpoint,
        csrf: ctx.csrf(),
        tr,
    };
    render(&page, locale)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_minutes_are_civil_dates() {
        assert_eq!(super::utc_minute(0), "1970-01-01 00:00");
        assert_eq!(super::utc_minute(951_782_400), "2000-02-29 00:00");
        assert_eq!(super::utc_minute(1_796_000_000), "2026-11-30 00:53");
    }
}
