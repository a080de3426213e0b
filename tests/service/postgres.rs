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
    Runner::new(config.with_settings(settings(apig_export::Profile::Apig)).with_postgres(store(schema))).unwrap()
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

#[test]
fn a_dead_nodes_task_is_claimed_again_and_finished_by_another() {
    let schema = "reclaim";
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let live = node(
        schema,
        RunnerConfig::default().with_workers(1).with_export(gated(Arc::clone(&gate), Arc::clone(&started))),
    );
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    // The live node's only worker holds the first task at the gate; the second waits.
    let first = live.submit(&tenant, &catalog, None, &body("")).unwrap();
    started.wait();
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
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let live = node(
        schema,
        RunnerConfig::default().with_workers(1).with_export(gated(Arc::clone(&gate), Arc::clone(&started))),
    );
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    let first = live.submit(&tenant, &catalog, None, &body("")).unwrap();
    started.wait();
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
