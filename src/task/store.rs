//! The seam between the runner and where its tasks live.
//!
//! The runner owns the threads, the cancel tokens and the exports; a [`Store`] owns the queue,
//! the task records, the results and their retention. [`super::memory::Memory`] keeps them in
//! this process (the default); the PostgreSQL store (feature `postgres`) keeps them in a database
//! that several gateway nodes share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::envelope::Envelope;
use super::{TaskKey, TaskStatus, TaskType, Tenant};
use crate::import::ImportOptions;
use crate::{ApiError, Catalog, ExportRequest, Profile};

/// What a task needs to run.
pub(crate) enum Job {
    /// An export: the catalog as it was at submission, the request (its default version fixed),
    /// and the profile.
    Export { catalog: Arc<Catalog>, request: ExportRequest, profile: Profile },
    /// An import: the document and the options; the catalog is the tenant's when it runs.
    Import { document: Arc<[u8]>, options: ImportOptions },
}

impl Job {
    /// The bytes it holds while it waits, counted against `max_queued_bytes`: an import's
    /// options as stored, a newline and its document (what the PostgreSQL store keeps as the
    /// task's snapshot); 0 for an export, whose catalog is shared and whose request is small.
    pub(crate) fn queued_bytes(&self) -> usize {
        match self {
            Job::Export { .. } => 0,
            Job::Import { document, options } => options.to_stored().len() + 1 + document.len(),
        }
    }

    /// Which kind of task runs it.
    pub(crate) fn task_type(&self) -> TaskType {
        match self {
            Job::Export { .. } => TaskType::Export,
            Job::Import { .. } => TaskType::Import,
        }
    }
}

/// A task a worker has taken: which, whose, and which attempt (a shared store runs a task again
/// when the node running it stops renewing its lease).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Claim {
    pub(crate) key: TaskKey,
    pub(crate) tenant: Arc<Tenant>,
    pub(crate) attempt: i32,
}

/// A task as a query finds it: its type, its status, and its result once it has ended.
pub(crate) type Found = (TaskType, TaskStatus, Option<Envelope>);

/// Counts a store reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StoreStats {
    pub(crate) queued: usize,
    pub(crate) known: usize,
    pub(crate) retained_bytes: usize,
    pub(crate) lock_steps: u64,
    pub(crate) lock_bytes: u64,
}

/// Where tasks live. Every method is called from the runner's threads; none may panic.
pub(crate) trait Store: Send + Sync + fmt::Debug {
    /// Queues `job` for `tenant` under a fresh key drawn from `keys` (drawn again, up to 8
    /// times, while the key is taken).
    ///
    /// # Errors
    ///
    /// 429 APIG.0308 when the queue is full or the tenant has its share waiting; APIG.9999 when
    /// closed, without a fresh key, or when the store fails.
    fn submit(
        &self,
        tenant: &Tenant,
        keys: &mut dyn FnMut() -> Result<TaskKey, ApiError>,
        job: Job,
    ) -> Result<TaskKey, ApiError>;

    /// Waits for a task to run and marks it processing; `None` once closed (with nothing more
    /// for this node). `taken` is called with the claim as it is taken.
    fn next(&self, taken: &mut dyn FnMut(&Claim)) -> Option<(Claim, Job)>;

    /// Ends the claimed task with `result`; whether this ended it (a task ends once: a claim
    /// that lost its task, or a task already ended, changes nothing).
    fn finish(&self, claim: &Claim, status: TaskStatus, result: Envelope) -> bool;

    /// A claimed task this node stops running at shutdown: ended `failed` (APIG.9999) in this
    /// process's store, handed back for another node in a shared one.
    fn give_back(&self, claim: &Claim);

    /// How often [`Store::renew`] and [`Store::maintain`] must run (`None`: never).
    fn renew_every(&self) -> Option<Duration> {
        None
    }

    /// Renews the leases of `claims`; for each, whether it is still held.
    fn renew(&self, claims: &[Claim]) -> Vec<bool> {
        vec![true; claims.len()]
    }

    /// Periodic upkeep: tasks whose node died past their last attempt, retention.
    fn maintain(&self) {}

    /// Stops accepting and taking tasks; wakes the workers waiting in [`Store::next`].
    fn close(&self);

    /// Waiting tasks this node must fail at shutdown (a shared store leaves them for others).
    fn take_queued(&self) -> Vec<Claim>;

    /// The task's type, status and result (`None` until it ends), if it is `tenant`'s and known.
    ///
    /// # Errors
    ///
    /// APIG.9999 when the store fails.
    fn query(&self, tenant: &Tenant, key: TaskKey) -> Result<Option<Found>, ApiError>;

    /// Blocks until the task has ended or is unknown to `tenant` (`true`), or `timeout` passes.
    fn wait(&self, tenant: &Tenant, key: TaskKey, timeout: Duration) -> bool;

    /// Blocks until `stop` holds (`true`) or `timeout` passes; woken by [`Store::wake`] and by
    /// tasks ending.
    fn wait_until(&self, timeout: Duration, stop: &dyn Fn() -> bool) -> bool;

    /// Wakes [`Store::wait_until`].
    fn wake(&self);

    /// Counts for [`super::RunnerStats`].
    fn stats(&self) -> StoreStats;

    /// Releases what the store runs of its own (threads, connections) once the runner is done.
    fn stop(&self) {}
}
