//! The asynchronous export: what a gateway needs behind
//! `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-export` and
//! `GET /v2/{project_id}/apigw/instances/{instance_id}/async-tasks/{task_id}` (decisions.md D9).
//!
//! A [`Runner`] validates a submission exactly as the synchronous export does, accepts it into a
//! bounded queue, and exports it on worker threads from the catalog as it was at submission.
//! Tasks are visible to their tenant only; finished ones are kept for a configurable time and
//! count. Every outcome is available as a [`Reply`] (status and JSON body) ready to send.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use apig_export::task::{Runner, RunnerConfig, Tenant};
//! use apig_export::Catalog;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let catalog = Arc::new(Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json")?)?);
//! let runner = Runner::new(RunnerConfig::default().with_workers(1));
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
//! runner.shutdown(apig_export::task::Shutdown::Drain);
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::Serialize;

use crate::{default_version, select, ApiError, Catalog, Clock, ExportRequest, Exported, Settings, SystemClock};

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
    /// Run every queued task to its end.
    Drain,
    /// Fail every queued task (APIG.9999); tasks already running finish.
    FailQueued,
}

/// How a [`Runner`] works.
#[derive(Clone)]
pub struct RunnerConfig {
    workers: usize,
    queue_capacity: usize,
    retention: Duration,
    max_retained: usize,
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
            .field("retention", &self.retention)
            .field("max_retained", &self.max_retained)
            .field("settings", &self.settings)
            .field("clock", &self.clock)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl Default for RunnerConfig {
    /// Workers: the available parallelism; queue: 1,024 tasks; finished tasks kept 1 hour, at most
    /// 10,000; default [`Settings`]; the system clock; ids from the OS.
    fn default() -> RunnerConfig {
        RunnerConfig {
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            queue_capacity: 1024,
            retention: Duration::from_secs(3600),
            max_retained: 10_000,
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
        self.workers = workers.max(1);
        self
    }

    /// Tasks that may wait at once; a submission beyond it answers 429 APIG.0308.
    pub fn with_queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity;
        self
    }

    /// How long a finished task stays queryable.
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// How many finished tasks are kept at most (the oldest go first).
    pub fn with_max_retained(mut self, max: usize) -> Self {
        self.max_retained = max;
        self
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
    task_result: String,
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
    /// Queued tasks failed (with [`Shutdown::FailQueued`]).
    pub failed_queued: usize,
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
}

struct Job {
    id: String,
    catalog: Arc<Catalog>,
    request: ExportRequest,
}

struct Task {
    tenant: Tenant,
    status: TaskStatus,
    result: String,
    finished: Option<DateTime<Utc>>,
}

struct State {
    queue: VecDeque<Job>,
    tasks: IndexMap<String, Task>,
    /// Finished task ids, oldest first.
    finished: VecDeque<String>,
    accepting: bool,
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

    fn finish(&self, id: &str, outcome: Result<Exported, ApiError>) {
        let (status, result) = match outcome {
            Ok(exported) => (TaskStatus::Succeed, exported.task_result()),
            Err(e) => (TaskStatus::Failed, e.to_json()),
        };
        let now = self.config.clock.now();
        let mut state = self.lock();
        if let Some(task) = state.tasks.get_mut(id) {
            task.status = status;
            task.result = result;
            task.finished = Some(now);
            state.finished.push_back(id.to_owned());
        }
        self.expire(&mut state, now);
        drop(state);
        self.done.notify_all();
    }

    /// Drops finished tasks past the retention time or beyond the retained count.
    fn expire(&self, state: &mut State, now: DateTime<Utc>) {
        let retention = chrono::Duration::from_std(self.config.retention).unwrap_or(chrono::Duration::MAX);
        while let Some(id) = state.finished.front() {
            let expired = state.finished.len() > self.config.max_retained
                || state.tasks.get(id).and_then(|t| t.finished).is_none_or(|at| now - at >= retention);
            if !expired {
                break;
            }
            if let Some(id) = state.finished.pop_front() {
                state.tasks.swap_remove(&id);
            }
        }
    }

    fn worker(self: &Arc<Self>) {
        loop {
            let job = {
                let mut state = self.lock();
                loop {
                    if let Some(job) = state.queue.pop_front() {
                        if let Some(task) = state.tasks.get_mut(&job.id) {
                            task.status = TaskStatus::Processing;
                        }
                        break Some(job);
                    }
                    if !state.accepting {
                        break None;
                    }
                    state = self.work.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
            };
            let Some(job) = job else { break };
            let export = &self.config.export;
            let outcome = catch_unwind(AssertUnwindSafe(|| export(&job.catalog, &job.request, &self.config.settings)))
                .unwrap_or_else(|_| Err(ApiError::system_error()));
            self.finish(&job.id, outcome);
        }
        self.live_workers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs asynchronous exports on worker threads. Dropping it shuts it down
/// ([`Shutdown::FailQueued`]) and joins every thread.
pub struct Runner {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner").field("config", &self.shared.config).field("stats", &self.stats()).finish()
    }
}

impl Runner {
    /// Starts the worker threads.
    pub fn new(config: RunnerConfig) -> Runner {
        let workers = config.workers;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                tasks: IndexMap::new(),
                finished: VecDeque::new(),
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
                std::thread::Builder::new().name(format!("apig-export-{n}")).spawn(move || shared.worker())
            })
            .filter_map(|spawned| match spawned {
                Ok(handle) => Some(handle),
                Err(_) => {
                    shared.live_workers.fetch_sub(1, Ordering::SeqCst);
                    None
                }
            })
            .collect();
        Runner { shared, workers: Mutex::new(handles) }
    }

    /// Validates and accepts an export: the tenant, the catalog to export (as it is now), the
    /// query `oas_version` and the raw body. Returns the task id.
    ///
    /// # Errors
    ///
    /// Every error of the synchronous export, in the same order (decisions.md D8); 429 APIG.0308
    /// when the queue is full; 500 APIG.9999 after shutdown began or without randomness.
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
        if state.queue.len() >= self.shared.config.queue_capacity {
            return Err(ApiError::throttled());
        }
        let id = loop {
            let id = task_id(&*self.shared.config.ids)?;
            if !state.tasks.contains_key(&id) {
                break id;
            }
        };
        state.tasks.insert(
            id.clone(),
            Task { tenant: tenant.clone(), status: TaskStatus::Waiting, result: String::new(), finished: None },
        );
        state.queue.push_back(Job { id: id.clone(), catalog: Arc::clone(catalog), request });
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

    /// The task as the query endpoint reports it.
    ///
    /// # Errors
    ///
    /// 404 APIG.3093 for an unknown, expired, or another tenant's id (indistinguishable).
    pub fn query(&self, tenant: &Tenant, task_id: &str) -> Result<TaskView, ApiError> {
        let mut state = self.shared.lock();
        self.shared.expire(&mut state, self.shared.config.clock.now());
        match state.tasks.get(task_id) {
            Some(task) if task.tenant == *tenant => Ok(TaskView {
                task_id: task_id.to_owned(),
                task_status: task.status.as_str(),
                task_type: "export_api",
                task_result: task.result.clone(),
                status: task.status,
            }),
            _ => Err(ApiError::task_not_found(task_id)),
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

    /// Counts of queued and known tasks and live workers.
    pub fn stats(&self) -> RunnerStats {
        let state = self.shared.lock();
        RunnerStats {
            queued: state.queue.len(),
            known: state.tasks.len(),
            live_workers: self.shared.live_workers.load(Ordering::SeqCst),
        }
    }

    /// Stops accepting, drains or fails what is queued, and joins every worker thread. Tasks stay
    /// queryable afterwards. Calling it again does nothing more.
    pub fn shutdown(&self, mode: Shutdown) -> ShutdownReport {
        let mut failed_queued = 0;
        {
            let mut state = self.shared.lock();
            state.accepting = false;
            if mode == Shutdown::FailQueued {
                let queued: Vec<Job> = state.queue.drain(..).collect();
                failed_queued = queued.len();
                drop(state);
                for job in queued {
                    self.shared.finish(&job.id, Err(ApiError::system_error()));
                }
            }
        }
        self.shared.work.notify_all();
        let handles: Vec<JoinHandle<()>> =
            std::mem::take(&mut *self.workers.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let joined = handles.into_iter().filter_map(|h| h.join().ok()).count();
        ShutdownReport { joined, failed_queued }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown(Shutdown::FailQueued);
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
