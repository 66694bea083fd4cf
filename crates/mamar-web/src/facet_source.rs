//! Where the analyst's dashboard gets the facets of the cases. The facets are
//! kept sealed under the analytics key (`mamar_usecases::facets`); a source
//! opens them with the key the person's session holds, so a person without
//! the analytics key gets none. The server is given its source at start
//! (`AppState::with_facets`); without one the dashboard says that no facets
//! are kept yet.

use std::future::Future;
use std::pin::Pin;

use mamar_core::facets::Facets;

use crate::auth::StaffContext;

/// Why the facets could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FacetSourceError {
    /// The person's session holds no analytics key.
    #[error("this session holds no analytics key")]
    NoAnalyticsKey,
    #[error("the facets could not be read: {0}")]
    Failed(String),
}

pub type FacetFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Facets>, FacetSourceError>> + Send + 'a>>;

/// The facets of every case, opened for the person asking.
pub trait FacetSource: Send + Sync {
    fn facets<'a>(&'a self, ctx: &'a StaffContext) -> FacetFuture<'a>;
}

/// The facets the cases keep in the store (`case_facets`), opened with the
/// analytics key of the person's session: the source every server has. Rows
/// opened for an earlier view are not opened again while they are unchanged
/// (`mamar_usecases::OpenedFacets`).
pub struct StoredFacets {
    pub store: std::sync::Arc<dyn mamar_store::Store>,
    pub opened: mamar_usecases::OpenedFacets,
}

impl StoredFacets {
    pub fn new(store: std::sync::Arc<dyn mamar_store::Store>) -> Self {
        StoredFacets {
            store,
            opened: mamar_usecases::OpenedFacets::default(),
        }
    }
}

impl FacetSource for StoredFacets {
    fn facets<'a>(&'a self, ctx: &'a StaffContext) -> FacetFuture<'a> {
        Box::pin(async move {
            mamar_usecases::open_all_reusing(&*self.store, &ctx.session.keyring, &self.opened)
                .await
                .map_err(|error| match error {
                    mamar_usecases::CaseError::MissingKey(_) => FacetSourceError::NoAnalyticsKey,
                    other => FacetSourceError::Failed(other.to_string()),
                })
        })
    }
}
