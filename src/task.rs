//! The asynchronous export: what a gateway needs behind
//! `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-export` and
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
//! - **Results**: finished results are kept until `retention` passes, and at most
//!   `max_retained` of them and `max_retained_bytes` in all (256 MiB by default): beyond either,
//!   the oldest go first. A result larger than `max_retained_bytes` alone cannot be kept: its task
//!   ends `failed` with APIG.9999. Results are shared, never copied: a query clones a pointer
//!   under the runner's lock, and expired results are released after the lock is let go.
//! - **Shutdown**: [`Runner::shutdown`] takes a deadline; exports still running then are
//!   cancelled (they stop before their next path item and end `failed` with APIG.9999).
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

use std::collections::VecDeque;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::Serialize;

use crate::{
    default_version, select, ApiError, CancelToken, Catalog, Clock, ExportRequest, Exported, Settings, SystemClock,
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

/// The export a task runs; replaceable (e.g. to inject a fault in a test).
pub type ExportFn = Arc<dyn Fn(&Catalog, &ExportRequest, &Settings) -> Result<Exported, ApiError> + Send + Sync>;

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
    retention: Duration,
    max_retained: usize,
    max_retained_bytes: usize,
    cancel_grace: Duration,
    settings: Settings,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn TaskIdSource>,
    export: ExportFn,
}

impl fmt::Debug for RunnerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunnerConfig")
            .field("workers", &self.workers)
            .field("queue_capacity", &self.queue_capacity)
            .field("tenant_share", &self.tenant_share())
            .field("retention", &self.retention)
            .field("max_retained", &self.max_retained)
            .field("max_retained_bytes", &self.max_retained_bytes)
            .field("cancel_grace", &self.cancel_grace)
            .field("settings", &self.settings)
            .field("clock", &self.clock)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl Default for RunnerConfig {
    /// Workers: the available parallelism; queue: 1,024 tasks, a quarter of them per tenant;
    /// finished tasks kept 1 hour, at most 10,000 of them and 256 MiB of results; default
    /// [`Settings`]; the system clock; ids from the OS.
    fn default() -> RunnerConfig {
        RunnerConfig {
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            queue_capacity: 1024,
            tenant_share: None,
            retention: Duration::from_secs(3600),
            max_retained: 10_000,
            max_retained_bytes: 256 << 20,
            cancel_grace: Duration::from_secs(5),
            settings: Settings::default(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(OsRandomIds),
            export: Arc::new(|catalog: &Catalog, request: &ExportRequest, settings: &Settings| {
                crate::export(catalog, request, settings)
            }),
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

    /// How long a finished task stays queryable (more than zero).
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// How many finished tasks are kept at most (at least 1; the oldest go first).
    pub fn with_max_retained(mut self, max: usize) -> Self {
        self.max_retained = max;
        self
    }

    /// How many bytes of finished results (`task_result` strings) are kept at most (at least 1;
    /// the oldest go first). A single result larger than this fails its task with APIG.9999.
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

    /// The clock that dates finished tasks for retention.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Where task ids come from.
    pub fn with_ids(mut self, ids: Arc<dyn TaskIdSource>) -> Self {
        self.ids = ids;
        self
    }

    /// The export tasks run (by default [`crate::export`]).
    pub fn with_export(mut self, export: ExportFn) -> Self {
        self.export = export;
        self
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

/// A task as the query endpoint reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskView {
    task_id: String,
    task_status: &'static str,
    task_type: &'static str,
    task_result: Arc<str>,
    #[serde(skip)]
    status: TaskStatus,
}

impl TaskView {
    /// The task id.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// The status.
    pub fn status(&self) -> TaskStatus {
        self.status
    }

    /// `""` until the end; then `{"FileName","FileType","Comment"}` or the error body, as a string.
    pub fn task_result(&self) -> &str {
        &self.task_result
    }

    /// The body APIG answers: `{"task_id","task_status","task_type":"export_api","task_result"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
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

/// Counts for monitoring (and for tests that memory stays bounded).
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
}

/// A worker's phases.
const IDLE: u8 = 0;
const BUSY: u8 = 1;
const LEFT: u8 = 2;

struct Job {
    id: String,
    catalog: Arc<Catalog>,
    request: ExportRequest,
}

struct Task {
    tenant: Tenant,
    status: TaskStatus,
    result: Arc<str>,
    finished: Option<DateTime<Utc>>,
}

struct State {
    /// Waiting tasks, per tenant in submission order; a tenant without waiting tasks has no entry.
    queues: IndexMap<Tenant, VecDeque<Job>>,
    /// Waiting tasks in all.
    queued: usize,
    /// The tenant whose task a worker takes next (an index into `queues`).
    turn: usize,
    tasks: IndexMap<String, Task>,
    /// Finished task ids, oldest first.
    finished: VecDeque<String>,
    /// Bytes of the finished results in `tasks`.
    retained_bytes: usize,
    /// Cancel tokens of the exports running now.
    running: IndexMap<String, CancelToken>,
    accepting: bool,
}

impl State {
    /// The next waiting task, taking the tenants in turn.
    fn next_job(&mut self) -> Option<Job> {
        if self.queues.is_empty() {
            return None;
        }
        let turn = self.turn % self.queues.len();
        let (job, emptied) = {
            let (_, queue) = self.queues.get_index_mut(turn)?;
            (queue.pop_front(), queue.is_empty())
        };
        if emptied {
            // The next tenant moves into this place: its turn comes next.
            self.queues.shift_remove_index(turn);
            self.turn = turn;
        } else {
            self.turn = turn + 1;
        }
        self.queued -= usize::from(job.is_some());
        job
    }

    /// Every waiting task, removed.
    fn take_queued(&mut self) -> Vec<Job> {
        self.queued = 0;
        self.queues.drain(..).flat_map(|(_, queue)| queue).collect()
    }
}

struct Shared {
    state: Mutex<State>,
    work: Condvar,
    done: Condvar,
    config: RunnerConfig,
    live_workers: AtomicUsize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave State inconsistent (every update is a
        // single assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends the task with its `task_result` (the file's, or the error body). A task that has
    /// already ended (failed by a shutdown that left its export behind) keeps its end.
    fn finish(&self, id: &str, outcome: Result<String, ApiError>) {
        let (mut status, mut result) = match outcome {
            Ok(file) => (TaskStatus::Succeed, file),
            Err(e) => (TaskStatus::Failed, e.to_json()),
        };
        if result.len() > self.config.max_retained_bytes {
            (status, result) = (TaskStatus::Failed, ApiError::system_error().to_json());
        }
        let result: Arc<str> = Arc::from(result);
        let now = self.config.clock.now();
        let mut state = self.lock();
        state.running.swap_remove(id);
        if let Some(task) = state.tasks.get_mut(id).filter(|t| !t.status.is_terminal()) {
            task.status = status;
            task.result = Arc::clone(&result);
            task.finished = Some(now);
            state.retained_bytes += result.len();
            state.finished.push_back(id.to_owned());
        }
        let released = self.expire(&mut state, now);
        drop(state);
        self.done.notify_all();
        drop(released);
    }

    /// Removes finished tasks past the retention time or beyond the retained count or bytes,
    /// oldest first. The results are returned, to be dropped once the lock is let go: the work
    /// under the lock is a few steps per task, whatever the results' sizes.
    #[must_use = "drop the released results after unlocking"]
    fn expire(&self, state: &mut State, now: DateTime<Utc>) -> Vec<Arc<str>> {
        let retention = chrono::Duration::from_std(self.config.retention).unwrap_or(chrono::Duration::MAX);
        let mut released = Vec::new();
        while let Some(id) = state.finished.front() {
            let expired = state.finished.len() > self.config.max_retained
                || state.retained_bytes > self.config.max_retained_bytes
                || state.tasks.get(id).and_then(|t| t.finished).is_none_or(|at| now - at >= retention);
            if !expired {
                break;
            }
            if let Some(task) = state.finished.pop_front().and_then(|id| state.tasks.swap_remove(&id)) {
                state.retained_bytes -= task.result.len();
                released.push(task.result);
            }
        }
        released
    }

    /// Runs tasks until shutdown, keeping `phase` up to date.
    fn worker(self: &Arc<Self>, phase: &AtomicU8) {
        /// Says the worker has left, however it leaves (a panic included).
        struct Leave<'w>(&'w Shared, &'w AtomicU8);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.1.store(LEFT, Ordering::SeqCst);
                self.0.live_workers.fetch_sub(1, Ordering::SeqCst);
                // Shutdown waits on `done` for the workers to leave.
                drop(self.0.lock());
                self.0.done.notify_all();
            }
        }
        let _leave = Leave(self, phase);
        loop {
            let next = {
                let mut state = self.lock();
                loop {
                    if let Some(job) = state.next_job() {
                        // Under the lock, so that shutdown never sees a running task on an idle worker.
                        phase.store(BUSY, Ordering::SeqCst);
                        let cancel = CancelToken::new();
                        state.running.insert(job.id.clone(), cancel.clone());
                        if let Some(task) = state.tasks.get_mut(&job.id) {
                            task.status = TaskStatus::Processing;
                        }
                        break Some((job, cancel));
                    }
                    if !state.accepting {
                        break None;
                    }
                    state = self.work.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
            };
            let Some((job, cancel)) = next else { break };
            // The task result is the file: nobody reads its warnings, so they are only counted.
            let settings = self.config.settings.clone().with_cancel(cancel).with_warning_limit(0);
            let export = &self.config.export;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                export(&job.catalog, &job.request, &settings).map(|exported| exported.task_result())
            }))
            .unwrap_or_else(|_| Err(ApiError::system_error()));
            self.finish(&job.id, outcome);
            phase.store(IDLE, Ordering::SeqCst);
        }
    }

    /// Fails `jobs` (APIG.9999).
    fn fail(&self, jobs: Vec<Job>) -> usize {
        let count = jobs.len();
        for job in jobs {
            self.finish(&job.id, Err(ApiError::system_error()));
        }
        count
    }

    /// Waits until every worker has left, `timeout` at most; whether they all left.
    fn await_workers(&self, timeout: Duration) -> bool {
        let state = self.lock();
        let (_state, waited) = self
            .done
            .wait_timeout_while(state, timeout, |_| self.live_workers.load(Ordering::SeqCst) > 0)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        !waited.timed_out() || self.live_workers.load(Ordering::SeqCst) == 0
    }
}

/// Runs asynchronous exports on worker threads. Dropping it shuts it down with no deadline
/// ([`Shutdown::FailQueued`], running exports cancelled at once, each thread joined or, past the
/// cancel grace, left behind).
pub struct Runner {
    shared: Arc<Shared>,
    /// Whether [`Runner::shutdown`] has run.
    shut_down: AtomicBool,
    /// Each worker thread, with its phase ([`IDLE`], [`BUSY`] exporting, [`LEFT`]).
    workers: Mutex<Vec<(JoinHandle<()>, Arc<AtomicU8>)>>,
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
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queues: IndexMap::new(),
                queued: 0,
                turn: 0,
                tasks: IndexMap::new(),
                finished: VecDeque::new(),
                retained_bytes: 0,
                running: IndexMap::new(),
                accepting: true,
            }),
            work: Condvar::new(),
            done: Condvar::new(),
            config,
            live_workers: AtomicUsize::new(workers),
        });
        let handles = (0..workers)
            .map(|n| {
                let shared = Arc::clone(&shared);
                let phase = Arc::new(AtomicU8::new(IDLE));
                let own = Arc::clone(&phase);
                let spawned =
                    std::thread::Builder::new().name(format!("apig-export-{n}")).spawn(move || shared.worker(&own));
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
        Ok(Runner { shared, shut_down: AtomicBool::new(false), workers: Mutex::new(handles) })
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
        let mut state = self.shared.lock();
        if !state.accepting {
            return Err(ApiError::system_error());
        }
        let config = &self.shared.config;
        let waiting = state.queues.get(tenant).map_or(0, VecDeque::len);
        if state.queued >= config.queue_capacity || waiting >= config.tenant_share() {
            return Err(ApiError::throttled());
        }
        // A source that keeps repeating itself fails the submission instead of spinning.
        let mut fresh = None;
        for _ in 0..8 {
            let id = task_id(&*config.ids)?;
            if !state.tasks.contains_key(&id) {
                fresh = Some(id);
                break;
            }
        }
        let id = fresh.ok_or_else(ApiError::system_error)?;
        state.tasks.insert(
            id.clone(),
            Task { tenant: tenant.clone(), status: TaskStatus::Waiting, result: Arc::from(""), finished: None },
        );
        let job = Job { id: id.clone(), catalog: Arc::clone(catalog), request };
        state.queues.entry(tenant.clone()).or_default().push_back(job);
        state.queued += 1;
        drop(state);
        self.shared.work.notify_one();
        Ok(id)
    }

    /// The synchronous export through the same validated path as [`Runner::submit`].
    ///
    /// # Errors
    ///
    /// As [`Runner::submit`], minus the queue; a panic inside the export is APIG.9999.
    pub fn export_now(&self, catalog: &Catalog, oas_version: Option<&str>, body: &[u8]) -> Result<Exported, ApiError> {
        let request = self.validate(catalog, oas_version, body)?;
        let export = &self.shared.config.export;
        catch_unwind(AssertUnwindSafe(|| export(catalog, &request, &self.shared.config.settings)))
            .unwrap_or_else(|_| Err(ApiError::system_error()))
    }

    /// Parses and resolves the request; fixes the default version at this moment.
    fn validate(&self, catalog: &Catalog, oas_version: Option<&str>, body: &[u8]) -> Result<ExportRequest, ApiError> {
        let request = ExportRequest::parse(oas_version, body)?;
        select::resolve(catalog, &request)?;
        match request.version() {
            Some(_) => Ok(request),
            None => request.with_version(&default_version(self.shared.config.settings.clock())),
        }
    }

    /// The task as the query endpoint reports it. The result is shared with the runner, not
    /// copied.
    ///
    /// # Errors
    ///
    /// 404 APIG.3093 for an unknown, expired, or another tenant's id (indistinguishable).
    pub fn query(&self, tenant: &Tenant, task_id: &str) -> Result<TaskView, ApiError> {
        let mut state = self.shared.lock();
        let released = self.shared.expire(&mut state, self.shared.config.clock.now());
        let found = state
            .tasks
            .get(task_id)
            .filter(|task| task.tenant == *tenant)
            .map(|task| (task.status, Arc::clone(&task.result)));
        drop(state);
        drop(released);
        match found {
            Some((status, task_result)) => Ok(TaskView {
                task_id: task_id.to_owned(),
                task_status: status.as_str(),
                task_type: "export_api",
                task_result,
                status,
            }),
            None => Err(ApiError::task_not_found(task_id)),
        }
    }

    /// Blocks until the task has ended (or `timeout` passes, or it is unknown to `tenant`).
    pub fn wait(&self, tenant: &Tenant, task_id: &str, timeout: Duration) -> Option<TaskView> {
        let guard = self.shared.lock();
        let ended =
            |state: &mut State| state.tasks.get(task_id).is_none_or(|t| t.tenant != *tenant || t.status.is_terminal());
        let (mut guard, _) = self
            .shared
            .done
            .wait_timeout_while(guard, timeout, |state| !ended(state))
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let view = ended(&mut guard);
        drop(guard);
        if view {
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

    /// `GET …/async-tasks/{task_id}`: 200 with the task, or 404 APIG.3093.
    pub fn handle_query(&self, tenant: &Tenant, task_id: &str) -> Reply {
        match self.query(tenant, task_id) {
            Ok(view) => Reply { status: 200, body: view.to_json() },
            Err(e) => e.into(),
        }
    }

    /// Counts of queued and known tasks, live workers and retained bytes.
    pub fn stats(&self) -> RunnerStats {
        let state = self.shared.lock();
        RunnerStats {
            queued: state.queued,
            known: state.tasks.len(),
            live_workers: self.shared.live_workers.load(Ordering::SeqCst),
            retained_bytes: state.retained_bytes,
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
        let queued = {
            let mut state = self.shared.lock();
            state.accepting = false;
            if mode == Shutdown::FailQueued {
                state.take_queued()
            } else {
                Vec::new()
            }
        };
        self.shared.work.notify_all();
        report.failed_queued += self.shared.fail(queued);
        let all_left = self.shared.await_workers(deadline);
        if !all_left {
            let (queued, running) = {
                let mut state = self.shared.lock();
                (state.take_queued(), state.running.values().cloned().collect::<Vec<_>>())
            };
            report.failed_queued += self.shared.fail(queued);
            report.cancelled = running.len();
            running.iter().for_each(CancelToken::cancel);
            if !self.shared.await_workers(self.shared.config.cancel_grace) {
                // Exports that ignored the cancel: their tasks end now; their threads are left.
                let left_behind: Vec<String> = self.shared.lock().running.keys().cloned().collect();
                for id in left_behind {
                    self.shared.finish(&id, Err(ApiError::system_error()));
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
        report
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown(Shutdown::FailQueued, Duration::ZERO);
    }
}

/// A new task id from `source`: 32 lowercase hex digits.
///
/// # Errors
///
/// The source's (no randomness available).
pub fn task_id(source: &dyn TaskIdSource) -> Result<String, ApiError> {
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
