//! Where imports land: [`Catalogs`], the caller's versioned catalogs, and [`SharedCatalog`], one
//! catalog in this process.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use super::Tenant;
use crate::import::{import, ImportOptions, ImportResponse};
use crate::{ApiError, CancelToken, Catalog};

/// The catalogs imports read and replace, as the gateway holds them: each tenant's current
/// catalog with a version, and a compare-and-swap that replaces it only if it has not changed.
///
/// An import runs [`crate::import::import`] on the tenant's current catalog and then replaces it
/// with the result, naming the version it read. When another change came first (another import,
/// or the gateway's own edit), the replace is refused and the import runs again on the catalog
/// that is current then; so two imports into the same catalog both land, one after the other,
/// or the second fails cleanly with the error the first one's catalog gives it (APIG.3201 when
/// both create a group of the same name). Nothing is lost to a race.
///
/// With a store shared by several nodes (feature `postgres`), an import task runs on whichever
/// node claims it, through that node's `Catalogs`: every node must see the same catalogs (for
/// example, kept in the same database), or an import lands only where it ran.
pub trait Catalogs: Send + Sync + fmt::Debug {
    /// The tenant's catalog now, and its version: any number that changes whenever the catalog
    /// is replaced.
    ///
    /// # Errors
    ///
    /// When the catalogs cannot be read (the import fails with the error's body).
    fn current(&self, tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError>;

    /// Replaces the tenant's catalog with `catalog` if its version is still `version`: the new
    /// version, or `None` (and nothing replaced) when it has changed since.
    ///
    /// # Errors
    ///
    /// When the catalogs cannot be written (the import fails with the error's body).
    fn replace(&self, tenant: &Tenant, version: u64, catalog: Catalog) -> Result<Option<u64>, ApiError>;
}

/// One catalog in this process, shared by every tenant (as the gateway example serves one
/// catalog to all), versioned from 0.
///
/// ```
/// use std::sync::Arc;
/// use apig_export::task::{Catalogs, SharedCatalog, Tenant};
/// use apig_export::Catalog;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let shared = SharedCatalog::new(Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json")?)?);
/// let tenant = Tenant::new("p1", "i1");
/// let (version, catalog) = shared.current(&tenant)?;
/// assert_eq!(version, 0);
/// assert_eq!(shared.replace(&tenant, 0, (*catalog).clone())?, Some(1));
/// assert_eq!(shared.replace(&tenant, 0, (*catalog).clone())?, None); // changed since version 0
/// assert_eq!(shared.version(), 1);
/// # Ok(())
/// # }
/// ```
pub struct SharedCatalog {
    inner: Mutex<(u64, Arc<Catalog>)>,
}

impl fmt::Debug for SharedCatalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedCatalog").field("version", &self.version()).finish_non_exhaustive()
    }
}

impl SharedCatalog {
    /// `catalog` at version 0.
    pub fn new(catalog: Catalog) -> SharedCatalog {
        SharedCatalog { inner: Mutex::new((0, Arc::new(catalog))) }
    }

    fn lock(&self) -> MutexGuard<'_, (u64, Arc<Catalog>)> {
        // Every update is one assignment: a poisoned lock still holds a whole catalog.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The catalog now (shared, not copied).
    pub fn catalog(&self) -> Arc<Catalog> {
        Arc::clone(&self.lock().1)
    }

    /// The version now.
    pub fn version(&self) -> u64 {
        self.lock().0
    }
}

impl Catalogs for SharedCatalog {
    fn current(&self, _tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError> {
        let guard = self.lock();
        Ok((guard.0, Arc::clone(&guard.1)))
    }

    fn replace(&self, _tenant: &Tenant, version: u64, catalog: Catalog) -> Result<Option<u64>, ApiError> {
        let mut guard = self.lock();
        if guard.0 != version {
            return Ok(None);
        }
        let old = std::mem::replace(&mut *guard, (version.wrapping_add(1), Arc::new(catalog)));
        let new = guard.0;
        drop(guard);
        // The old catalog is released outside the lock.
        drop(old);
        Ok(Some(new))
    }
}

/// Rounds of read, import, replace an import tries before it gives up (APIG.9999): each lost
/// round means another change landed in between.
pub(crate) const APPLY_ROUNDS: usize = 16;

/// Imports into `tenant`'s current catalog and replaces it, again on the newer catalog while
/// another change comes first (at most [`APPLY_ROUNDS`] rounds). A cancel is honoured before a
/// replace, never after: what has landed is reported.
pub(crate) fn apply(
    catalogs: &dyn Catalogs,
    tenant: &Tenant,
    document: &[u8],
    options: &ImportOptions,
    cancel: Option<&CancelToken>,
) -> Result<ImportResponse, ApiError> {
    for _ in 0..APPLY_ROUNDS {
        let (version, base) = catalogs.current(tenant)?;
        let imported = import(&base, document, options)?;
        drop(base);
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(ApiError::system_error());
        }
        let response = imported.response().clone();
        if catalogs.replace(tenant, version, imported.into_catalog())?.is_some() {
            return Ok(response);
        }
    }
    Err(ApiError::system_error())
}
