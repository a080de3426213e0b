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
//!   `host=/run/postgresql dbname=gateway`, …) as libpq reads it, without TLS. Each node opens
//!   at most `max_connections` connections for its statements (16 by default), plus one that
//!   listens for notifications; a caller that finds them all busy waits `connection_wait`
//!   (5 seconds by default) for one, then fails with APIG.9999 (its source says no connection was
//!   free). Connections are kept open and reused.
//! - **Schema**: created and migrated by the library when a runner starts, in the configured
//!   schema (`public` by default): a table `apig_export_schema` records the versions applied,
//!   and migrations run in one transaction under an advisory lock, so nodes starting together
//!   migrate once. A database whose schema is newer than the library knows is refused.
//! - **Submission**: checks the queue capacity, the waiting imports' bytes and the tenant's share
//!   of both (under an advisory lock, so that nodes submitting together cannot exceed them) and stores the task with its
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
//!   instance) besides its id; only the queue count, the claim, the upkeep (expired leases) and
//!   retention (times, the tenants' counts and sizes) look across tenants, and they read only
//!   statuses, times, counts and sizes, never a result.
//! - **Retention** is the memory store's, across all the nodes: a finished task stays queryable
//!   for `retention`; at most `max_retained` results and `max_retained_bytes` of them are kept
//!   in the database, and beyond either the tenant holding the most (results, or bytes) loses its
//!   oldest first (a single result larger than `max_retained_bytes` fails its task). A table
//!   `apig_export_usage` keeps each tenant's count and bytes. Every ending (a node finishing a
//!   task, or the upkeep failing one whose attempts ran out) runs in one transaction under an
//!   advisory lock that every node takes: it records the result and its tenant's usage, removes
//!   results past `retention` (a bounded `DELETE`, at most 1,000 rows) and then, one at a time,
//!   the oldest result of the tenant holding the most while over a limit (at most 1,000 per
//!   transaction). The upkeep does the same every third of the lease. Endings therefore take
//!   turns across the nodes, as they take turns on the memory store's lock.
//! - **Times**: when a task ended and whether it has expired follow the runner's
//!   [`Clock`] (`RunnerConfig::with_clock`), as in memory: keep the nodes' clocks in
//!   step (a skew of `s` moves expiry by `s`). Leases follow the database's clock, so that a node
//!   whose clock is off can neither keep another's task nor lose its own.

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
use crate::{ApiError, Clock};
pub use catalog::PostgresCatalog;

/// Where and how a runner keeps its tasks in PostgreSQL.
#[derive(Clone)]
pub struct PostgresConfig {
    url: String,
    schema: String,
    lease: Duration,
    max_attempts: u32,
    poll: Duration,
    max_connections: usize,
    connection_wait: Duration,
}

impl fmt::Debug for PostgresConfig {
    /// Everything but the URL, which may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresConfig")
            .field("schema", &self.schema)
            .field("lease", &self.lease)
            .field("max_attempts", &self.max_attempts)
            .field("poll", &self.poll)
            .field("max_connections", &self.max_connections)
            .field("connection_wait", &self.connection_wait)
            .finish_non_exhaustive()
    }
}

impl PostgresConfig {
    /// The database at `url` (a libpq URL or key-value string); schema `public`, leases of
    /// 30 seconds, 3 attempts per task, idle workers looking for work every second at least, at
    /// most 16 connections for statements (plus one listening), waited for 5 seconds at most.
    pub fn new(url: impl Into<String>) -> PostgresConfig {
        PostgresConfig {
            url: url.into(),
            schema: "public".into(),
            lease: Duration::from_secs(30),
            max_attempts: 3,
            poll: Duration::from_secs(1),
            max_connections: 16,
            connection_wait: Duration::from_secs(5),
        }
    }

    /// How many connections this node opens at most for its statements (at least 1), besides
    /// the one that listens for notifications: every submission, query, claim, renewal and
    /// ending takes one from the pool for one statement or transaction and gives it back. A
    /// caller that finds them all busy waits for one (see
    /// [`PostgresConfig::with_connection_wait`]). Size it with the database's `max_connections`
    /// in mind: each node opens up to this many plus one.
    pub fn with_max_connections(mut self, max: usize) -> PostgresConfig {
        self.max_connections = max;
        self
    }

    /// How long a caller waits for a free connection when [`PostgresConfig::with_max_connections`]
    /// are all busy (more than zero). Past it the call fails: a submission or query with
    /// 500 APIG.9999, whose [`std::error::Error::source`] says that no connection was free; a
    /// worker looks for work again later; an ending is retried, then left to the lease.
    pub fn with_connection_wait(mut self, wait: Duration) -> PostgresConfig {
        self.connection_wait = wait;
        self
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
        if self.max_connections == 0 {
            return Err("max_connections must be at least 1, got 0".into());
        }
        if self.connection_wait.is_zero() {
            return Err("connection_wait must be more than zero".into());
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
    // 3: retained results bounded in count and bytes, per tenant: the order in which tasks
    // ended, and what each tenant holds.
    "ALTER TABLE {s}.apig_export_tasks ADD COLUMN ended bigint;
    CREATE SEQUENCE {s}.apig_export_ended;
    UPDATE {s}.apig_export_tasks t SET ended = o.n
        FROM (SELECT project_id, instance_id, task_id, row_number() OVER (ORDER BY finished_at, seq) AS n
              FROM {s}.apig_export_tasks WHERE status >= 2) o
        WHERE (t.project_id, t.instance_id, t.task_id) = (o.project_id, o.instance_id, o.task_id);
    SELECT setval('{s}.apig_export_ended', COALESCE((SELECT max(ended) FROM {s}.apig_export_tasks), 0) + 1, false);
    CREATE INDEX apig_export_tasks_ended ON {s}.apig_export_tasks (project_id, instance_id, ended) WHERE status >= 2;
    CREATE TABLE {s}.apig_export_usage (
        project_id text NOT NULL,
        instance_id text NOT NULL,
        results bigint NOT NULL,
        bytes bigint NOT NULL,
        PRIMARY KEY (project_id, instance_id)
    );
    INSERT INTO {s}.apig_export_usage
        SELECT project_id, instance_id, count(*), COALESCE(sum(octet_length(result)), 0)
        FROM {s}.apig_export_tasks WHERE status >= 2 GROUP BY project_id, instance_id;",
];

/// The schema version this library writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Rows removed per round of upkeep at most.
const RETENTION_BATCH: i64 = 1_000;
/// Results removed over `max_retained`/`max_retained_bytes` per transaction at most (one ending
/// puts the store over by one result; a lowered limit is caught up over several).
const EVICTION_BATCH: usize = 1_000;

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
    lock_retained: String,
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
    unclaim: String,
    query: String,
    expire: String,
    evict: String,
    forget_tenants: String,
    stats: String,
}

impl Sql {
    fn new(s: &str) -> Sql {
        let t = format!("{s}.apig_export_tasks");
        let u = format!("{s}.apig_export_usage");
        let ended = format!("ended = nextval('{s}.apig_export_ended')");
        let claim = "(project_id, instance_id, task_id) = ($1, $2, $3) AND status = 1 AND owner = $4 AND attempts = $5";
        let returning = "RETURNING t.project_id, t.instance_id, t.task_id, t.attempts, t.snapshot, t.task_type";
        let lease = "clock_timestamp() + make_interval(secs => $2)";
        // What ended tasks add to their tenants' usage (`done`: project_id, instance_id, bytes).
        let count = format!(
            "per AS (SELECT project_id, instance_id, count(*) AS n, sum(bytes)::bigint AS b FROM done GROUP BY project_id, instance_id),
             counted AS (INSERT INTO {u} AS u (project_id, instance_id, results, bytes) SELECT project_id, instance_id, n, b FROM per
                 ON CONFLICT (project_id, instance_id) DO UPDATE SET results = u.results + excluded.results, bytes = u.bytes + excluded.bytes
                 RETURNING 1)"
        );
        // What removed tasks take from their tenants' usage (`gone`: project_id, instance_id, bytes).
        let uncount = format!(
            "per AS (SELECT project_id, instance_id, count(*) AS n, sum(bytes)::bigint AS b FROM gone GROUP BY project_id, instance_id)
             UPDATE {u} u SET results = u.results - per.n, bytes = u.bytes - per.b
             FROM per WHERE (u.project_id, u.instance_id) = (per.project_id, per.instance_id)
             RETURNING per.n"
        );
        let bytes = "octet_length(result)::bigint AS bytes";
        Sql {
            lock: format!("SELECT pg_advisory_xact_lock(hashtext('{t}'))"),
            lock_retained: format!("SELECT pg_advisory_xact_lock(hashtext('{u}'))"),
            count_waiting: format!(
                "SELECT count(*) FILTER (WHERE project_id = $1 AND instance_id = $2), count(*),
                     COALESCE(sum(octet_length(snapshot)) FILTER (WHERE project_id = $1 AND instance_id = $2 AND task_type = {IMPORT}), 0)::bigint,
                     COALESCE(sum(octet_length(snapshot)) FILTER (WHERE task_type = {IMPORT}), 0)::bigint
                 FROM {t} WHERE status = 0"
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
                     LIMIT 100 FOR UPDATE SKIP LOCKED),
                 done AS (UPDATE {t} t SET status = 3, result = $2, finished_at = $3, {ended}, owner = NULL,
                     lease_until = NULL, snapshot = ''::bytea
                 FROM dead WHERE (t.project_id, t.instance_id, t.task_id) = (dead.project_id, dead.instance_id, dead.task_id)
                 RETURNING t.project_id, t.instance_id, octet_length(t.result)::bigint AS bytes),
                 {count}
                 SELECT count(*) FROM counted"
            ),
            fail_unreadable: format!(
                "WITH done AS (UPDATE {t} SET status = 3, result = $5, finished_at = $6, {ended}, owner = NULL,
                     lease_until = NULL, snapshot = ''::bytea
                 WHERE (project_id, instance_id, task_id) = ($1, $2, $3) AND status = 1 AND owner = $4
                 RETURNING project_id, instance_id, {bytes}),
                 {count}
                 SELECT count(*) FROM counted"
            ),
            renew: format!("UPDATE {t} SET lease_until = clock_timestamp() + make_interval(secs => $6) WHERE {claim}"),
            finish: format!(
                "WITH done AS (
                     UPDATE {t} SET status = $6, result = $7, finished_at = $9, {ended}, owner = NULL,
                         lease_until = NULL, snapshot = ''::bytea
                     WHERE {claim} RETURNING project_id, instance_id, {bytes}),
                 {count}
                 SELECT pg_notify($8, 'd') FROM counted"
            ),
            give_back: format!(
                "WITH back AS (UPDATE {t} SET status = 0, owner = NULL, lease_until = NULL WHERE {claim} RETURNING 1)
                 SELECT pg_notify($6, 'q') FROM back"
            ),
            unclaim: format!(
                "WITH back AS (UPDATE {t} SET status = 0, owner = NULL, lease_until = NULL, attempts = attempts - 1
                     WHERE {claim} RETURNING 1)
                 SELECT pg_notify($6, 'q') FROM back"
            ),
            query: format!(
                "SELECT status, result, task_type FROM {t} WHERE (project_id, instance_id, task_id) = ($1, $2, $3)
                 AND (status < 2 OR finished_at > $4::timestamptz - make_interval(secs => $5))"
            ),
            expire: format!(
                "WITH old AS (SELECT project_id, instance_id, task_id FROM {t}
                     WHERE status >= 2 AND finished_at <= $1::timestamptz - make_interval(secs => $2)
                     ORDER BY finished_at LIMIT $3),
                 gone AS (DELETE FROM {t} t USING old
                     WHERE (t.project_id, t.instance_id, t.task_id) = (old.project_id, old.instance_id, old.task_id)
                     RETURNING t.project_id, t.instance_id, octet_length(t.result)::bigint AS bytes),
                 {uncount}"
            ),
            // Over a limit, the tenant holding the most (bytes when over the bytes, else results;
            // ties: the greatest tenant) loses its oldest result.
            evict: format!(
                "WITH total AS (SELECT COALESCE(sum(results), 0)::bigint AS results, COALESCE(sum(bytes), 0)::bigint AS bytes FROM {u}),
                 top AS (SELECT u.project_id, u.instance_id FROM {u} u, total
                     WHERE total.bytes > $1::bigint OR total.results > $2::bigint
                     ORDER BY CASE WHEN total.bytes > $1::bigint THEN u.bytes ELSE u.results END DESC,
                         u.project_id COLLATE \"C\" DESC, u.instance_id COLLATE \"C\" DESC
                     LIMIT 1),
                 oldest AS (SELECT t.project_id, t.instance_id, t.task_id FROM {t} t, top
                     WHERE (t.project_id, t.instance_id) = (top.project_id, top.instance_id) AND t.status >= 2
                     ORDER BY t.ended LIMIT 1),
                 gone AS (DELETE FROM {t} t USING oldest
                     WHERE (t.project_id, t.instance_id, t.task_id) = (oldest.project_id, oldest.instance_id, oldest.task_id)
                     RETURNING t.project_id, t.instance_id, octet_length(t.result)::bigint AS bytes),
                 {uncount}"
            ),
            forget_tenants: format!("DELETE FROM {u} WHERE results <= 0"),
            stats: format!(
                "SELECT count(*) FILTER (WHERE status = 0),
                     count(*) FILTER (WHERE status < 2 OR finished_at > $1::timestamptz - make_interval(secs => $2)),
                     COALESCE(sum(octet_length(result)) FILTER (WHERE status >= 2 AND finished_at > $1::timestamptz - make_interval(secs => $2)), 0)::bigint
                 FROM {t}"
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
    /// Stamps when tasks end, and is the "now" of retention (the runner's clock).
    clock: Arc<dyn Clock>,
    lease: Duration,
    max_attempts: i32,
    poll: Duration,
    pool: Mutex<Pool>,
    /// A connection was given back, or closed.
    freed: Condvar,
    max_connections: usize,
    connection_wait: Duration,
    closed: AtomicBool,
    /// Held while a worker checks `closed` and reports a claim as taken, and while the store
    /// closes: a task claimed as the node closes is either reported (shutdown then sees it
    /// running) or handed back, never run unseen.
    taking: Mutex<()>,
    /// Bumped by every notification, local end and wake: what waiters wait on.
    signal: (Mutex<u64>, Condvar),
}

/// The connections of a node: those idle, and how many are open (idle or in use).
struct Pool {
    idle: Vec<Conn>,
    open: usize,
}

/// Why a statement did not run.
#[derive(Debug)]
enum DbError {
    Postgres(postgres::Error),
    /// Every connection stayed busy for the whole wait.
    NoConnection {
        max: usize,
        waited: Duration,
    },
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Postgres(e) => write!(f, "PostgreSQL task store: {e}"),
            DbError::NoConnection { max, waited } => write!(
                f,
                "PostgreSQL task store: no connection free within {waited:?} (all {max} in use; see PostgresConfig::with_max_connections)"
            ),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Postgres(e) => Some(e),
            DbError::NoConnection { .. } => None,
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        DbError::Postgres(e)
    }
}

/// APIG.9999, caused by `e`.
fn system_error(e: DbError) -> ApiError {
    ApiError::system_error().caused_by(e)
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

    /// Runs `f` on a pooled connection: an idle one, else a new one while fewer than
    /// `max_connections` are open, else the first given back within `connection_wait`. A
    /// connection whose statement failed is closed rather than given back.
    fn with_client<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, postgres::Error>) -> Result<T, DbError> {
        let pooled = {
            let pool = Self::guard(&self.pool);
            let max = self.max_connections;
            let (mut pool, _) = self
                .freed
                .wait_timeout_while(pool, self.connection_wait, |pool| pool.idle.is_empty() && pool.open >= max)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match pool.idle.pop() {
                Some(conn) => Some(conn),
                None if pool.open < max => {
                    pool.open += 1;
                    None
                }
                None => return Err(DbError::NoConnection { max, waited: self.connection_wait }),
            }
        };
        let conn = match pooled {
            Some(conn) if !conn.client.is_closed() => Ok(conn),
            _ => self.connect.connect(NoTls).map(Conn::new),
        };
        let mut conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                self.release(None);
                return Err(e.into());
            }
        };
        let out = f(&mut conn);
        self.release(Some(conn).filter(|conn| out.is_ok() && !conn.client.is_closed()));
        out.map_err(DbError::from)
    }

    /// Gives a connection back to the pool (`None`: it is closed), and wakes one waiter.
    fn release(&self, conn: Option<Conn>) {
        let mut pool = Self::guard(&self.pool);
        match conn {
            Some(conn) => pool.idle.push(conn),
            None => pool.open = pool.open.saturating_sub(1),
        }
        drop(pool);
        self.freed.notify_one();
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

    fn claim_of(&self, row: &postgres::Row) -> Result<Option<Row>, DbError> {
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
                let now = self.clock.now();
                self.with_client(|c| {
                    let params: Params<'_> =
                        &[&tenant.project_id(), &tenant.instance_id(), &id, &self.node, &failed, &now];
                    self.retain(c, Some((&self.sql.fail_unreadable, params)))
                })?;
                Ok(None)
            }
        }
    }

    /// Claims a task whose lease passed (attempts left), else the next waiting one.
    fn claim(&self) -> Result<Option<Row>, DbError> {
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

    /// In one transaction under the retained results' lock: runs `end` (a statement that ends
    /// tasks; its rows are returned), then removes the results past `retention` (at most
    /// [`RETENTION_BATCH`]) and, while the results are over `max_retained` or
    /// `max_retained_bytes`, the oldest of the tenant holding the most (at most
    /// [`EVICTION_BATCH`]). Every node ends tasks and removes results under this lock, so the
    /// limits hold across nodes.
    fn retain(&self, conn: &mut Conn, end: Option<(&str, Params<'_>)>) -> Result<Vec<postgres::Row>, postgres::Error> {
        let lock = conn.prepare(&self.sql.lock_retained)?;
        let expire = conn.prepare(&self.sql.expire)?;
        let evict = conn.prepare(&self.sql.evict)?;
        let forget = conn.prepare(&self.sql.forget_tenants)?;
        let end = match end {
            Some((sql, params)) => Some((conn.prepare(sql)?, params)),
            None => None,
        };
        let now = self.clock.now();
        let retention = Self::secs(self.limits.retention);
        let limit = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let (max_bytes, max_results) = (limit(self.limits.max_retained_bytes), limit(self.limits.max_retained));
        let mut tx = conn.client.transaction()?;
        tx.execute(&lock, &[])?;
        let ended = match end {
            Some((statement, params)) => tx.query(&statement, params)?,
            None => Vec::new(),
        };
        let mut removed = 0;
        for row in tx.query(&expire, &[&now, &retention, &RETENTION_BATCH])? {
            removed += row.try_get::<_, i64>(0)?;
        }
        for _ in 0..EVICTION_BATCH {
            if tx.query(&evict, &[&max_bytes, &max_results])?.is_empty() {
                break;
            }
            removed += 1;
        }
        if removed > 0 {
            tx.execute(&forget, &[])?;
        }
        tx.commit()?;
        Ok(ended)
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
    pub(crate) fn open(config: &PostgresConfig, limits: Limits, clock: Arc<dyn Clock>) -> Result<Postgres, String> {
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
            clock,
            lease: config.lease,
            max_attempts: i32::try_from(config.max_attempts).unwrap_or(i32::MAX),
            poll: config.poll,
            pool: Mutex::new(Pool { idle: vec![Conn::new(client)], open: 1 }),
            freed: Condvar::new(),
            max_connections: config.max_connections,
            connection_wait: config.connection_wait,
            closed: AtomicBool::new(false),
            taking: Mutex::new(()),
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
        let bytes = job.queued_bytes();
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
            // The waiting imports' bytes, counted as the memory store counts them: the snapshot
            // (options, a newline, the document).
            let (mine, all): (i64, i64) = (counts.try_get(2)?, counts.try_get(3)?);
            let over = |held: i64, max: usize| {
                usize::try_from(held).ok().and_then(|held| held.checked_add(bytes)).is_none_or(|held| held > max)
            };
            if bytes > 0 && (over(all, limits.max_queued_bytes) || over(mine, limits.tenant_queued_bytes)) {
                return Ok(Err(ApiError::throttled_bytes(limits.max_queued_bytes, limits.tenant_queued_bytes)));
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
        outcome.unwrap_or_else(|e| Err(system_error(e)))
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
                        let taking = Inner::guard(&inner.taking);
                        if inner.closed.load(Ordering::SeqCst) {
                            // Claimed while the node closed (perhaps a task it just handed
                            // back): not this node's to run any more, and not an attempt.
                            drop(taking);
                            let id = hex(&claim.key);
                            let (project, instance) = (claim.tenant.project_id(), claim.tenant.instance_id());
                            drop(inner.with_client(|c| {
                                c.query(
                                    &inner.sql.unclaim,
                                    &[&project, &instance, &id, &inner.node, &claim.attempt, &inner.channel],
                                )
                            }));
                            return None;
                        }
                        taken(&claim);
                        drop(taking);
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
        let now = inner.clock.now();
        // A connection lost on the way (or none free) is retried; past that, the lease runs out
        // and another node runs the task again.
        for _ in 0..3 {
            let done = inner.with_client(|c| {
                let params: Params<'_> =
                    &[&project, &instance, &id, &inner.node, &claim.attempt, &code, &stored, &inner.channel, &now];
                let ended = inner.retain(c, Some((&inner.sql.finish, params)))?;
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
        let now = inner.clock.now();
        drop(inner.with_client(|c| {
            let params: Params<'_> = &[&inner.max_attempts, &failed, &now];
            let rows = inner.retain(c, Some((&inner.sql.fail_exhausted, params)))?;
            let ended: i64 = rows.first().map(|row| row.try_get(0)).transpose()?.unwrap_or_default();
            if ended > 0 {
                inner.notify(c, "d")?;
            }
            Ok(())
        }));
    }

    fn close(&self) {
        {
            let _taking = Inner::guard(&self.inner.taking);
            self.inner.closed.store(true, Ordering::SeqCst);
        }
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
        let now = inner.clock.now();
        let row = inner
            .with_client(|c| {
                let row = c.query_opt(
                    &inner.sql.query,
                    &[&tenant.project_id(), &tenant.instance_id(), &id, &now, &retention],
                )?;
                row.map(|row| -> Result<(i16, Option<Vec<u8>>, i16), postgres::Error> {
                    Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
                })
                .transpose()
            })
            .map_err(system_error)?;
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
        let (now, retention) = (inner.clock.now(), Inner::secs(inner.limits.retention));
        let counts = inner.with_client(|c| {
            let row = c.query_one(&inner.sql.stats, &[&now, &retention])?;
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
