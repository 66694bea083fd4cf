//! The staff home page: who is signed in, which organisation keys the
//! session holds, and where their roles let them go.

use askama::Template;
use axum::response::Response;
use mamar_core::Role;

use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::i18n::Tr;

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomePage {
    tr: Tr,
    switch: Vec<LangLink>,
    username: String,
    key_kinds: Vec<String>,
    csrf: String,
    inbox: bool,
    admin: bool,
    auditor: bool,
}

pub async fn home(ctx: Ctx) -> Response {
    let tr = Tr::new(ctx.locale);
    let key_kinds = ctx
        .session
        .keyring
        .org_keys()
        .iter()
        .map(|key| tr.t(&format!("key-kind-{}", key.kind().code())))
        .collect();
    let roles = &ctx.staff.roles;
    let page = HomePage {
        switch: switch_links(ctx.locale, "/staff/"),
        username: ctx.staff.username.to_string(),
        key_kinds,
        csrf: ctx.csrf(),
        inbox: roles
            .iter()
            .any(|r| matches!(r, Role::Administrator | Role::IntakeOperator)),
        admin: roles.contains(&Role::Administrator),
        auditor: roles
            .iter()
            .any(|r| matches!(r, Role::Administrator | Role::Auditor)),
        tr,
    };
    render(&page, ctx.locale)
}
