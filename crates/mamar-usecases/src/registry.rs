//! The registry in numbers: making a release of the cases' facets, signed
//! with the organisation's signing key and recorded with the privacy loss it
//! spends (issue 21). Disclosure control is `mamar-registry`'s; the rules
//! here are who may publish (a holder of the signing key) and that the
//! period's budget is charged in the same transaction that records the
//! release.

use mamar_audit::{Action, Outcome};
use mamar_core::Organisation;
use mamar_core::facets::Facets;
use mamar_crypto::{OrgKey, OrgKeyKind};
use mamar_registry::{Budget, Policy, Published, RegistryError, TableRequest};
use mamar_store::{NewRelease, Store, StoreError, StoredRelease};

/// What a release is made of.
pub struct ReleaseRequest<'a> {
    /// The facets of the cases counted.
    pub facets: &'a [Facets],
    pub tables: Vec<TableRequest>,
    pub policy: Policy,
    /// The release period whose budget is spent (`2026-Q4`, `2026-12`, …).
    pub period: String,
    /// The period's ε limit, in millionths (kept from its first release on).
    pub limit_micro: u64,
    /// The day of publication, `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("only a holder of the organisation's signing key can publish a release")]
    NotASigner,
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(
        "the privacy budget of {period} does not allow this release: {remaining_micro} millionths of ε are left"
    )]
    BudgetExhausted { period: String, remaining_micro: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes, signs and records a release; returns its number. `actor` is the
/// staff member publishing it (for the audit log).
pub async fn publish_release(
    store: &dyn Store,
    actor: Option<mamar_core::StaffId>,
    organisation: &Organisation,
    signing: &OrgKey,
    request: ReleaseRequest<'_>,
) -> Result<u32, ReleaseError> {
    let outcome = publish(store, organisation, signing, request).await;
    let audit_outcome = if outcome.is_ok() {
        Outcome::Ok
    } else {
        Outcome::Denied
    };
    mamar_store::audit::record(store, actor, Action::ReleasePublished, None, audit_outcome).await?;
    outcome
}

async fn publish(
    store: &dyn Store,
    organisation: &Organisation,
    signing: &OrgKey,
    request: ReleaseRequest<'_>,
) -> Result<u32, ReleaseError> {
    if signing.kind() != OrgKeyKind::Signing {
        return Err(ReleaseError::NotASigner);
    }
    let key = signing.signing().ok_or(ReleaseError::NotASigner)?;
    // The stored budget decides; the pure one only measures the release and
    // refuses early what the stored one would refuse anyway.
    let mut budget = Budget::new(request.period.clone(), request.limit_micro);
    if let Some(stored) = store.period_budget(&request.period).await? {
        budget.limit_micro = stored.limit_micro;
        budget.spent_micro = stored.spent_micro;
    }
    let release = mamar_registry::release(request.facets, &request.tables, &request.policy, &mut budget)
        .map_err(|error| match error {
            RegistryError::BudgetExhausted {
                period,
                remaining_micro,
                ..
            } => ReleaseError::BudgetExhausted {
                period,
                remaining_micro,
            },
            other => ReleaseError::Registry(other),
        })?;
    let epsilon_micro = release.epsilon_micro;
    let number = store.next_release_number().await?;
    let published = Published::new(
        organisation.name_ar(),
        organisation.name_en(),
        number,
        request.date.clone(),
        release,
    );
    let new = NewRelease {
        number,
        period: request.period.clone(),
        limit_micro: budget.limit_micro,
        published_on: request.date,
        epsilon_micro,
        signed_csv: mamar_keys::signed_release_csv(key, &published.to_csv()),
        signed_json: mamar_keys::signed_release_json(key, &published.to_json()),
    };
    if store.add_release(&new).await? {
        Ok(number)
    } else {
        let left = store
            .period_budget(&request.period)
            .await?
            .map_or(0, |b| b.limit_micro.saturating_sub(b.spent_micro));
        Err(ReleaseError::BudgetExhausted {
            period: request.period,
            remaining_micro: left,
        })
    }
}

/// A published release read back: its record and its content (from the
/// signed JSON, whose signature the reader can check with `mamar verify`).
pub struct ReadRelease {
    pub stored: StoredRelease,
    pub published: Published,
}

/// Every release, newest first (anyone may read them: they are public).
pub async fn releases(store: &dyn Store) -> Result<Vec<StoredRelease>, StoreError> {
    store.releases().await
}

/// One release with its content, `None` when there is no such release.
pub async fn release(store: &dyn Store, number: u32) -> Result<Option<ReadRelease>, StoreError> {
    let Some(stored) = store.release(number).await? else {
        return Ok(None);
    };
    let published = release_body(&stored.signed_json)
        .and_then(|body| Published::from_json(&body).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("release {number} is not a signed mamar release")))?;
    Ok(Some(ReadRelease { stored, published }))
}

/// The `release` value of a signed JSON release, as it stands in the file.
fn release_body(signed_json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        release: &'a serde_json::value::RawValue,
    }
    serde_json::from_str::<Envelope<'_>>(signed_json)
        .ok()
        .map(|e| e.release.get().to_owned())
}
