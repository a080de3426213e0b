//! The PostgreSQL task store against a real server (feature `postgres`): `scripts/test.sh` starts
//! a throw-away one through `scripts/with-postgres.sh`, which sets `APIG_EXPORT_POSTGRES_URL`.
//! Each test works in a schema of its own. Runners on one database stand for gateway nodes; a
//! node that died is played by this test's own connection, holding a claim it never renews.
//! No sleeps: every wait is the runner's own, bounded.

use std::sync::Arc;
use std::time::Duration;

use apig_export::task::postgres::{PostgresConfig, SCHEMA_VERSION};
use apig_export::task::{Runner, RunnerConfig, Shutdown, TaskStatus, Tenant};
use apig_export::testkit::ExportFn;
use apig_export::{ApiError, ApiErrorKind, Catalog, Settings};
use postgres::{Client, NoTls};

use crate::common::*;

use crate::{body, Gate};
const LONG: Duration = Duration::from_secs(120);
const LEASE: Duration = Duration::from_millis(300);

fn url() -> String {
    std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
        "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
    )
}

fn client() -> Client {
    Client::connect(&url(), NoTls).expect("the test database answers")
}

fn store(schema: &str) -> PostgresConfig {
    PostgresConfig::new(url()).with_schema(schema).with_lease(LEASE).with_poll(Duration::from_millis(50))
}

fn node(schema: &str, config: RunnerConfig) -> Runner {
    node_on(store(schema), config)
}

/// A node on `store`, configured as [`node`] does.
fn node_on(store: PostgresConfig, config: RunnerConfig) -> Runner {
    Runner::new(config.with_settings(settings(apig_export::Profile::Apig)).with_postgres(store)).unwrap()
}

fn demo() -> Arc<Catalog> {
    Arc::new(catalog("demo"))
}

/// Exports once the gate is open; `started` opens as the first export begins.
fn gated(gate: Arc<Gate>, started: Arc<Gate>) -> ExportFn {
    Arc::new(move |catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
        started.open();
        gate.wait();
        apig_export::export(catalog, request, settings)
    })
}

/// The task's row as this test sees it: status, attempts.
fn row(client: &mut Client, schema: &str, tenant: &Tenant, id: &str) -> (i16, i32) {
    let row = client
        .query_one(
            &format!(
                "SELECT status, attempts FROM {schema}.apig_export_tasks WHERE project_id = $1 AND instance_id = $2 AND task_id = $3"
            ),
            &[&tenant.project_id(), &tenant.instance_id(), &id],
        )
        .unwrap();
    (row.get(0), row.get(1))
}

/// Returns once exactly one connection named `application_name` waits for a lock (the submission
/// that holds a pool's only connection); fails the test if that is not seen within a million looks.
pub(crate) fn one_waits_for_a_lock(db: &mut Client, application_name: &str) {
    let mut waiting = 0;
    for _ in 0..1_000_000 {
        waiting = db
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
                &[&application_name],
            )
            .unwrap()
            .get::<_, i64>(0);
        if waiting == 1 {
            return;
        }
    }
    assert_eq!(waiting, 1, "the submission holds the only connection, waiting for the lock");
}

/// Claims the waiting task `id` as a node that then dies: a lease that is never renewed.
fn claim_as_dead_node(client: &mut Client, schema: &str, tenant: &Tenant, id: &str, attempts: i32) {
    let claimed = client
        .execute(
            &format!(
                "UPDATE {schema}.apig_export_tasks SET status = 1, attempts = $4, owner = 'dead-node',
                 lease_until = clock_timestamp() + interval '200 milliseconds'
                 WHERE project_id = $1 AND instance_id = $2 AND task_id = $3 AND status = 0"
            ),
            &[&tenant.project_id(), &tenant.instance_id(), &id, &attempts],
        )
        .unwrap();
    assert_eq!(claimed, 1, "the task was waiting");
}

#[test]
fn two_nodes_share_one_database_submit_on_one_query_on_the_other() {
    let schema = "two_nodes";
    let (a, b) =
        (node(schema, RunnerConfig::default().with_workers(2)), node(schema, RunnerConfig::default().with_workers(2)));
    let catalog = demo();
    let tenants = [Tenant::new("p1", "i1"), Tenant::new("p2", "i1"), Tenant::new("p1", "i2")];
    let variants =
        [(Some("2.0"), r#", "define": "all""#), (Some("3.0"), r#", "type": "yaml""#), (None, r#", "define": "dev""#)];
    let mut ids = Vec::new();
    for round in 0..4 {
        for (t, tenant) in tenants.iter().enumerate() {
            let (oas, extra) = variants[(round + t) % 3];
            let submitting = if round % 2 == 0 { &a } else { &b };
            ids.push((t, oas, extra, submitting.submit(tenant, &catalog, oas, &body(extra)).unwrap()));
        }
    }
    for (t, oas, extra, id) in &ids {
        let tenant = &tenants[*t];
        // Queried on the other node (and on both): the same task, the same bytes.
        let view = b.wait(tenant, id, LONG).expect("every task ends");
        assert_eq!(view.status(), TaskStatus::Succeed, "{}", view.task_result());
        let expected = a.export_now(&catalog, *oas, &body(extra)).unwrap().task_result();
        assert_eq!(view.task_result(), expected);
        assert_eq!(a.handle_query(tenant, id).body, b.handle_query(tenant, id).body);
        assert_eq!(a.handle_query(tenant, id).body, serde_json::to_string(&view).unwrap());
        // Another tenant cannot see it, on either node: the same 404 as an unknown id.
        for other in tenants.iter().filter(|o| *o != tenant) {
            for runner in [&a, &b] {
                let e = runner.query(other, id).unwrap_err();
                assert_eq!(
                    (e.kind(), e.error_msg()),
                    (ApiErrorKind::TaskNotFound, format!("The asynchronous task {id} does not exist").as_str())
                );
            }
        }
    }
    assert_eq!(a.stats().known, 12);
    assert_eq!(b.stats().queued, 0);
    a.shutdown(Shutdown::Drain, LONG);
    b.shutdown(Shutdown::Drain, LONG);
}

/// A node of one worker on `schema` whose export waits at the returned gate, holding the first
/// task it was given (returned last, with the tenant and catalog it was submitted for).
fn holding_one(schema: &str) -> (Runner, Arc<Gate>, Tenant, Arc<Catalog>, String) {
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let live = node(
        schema,
        RunnerConfig::default().with_workers(1).with_export(gated(Arc::clone(&gate), Arc::clone(&started))),
    );
    let (tenant, catalog) = (Tenant::new("p", "i"), demo());
    let first = live.submit(&tenant, &catalog, None, &body("")).unwrap();
    started.wait();
    (live, gate, tenant, catalog, first)
}

#[test]
fn a_dead_nodes_task_is_claimed_again_and_finished_by_another() {
    let schema = "reclaim";
    // The live node's only worker holds the first task at the gate; the second waits.
    let (live, gate, tenant, catalog, first) = holding_one(schema);
    let second = live.submit(&tenant, &catalog, Some("3.0"), &body(r#", "define": "proxy""#)).unwrap();
    let mut db = client();
    assert_eq!(row(&mut db, schema, &tenant, &second), (0, 0));
    claim_as_dead_node(&mut db, schema, &tenant, &second, 1);
    gate.open();
    // Once the dead node's lease has passed, the live node claims the task again and runs it.
    let view = live.wait(&tenant, &second, LONG).unwrap();
    assert_eq!(view.status(), TaskStatus::Succeed);
    let expected = live.export_now(&catalog, Some("3.0"), &body(r#", "define": "proxy""#)).unwrap().task_result();
    assert_eq!(view.task_result(), expected);
    assert_eq!(row(&mut db, schema, &tenant, &second), (2, 2), "succeed, on the second attempt");
    assert_eq!(live.wait(&tenant, &first, LONG).unwrap().status(), TaskStatus::Succeed);
    // The dead node, were it to come back, cannot end the task again: its claim is gone.
    let late = db
        .execute(
            &format!(
                "UPDATE {schema}.apig_export_tasks SET status = 3 WHERE task_id = $1 AND owner = 'dead-node' AND attempts = 1"
            ),
            &[&second],
        )
        .unwrap();
    assert_eq!(late, 0);
    live.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn attempts_are_bounded_then_the_task_fails() {
    let schema = "attempts";
    let (live, gate, tenant, catalog, first) = holding_one(schema);
    let doomed = live.submit(&tenant, &catalog, None, &body("")).unwrap();
    let mut db = client();
    // Its last attempt (3 by default) was on a node that died.
    claim_as_dead_node(&mut db, schema, &tenant, &doomed, 3);
    gate.open();
    let view = live.wait(&tenant, &doomed, LONG).unwrap();
    assert_eq!((view.status(), view.task_result()), (TaskStatus::Failed, ApiError::system_error().to_json().as_str()));
    assert_eq!(row(&mut db, schema, &tenant, &doomed), (3, 3), "failed, not run a fourth time");
    assert_eq!(live.wait(&tenant, &first, LONG).unwrap().status(), TaskStatus::Succeed);
    live.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn waiting_tasks_survive_a_restart_and_a_cancelled_one_is_handed_back() {
    let schema = "restart";
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let first_life = node(
        schema,
        RunnerConfig::default()
            .with_workers(1)
            .with_cancel_grace(Duration::ZERO)
            .with_export(gated(Arc::clone(&gate), Arc::clone(&started))),
    );
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    let ids: Vec<String> = (0..3)
        .map(|n| first_life.submit(&tenant, &catalog, None, &body(&format!(r#", "version": "v{n}""#))).unwrap())
        .collect();
    started.wait();
    // The node stops: the export at the gate ignores its cancel and is left behind; its task goes
    // back to the queue, and the waiting ones stay there.
    let report = first_life.shutdown(Shutdown::FailQueued, Duration::ZERO);
    assert_eq!((report.failed_queued, report.cancelled, report.abandoned), (0, 1, 1));
    let mut db = client();
    for id in &ids {
        assert_eq!(row(&mut db, schema, &tenant, id).0, 0, "waiting again");
    }
    // A new node (or the same one restarted) finishes them all.
    let second_life = node(schema, RunnerConfig::default().with_workers(2));
    for id in &ids {
        assert_eq!(second_life.wait(&tenant, id, LONG).unwrap().status(), TaskStatus::Succeed);
    }
    gate.open();
    second_life.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn a_tenant_over_its_share_is_refused_across_nodes() {
    let schema = "share";
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let config = || {
        RunnerConfig::default()
            .with_workers(1)
            .with_queue_capacity(4)
            .with_tenant_share(2)
            .with_export(gated(Arc::clone(&gate), Arc::clone(&started)))
    };
    let (a, b) = (node(schema, config()), node(schema, config()));
    let catalog = demo();
    let (busy, other) = (Tenant::new("busy", "i"), Tenant::new("other", "i"));
    // One task on each node's worker, held at the gate.
    let held =
        [a.submit(&busy, &catalog, None, &body("")).unwrap(), b.submit(&busy, &catalog, None, &body("")).unwrap()];
    let mut db = client();
    let processing = |db: &mut Client| -> i64 {
        db.query_one(&format!("SELECT count(*) FROM {schema}.apig_export_tasks WHERE status = 1"), &[]).unwrap().get(0)
    };
    for _ in 0..2_400 {
        if processing(&mut db) == 2 {
            break;
        }
        // Blocks until a task ends or 50 ms pass: none ends while the gate is shut.
        assert!(a.wait(&busy, &held[0], Duration::from_millis(50)).is_none());
    }
    assert_eq!(processing(&mut db), 2, "each node's worker took a task");
    // Two waiting for `busy`, submitted on either node: its share.
    assert_eq!(a.handle_submit(&busy, &catalog, None, &body("")).status, 202);
    assert_eq!(b.handle_submit(&busy, &catalog, None, &body("")).status, 202);
    assert_eq!(a.handle_submit(&busy, &catalog, None, &body("")).status, 429);
    assert_eq!(b.handle_submit(&busy, &catalog, None, &body("")).status, 429);
    // Another tenant is still accepted, up to the whole queue.
    assert_eq!(b.handle_submit(&other, &catalog, None, &body("")).status, 202);
    assert_eq!(a.handle_submit(&other, &catalog, None, &body("")).status, 202);
    assert_eq!(a.handle_submit(&other, &catalog, None, &body("")).status, 429);
    gate.open();
    a.shutdown(Shutdown::Drain, LONG);
    b.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn the_schema_is_versioned_created_once_and_a_newer_one_refused() {
    let schema = "versions";
    let runners: Vec<Runner> = (0..3).map(|_| node(schema, RunnerConfig::default().with_workers(1))).collect();
    let mut db = client();
    let versions: Vec<i32> = db
        .query(&format!("SELECT version FROM {schema}.apig_export_schema ORDER BY version"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    drop(runners);
    db.execute(&format!("INSERT INTO {schema}.apig_export_schema (version) VALUES (99)"), &[]).unwrap();
    let e = Runner::new(RunnerConfig::default().with_postgres(store(schema))).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid runner configuration: cannot open the PostgreSQL task store: the task schema in the database is version 99, newer than this library's {SCHEMA_VERSION}"
        )
    );
    // Values that cannot work are named; a bad URL is refused without echoing it.
    for (config, message) in [
        (store("Bad-Name"), "schema must be lower-case letters, digits and _, got \"Bad-Name\""),
        (store("s").with_max_attempts(0), "max_attempts must be at least 1, got 0"),
    ] {
        let e = Runner::new(RunnerConfig::default().with_postgres(config)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("invalid runner configuration: cannot open the PostgreSQL task store: {message}")
        );
    }
    let e = Runner::new(
        RunnerConfig::default().with_postgres(PostgresConfig::new("postgresql://user:s3cret@/db?host=/nonexistent")),
    )
    .unwrap_err();
    assert!(!e.to_string().contains("s3cret"), "{e}");
}

/// Finishes `count` tasks of `tenant` on `runner`, all submitted before any is waited for. A
/// task may end and be pushed out by later ones before it is looked at: then it is gone (404),
/// which `may_go` allows.
fn finish_many(runner: &Runner, tenant: &Tenant, catalog: &Arc<Catalog>, count: usize, may_go: bool) -> Vec<String> {
    let ids: Vec<String> =
        (0..count).map(|_| runner.submit(tenant, catalog, None, &body(r#", "version": "v""#)).unwrap()).collect();
    for id in &ids {
        match runner.wait(tenant, id, LONG) {
            Some(view) => assert_eq!(view.status(), TaskStatus::Succeed),
            None => {
                assert!(may_go, "task {id} never ended");
                assert_eq!(runner.query(tenant, id).unwrap_err().error_code(), "APIG.3093");
            }
        }
    }
    ids
}

/// What the usage table says each tenant holds, against the rows themselves.
fn usage_matches_rows(db: &mut Client, schema: &str) {
    let usage: Vec<(String, i64, i64)> = db
        .query(&format!("SELECT project_id, results, bytes FROM {schema}.apig_export_usage ORDER BY project_id"), &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let rows: Vec<(String, i64, i64)> = db
        .query(
            &format!(
                "SELECT project_id, count(*), sum(octet_length(result))::bigint FROM {schema}.apig_export_tasks
                 WHERE status >= 2 GROUP BY project_id ORDER BY project_id"
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(usage, rows, "the usage table counts what the rows hold");
}

#[test]
fn a_quiet_tenant_keeps_its_results_while_a_busy_one_finishes_many_on_two_nodes() {
    let catalog = demo();
    let (busy, quiet) = (Tenant::new("busy", "i"), Tenant::new("quiet", "i"));
    // Bytes held for one result (all results here have the same size).
    let one = {
        let runner = node("retained_one", RunnerConfig::default().with_workers(1));
        finish_many(&runner, &quiet, &catalog, 1, false);
        runner.stats().retained_bytes
    };
    assert!(one > 100, "{one}");
    // By count (room for 10), then by bytes (room for 4).
    for (schema, config, quiet_count, kept) in [
        ("retained_count", RunnerConfig::default().with_max_retained(10), 3, 10),
        ("retained_bytes", RunnerConfig::default().with_max_retained_bytes(4 * one + one / 2), 2, 4),
    ] {
        let (a, b) = (node(schema, config.clone().with_workers(2)), node(schema, config.with_workers(2)));
        let quiet_ids = finish_many(&a, &quiet, &catalog, quiet_count, false);
        // The busy tenant finishes 60 tasks on each node at once.
        let busy_ids: Vec<String> = std::thread::scope(|s| {
            let on = |runner: &'static str| {
                let (runner, busy, catalog) = (if runner == "a" { &a } else { &b }, &busy, &catalog);
                s.spawn(move || finish_many(runner, busy, catalog, 60, true))
            };
            let (on_a, on_b) = (on("a"), on("b"));
            let mut ids = on_a.join().unwrap();
            ids.extend(on_b.join().unwrap());
            ids
        });
        for runner in [&a, &b] {
            for id in &quiet_ids {
                assert_eq!(
                    runner.query(&quiet, id).unwrap().status(),
                    TaskStatus::Succeed,
                    "{schema}: the quiet tenant keeps its results"
                );
            }
            let held = busy_ids.iter().filter(|id| runner.query(&busy, id).is_ok()).count();
            assert_eq!(held, kept - quiet_count, "{schema}: the busy tenant holds the rest");
            let stats = runner.stats();
            assert_eq!((stats.known, stats.retained_bytes), (kept, kept * one), "{schema}");
        }
        let mut db = client();
        usage_matches_rows(&mut db, schema);
        a.shutdown(Shutdown::Drain, LONG);
        b.shutdown(Shutdown::Drain, LONG);
    }
}

/// The test database's URL, its connections named `name` (as `pg_stat_activity` shows them).
fn named_url(name: &str) -> String {
    let url = url();
    let joint = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joint}application_name={name}")
}

/// Connections open now under `name`.
fn connections(db: &mut Client, name: &str) -> i64 {
    db.query_one("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", &[&name]).unwrap().get(0)
}

#[test]
fn a_nodes_connections_never_exceed_the_pool_cap_under_many_threads() {
    let (schema, name) = ("pool_cap", "apig_pool_cap");
    let store = PostgresConfig::new(named_url(name))
        .with_schema(schema)
        .with_poll(Duration::from_millis(50))
        .with_max_connections(3)
        .with_connection_wait(LONG);
    let runner = node_on(store, RunnerConfig::default().with_workers(2));
    let catalog = demo();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (most, samples) = std::thread::scope(|s| {
        // Counts the node's connections while the load runs: its own connection is not named.
        let watch = s.spawn(|| {
            let mut db = client();
            let (mut most, mut samples) = (0, 0);
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                most = most.max(connections(&mut db, name));
                samples += 1;
            }
            (most, samples)
        });
        let load: Vec<_> = (0..16)
            .map(|t| {
                let (runner, catalog) = (&runner, &catalog);
                s.spawn(move || {
                    let tenant = Tenant::new(format!("p{}", t % 4), "i");
                    for _ in 0..10 {
                        let id = runner.submit(&tenant, catalog, None, &body("")).unwrap();
                        for _ in 0..3 {
                            assert!(runner.query(&tenant, &id).is_ok());
                        }
                        assert_eq!(runner.wait(&tenant, &id, LONG).unwrap().status(), TaskStatus::Succeed);
                    }
                })
            })
            .collect();
        for thread in load {
            thread.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        watch.join().unwrap()
    });
    eprintln!("at most {most} connections in {samples} samples");
    // Three for statements, one listening.
    assert!(most <= 3 + 1, "{most} connections open at once");
    assert!(most >= 2, "the count sees the node's connections ({most})");
    assert_eq!(runner.stats().known, 160);
    runner.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn a_caller_waits_a_bounded_time_for_a_connection_then_gets_apig_9999() {
    let (schema, name) = ("pool_wait", "apig_pool_wait");
    let store = PostgresConfig::new(named_url(name))
        .with_schema(schema)
        .with_max_connections(1)
        .with_connection_wait(Duration::from_millis(200));
    let runner = node_on(store, RunnerConfig::default().with_workers(1));
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    // The test holds the queue's lock: a submission takes the node's only connection and waits
    // for the lock inside its transaction.
    let mut db = client();
    let lock = format!("SELECT pg_advisory_lock(hashtext('{schema}.apig_export_tasks'))");
    db.execute(&lock, &[]).unwrap();
    std::thread::scope(|s| {
        let held = s.spawn(|| runner.handle_submit(&tenant, &catalog, None, &body("")));
        one_waits_for_a_lock(&mut db, name);
        // Every other caller waits for the connection, then fails: APIG's 500, with the cause.
        let e = runner.query(&tenant, "0123456789abcdef0123456789abcdef").unwrap_err();
        assert_eq!((e.status(), e.error_code()), (500, "APIG.9999"));
        let cause = std::error::Error::source(&e).map(ToString::to_string).unwrap_or_default();
        assert!(cause.contains("no connection free within 200ms"), "{cause}");
        let reply = runner.handle_submit(&tenant, &catalog, None, &body(""));
        assert_eq!((reply.status, reply.body), (500, ApiError::system_error().to_json()));
        // Once the lock is let go, the held submission goes through.
        db.execute(&format!("SELECT pg_advisory_unlock(hashtext('{schema}.apig_export_tasks'))"), &[]).unwrap();
        let reply = held.join().unwrap();
        assert_eq!(reply.status, 202, "{}", reply.body);
    });
    runner.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn a_version_1_schema_with_finished_tasks_is_migrated_and_then_bounded() {
    let schema = "migrate_v1";
    let mut db = client();
    // The tables as version 1 of the schema made them, with three finished tasks of `old`.
    db.batch_execute(&format!(
        "CREATE SCHEMA {schema};
         CREATE TABLE {schema}.apig_export_schema (version integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
         INSERT INTO {schema}.apig_export_schema (version) VALUES (1);
         CREATE TABLE {schema}.apig_export_tasks (
             project_id text NOT NULL, instance_id text NOT NULL, task_id text NOT NULL,
             status smallint NOT NULL, round bigint NOT NULL, seq bigserial NOT NULL,
             submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(), snapshot bytea NOT NULL,
             attempts integer NOT NULL DEFAULT 0, owner text, lease_until timestamptz,
             finished_at timestamptz, result bytea, PRIMARY KEY (project_id, instance_id, task_id));
         INSERT INTO {schema}.apig_export_tasks (project_id, instance_id, task_id, status, round, snapshot, attempts, finished_at, result)
         VALUES ('old', 'i', '00000000000000000000000000000001', 2, 0, '', 1, clock_timestamp() - interval '3 minutes', '\"a\"'),
                ('old', 'i', '00000000000000000000000000000002', 2, 0, '', 1, clock_timestamp() - interval '2 minutes', '\"bb\"'),
                ('old', 'i', '00000000000000000000000000000003', 2, 0, '', 1, clock_timestamp() - interval '1 minute', '\"ccc\"');"
    ))
    .unwrap();
    // Room for two results: the next ending pushes out the oldest two of the tenant holding the most.
    let runner = Runner::new(
        RunnerConfig::default()
            .with_workers(1)
            .with_max_retained(2)
            .with_settings(settings(apig_export::Profile::Apig))
            .with_postgres(store(schema)),
    )
    .unwrap();
    let versions: Vec<i32> = db
        .query(&format!("SELECT version FROM {schema}.apig_export_schema ORDER BY version"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    usage_matches_rows(&mut db, schema);
    let old = Tenant::new("old", "i");
    assert_eq!(runner.query(&old, "00000000000000000000000000000001").unwrap().task_result(), "a");
    let new = Tenant::new("new", "i");
    let id = runner.submit(&new, &demo(), None, &body("")).unwrap();
    assert_eq!(runner.wait(&new, &id, LONG).unwrap().status(), TaskStatus::Succeed);
    for (gone, n) in [(true, 1), (true, 2), (false, 3)] {
        let id = format!("{n:032}");
        assert_eq!(runner.query(&old, &id).is_err(), gone, "task {n}: the oldest go first");
    }
    assert_eq!(runner.stats().known, 2);
    usage_matches_rows(&mut db, schema);
    runner.shutdown(Shutdown::Drain, LONG);
}
