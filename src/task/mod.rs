//! The asynchronous export and import: what a gateway needs behind
//! `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-export`,
//! `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-import` and
//! `GET /v2/{project_id}/apigw/instances/{instance_id}/async-tasks/{task_id}` (decisions.md D9).
//!
//! A [`Runner`] validates a submission exactly as the synchronous export does, accepts it into a
//! bounded queue, and exports it on worker threads from the catalog as it was at submission.
//! Tasks are visible to their tenant only; finished ones are kept for a configurable time, count
//! and total size. Every outcome is available as a [`Reply`] (status and JSON body) ready to send.
//!
//! Resources stay bounded whatever the tenants do:
//!
//! - **Queue**: at most `queue_capacity` tasks wait, and at most a tenant's share of them belong
//!   to one tenant (a quarter of the queue by default), so one tenant flooding the queue gets 429
//!   `APIG.0308` while the others are still accepted. Workers take queued tasks from the tenants
//!   in turn.
//! - **Waiting imports' documents**: a waiting import holds its document (in this process's
//!   memory, or in the database's table), so their bytes are bounded too: at most
//!   `max_queued_bytes` (64 MiB by default) in all, and for one tenant the same fraction of them
//!   as its share is of the queue (16 MiB by default). A submission that would pass either gets
//!   429 `APIG.0308` naming the bound; the bytes are released as the import starts.
//! - **Results**: finished results are kept until `retention` passes, and at most
//!   `max_retained` of them and `max_retained_bytes` in all (256 MiB by default). Beyond either,
//!   the tenant holding the most (results, or bytes) loses its oldest first: a tenant keeps its
//!   results as long as it holds no more than any other, so one tenant that keeps finishing
//!   exports pushes out only its own. A result larger than `max_retained_bytes` alone cannot be
//!   kept: its task ends `failed` with APIG.9999.
//! - **Held once**: the export is written straight into the form the query reply sends (the
//!   `task_result` JSON as a JSON string, escaped once when the task ends), and that is all that
//!   is kept; a reply copies it, a query shares it. Under the runner's lock a query takes a
//!   constant number of steps and copies nothing, and expiry takes two steps per result whatever
//!   its size; the results are released after the lock is let go. [`RunnerStats::lock_steps`]
//!   and [`RunnerStats::lock_bytes`] count that work.
//! - **Shutdown**: [`Runner::shutdown`] takes a deadline; exports still running then are
//!   cancelled (they stop before their next path item and end `failed` with APIG.9999).
//!
//! Where tasks live is a store behind the runner: the queue, the task records, the results and
//! their retention. By default that is this process's memory, and a task keeps the catalog it
//! was submitted with (a catalog is immutable: later catalogs are new values). With the
//! `postgres` feature, `RunnerConfig::with_postgres` keeps them in a database that every
//! gateway node configured alike shares (see the `postgres` module): a task is submitted on one node,
//! queried on any, and run by whichever node claims it, under a lease. There the task carries a
//! [`Snapshot`]: what its export needs, frozen at submission and serialized compactly with it,
//! so that any node exports the catalog as it was when the task was submitted. The bounds above
//! hold there across all the nodes: the queue, the waiting imports' bytes and the tenants' shares
//! of both (checked under a database lock), and `retention`, `max_retained` and `max_retained_bytes` with the same per-tenant
//! fairness (enforced in the transaction that ends each task); each node also caps its own
//! database connections. What differs is shutdown: a node's shutdown ends what it runs and
//! leaves the waiting tasks to the other nodes (and to itself once restarted) instead of
//! running or failing them.
//!
//! # Imports
//!
//! [`Runner::submit_import`] queues an import ([`ImportRequest`]: the document and APIG's
//! options, read from APIG's form by [`ImportRequest::parse`]) in the same queue, under the same
//! tenant share, retention and shutdown as exports. Its query answers `task_type` `import_api`
//! and, once it has run, `task_result` APIG's import response (`{"group_id","success","failure",
//! "ignore","swagger"}`; one API's problem is an entry in `failure`, the task still `succeed`),
//! or, when the whole document is refused, `failed` with APIG's error body (APIG.3600, 3602,
//! 3603, 3609, 3127, 3201, 3001, 3003). A form the endpoint cannot use is refused at submission
//! (APIG.2000, 2001, 2012).
//!
//! An import changes the catalog, which the gateway owns, so the runner applies it through a
//! hook the gateway supplies, [`Catalogs`] (`RunnerConfig::with_catalogs`): the tenant's current
//! catalog with a version, and a replace that succeeds only if the version has not moved.
//!
//! - **Which catalog**: the tenant's as it is when the task *runs*, not as it was at submission
//!   (an export reads a frozen catalog; an import writes, and must write onto the latest).
//! - **Concurrent imports**: the task runs the pure [`crate::import::import`] on the catalog it
//!   read, then replaces that version. If another change landed in between, the replace is
//!   refused and the import runs again on the newer catalog (up to 16 rounds, then APIG.9999).
//!   So two imports into one catalog both land, one on top of the other, or the second fails
//!   cleanly with what the first one's catalog gives it (APIG.3201 when both create a group of
//!   the same name); neither is lost.
//! - **Cancellation**: a shutdown's cancel is honoured before the replace, never after it: a task
//!   cancelled before it landed ends `failed` (APIG.9999) with the catalog unchanged, or, in a
//!   shared store, is handed back to run elsewhere.
//! - **Several nodes** (feature `postgres`): the task stores its options and document with it, so
//!   any node can run it, through *that node's* `Catalogs`. That is sound only if every node's
//!   `Catalogs` is the same catalog: `postgres::PostgresCatalog` keeps it in the same database,
//!   a versioned row replaced by `UPDATE … WHERE version = $read`. A node whose lease runs out
//!   *after* its import landed but before its task ended (it stalled past the lease just then)
//!   leaves the task to another node, which imports again: the catalog stays right (`merge`
//!   finds the APIs and lists them as APIG.3301 failures, `override` writes the same
//!   definitions again), but that second run's response is the one reported.
//! - [`SharedCatalog`] is one catalog in this process for every tenant; [`Runner::import_now`]
//!   is the synchronous import through the same path.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use apig_export::task::{Runner, RunnerConfig, Tenant};
//! use apig_export::Catalog;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let catalog = Arc::new(Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json")?)?);
//! let runner = Runner::new(RunnerConfig::default().with_workers(1))?;
//! let tenant = Tenant::new("project-1", "instance-1");
//!
//! let body = br#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "f1e2d3c4b5a697887766554433221100"}"#;
//! let reply = runner.handle_submit(&tenant, &catalog, Some("3.0"), body);
//! assert_eq!(reply.status, 202);
//! let task_id = runner.submit(&tenant, &catalog, None, body)?;
//!
//! let done = runner.wait(&tenant, &task_id, Duration::from_secs(30)).ok_or("timed out")?;
//! assert_eq!(done.status().as_str(), "succeed");
//! let reply = runner.handle_query(&tenant, &task_id);
//! assert_eq!(reply.status, 200);
//! runner.shutdown(apig_export::task::Shutdown::Drain, Duration::from_secs(30));
//! # Ok(())
//! # }
//! ```

mod catalogs;
mod envelope;
mod memory;
#[cfg(feature = "postgres")]
pub mod postgres;
mod snapshot;
mod store;

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::ser::SerializeStruct;
use serde::Serialize;

pub use catalogs::{Catalogs, SharedCatalog};
use envelope::{Envelope, EnvelopeWriter};
use memory::Memory;
pub use snapshot::Snapshot;
use store::{Claim, Job, Store};

use crate::import::{ImportRequest, ImportResponse};
use crate::{
    default_version, ApiError, CancelToken, Catalog, Clock, ExportRequest, Exported, Profile, Settings, SystemClock,
};

/// Who submitted a task: the project and the gateway instance of the request path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tenant {
    project_id: String,
    instance_id: String,
}

impl Tenant {
    /// The tenant of `/v2/{project_id}/apigw/instances/{instance_id}/…`.
    pub fn new(project_id: impl Into<String>, instance_id: impl Into<String>) -> Tenant {
        Tenant { project_id: project_id.into(), instance_id: instance_id.into() }
    }

    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The instance id.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
}

/// Where task ids come from: 16 bytes, written as 32 lowercase hex digits.
pub trait TaskIdSource: Send + Sync + fmt::Debug {
    /// The next 16 bytes.
    ///
    /// # Errors
    ///
    /// When no randomness is available; the submission then fails with APIG.9999.
    fn next_bytes(&self) -> Result<[u8; 16], ApiError>;
}

/// The operating system's randomness (unguessable ids).
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandomIds;

impl TaskIdSource for OsRandomIds {
    fn next_bytes(&self) -> Result<[u8; 16], ApiError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| ApiError::system_error())?;
        Ok(bytes)
    }
}

/// The export a task runs, replaceable in tests (to hold an export, or inject a fault): see
/// `RunnerConfig::with_export` (feature `testkit`).
#[cfg(any(test, feature = "testkit"))]
pub type ExportFn = Arc<dyn Fn(&Catalog, &ExportRequest, &Settings) -> Result<Exported, ApiError> + Send + Sync>;
/// The export a task runs (public with the feature `testkit`).
#[cfg(not(any(test, feature = "testkit")))]
pub(crate) type ExportFn = Arc<dyn Fn(&Catalog, &ExportRequest, &Settings) -> Result<Exported, ApiError> + Send + Sync>;

/// What to do with queued tasks at shutdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shutdown {
    /// Run queued tasks until the deadline; what is left then fails (APIG.9999).
    Drain,
    /// Fail every queued task (APIG.9999) at once; running ones may finish until the deadline.
    FailQueued,
}

/// How a [`Runner`] works.
#[derive(Clone)]
pub struct RunnerConfig {
    workers: usize,
    queue_capacity: usize,
    tenant_share: Option<usize>,
    max_queued_bytes: usize,
    retention: Duration,
    max_retained: usize,
    max_retained_bytes: usize,
    cancel_grace: Duration,
    settings: Settings,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn TaskIdSource>,
    /// `None`: the library's export, written straight into the retained result.
    export: Option<ExportFn>,
    /// Where imports land; `None`: imports are refused.
    catalogs: Option<Arc<dyn Catalogs>>,
    /// `None`: tasks live in this process.
    #[cfg(feature = "postgres")]
    postgres: Option<postgres::PostgresConfig>,
}

impl fmt::Debug for RunnerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunnerConfig")
            .field("workers", &self.workers)
            .field("queue_capacity", &self.queue_capacity)
            .field("tenant_share", &self.tenant_share())
            .field("max_queued_bytes", &self.max_queued_bytes)
            .field("retention", &self.retention)
            .field("max_retained", &self.max_retained)
            .field("max_retained_bytes", &self.max_retained_bytes)
            .field("cancel_grace", &self.cancel_grace)
            .field("settings", &self.settings)
            .field("clock", &self.clock)
            .field("ids", &self.ids)
            .field("catalogs", &self.catalogs)
            .finish_non_exhaustive()
    }
}

impl Default for RunnerConfig {
    /// Workers: the available parallelism; queue: 1,024 tasks, a quarter of them per tenant;
    /// waiting imports' documents: 64 MiB, the same quarter of it per tenant; finished tasks kept 1 hour, at most 10,000 of them and 256 MiB of results; default
    /// [`Settings`]; the system clock; ids from the OS.
    fn default() -> RunnerConfig {
        RunnerConfig {
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            queue_capacity: 1024,
            tenant_share: None,
            max_queued_bytes: 64 << 20,
            retention: Duration::from_secs(3600),
            max_retained: 10_000,
            max_retained_bytes: 256 << 20,
            cancel_grace: Duration::from_secs(5),
            settings: Settings::default(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(OsRandomIds),
            export: None,
            catalogs: None,
            #[cfg(feature = "postgres")]
            postgres: None,
        }
    }
}

impl RunnerConfig {
    /// Worker threads (at least 1).
    pub fn with_workers(mut self, workers: usize) -> Self {
        self.workers = workers;
        self
    }

    /// Tasks that may wait at once (at least 1); a submission beyond it answers 429 APIG.0308.
    pub fn with_queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity;
        self
    }

    /// Tasks of one tenant that may wait at once (at least 1; by default a quarter of the queue
    /// capacity, at least 1): beyond it that tenant's submissions answer 429 APIG.0308 while other
    /// tenants' are still accepted. A share as large as the queue turns this off.
    pub fn with_tenant_share(mut self, share: usize) -> Self {
        self.tenant_share = Some(share);
        self
    }

    fn tenant_share(&self) -> usize {
        self.tenant_share.unwrap_or((self.queue_capacity / 4).max(1))
    }

    /// How many bytes the documents of waiting imports may hold at once (at least 1; 64 MiB by
    /// default). A waiting import counts its document and its options as stored (a few dozen
    /// bytes); an export counts nothing. One tenant may hold the same fraction of these bytes as
    /// its share is of the queue (`max_queued_bytes × tenant_share / queue_capacity`, at least 1;
    /// a quarter, 16 MiB, by default). A submission that would pass either answers 429 APIG.0308
    /// naming the bound, while other tenants' are still accepted; a document larger than a
    /// tenant's share is always refused so. An import's bytes are released when it starts (or
    /// ends without starting, at shutdown).
    pub fn with_max_queued_bytes(mut self, bytes: usize) -> Self {
        self.max_queued_bytes = bytes;
        self
    }

    /// A tenant's share of `max_queued_bytes`: the fraction its share is of the queue.
    fn tenant_queued_bytes(&self) -> usize {
        let share = self.tenant_share().min(self.queue_capacity) as u128;
        let bytes = self.max_queued_bytes as u128 * share / (self.queue_capacity.max(1) as u128);
        usize::try_from(bytes).unwrap_or(usize::MAX).max(1)
    }

    /// How long a finished task stays queryable (more than zero).
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// How many finished tasks are kept at most (at least 1). Beyond it, the tenant holding the
    /// most results loses its oldest first.
    pub fn with_max_retained(mut self, max: usize) -> Self {
        self.max_retained = max;
        self
    }

    /// How many bytes of finished results are kept at most (at least 1), counted as held: each
    /// `task_result` as the JSON string the query reply carries. Beyond it, the tenant holding
    /// the most bytes loses its oldest result first. A single result larger than this fails its
    /// task with APIG.9999.
    pub fn with_max_retained_bytes(mut self, max: usize) -> Self {
        self.max_retained_bytes = max;
        self
    }

    /// How long [`Runner::shutdown`] waits, after cancelling at its deadline, for an export that
    /// does not stop (an injected [`ExportFn`] that ignores [`Settings::cancel_token`]) before it
    /// leaves that thread behind (5 seconds by default). The library's own export stops before
    /// its next path item.
    pub fn with_cancel_grace(mut self, grace: Duration) -> Self {
        self.cancel_grace = grace;
        self
    }

    /// Every value a runner cannot work with, named.
    fn check(&self) -> Result<(), ConfigError> {
        let positive = [
            ("workers", self.workers),
            ("queue_capacity", self.queue_capacity),
            ("tenant_share", self.tenant_share()),
            ("max_queued_bytes", self.max_queued_bytes),
            ("max_retained", self.max_retained),
            ("max_retained_bytes", self.max_retained_bytes),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, value)| *value == 0) {
            return Err(ConfigError(format!("{name} must be at least 1, got 0")));
        }
        if self.retention.is_zero() {
            return Err(ConfigError(
                "retention must be more than zero: finished tasks would never be queryable".into(),
            ));
        }
        Ok(())
    }

    /// Profile and clock of the exports (the clock also gives the default version at submission).
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The clock that dates finished tasks for retention (in both stores: with PostgreSQL, the
    /// ending node's clock stamps a task's end and the querying node's clock decides whether it
    /// has expired; leases stay on the database's clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Where task ids come from.
    pub fn with_ids(mut self, ids: Arc<dyn TaskIdSource>) -> Self {
        self.ids = ids;
        self
    }

    /// The export tasks run (by default [`crate::export`], written straight into the retained
    /// result; an injected function's [`Exported`] is held until its result is encoded). Test
    /// tooling: only with the feature `testkit`.
    #[cfg(any(test, feature = "testkit"))]
    pub fn with_export(mut self, export: ExportFn) -> Self {
        self.export = Some(export);
        self
    }

    /// The catalogs imports read and replace (see [`Catalogs`]); without them, imports are
    /// refused with APIG.9999.
    pub fn with_catalogs(mut self, catalogs: Arc<dyn Catalogs>) -> Self {
        self.catalogs = Some(catalogs);
        self
    }

    /// Keeps the tasks in PostgreSQL, shared by every runner (gateway node) configured with the
    /// same database and schema, instead of in this process (see [`postgres`]).
    #[cfg(feature = "postgres")]
    pub fn with_postgres(mut self, postgres: postgres::PostgresConfig) -> Self {
        self.postgres = Some(postgres);
        self
    }

    fn limits(&self) -> Limits {
        Limits {
            queue_capacity: self.queue_capacity,
            tenant_share: self.tenant_share(),
            max_queued_bytes: self.max_queued_bytes,
            tenant_queued_bytes: self.tenant_queued_bytes(),
            retention: self.retention,
            max_retained: self.max_retained,
            max_retained_bytes: self.max_retained_bytes,
        }
    }
}

/// A [`RunnerConfig`] value that cannot work, named with the value given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid runner configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The state of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskStatus {
    /// Accepted, queued.
    Waiting,
    /// Being exported.
    Processing,
    /// Done; the result holds the file.
    Succeed,
    /// Done; the result holds the error body.
    Failed,
}

impl TaskStatus {
    /// APIG's spelling: `waiting`, `processing`, `succeed`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Waiting => "waiting",
            TaskStatus::Processing => "processing",
            TaskStatus::Succeed => "succeed",
            TaskStatus::Failed => "failed",
        }
    }

    /// Whether the task has ended.
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskStatus::Succeed | TaskStatus::Failed)
    }
}

/// What a task does: APIG's `task_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskType {
    /// An export (`export_api`): its result is the file.
    Export,
    /// An import (`import_api`): its result is APIG's import response.
    Import,
}

impl TaskType {
    /// APIG's spelling: `export_api`, `import_api`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::Export => "export_api",
            TaskType::Import => "import_api",
        }
    }
}

/// A task as the query endpoint reports it. Its result is shared with the runner, not copied.
#[derive(Clone, Debug)]
pub struct TaskView {
    task_id: String,
    task_type: TaskType,
    status: TaskStatus,
    /// `None` until the task ends.
    result: Option<Envelope>,
    /// The plain `task_result`, decoded from `result` the first time it is asked for.
    text: OnceLock<String>,
}

impl PartialEq for TaskView {
    fn eq(&self, other: &TaskView) -> bool {
        self.task_id == other.task_id
            && self.task_type == other.task_type
            && self.status == other.status
            && self.result == other.result
    }
}

impl Eq for TaskView {}

impl TaskView {
    fn new(task_id: &str, task_type: TaskType, status: TaskStatus, result: Option<Envelope>) -> TaskView {
        TaskView { task_id: task_id.to_owned(), task_type, status, result, text: OnceLock::new() }
    }

    /// The task id.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// The status.
    pub fn status(&self) -> TaskStatus {
        self.status
    }

    /// What the task does.
    pub fn task_type(&self) -> TaskType {
        self.task_type
    }

    /// `""` until the end; then, as a string, the error body when the task failed, else for an
    /// export `{"FileName","FileType","Comment"}`, for an import APIG's import response
    /// `{"group_id","success","failure","ignore","swagger"}`.
    ///
    /// The runner holds each result once, in the form the query reply sends it; this text is
    /// decoded from it on the first call (and kept by this view).
    pub fn task_result(&self) -> &str {
        self.text.get_or_init(|| self.result.as_ref().map(Envelope::decode).unwrap_or_default())
    }

    /// The body APIG answers: `{"task_id","task_status","task_type","task_result"}`,
    /// byte for byte what serializing the view with `serde_json` writes. The result is copied
    /// into it as held, not escaped again.
    pub fn to_json(&self) -> String {
        let id = serde_json::to_string(&self.task_id).unwrap_or_default();
        let status = self.status.as_str();
        let result = self.result.as_ref().map_or(2, Envelope::len);
        let mut out = Vec::with_capacity(80 + id.len() + status.len() + result);
        out.extend_from_slice(b"{\"task_id\":");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b",\"task_status\":\"");
        out.extend_from_slice(status.as_bytes());
        out.extend_from_slice(b"\",\"task_type\":\"");
        out.extend_from_slice(self.task_type.as_str().as_bytes());
        out.extend_from_slice(b"\",\"task_result\":");
        match &self.result {
            Some(result) => result.append_to(&mut out),
            None => out.extend_from_slice(b"\"\""),
        }
        out.push(b'}');
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Serialize for TaskView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("TaskView", 4)?;
        s.serialize_field("task_id", &self.task_id)?;
        s.serialize_field("task_status", self.status.as_str())?;
        s.serialize_field("task_type", self.task_type.as_str())?;
        s.serialize_field("task_result", self.task_result())?;
        s.end()
    }
}

/// An HTTP status and a JSON body, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

impl Reply {
    /// A reply with this status and body.
    pub fn new(status: u16, body: impl Into<String>) -> Reply {
        Reply { status, body: body.into() }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        Reply { status: e.status(), body: e.to_json() }
    }
}

/// What [`Runner::shutdown`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Worker threads joined.
    pub joined: usize,
    /// Queued tasks failed: all of them with [`Shutdown::FailQueued`], those left at the deadline
    /// with [`Shutdown::Drain`].
    pub failed_queued: usize,
    /// Exports running at the deadline, told to stop.
    pub cancelled: usize,
    /// Worker threads still running an export that ignored its cancel token past the deadline
    /// and the cancel grace; left behind, not joined (their tasks have ended `failed`).
    pub abandoned: usize,
}

/// Counts for monitoring (and for tests that memory and lock holds stay bounded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunnerStats {
    /// Tasks waiting in the queue.
    pub queued: usize,
    /// Tasks known (waiting, processing, or finished and retained).
    pub known: usize,
    /// Worker threads alive.
    pub live_workers: usize,
    /// Bytes of finished results retained.
    pub retained_bytes: usize,
    /// Steps done while holding the runner's lock, since it started: each a task looked at,
    /// queued, taken, ended or released (a constant amount of work, whatever the results'
    /// sizes). Counted by the in-memory store; always 0 with PostgreSQL, which has no such lock.
    pub lock_steps: u64,
    /// Bytes copied or released while holding the runner's lock, since it started (a new
    /// tenant's name; never a result). Counted by the in-memory store; always 0 with PostgreSQL.
    pub lock_bytes: u64,
}

/// A worker's phases.
const IDLE: u8 = 0;
const BUSY: u8 = 1;
const LEFT: u8 = 2;

/// A task's key: the 16 bytes of its id.
pub(crate) type TaskKey = [u8; 16];

/// The bounds a store keeps.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) queue_capacity: usize,
    pub(crate) tenant_share: usize,
    pub(crate) max_queued_bytes: usize,
    pub(crate) tenant_queued_bytes: usize,
    pub(crate) retention: Duration,
    pub(crate) max_retained: usize,
    pub(crate) max_retained_bytes: usize,
}

/// The task a worker is exporting, and the token that stops it.
struct Running {
    claim: Claim,
    cancel: CancelToken,
}

struct Shared {
    store: Box<dyn Store>,
    config: RunnerConfig,
    live_workers: AtomicUsize,
    /// Per worker, the task it exports now.
    running: Mutex<Vec<Option<Running>>>,
    /// Set once shutdown cancels the running exports: a cancelled task is then given back to
    /// the store (failed in memory, handed to another node in a shared store).
    stopping: AtomicBool,
    /// Wakes the lease keeper early (at shutdown).
    keeper: (Mutex<bool>, std::sync::Condvar),
}

impl Shared {
    fn running(&self) -> MutexGuard<'_, Vec<Option<Running>>> {
        self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends the task with `outcome`; an error ends it `failed` with the error body.
    fn finish(&self, claim: &Claim, outcome: Result<Envelope, ApiError>) {
        match outcome {
            Ok(result) => self.store.finish(claim, TaskStatus::Succeed, result),
            Err(e) => self.store.finish(claim, TaskStatus::Failed, Envelope::of_text(&e.to_json())),
        };
    }

    /// Runs tasks until shutdown, keeping `phase` up to date.
    fn worker(self: &Arc<Self>, n: usize, phase: &AtomicU8) {
        /// Says the worker has left, however it leaves (a panic included).
        struct Leave<'w>(&'w Shared, &'w AtomicU8);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.1.store(LEFT, Ordering::SeqCst);
                self.0.live_workers.fetch_sub(1, Ordering::SeqCst);
                // Shutdown waits for the workers to leave.
                self.0.store.wake();
            }
        }
        let _leave = Leave(self, phase);
        loop {
            let cancel = CancelToken::new();
            // Taken under the store's lock (in memory), so that shutdown never sees a running
            // task on an idle worker, nor a task without its token.
            let next = self.store.next(&mut |claim| {
                phase.store(BUSY, Ordering::SeqCst);
                if let Some(slot) = self.running().get_mut(n) {
                    *slot = Some(Running { claim: claim.clone(), cancel: cancel.clone() });
                }
            });
            let Some((claim, job)) = next else { break };
            let outcome = catch_unwind(AssertUnwindSafe(|| self.run(&claim, &job, &cancel)))
                .unwrap_or_else(|_| Err(ApiError::system_error()));
            drop(job);
            if outcome.is_err() && cancel.is_cancelled() && self.stopping.load(Ordering::SeqCst) {
                self.store.give_back(&claim);
            } else {
                self.finish(&claim, outcome);
            }
            if let Some(slot) = self.running().get_mut(n) {
                *slot = None;
            }
            phase.store(IDLE, Ordering::SeqCst);
        }
    }

    /// Renews the leases of the running tasks and cancels those lost, until shutdown; runs the
    /// store's upkeep.
    fn keep_leases(&self, every: Duration) {
        loop {
            let stop = {
                let guard = self.keeper.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let (guard, _) = self
                    .keeper
                    .1
                    .wait_timeout_while(guard, every, |stop| !*stop)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                *guard
            };
            if stop {
                break;
            }
            let running: Vec<(Claim, CancelToken)> =
                self.running().iter().flatten().map(|r| (r.claim.clone(), r.cancel.clone())).collect();
            let claims: Vec<Claim> = running.iter().map(|(claim, _)| claim.clone()).collect();
            let held = self.store.renew(&claims);
            for ((_, cancel), held) in running.iter().zip(held) {
                if !held {
                    // Another node has taken the task: this export's end would not count.
                    cancel.cancel();
                }
            }
            self.store.maintain();
        }
    }

    /// Runs the job into its result.
    fn run(&self, claim: &Claim, job: &Job, cancel: &CancelToken) -> Result<Envelope, ApiError> {
        match job {
            Job::Export { catalog, request, profile } => {
                // The task result is the file: nobody reads its warnings, so they are only counted.
                let settings = self
                    .config
                    .settings
                    .clone()
                    .with_profile(*profile)
                    .with_cancel(cancel.clone())
                    .with_warning_limit(0);
                self.export(catalog, request, &settings)
            }
            Job::Import { document, options } => {
                let catalogs = self.config.catalogs.as_deref().ok_or_else(ApiError::system_error)?;
                let response = catalogs::apply(catalogs, &claim.tenant, document, options, Some(cancel))?;
                let mut writer = EnvelopeWriter::new(Profile::Apig, self.config.max_retained_bytes);
                writer.raw(response.to_json().as_bytes());
                writer.finish().map_err(|_| ApiError::system_error())
            }
        }
    }

    /// Exports into the task's result, held once: the library's export writes the document
    /// straight into it; an injected export's document is encoded, then dropped.
    fn export(&self, catalog: &Catalog, request: &ExportRequest, settings: &Settings) -> Result<Envelope, ApiError> {
        let mut writer = EnvelopeWriter::new(settings.profile(), self.config.max_retained_bytes);
        let head = |writer: &mut EnvelopeWriter, file_name: &str, file_type: &str| {
            writer.raw(br#"{"FileName":""#);
            writer.string(file_name);
            writer.raw(br#"","FileType":""#);
            writer.string(file_type);
            writer.raw(br#"","Comment":""#);
        };
        match &self.config.export {
            Some(export) => {
                let exported = export(catalog, request, settings)?;
                head(&mut writer, exported.file_name(), exported.file_type());
                writer.string(exported.content());
            }
            None => {
                let prepared = crate::prepare(catalog, request, settings)?;
                head(&mut writer, prepared.file_name(), prepared.file_type());
                prepared.write_to(&mut writer).map_err(|_| ApiError::system_error())?;
            }
        }
        writer.raw(br#""}"#);
        // A result larger than the whole budget cannot be kept: its task fails, visibly.
        writer.finish().map_err(|_| ApiError::system_error())
    }

    /// Fails `claims` (APIG.9999).
    fn fail(&self, claims: Vec<Claim>) -> usize {
        let count = claims.len();
        for claim in claims {
            self.finish(&claim, Err(ApiError::system_error()));
        }
        count
    }

    /// Waits until every worker has left, `timeout` at most; whether they all left.
    fn await_workers(&self, timeout: Duration) -> bool {
        self.store.wait_until(timeout, &|| self.live_workers.load(Ordering::SeqCst) == 0)
    }
}

/// Runs asynchronous exports and imports on worker threads. Dropping it shuts it down with no deadline
/// ([`Shutdown::FailQueued`], running exports cancelled at once, each thread joined or, past the
/// cancel grace, left behind).
pub struct Runner {
    shared: Arc<Shared>,
    /// Whether [`Runner::shutdown`] has run.
    shut_down: AtomicBool,
    /// Each worker thread, with its phase ([`IDLE`], [`BUSY`] exporting, [`LEFT`]).
    workers: Mutex<Vec<(JoinHandle<()>, Arc<AtomicU8>)>>,
    /// The thread renewing leases, for a shared store.
    keeper: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner").field("config", &self.shared.config).field("stats", &self.stats()).finish()
    }
}

impl Runner {
    /// Checks the configuration and starts the worker threads.
    ///
    /// # Errors
    ///
    /// A value the runner cannot work with: zero workers, queue capacity, tenant share, retained
    /// count or bytes, or a zero retention.
    pub fn new(config: RunnerConfig) -> Result<Runner, ConfigError> {
        config.check()?;
        let workers = config.workers;
        let store = Self::store(&config)?;
        let shared = Arc::new(Shared {
            store,
            config,
            live_workers: AtomicUsize::new(workers),
            running: Mutex::new((0..workers).map(|_| None).collect()),
            stopping: AtomicBool::new(false),
            keeper: (Mutex::new(false), std::sync::Condvar::new()),
        });
        let handles = (0..workers)
            .map(|n| {
                let shared = Arc::clone(&shared);
                let phase = Arc::new(AtomicU8::new(IDLE));
                let own = Arc::clone(&phase);
                let spawned =
                    std::thread::Builder::new().name(format!("apig-export-{n}")).spawn(move || shared.worker(n, &own));
                spawned.map(|handle| (handle, phase))
            })
            .filter_map(|spawned| match spawned {
                Ok(worker) => Some(worker),
                Err(_) => {
                    shared.live_workers.fetch_sub(1, Ordering::SeqCst);
                    None
                }
            })
            .collect();
        let keeper = shared.store.renew_every().and_then(|every| {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new().name("apig-export-leases".into()).spawn(move || shared.keep_leases(every)).ok()
        });
        Ok(Runner {
            shared,
            shut_down: AtomicBool::new(false),
            workers: Mutex::new(handles),
            keeper: Mutex::new(keeper),
        })
    }

    /// The store the configuration names.
    fn store(config: &RunnerConfig) -> Result<Box<dyn Store>, ConfigError> {
        #[cfg(feature = "postgres")]
        if let Some(postgres) = &config.postgres {
            let store = postgres::Postgres::open(postgres, config.limits(), Arc::clone(&config.clock))
                .map_err(|e| ConfigError(format!("cannot open the PostgreSQL task store: {e}")))?;
            return Ok(Box::new(store));
        }
        Ok(Box::new(Memory::new(config.limits(), Arc::clone(&config.clock))))
    }

    /// Validates and accepts an export: the tenant, the catalog to export (as it is now), the
    /// query `oas_version` and the raw body. Returns the task id.
    ///
    /// # Errors
    ///
    /// Every error of the synchronous export, in the same order (decisions.md D8); 429 APIG.0308
    /// when the queue is full or the tenant has its share of it waiting; 500 APIG.9999 after
    /// shutdown began or without randomness.
    pub fn submit(
        &self,
        tenant: &Tenant,
        catalog: &Arc<Catalog>,
        oas_version: Option<&str>,
        body: &[u8],
    ) -> Result<String, ApiError> {
        let request = self.validate(catalog, oas_version, body)?;
        let ids = &*self.shared.config.ids;
        let job = Job::Export { catalog: Arc::clone(catalog), request, profile: self.shared.config.settings.profile() };
        // A source that keeps repeating itself fails the submission instead of spinning.
        let key = self.shared.store.submit(tenant, &mut || ids.next_bytes(), job)?;
        Ok(hex(&key))
    }

    /// Accepts an import (the document and the options, as [`ImportRequest::parse`] reads them
    /// from APIG's form). Returns the task id. The task imports into the tenant's catalog as it
    /// is when the task runs, through the configured [`Catalogs`], and replaces it (see
    /// [`Catalogs`] for concurrent imports); its query answers `task_type` `import_api` with
    /// APIG's import response as `task_result`, or, when the whole document is refused, `failed`
    /// with APIG's error body (APIG.3600, 3602, 3603, 3609, 3127, 3201, 3001, 3003).
    ///
    /// Queue, tenant share, retention and shutdown are the export's: an import waits in the same
    /// queue. A cancel at shutdown stops it before its catalog is replaced, never after. A waiting
    /// import holds its document (in this process's memory with the default store, in the task's
    /// row with PostgreSQL) until it starts; those bytes are bounded by
    /// [`RunnerConfig::with_max_queued_bytes`] (64 MiB in all by default, a tenant's share of
    /// them 16 MiB), across all the nodes with PostgreSQL.
    ///
    /// # Errors
    ///
    /// 429 APIG.0308 when the queue is full or the tenant has its share of it waiting, or when
    /// the document would take the waiting imports' bytes, or the tenant's share of them, past
    /// [`RunnerConfig::with_max_queued_bytes`] (the message names the bound); 500
    /// APIG.9999 without [`RunnerConfig::with_catalogs`], after shutdown began, or without
    /// randomness.
    pub fn submit_import(&self, tenant: &Tenant, request: ImportRequest) -> Result<String, ApiError> {
        if self.shared.config.catalogs.is_none() {
            return Err(ApiError::system_error());
        }
        let (document, options) = request.into_parts();
        let job = Job::Import { document: document.into(), options };
        let ids = &*self.shared.config.ids;
        let key = self.shared.store.submit(tenant, &mut || ids.next_bytes(), job)?;
        Ok(hex(&key))
    }

    /// The synchronous import (`POST …/openapi/import`) through the same path an import task
    /// takes: into the tenant's current catalog, replacing it. Returns APIG's import response.
    ///
    /// # Errors
    ///
    /// The whole document refused (as [`crate::import::import`]); 500 APIG.9999 without
    /// [`RunnerConfig::with_catalogs`], when the catalogs fail, when other changes keep coming
    /// first, or for a panic inside the import.
    pub fn import_now(&self, tenant: &Tenant, request: &ImportRequest) -> Result<ImportResponse, ApiError> {
        let catalogs = self.shared.config.catalogs.as_deref().ok_or_else(ApiError::system_error)?;
        catch_unwind(AssertUnwindSafe(|| {
            catalogs::apply(catalogs, tenant, request.document(), request.options(), None)
        }))
        .unwrap_or_else(|_| Err(ApiError::system_error()))
    }

    /// `POST …/openapi/async-import`: the body read by its `Content-Type` (see
    /// [`ImportRequest::parse`]); 202 `{"task_id": …}` or the error.
    pub fn handle_import_submit(&self, tenant: &Tenant, content_type: Option<&str>, body: &[u8]) -> Reply {
        match ImportRequest::parse(content_type, body).and_then(|request| self.submit_import(tenant, request)) {
            Ok(id) => Reply { status: 202, body: format!("{{\"task_id\":\"{id}\"}}") },
            Err(e) => e.into(),
        }
    }

    /// `POST …/openapi/import`: 200 with APIG's import response, or the error.
    pub fn handle_import(&self, tenant: &Tenant, content_type: Option<&str>, body: &[u8]) -> Reply {
        match ImportRequest::parse(content_type, body).and_then(|request| self.import_now(tenant, &request)) {
            Ok(response) => Reply { status: 200, body: response.to_json() },
            Err(e) => e.into(),
        }
    }

    /// The synchronous export through the same validated path as [`Runner::submit`].
    ///
    /// # Errors
    ///
    /// As [`Runner::submit`], minus the queue; a panic inside the export is APIG.9999.
    pub fn export_now(&self, catalog: &Catalog, oas_version: Option<&str>, body: &[u8]) -> Result<Exported, ApiError> {
        let request = self.validate(catalog, oas_version, body)?;
        let settings = &self.shared.config.settings;
        catch_unwind(AssertUnwindSafe(|| match &self.shared.config.export {
            Some(export) => export(catalog, &request, settings),
            None => crate::export(catalog, &request, settings),
        }))
        .unwrap_or_else(|_| Err(ApiError::system_error()))
    }

    /// Parses and resolves the request; fixes the default version at this moment.
    fn validate(&self, catalog: &Catalog, oas_version: Option<&str>, body: &[u8]) -> Result<ExportRequest, ApiError> {
        let request = ExportRequest::parse(oas_version, body)?;
        crate::export::check(catalog, &request)?;
        match request.version() {
            Some(_) => Ok(request),
            None => request.with_version(&default_version(self.shared.config.settings.clock())),
        }
    }

    /// The task as the query endpoint reports it. The result is shared with the runner, not
    /// copied: under the runner's lock a query takes a constant number of steps and copies
    /// nothing (see [`RunnerStats::lock_steps`]).
    ///
    /// # Errors
    ///
    /// 404 APIG.3093 for an unknown, expired, or another tenant's id (indistinguishable).
    pub fn query(&self, tenant: &Tenant, task_id: &str) -> Result<TaskView, ApiError> {
        let found = match parse_key(task_id) {
            Some(key) => self.shared.store.query(tenant, key)?,
            None => None,
        };
        match found {
            Some((task_type, status, result)) => Ok(TaskView::new(task_id, task_type, status, result)),
            None => Err(ApiError::task_not_found(task_id)),
        }
    }

    /// Blocks until the task has ended (or `timeout` passes, or it is unknown to `tenant`).
    pub fn wait(&self, tenant: &Tenant, task_id: &str, timeout: Duration) -> Option<TaskView> {
        let key = parse_key(task_id)?;
        if self.shared.store.wait(tenant, key, timeout) {
            self.query(tenant, task_id).ok().filter(|v| v.status.is_terminal())
        } else {
            None
        }
    }

    /// `POST …/openapi/async-export`: 202 `{"task_id": …}` or the error.
    pub fn handle_submit(
        &self,
        tenant: &Tenant,
        catalog: &Arc<Catalog>,
        oas_version: Option<&str>,
        body: &[u8],
    ) -> Reply {
        match self.submit(tenant, catalog, oas_version, body) {
            Ok(id) => Reply { status: 202, body: format!("{{\"task_id\":\"{id}\"}}") },
            Err(e) => e.into(),
        }
    }

    /// `GET …/async-tasks/{task_id}`: 200 with the task, or 404 APIG.3093. The body is built
    /// with one copy of the held result, which is not escaped again.
    pub fn handle_query(&self, tenant: &Tenant, task_id: &str) -> Reply {
        match self.query(tenant, task_id) {
            Ok(view) => Reply { status: 200, body: view.to_json() },
            Err(e) => e.into(),
        }
    }

    /// Counts of queued and known tasks, live workers, retained bytes, and the work done under
    /// the runner's lock.
    pub fn stats(&self) -> RunnerStats {
        let stats = self.shared.store.stats();
        RunnerStats {
            queued: stats.queued,
            known: stats.known,
            live_workers: self.shared.live_workers.load(Ordering::SeqCst),
            retained_bytes: stats.retained_bytes,
            lock_steps: stats.lock_steps,
            lock_bytes: stats.lock_bytes,
        }
    }

    /// Stops accepting and ends every task: [`Shutdown::FailQueued`] fails the queued tasks at
    /// once, [`Shutdown::Drain`] runs them until `deadline`. At the deadline, what is still queued
    /// fails and every running export is cancelled: it stops before its next path item and its
    /// task ends `failed` with APIG.9999 (one that was past its last path item may still end
    /// `succeed`). Then the worker threads are joined. Tasks stay queryable afterwards. Only the
    /// first call does anything; later ones return an empty report.
    ///
    /// The library's own export stops within one path item of the cancel. A thread whose export
    /// ignores its cancel token (an injected [`ExportFn`]) is waited for
    /// [`RunnerConfig::with_cancel_grace`] more, then left behind, its task failed
    /// (APIG.9999), and counted in [`ShutdownReport::abandoned`]: the call returns within
    /// `deadline` plus the cancel grace.
    pub fn shutdown(&self, mode: Shutdown, deadline: Duration) -> ShutdownReport {
        let mut report = ShutdownReport { joined: 0, failed_queued: 0, cancelled: 0, abandoned: 0 };
        if self.shut_down.swap(true, Ordering::SeqCst) {
            return report;
        }
        let store = &self.shared.store;
        store.close();
        if mode == Shutdown::FailQueued {
            report.failed_queued += self.shared.fail(store.take_queued());
        }
        let all_left = self.shared.await_workers(deadline);
        if !all_left {
            report.failed_queued += self.shared.fail(store.take_queued());
            self.shared.stopping.store(true, Ordering::SeqCst);
            let running: Vec<CancelToken> = self.shared.running().iter().flatten().map(|r| r.cancel.clone()).collect();
            report.cancelled = running.len();
            running.iter().for_each(CancelToken::cancel);
            if !self.shared.await_workers(self.shared.config.cancel_grace) {
                // Exports that ignored the cancel: their tasks end now (or go back to the shared
                // store); their threads are left.
                let left_behind: Vec<Claim> = self.shared.running().iter().flatten().map(|r| r.claim.clone()).collect();
                for claim in left_behind {
                    store.give_back(&claim);
                }
            }
        }
        let workers = std::mem::take(&mut *self.workers.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        for (handle, phase) in workers {
            // A worker not exporting returns at once (nothing is queued and nothing more is
            // accepted); one still in an export is left behind.
            if phase.load(Ordering::SeqCst) == BUSY {
                report.abandoned += 1;
            } else {
                report.joined += usize::from(handle.join().is_ok());
            }
        }
        *self.shared.keeper.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        self.shared.keeper.1.notify_all();
        let keeper = self.keeper.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(keeper) = keeper {
            drop(keeper.join());
        }
        store.stop();
        report
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown(Shutdown::FailQueued, Duration::ZERO);
    }
}

/// The key of a task id: 32 lowercase hex digits, as [`task_id`] writes them.
fn parse_key(task_id: &str) -> Option<TaskKey> {
    let digits = task_id.as_bytes();
    if digits.len() != 32 {
        return None;
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut key = [0u8; 16];
    for (byte, pair) in key.iter_mut().zip(digits.chunks_exact(2)) {
        let (hi, lo) = (pair.first().copied().and_then(nibble)?, pair.get(1).copied().and_then(nibble)?);
        *byte = hi << 4 | lo;
    }
    Some(key)
}

/// A new task id from `source`: 32 lowercase hex digits.
///
/// # Errors
///
/// The source's (no randomness available).
#[cfg(any(test, feature = "postgres"))]
pub(crate) fn task_id(source: &dyn TaskIdSource) -> Result<String, ApiError> {
    Ok(hex(&source.next_bytes()?))
}

fn hex(bytes: &[u8; 16]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in bytes {
        for nibble in [b >> 4, b & 0xF] {
            out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_s_share_of_the_queued_bytes_is_its_share_of_the_queue() {
        let limits = RunnerConfig::default().limits();
        assert_eq!((limits.max_queued_bytes, limits.tenant_queued_bytes), (64 << 20, 16 << 20));
        let limits =
            RunnerConfig::default().with_queue_capacity(8).with_tenant_share(2).with_max_queued_bytes(60_000).limits();
        assert_eq!(limits.tenant_queued_bytes, 15_000);
        // A share as large as the queue (or larger) turns the per-tenant bound off; never 0.
        let limits =
            RunnerConfig::default().with_queue_capacity(4).with_tenant_share(9).with_max_queued_bytes(100).limits();
        assert_eq!(limits.tenant_queued_bytes, 100);
        let limits =
            RunnerConfig::default().with_queue_capacity(1000).with_tenant_share(1).with_max_queued_bytes(10).limits();
        assert_eq!(limits.tenant_queued_bytes, 1);
        let limits = RunnerConfig::default().with_queue_capacity(2).with_max_queued_bytes(usize::MAX).limits();
        assert_eq!(limits.tenant_queued_bytes, usize::MAX / 2);
    }

    #[test]
    fn task_ids_are_distinct_lowercase_hex() {
        let ids: std::collections::BTreeSet<String> = (0..10_000).map(|_| task_id(&OsRandomIds).unwrap()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids
            .iter()
            .all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
    }
}
