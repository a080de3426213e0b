//! The catalog in PostgreSQL: [`PostgresCatalog`].

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use postgres::{Client, NoTls};

use super::{migrate, PostgresConfig};
use crate::model::CatalogData;
use crate::task::{Catalogs, Tenant};
use crate::{ApiError, Catalog};

/// One catalog kept in PostgreSQL, shared by every node that opens it (the same database, schema
/// and name) and by every tenant: the [`crate::task::SharedCatalog`] of several processes. It is
/// where imports land when the tasks live in PostgreSQL, so that an import run by any node is
/// what every node exports next.
///
/// The catalog is one row, found by its name (compact JSON of the catalog format, with a
/// version). It is the whole catalog, what never leaves it in an export included (authorizer
/// user data, VPC channel members, …): keep the database as private as the catalog itself. Each
/// import writes the whole catalog again. A replace is one
/// `UPDATE … WHERE version = $read`, so two nodes importing at once cannot both replace the same
/// version: the second runs its import again on the first's catalog (see [`Catalogs`]). Each node
/// keeps the catalog it read last and reads it again only when the version has moved: a read is
/// one small query while nothing changes.
///
/// ```no_run
/// use std::sync::Arc;
/// use apig_export::task::postgres::{PostgresCatalog, PostgresConfig};
/// use apig_export::task::{Runner, RunnerConfig};
/// use apig_export::Catalog;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = PostgresConfig::new("postgresql://apig@db.internal/gateway");
/// let seed = Catalog::from_json(&std::fs::read("catalog.json")?)?; // used when the database has none
/// let catalog = Arc::new(PostgresCatalog::open(&store, "gateway", &seed)?);
/// let runner = Runner::new(RunnerConfig::default().with_postgres(store).with_catalogs(catalog))?;
/// # Ok(())
/// # }
/// ```
pub struct PostgresCatalog {
    connect: postgres::Config,
    name: String,
    read_version: String,
    read: String,
    replace: String,
    client: Mutex<Option<Client>>,
    /// The catalog read or written last, with its version.
    cached: Mutex<(i64, Arc<Catalog>)>,
}

impl fmt::Debug for PostgresCatalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresCatalog").field("version", &Self::guard(&self.cached).0).finish_non_exhaustive()
    }
}

impl PostgresCatalog {
    /// Connects to `config`'s database (its URL and schema; the rest is the task store's),
    /// creates or migrates the schema, and stores `seed` as the catalog `name` at version 0
    /// unless the database holds that catalog already (then `seed` is not used).
    ///
    /// # Errors
    ///
    /// The configuration, the connection or the schema, as text (no password in it).
    pub fn open(config: &PostgresConfig, name: &str, seed: &Catalog) -> Result<PostgresCatalog, String> {
        config.check()?;
        let connect: postgres::Config = config.url.parse().map_err(|e: postgres::Error| e.to_string())?;
        let mut client = connect.connect(NoTls).map_err(|e| e.to_string())?;
        migrate(&mut client, &config.schema)?;
        let table = format!("{}.apig_export_catalog", config.schema);
        let bytes = serde_json::to_vec(seed.data()).map_err(|e| e.to_string())?;
        client
            .execute(
                &format!("INSERT INTO {table} (name, version, catalog) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING"),
                &[&name, &bytes],
            )
            .map_err(|e| e.to_string())?;
        let catalog = PostgresCatalog {
            connect,
            name: name.to_owned(),
            read_version: format!("SELECT version FROM {table} WHERE name = $1"),
            read: format!("SELECT version, catalog FROM {table} WHERE name = $1"),
            replace: format!(
                "UPDATE {table} SET version = version + 1, catalog = $3 WHERE name = $1 AND version = $2 RETURNING version"
            ),
            client: Mutex::new(Some(client)),
            cached: Mutex::new((-1, Arc::new(seed.clone()))),
        };
        Ok(catalog)
    }

    fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` on the connection (a new one when it was lost).
    fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>) -> Result<T, ApiError> {
        let mut slot = Self::guard(&self.client);
        if slot.as_ref().is_none_or(Client::is_closed) {
            *slot = Some(self.connect.connect(NoTls).map_err(|e| ApiError::system_error().caused_by(e))?);
        }
        let client = slot.as_mut().ok_or_else(ApiError::system_error)?;
        f(client).map_err(|e| ApiError::system_error().caused_by(e))
    }
}

/// Versions are counted from 0 by the database; a negative one never comes back from it.
fn version(v: i64) -> u64 {
    u64::try_from(v).unwrap_or_default()
}

impl Catalogs for PostgresCatalog {
    fn current(&self, _tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError> {
        let now: i64 = self.with_client(|c| c.query_one(&self.read_version, &[&self.name])?.try_get(0))?;
        {
            let cached = Self::guard(&self.cached);
            if cached.0 == now {
                return Ok((version(now), Arc::clone(&cached.1)));
            }
        }
        let (now, bytes): (i64, Vec<u8>) = self.with_client(|c| {
            let row = c.query_one(&self.read, &[&self.name])?;
            Ok((row.try_get(0)?, row.try_get(1)?))
        })?;
        let data: CatalogData = serde_json::from_slice(&bytes).map_err(|e| ApiError::system_error().caused_by(e))?;
        drop(bytes);
        let catalog = Arc::new(Catalog::new(data).map_err(|e| ApiError::system_error().caused_by(e))?);
        let mut cached = Self::guard(&self.cached);
        if cached.0 < now {
            *cached = (now, Arc::clone(&catalog));
        }
        Ok((version(now), catalog))
    }

    fn replace(&self, _tenant: &Tenant, read: u64, catalog: Catalog) -> Result<Option<u64>, ApiError> {
        let read = i64::try_from(read).map_err(|_| ApiError::system_error())?;
        let bytes = serde_json::to_vec(catalog.data()).map_err(|e| ApiError::system_error().caused_by(e))?;
        let row = self.with_client(|c| c.query_opt(&self.replace, &[&self.name, &read, &bytes]))?;
        let Some(row) = row else { return Ok(None) };
        let now: i64 = row.try_get(0).map_err(|e| ApiError::system_error().caused_by(e))?;
        let mut cached = Self::guard(&self.cached);
        if cached.0 < now {
            *cached = (now, Arc::new(catalog));
        }
        Ok(Some(version(now)))
    }
}
