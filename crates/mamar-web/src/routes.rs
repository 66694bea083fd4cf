//! The route table: every route mamar serves, its method, and the
//! [`Access`] the guard enforces before its handler runs. The router is
//! built from this table alone, and the authorization-matrix test
//! (`tests/web/authz.rs`, against `authz.toml`) reads it through
//! [`route_specs`], so a route cannot be served without being declared.

use axum::Router;
use axum::routing::{MethodRouter, get, post};
use mamar_core::Role;

use crate::assets;
use crate::auth::{self, Access};
use crate::pages::{
    self, accounts, audit, authenticator, breakglass, cases, dashboard, inbox, invitation, panic, partners,
    public, publish, releases, security, staff, total,
};
use crate::state::AppState;

const ADMIN: &[Role] = &[Role::Administrator];
const INTAKE: &[Role] = &[Role::Administrator, Role::IntakeOperator];
const AUDIT: &[Role] = &[Role::Administrator, Role::Auditor];
/// The analyst's pages: counts and estimates, never a person.
const ANALYSIS: &[Role] = &[Role::Administrator, Role::Analyst];
/// A liaison's referrals; an administrator sees the page too (empty unless they are a liaison).
const LIAISON: &[Role] = &[Role::Administrator, Role::PartnerLiaison];

/// One row of the route table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

struct Route {
    spec: RouteSpec,
    handler: MethodRouter<AppState>,
}

fn route(method: &'static str, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        spec: RouteSpec { method, path, access },
        handler,
    }
}

fn table() -> Vec<Route> {
    use Access::{AnySession, PasswordPassed, Public, Roles, RolesUpload, Staff, StaffUpload};
    vec![
        route("GET", "/", Public, get(pages::root)),
        route("GET", "/health", Public, get(pages::health)),
        route("GET", "/assets/{*path}", Public, get(assets::serve)),
        route("GET", "/{lang}", Public, get(pages::add_final_slash)),
        route("GET", "/{lang}/", Public, get(pages::landing)),
        route("GET", "/{lang}/staff", Public, get(pages::add_final_slash)),
        route("GET", "/{lang}/help", Public, get(pages::help)),
        route("GET", "/{lang}/verify", Public, get(public::verify)),
        route(
            "GET",
            "/{lang}/verify/card.txt",
            Public,
            get(public::verify_card_file),
        ),
        route(
            "GET",
            "/{lang}/verify/download/{name}",
            Public,
            get(crate::downloads::serve),
        ),
        route("GET", "/{lang}/releases", Public, get(releases::list)),
        route("GET", "/{lang}/releases/{number}", Public, get(releases::show)),
        route("GET", "/{lang}/releases/{number}/csv", Public, get(releases::csv)),
        route(
            "GET",
            "/{lang}/releases/{number}/json",
            Public,
            get(releases::json),
        ),
        route("GET", "/{lang}/contact", Public, get(public::contact_form)),
        route("POST", "/{lang}/contact", Public, post(public::contact_submit)),
        route("GET", "/{lang}/follow-up", Public, get(public::follow_up_form)),
        route("POST", "/{lang}/follow-up", Public, post(public::follow_up_post)),
        route("GET", "/{lang}/staff/login", Public, get(auth::login::login_form)),
        route(
            "POST",
            "/{lang}/staff/login",
            Public,
            post(auth::login::login_submit),
        ),
        route(
            "GET",
            "/{lang}/staff/invitation/{token}",
            Public,
            get(invitation::invitation_form),
        ),
        route(
            "POST",
            "/{lang}/staff/invitation/{token}",
            Public,
            post(invitation::invitation_accept),
        ),
        route(
            "GET",
            "/{lang}/staff/login/code",
            PasswordPassed,
            get(auth::second_factor::code_form),
        ),
        route(
            "POST",
            "/{lang}/staff/login/code",
            PasswordPassed,
            post(auth::second_factor::code_submit),
        ),
        route(
            "GET",
            "/{lang}/staff/login/enrol",
            PasswordPassed,
            get(auth::second_factor::enrol_form),
        ),
        route(
            "POST",
            "/{lang}/staff/login/enrol",
            PasswordPassed,
            post(auth::second_factor::enrol_submit),
        ),
        route(
            "POST",
            "/{lang}/staff/login/enrol/key/start",
            PasswordPassed,
            post(auth::webauthn::enrol_start),
        ),
        route(
            "POST",
            "/{lang}/staff/login/enrol/key/finish",
            PasswordPassed,
            post(auth::webauthn::enrol_finish),
        ),
        route(
            "POST",
            "/{lang}/staff/login/key/start",
            PasswordPassed,
            post(auth::webauthn::login_start),
        ),
        route(
            "POST",
            "/{lang}/staff/login/key/finish",
            PasswordPassed,
            post(auth::webauthn::login_finish),
        ),
        route(
            "POST",
            "/{lang}/staff/logout",
            AnySession,
            post(auth::login::logout),
        ),
        route("GET", "/{lang}/staff/", Staff, get(staff::home)),
        route("GET", "/{lang}/staff/security", Staff, get(security::security)),
        route(
            "POST",
            "/{lang}/staff/security/duress",
            Staff,
            post(security::set_duress),
        ),
        route(
            "POST",
            "/{lang}/staff/security/password",
            Staff,
            post(security::change_password),
        ),
        route(
            "POST",
            "/{lang}/staff/security/key/remove",
            Staff,
            post(security::remove_key),
        ),
        route(
            "POST",
            "/{lang}/staff/security/key/rename",
            Staff,
            post(security::rename_key),
        ),
        route(
            "GET",
            "/{lang}/staff/security/authenticator",
            Staff,
            get(authenticator::form),
        ),
        route(
            "POST",
            "/{lang}/staff/security/authenticator",
            Staff,
            post(authenticator::replace),
        ),
        route(
            "POST",
            "/{lang}/staff/security/key/start",
            Staff,
            post(auth::webauthn::add_start),
        ),
        route(
            "POST",
            "/{lang}/staff/security/key/finish",
            Staff,
            post(auth::webauthn::add_finish),
        ),
        route("GET", "/{lang}/staff/inbox", Roles(INTAKE), get(inbox::inbox)),
        route(
            "POST",
            "/{lang}/staff/inbox/reply",
            Roles(INTAKE),
            post(inbox::reply),
        ),
        route(
            "GET",
            "/{lang}/staff/inbox/{id}",
            Roles(INTAKE),
            get(inbox::request_page),
        ),
        route(
            "POST",
            "/{lang}/staff/inbox/{id}/open",
            Roles(INTAKE),
            post(cases::open_request),
        ),
        route("GET", "/{lang}/staff/cases", Staff, get(cases::list)),
        route(
            "GET",
            "/{lang}/staff/cases/new",
            Roles(INTAKE),
            get(cases::call_form),
        ),
        route(
            "POST",
            "/{lang}/staff/cases/new",
            Roles(INTAKE),
            post(cases::call_submit),
        ),
        route(
            "POST",
            "/{lang}/staff/cases/unfreeze",
            Roles(ADMIN),
            post(cases::unfreeze),
        ),
        route("GET", "/{lang}/staff/cases/{id}", Staff, get(cases::show)),
        route("POST", "/{lang}/staff/cases/{id}/act", Staff, post(cases::act)),
        route(
            "POST",
            "/{lang}/staff/cases/{id}/attachments",
            StaffUpload,
            // The body's limit is the case configuration's (body_limit.rs); without this
            // axum's multipart extractor would also cap it at its own 2 MB default.
            post(cases::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        route(
            "GET",
            "/{lang}/staff/cases/{id}/attachments/{file}",
            Staff,
            get(cases::download),
        ),
        route(
            "POST",
            "/{lang}/staff/cases/{id}/partners",
            Staff,
            post(cases::partners_act),
        ),
        route(
            "GET",
            "/{lang}/staff/cases/{id}/export",
            Staff,
            get(cases::export_page),
        ),
        route(
            "POST",
            "/{lang}/staff/cases/{id}/export",
            Staff,
            post(cases::export_download),
        ),
        route("GET", "/{lang}/staff/partners", Roles(ADMIN), get(partners::list)),
        route(
            "POST",
            "/{lang}/staff/partners",
            Roles(ADMIN),
            post(partners::register),
        ),
        route(
            "POST",
            "/{lang}/staff/partners/{id}/confirm",
            Roles(ADMIN),
            post(partners::confirm),
        ),
        route(
            "POST",
            "/{lang}/staff/partners/{id}/liaison",
            Roles(ADMIN),
            post(partners::liaison),
        ),
        route(
            "GET",
            "/{lang}/staff/referrals",
            Roles(LIAISON),
            get(partners::referrals),
        ),
        route(
            "POST",
            "/{lang}/staff/referrals/{id}/answer",
            Roles(LIAISON),
            post(partners::answer),
        ),
        route("GET", "/{lang}/staff/audit", Roles(AUDIT), get(audit::audit)),
        route(
            "GET",
            "/{lang}/staff/registry",
            Roles(ANALYSIS),
            get(dashboard::dashboard),
        ),
        route(
            "GET",
            "/{lang}/staff/registry/publish",
            Roles(ADMIN),
            get(publish::form),
        ),
        route(
            "POST",
            "/{lang}/staff/registry/publish",
            Roles(ADMIN),
            post(publish::publish),
        ),
        route(
            "GET",
            "/{lang}/staff/registry/total",
            Roles(ANALYSIS),
            get(total::form),
        ),
        route(
            "POST",
            "/{lang}/staff/registry/total",
            RolesUpload(ANALYSIS),
            // The body limit is `body_limit`'s (the files together); axum's own 2 MB default
            // for multipart bodies would refuse the partners' files first.
            post(total::estimate).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        route(
            "POST",
            "/{lang}/staff/audit/checkpoint",
            Roles(AUDIT),
            post(audit::copy_checkpoint),
        ),
        route("GET", "/{lang}/staff/accounts", Roles(ADMIN), get(accounts::list)),
        route(
            "POST",
            "/{lang}/staff/accounts/invite",
            Roles(ADMIN),
            post(accounts::invite),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/duress-response",
            Roles(ADMIN),
            post(accounts::set_duress_response),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/{id}/roles",
            Roles(ADMIN),
            post(accounts::set_roles),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/{id}/disable",
            Roles(ADMIN),
            post(accounts::disable),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/{id}/enable",
            Roles(ADMIN),
            post(accounts::enable),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/{id}/reset-second-factor",
            Roles(ADMIN),
            post(accounts::reset_second_factor),
        ),
        route(
            "POST",
            "/{lang}/staff/accounts/role-names",
            Roles(ADMIN),
            post(accounts::set_role_names),
        ),
        route(
            "GET",
            "/{lang}/staff/break-glass",
            Roles(ADMIN),
            get(breakglass::page),
        ),
        route(
            "POST",
            "/{lang}/staff/break-glass",
            Roles(ADMIN),
            post(breakglass::ask),
        ),
        route(
            "POST",
            "/{lang}/staff/break-glass/{id}/approve",
            Roles(ADMIN),
            post(breakglass::approve),
        ),
        route(
            "POST",
            "/{lang}/staff/break-glass/{id}/open",
            Roles(ADMIN),
            post(breakglass::open),
        ),
        route("GET", "/{lang}/staff/panic", Roles(ADMIN), get(panic::form)),
        route("POST", "/{lang}/staff/panic", Roles(ADMIN), post(panic::destroy)),
        route(
            "POST",
            "/{lang}/staff/invitations/{hash}/revoke",
            Roles(ADMIN),
            post(accounts::revoke_invitation),
        ),
    ]
}

/// Every route with its method and access, for the authorization-matrix test.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|route| route.spec).collect()
}

/// The routes of the table, each behind the guard that enforces its access.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |router, Route { spec, handler }| {
            let access = spec.access;
            let handler = handler.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                move |state, request, next| auth::guard(state, access, request, next),
            ));
            router.route(spec.path, handler)
        })
}
