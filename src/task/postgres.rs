//! Tasks in PostgreSQL (feature `postgres`): several gateway nodes, each with its own
//! [`Runner`](super::Runner), share one queue and one set of results.
//!
//! ```no_run
//! use std::time::Duration;
//! use apig_export::task::postgres::PostgresConfig;
//! use apig_export::task::{Runner, RunnerConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = PostgresConfig::new("postgresql://apig@db.internal/gateway?sslmode=disable")
//!     .with_lease(Duration::from_secs(30))
//!     .with_max_attempts(3);
//! let runner = Runner::new(RunnerConfig::default().with_postgres(store))?;
//! # Ok(())
//! # }
//! ```
//!
//! How it works:
//!
//! - **Connection**: a standard URL or key-value string (`postgresql://user:password@host:port/db`,
//!   `host=/run/postgresql dbname=gateway`, …) as libpq reads it, without TLS. Each node keeps a
//!   small pool of connections, plus one that listens for notifications.
//! - **Schema**: created and migrated by the library when a runner starts, in the configured
//!   schema (`public` by default): a table `apig_export_schema` records the versions applied,
//!   and migrations run in one transaction under an advisory lock, so nodes starting together
//!   migrate once. A database whose schema is newer than the library knows is refused.
//! - **Submission**: checks the queue capacity and the tenant's share (under an advisory lock, so
//!   that nodes submitting together cannot exceed them) and stores the task with its
//!   [`Snapshot`]: any node can run it, exporting the catalog as it was at
//!   submission. An import task stores its options and document instead (and its `task_type`),
//!   and runs on the node that claims it into that node's `Catalogs`: give every node the same
//!   [`PostgresCatalog`] (see the `task` module's "Imports"). A notification wakes idle workers
//!   on every node.
//! - **Claiming**: a worker takes the next task with `FOR UPDATE SKIP LOCKED` (workers never wait
//!   for each other's rows), tenants in turn (each task gets a round when submitted: after its
//!   tenant's last waiting task, or at the front round for a tenant with none waiting), and holds
//!   it under a lease: its node id, the attempt number and a time. A thread of the runner renews
//!   the leases of its running tasks every third of the lease; an export whose lease was lost
//!   (its node stalled past the lease and another node took the task) is cancelled.
//! - **A node that dies** stops renewing: once its lease has passed, another node claims the task
//!   again and runs it from its snapshot, up to `max_attempts` attempts in all; a task whose last
//!   attempt's lease passes ends `failed` with APIG.9999. A task ends once: finishing names the
//!   claim (node and attempt), so a node that lost its lease cannot end it.
//! - **Shutdown** of one node leaves the waiting tasks to the others (and to itself after a
//!   restart); a running export cancelled at the deadline is handed back to the queue.
//! - **Tenants**: every statement that reads or writes a task names its tenant (project and
//!   instance) besides its id; only the queue count, the claim and the upkeep (expired leases,
//!   retention) look across tenants, and they read only statuses and times.
//! - **Retention**: a finished task stays queryable for `retention` (the database's clock), then
//!   is removed by a bounded `DELETE` (at most 1,000 rows per round of upkeep, run with the lease
//!   renewal). `max_retained` and `max_retained_bytes` bound this process's memory and do not
//!   apply here, except that a single result larger than `max_retained_bytes` fails its task.
//! - **Times** (leases, retention) come from the database's clock, never from the nodes'.

mod catalog;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};

use super::envelope::Envelope;
use super::store::{Claim, Found, Job, Store, StoreStats};
use super::{hex, parse_key, Limits, Snapshot, TaskKey, TaskStatus, TaskType, Tenant};
use crate::import::ImportOptions;
use crate::ApiError;
pub use catalog::PostgresCatalog;

/// Where and how a runner keeps its tasks in PostgreSQL.
#[derive(Clone)]
pub struct PostgresConfig {
    url: String,
    schema: String,
    lease: Duration,
    max_attempts: u32,
    poll: Duration,
}

impl fmt::Debug for PostgresConfig {
    /// Everything but the URL, which may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresConfig")
            .field("schema", &self.schema)
            .field("lease", &self.lease)
            .field("max_attempts", &self.max_attempts)
            .field("poll", &self.poll)
            .finish_non_exhaustive()
    }
}

impl PostgresConfig {
    /// The database at `url` (a libpq URL or key-value string); schema `public`, leases of
    /// 30 seconds, 3 attempts per task, idle workers looking for work every second at least.
    pub fn new(url: impl Into<String>) -> PostgresConfig {
        PostgresConfig {
            url: url.into(),
            schema: "public".into(),
            lease: Duration::from_secs(30),
            max_attempts: 3,
            poll: Duration::from_secs(1),
        }
    }

    /// The schema the tables live in (lower-case letters, digits and `_`, not starting with a
    /// digit, at most 63 characters); created if missing. Runners share tasks when they share
    /// the database and the schema.
    pub fn with_schema(mut self, schema: impl Into<String>) -> PostgresConfig {
        self.schema = schema.into();
        self
    }

    /// How long a claim holds a task without being renewed (at least 10 ms): how soon another
    /// node runs the task of a node that died.
    pub fn with_lease(mut self, lease: Duration) -> PostgresConfig {
        self.lease = lease;
        self
    }

    /// How many times a task is claimed at most (at least 1) before a lost lease fails it.
    pub fn with_max_attempts(mut self, attempts: u32) -> PostgresConfig {
        self.max_attempts = attempts;
        self
    }

    /// How long an idle worker waits for a notification before looking for work again (more
    /// than zero): what bounds the time to notice a lease that passed.
    pub fn with_poll(mut self, poll: Duration) -> PostgresConfig {
        self.poll = poll;
        self
    }

    fn check(&self) -> Result<(), String> {
        let schema_ok = !self.schema.is_empty()
            && self.schema.len() <= 63
            && !self.schema.starts_with(|c: char| c.is_ascii_digit())
            && self.schema.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !schema_ok {
            return Err(format!(
                "schema must be lower-case letters, digits and _, got {:?}",
                crate::quote::Quoted(&self.schema)
            ));
        }
        if self.lease < Duration::from_millis(10) {
            return Err(format!("lease must be at least 10 ms, got {:?}", self.lease));
        }
        if self.max_attempts == 0 {
            return Err("max_attempts must be at least 1, got 0".into());
        }
        if self.poll.is_zero() {
            return Err("poll must be more than zero".into());
        }
        Ok(())
    }
}

/// The schema's versions, in order: each applied once, in one transaction.
const MIGRATIONS: &[&str] = &[
    // 1: tasks.
    "CREATE TABLE {s}.apig_export_tasks (
        project_id text NOT NULL,
        instance_id text NOT NULL,
        task_id text NOT NULL,
        status smallint NOT NULL,
        round bigint NOT NULL,
        seq bigserial NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        snapshot bytea NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        owner text,
        lease_until timestamptz,
        finished_at timestamptz,
        result bytea,
        PRIMARY KEY (project_id, instance_id, task_id)
    );
    CREATE INDEX apig_export_tasks_waiting ON {s}.apig_export_tasks (round, seq) WHERE status = 0;
    CREATE INDEX apig_export_tasks_leased ON {s}.apig_export_tasks (lease_until) WHERE status = 1;
    CREATE INDEX apig_export_tasks_finished ON {s}.apig_export_tasks (finished_at) WHERE status >= 2;",
    // 2: import tasks beside exports (`snapshot` holds an import's options and document), and
    // the catalog imports land in (`PostgresCatalog`).
    "ALTER TABLE {s}.apig_export_tasks ADD COLUMN task_type smallint NOT NULL DEFAULT 0;
    CREATE TABLE {s}.apig_export_catalog (
        name text PRIMARY KEY,
        version bigint NOT NULL,
        catalog bytea NOT NULL
    );",
];

/// The schema version this library writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Rows removed per round of upkeep at most.
const RETENTION_BATCH: i64 = 1_000;
/// Idle connections a node keeps.
const POOL: usize = 16;

/// `task_type`: an export (its `snapshot` a [`Snapshot`]) or an import (its options as JSON, a
/// line feed, then the document).
const EXPORT: i16 = 0;
const IMPORT: i16 = 1;

const WAITING: i16 = 0;
const PROCESSING: i16 = 1;
const SUCCEED: i16 = 2;
const FAILED: i16 = 3;

fn status_code(status: TaskStatus) -> i16 {
    match status {
        TaskStatus::Waiting => WAITING,
        TaskStatus::Processing => PROCESSING,
        TaskStatus::Succeed => SUCCEED,
        TaskStatus::Failed => FAILED,
    }
}

fn status_of(code: i16) -> TaskStatus {
    match code {
        WAITING => TaskStatus::Waiting,
        PROCESSING => TaskStatus::Processing,
        SUCCEED => TaskStatus::Succeed,
        _ => TaskStatus::Failed,
    }
}

/// Every statement, with the schema written in.
struct Sql {
    lock: String,
    count_waiting: String,
    insert: String,
    notify: String,
    claim_expired: String,
    claim_waiting: String,
    fail_exhausted: String,
    fail_unreadable: String,
    renew: String,
    finish: String,
    give_back: String,
    query: String,
    retention: String,
    stats: String,
}

impl Sql {
    fn new(s: &str) -> Sql {
        let t = format!("{s}.apig_export_tasks");
        let claim = "(project_id, instance_id, task_id) = ($1, $2, $3) AND status = 1 AND owner = $4 AND attempts = $5";
        let returning = "RETURNING t.project_id, t.instance_id, t.task_id, t.attempts, t.snapshot, t.task_type";
        let lease = "clock_timestamp() + make_interval(secs => $2)";
        Sql {
            lock: format!("SELECT pg_advisory_xact_lock(hashtext('{t}'))"),
            count_waiting: format!(
                "SELECT count(*) FILTER (WHERE project_id = $1 AND instance_id = $2), count(*) FROM {t} WHERE status = 0"
            ),
            insert: format!(
                "WITH added AS (
                     INSERT INTO {t} (project_id, instance_id, task_id, status, round, snapshot, task_type) VALUES ($1, $2, $3, 0,
                     COALESCE((SELECT max(round) + 1 FROM {t} WHERE status = 0 AND project_id = $1 AND instance_id = $2),
                              (SELECT min(round) FROM {t} WHERE status = 0), 0), $4, $6)
                     ON CONFLICT DO NOTHING RETURNING 1)
                 SELECT pg_notify($5, 'q') FROM added"
            ),
            notify: "SELECT pg_notify($1, $2)".into(),
            claim_expired: format!(
                "WITH next AS (SELECT project_id, instance_id, task_id FROM {t}
                     WHERE status = 1 AND lease_until < clock_timestamp() AND attempts < $3
                     ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED)
                 UPDATE {t} t SET attempts = t.attempts + 1, owner = $1, lease_until = {lease}
                 FROM next WHERE (t.project_id, t.instance_id, t.task_id) = (next.project_id, next.instance_id, next.task_id)
                 {returning}"
            ),
            claim_waiting: format!(
                "WITH next AS (SELECT project_id, instance_id, task_id FROM {t}
                     WHERE status = 0 ORDER BY round, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                 UPDATE {t} t SET status = 1, attempts = t.attempts + 1, owner = $1, lease_until = {lease}
                 FROM next WHERE (t.project_id, t.instance_id, t.task_id) = (next.project_id, next.instance_id, next.task_id)
                 {returning}"
            ),
            fail_exhausted: format!(
                "WITH dead AS (SELECT project_id, instance_id, task_id FROM {t}
                     WHERE status = 1 AND lease_until < clock_timestamp() AND attempts >= $1
                     LIMIT 100 FOR UPDATE SKIP LOCKED)
                 UPDATE {t} t SET status = 3, result = $2, finished_at = clock_timestamp(), owner = NULL,
                     lease_until = NULL, snapshot = ''::bytea
                 FROM dead WHERE (t.project_id, t.instance_id, t.task_id) = (dead.project_id, dead.instance_id, dead.task_id)"
            ),
            fail_unreadable: format!(
                "UPDATE {t} SET status = 3, result = $5, finished_at = clock_timestamp(), owner = NULL,
                     lease_until = NULL, snapshot = ''::bytea
                 WHERE (project_id, instance_id, task_id) = ($1, $2, $3) AND status = 1 AND owner = $4"
            ),
            renew: format!("UPDATE {t} SET lease_until = clock_timestamp() + make_interval(secs => $6) WHERE {claim}"),
            finish: format!(
                "WITH done AS (
                     UPDATE {t} SET status = $6, result = $7, finished_at = clock_timestamp(), owner = NULL,
                         lease_until = NULL, snapshot = ''::bytea
                     WHERE {claim} RETURNING 1)
                 SELECT pg_notify($8, 'd') FROM done"
            ),
            give_back: format!(
                "WITH back AS (UPDATE {t} SET status = 0, owner = NULL, lease_until = NULL WHERE {claim} RETURNING 1)
                 SELECT pg_notify($6, 'q') FROM back"
            ),
            query: format!(
                "SELECT status, result, task_type FROM {t} WHERE (project_id, instance_id, task_id) = ($1, $2, $3)
                 AND (status < 2 OR finished_at > clock_timestamp() - make_interval(secs => $4))"
            ),
            retention: format!(
                "WITH old AS (SELECT project_id, instance_id, task_id FROM {t}
                     WHERE status >= 2 AND finished_at <= clock_timestamp() - make_interval(secs => $1)
                     LIMIT $2 FOR UPDATE SKIP LOCKED)
                 DELETE FROM {t} t USING old
                 WHERE (t.project_id, t.instance_id, t.task_id) = (old.project_id, old.instance_id, old.task_id)"
            ),
            stats: format!(
                "SELECT count(*) FILTER (WHERE status = 0), count(*),
                     COALESCE(sum(octet_length(result)) FILTER (WHERE status >= 2), 0)::bigint FROM {t}"
            ),
        }
    }
}

/// A pooled connection, with the statements it has prepared (each prepared once, then run in
/// one round trip).
struct Conn {
    client: Client,
    prepared: IndexMap<String, Statement>,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Conn {
    fn new(client: Client) -> Conn {
        Conn { client, prepared: IndexMap::new() }
    }

    fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let statement = self.prepare(sql)?;
        self.client.execute(&statement, params)
    }

    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<postgres::Row>, postgres::Error> {
        let statement = self.prepare(sql)?;
        self.client.query(&statement, params)
    }

    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<postgres::Row, postgres::Error> {
        let statement = self.prepare(sql)?;
        self.client.query_one(&statement, params)
    }

    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<postgres::Row>, postgres::Error> {
        let statement = self.prepare(sql)?;
        self.client.query_opt(&statement, params)
    }
}

struct Inner {
    connect: postgres::Config,
    schema: String,
    sql: Sql,
    channel: String,
    /// This node: random, so that a restarted node never finishes its former claims.
    node: String,
    limits: Limits,
    lease: Duration,
    max_attempts: i32,
    poll: Duration,
    pool: Mutex<Vec<Conn>>,
    closed: AtomicBool,
    /// Bumped by every notification, local end and wake: what waiters wait on.
    signal: (Mutex<u64>, Condvar),
}

/// The PostgreSQL store.
pub(crate) struct Postgres {
    inner: Arc<Inner>,
    listener: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for Postgres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Postgres").field("schema", &self.inner.schema).field("node", &self.inner.node).finish()
    }
}

type Row = (Claim, Vec<u8>, i16);

impl Inner {
    fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` on a pooled connection (a new one when none is idle).
    fn with_client<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, postgres::Error>) -> Result<T, postgres::Error> {
        let pooled = Self::guard(&self.pool).pop();
        let mut conn = match pooled {
            Some(conn) if !conn.client.is_closed() => conn,
            _ => Conn::new(self.connect.connect(NoTls)?),
        };
        let out = f(&mut conn);
        if out.is_ok() && !conn.client.is_closed() {
            let mut pool = Self::guard(&self.pool);
            if pool.len() < POOL {
                pool.push(conn);
            }
        }
        out
    }

    fn bump(&self) {
        *Self::guard(&self.signal.0) += 1;
        self.signal.1.notify_all();
    }

    fn generation(&self) -> u64 {
        *Self::guard(&self.signal.0)
    }

    /// Waits until the signal moves past `seen`, the store closes, or `timeout` passes.
    fn await_signal(&self, seen: u64, timeout: Duration) {
        let guard = Self::guard(&self.signal.0);
        drop(
            self.signal
                .1
                .wait_timeout_while(guard, timeout, |now| *now == seen && !self.closed.load(Ordering::SeqCst))
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    fn secs(d: Duration) -> f64 {
        d.as_secs_f64()
    }

    fn claim_of(&self, row: &postgres::Row) -> Result<Option<Row>, postgres::Error> {
        let project: String = row.try_get(0)?;
        let instance: String = row.try_get(1)?;
        let id: String = row.try_get(2)?;
        let attempt: i32 = row.try_get(3)?;
        let snapshot: Vec<u8> = row.try_get(4)?;
        let task_type: i16 = row.try_get(5)?;
        let tenant = Arc::new(Tenant::new(project, instance));
        match parse_key(&id) {
            Some(key) => Ok(Some((Claim { key, tenant, attempt }, snapshot, task_type))),
            None => {
                // Not an id this library wrote: ended, not run.
                let failed = literal(&Envelope::of_text(&ApiError::system_error().to_json()));
                self.with_client(|c| {
                    c.execute(
                        &self.sql.fail_unreadable,
                        &[&tenant.project_id(), &tenant.instance_id(), &id, &self.node, &failed],
                    )
                })?;
                Ok(None)
            }
        }
    }

    /// Claims a task whose lease passed (attempts left), else the next waiting one.
    fn claim(&self) -> Result<Option<Row>, postgres::Error> {
        let lease = Self::secs(self.lease);
        let rows = self.with_client(|c| {
            let rows = c.query(&self.sql.claim_expired, &[&self.node, &lease, &self.max_attempts])?;
            if rows.is_empty() {
                c.query(&self.sql.claim_waiting, &[&self.node, &lease])
            } else {
                Ok(rows)
            }
        })?;
        match rows.first() {
            Some(row) => self.claim_of(row),
            None => Ok(None),
        }
    }

    fn notify(&self, conn: &mut Conn, what: &str) -> Result<(), postgres::Error> {
        conn.execute(&self.sql.notify, &[&self.channel, &what]).map(drop)
    }

    /// Listens for the other nodes' notifications until closed, reconnecting when the
    /// connection drops.
    fn listen(&self) {
        while !self.closed.load(Ordering::SeqCst) {
            let Ok(mut client) = self.connect.connect(NoTls) else {
                self.await_signal(self.generation(), self.poll);
                continue;
            };
            if client.batch_execute(&format!("LISTEN {}", self.channel)).is_err() {
                continue;
            }
            // Whatever happened while not listening: look again.
            self.bump();
            while !self.closed.load(Ordering::SeqCst) && !client.is_closed() {
                let mut notifications = client.notifications();
                let mut heard = notifications.timeout_iter(self.poll);
                while let Ok(Some(_)) = heard.next() {
                    self.bump();
                }
            }
        }
    }
}

/// The job a task's `task_type` and `snapshot` describe.
fn job_of(task_type: i16, snapshot: Vec<u8>) -> Result<Job, ApiError> {
    if task_type == IMPORT {
        let split = snapshot.iter().position(|&b| b == b'\n').ok_or_else(ApiError::system_error)?;
        let options = snapshot.get(..split).and_then(ImportOptions::from_stored).ok_or_else(ApiError::system_error)?;
        let document: Arc<[u8]> = snapshot.get(split + 1..).unwrap_or_default().into();
        return Ok(Job::Import { document, options });
    }
    let (catalog, request, profile) = Snapshot::from_bytes(snapshot).thaw()?;
    Ok(Job::Export { catalog: Arc::new(catalog), request, profile })
}

/// The envelope's literal, as stored.
fn literal(envelope: &Envelope) -> Vec<u8> {
    let mut out = Vec::new();
    envelope.append_to(&mut out);
    out
}

impl Postgres {
    /// Connects, creates or migrates the schema, and starts listening.
    pub(crate) fn open(config: &PostgresConfig, limits: Limits) -> Result<Postgres, String> {
        config.check()?;
        let connect: postgres::Config = config.url.parse().map_err(|e: postgres::Error| e.to_string())?;
        let mut client = connect.connect(NoTls).map_err(|e| e.to_string())?;
        migrate(&mut client, &config.schema)?;
        let node = crate::task::task_id(&crate::task::OsRandomIds).map_err(|e| e.to_string())?;
        let inner = Arc::new(Inner {
            connect,
            schema: config.schema.clone(),
            sql: Sql::new(&config.schema),
            channel: format!("apig_export_{}", config.schema),
            node,
            limits,
            lease: config.lease,
            max_attempts: i32::try_from(config.max_attempts).unwrap_or(i32::MAX),
            poll: config.poll,
            pool: Mutex::new(vec![Conn::new(client)]),
            closed: AtomicBool::new(false),
            signal: (Mutex::new(0), Condvar::new()),
        });
        let listening = Arc::clone(&inner);
        let listener = std::thread::Builder::new()
            .name("apig-export-listen".into())
            .spawn(move || listening.listen())
            .map_err(|e| e.to_string())?;
        Ok(Postgres { inner, listener: Mutex::new(Some(listener)) })
    }
}

/// Creates the schema or brings it to [`SCHEMA_VERSION`], once, under an advisory lock.
fn migrate(client: &mut Client, schema: &str) -> Result<(), String> {
    let run = |client: &mut Client| -> Result<Result<(), String>, postgres::Error> {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&format!("{schema}.apig_export_schema")])?;
        tx.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {schema}.apig_export_schema (
                 version integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT clock_timestamp())"
        ))?;
        let current: i32 = tx
            .query_one(&format!("SELECT COALESCE(max(version), 0) FROM {schema}.apig_export_schema"), &[])?
            .try_get(0)?;
        if current > SCHEMA_VERSION {
            return Ok(Err(format!(
                "the task schema in the database is version {current}, newer than this library's {SCHEMA_VERSION}"
            )));
        }
        for (version, migration) in (1..).zip(MIGRATIONS) {
            if version > current {
                tx.batch_execute(&migration.replace("{s}", schema))?;
                tx.execute(&format!("INSERT INTO {schema}.apig_export_schema (version) VALUES ($1)"), &[&version])?;
            }
        }
        tx.commit()?;
        Ok(Ok(()))
    };
    run(client).map_err(|e| e.to_string())?
}

impl Store for Postgres {
    fn submit(
        &self,
        tenant: &Tenant,
        keys: &mut dyn FnMut() -> Result<TaskKey, ApiError>,
        job: Job,
    ) -> Result<TaskKey, ApiError> {
        let inner = &self.inner;
        if inner.closed.load(Ordering::SeqCst) {
            return Err(ApiError::system_error());
        }
        let (task_type, snapshot) = match job {
            Job::Export { catalog, request, profile } => {
                (EXPORT, Snapshot::freeze(&catalog, &request, profile)?.as_bytes().to_vec())
            }
            Job::Import { document, options } => {
                let mut stored = options.to_stored();
                stored.push(b'\n');
                stored.extend_from_slice(&document);
                (IMPORT, stored)
            }
        };
        let (project, instance) = (tenant.project_id(), tenant.instance_id());
        let limits = inner.limits;
        let outcome = inner.with_client(|conn| {
            let lock = conn.prepare(&inner.sql.lock)?;
            let count = conn.prepare(&inner.sql.count_waiting)?;
            let insert = conn.prepare(&inner.sql.insert)?;
            let mut tx = conn.client.transaction()?;
            tx.execute(&lock, &[])?;
            let counts = tx.query_one(&count, &[&project, &instance])?;
            let (mine, all): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
            let over = |count: i64, limit: usize| usize::try_from(count).map_or(true, |c| c >= limit);
            if over(all, limits.queue_capacity) || over(mine, limits.tenant_share) {
                return Ok(Err(ApiError::throttled()));
            }
            for _ in 0..8 {
                let key = match keys() {
                    Ok(key) => key,
                    Err(e) => return Ok(Err(e)),
                };
                let id = hex(&key);
                let inserted = tx.query(&insert, &[&project, &instance, &id, &snapshot, &inner.channel, &task_type])?;
                if !inserted.is_empty() {
                    tx.commit()?;
                    return Ok(Ok(key));
                }
            }
            Ok(Err(ApiError::system_error()))
        });
        outcome.unwrap_or_else(|_| Err(ApiError::system_error()))
    }

    fn next(&self, taken: &mut dyn FnMut(&Claim)) -> Option<(Claim, Job)> {
        let inner = &self.inner;
        loop {
            if inner.closed.load(Ordering::SeqCst) {
                return None;
            }
            let seen = inner.generation();
            match inner.claim() {
                Ok(Some((claim, snapshot, task_type))) => match job_of(task_type, snapshot) {
                    Ok(job) => {
                        taken(&claim);
                        return Some((claim, job));
                    }
                    Err(e) => {
                        self.finish(&claim, TaskStatus::Failed, Envelope::of_text(&e.to_json()));
                    }
                },
                Ok(None) | Err(_) => inner.await_signal(seen, inner.poll),
            }
        }
    }

    fn finish(&self, claim: &Claim, status: TaskStatus, result: Envelope) -> bool {
        let inner = &self.inner;
        let stored = literal(&result);
        drop(result);
        let id = hex(&claim.key);
        let code = status_code(status);
        let (project, instance) = (claim.tenant.project_id(), claim.tenant.instance_id());
        // A connection lost on the way is retried on a new one; past that, the lease runs out
        // and another node runs the task again.
        for _ in 0..3 {
            let done = inner.with_client(|c| {
                let ended = c.query(
                    &inner.sql.finish,
                    &[&project, &instance, &id, &inner.node, &claim.attempt, &code, &stored, &inner.channel],
                )?;
                Ok(!ended.is_empty())
            });
            if let Ok(ended) = done {
                inner.bump();
                return ended;
            }
        }
        false
    }

    fn give_back(&self, claim: &Claim) {
        let inner = &self.inner;
        let id = hex(&claim.key);
        let (project, instance) = (claim.tenant.project_id(), claim.tenant.instance_id());
        drop(inner.with_client(|c| {
            c.query(&inner.sql.give_back, &[&project, &instance, &id, &inner.node, &claim.attempt, &inner.channel])
        }));
    }

    fn renew_every(&self) -> Option<Duration> {
        Some(self.inner.lease / 3)
    }

    fn renew(&self, claims: &[Claim]) -> Vec<bool> {
        let inner = &self.inner;
        let lease = Inner::secs(inner.lease);
        claims
            .iter()
            .map(|claim| {
                let id = hex(&claim.key);
                let (project, instance) = (claim.tenant.project_id(), claim.tenant.instance_id());
                // A failure to reach the database is not a lost lease: the next round tries again.
                inner
                    .with_client(|c| {
                        c.execute(&inner.sql.renew, &[&project, &instance, &id, &inner.node, &claim.attempt, &lease])
                    })
                    .map_or(true, |renewed| renewed == 1)
            })
            .collect()
    }

    fn maintain(&self) {
        let inner = &self.inner;
        let failed = literal(&Envelope::of_text(&ApiError::system_error().to_json()));
        let retention = Inner::secs(inner.limits.retention);
        drop(inner.with_client(|c| {
            let ended = c.execute(&inner.sql.fail_exhausted, &[&inner.max_attempts, &failed])?;
            if ended > 0 {
                inner.notify(c, "d")?;
            }
            c.execute(&inner.sql.retention, &[&retention, &RETENTION_BATCH]).map(drop)
        }));
    }

    fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.bump();
    }

    fn take_queued(&self) -> Vec<Claim> {
        // Waiting tasks belong to every node: they stay for the others, and for this one after a
        // restart.
        Vec::new()
    }

    fn query(&self, tenant: &Tenant, key: TaskKey) -> Result<Option<Found>, ApiError> {
        let inner = &self.inner;
        let id = hex(&key);
        let retention = Inner::secs(inner.limits.retention);
        let row = inner
            .with_client(|c| {
                let row =
                    c.query_opt(&inner.sql.query, &[&tenant.project_id(), &tenant.instance_id(), &id, &retention])?;
                row.map(|row| -> Result<(i16, Option<Vec<u8>>, i16), postgres::Error> {
                    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
                })
                .transpose()
            })
            .map_err(|_| ApiError::system_error())?;
        Ok(row.map(|(code, result, task_type)| {
            let status = status_of(code);
            let task_type = if task_type == IMPORT { TaskType::Import } else { TaskType::Export };
            (task_type, status, result.filter(|_| status.is_terminal()).map(Envelope::from_literal))
        }))
    }

    // A blocking wait across processes needs a deadline on the monotonic clock (the memory
    // store's waits use the same clock inside `Condvar::wait_timeout`); no output depends on it.
    #[allow(clippy::disallowed_methods)]
    fn wait(&self, tenant: &Tenant, key: TaskKey, timeout: Duration) -> bool {
        let inner = &self.inner;
        let deadline = Instant::now() + timeout;
        loop {
            let seen = inner.generation();
            match self.query(tenant, key) {
                Ok(None) => return true,
                Ok(Some((_, status, _))) if status.is_terminal() => return true,
                _ => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            inner.await_signal(seen, left.min(inner.poll));
        }
    }

    fn wait_until(&self, timeout: Duration, stop: &dyn Fn() -> bool) -> bool {
        let inner = &self.inner;
        let guard = Inner::guard(&inner.signal.0);
        let (_guard, waited) = inner
            .signal
            .1
            .wait_timeout_while(guard, timeout, |_| !stop())
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        !waited.timed_out() || stop()
    }

    fn wake(&self) {
        self.inner.bump();
    }

    fn stats(&self) -> StoreStats {
        let inner = &self.inner;
        let counts = inner.with_client(|c| {
            let row = c.query_one(&inner.sql.stats, &[])?;
            Ok((row.try_get::<_, i64>(0)?, row.try_get::<_, i64>(1)?, row.try_get::<_, i64>(2)?))
        });
        let (queued, known, bytes) = counts.unwrap_or_default();
        let size = |n: i64| usize::try_from(n).unwrap_or_default();
        StoreStats {
            queued: size(queued),
            known: size(known),
            retained_bytes: size(bytes),
            lock_steps: 0,
            lock_bytes: 0,
        }
    }

    fn stop(&self) {
        self.close();
        let listener = Inner::guard(&self.listener).take();
        if let Some(listener) = listener {
            drop(listener.join());
        }
    }
}
