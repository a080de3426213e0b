//! The asynchronous export under load and faults. Bounded in count and time; threads synchronise
//! through the runner's own waits and condition variables, never sleeps.
//!
//! Every behaviour test runs against both stores: `…::memory` in this process, and, with the
//! `postgres` feature, `…::postgres` in the test database (`scripts/with-postgres.sh`), each
//! runner in a schema of its own. Where a shared store defines a behaviour differently (a node's
//! shutdown leaves the waiting tasks to the other nodes), the test says so and checks both. Tests
//! of the memory store's lock accounting, and of cancellation without a runner, run once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use apig_export::task::{ConfigError, Runner, RunnerConfig, Shutdown, TaskIdSource, TaskStatus, Tenant};
use apig_export::testkit::{ExportFn, ManualClock};
use apig_export::{ApiError, Catalog, Settings};
use serde_json::Value;

use crate::{body, Gate, GROUP, RELEASE};
const LONG: Duration = Duration::from_secs(120);

/// Where a test's runners keep their tasks.
pub(crate) struct Store {
    /// The test's name, which names its schemas.
    name: &'static str,
    postgres: bool,
    /// Stores made so far.
    made: AtomicUsize,
}

impl Store {
    fn memory(name: &'static str) -> Store {
        Store { name, postgres: false, made: AtomicUsize::new(0) }
    }

    #[cfg(feature = "postgres")]
    fn postgres(name: &'static str) -> Store {
        Store { name, postgres: true, made: AtomicUsize::new(0) }
    }

    /// Whether the store is shared by nodes (PostgreSQL): a node's shutdown leaves its waiting
    /// tasks to the others.
    fn shared(&self) -> bool {
        self.postgres
    }

    /// A runner on a fresh store (a new schema in the test database).
    fn runner(&self, config: RunnerConfig) -> Runner {
        self.try_runner(config).unwrap()
    }

    fn try_runner(&self, config: RunnerConfig) -> Result<Runner, ConfigError> {
        let n = self.made.fetch_add(1, Ordering::SeqCst);
        self.open(config, n)
    }

    /// Another runner on the store the last [`Store::runner`] made: another node, or the same
    /// one restarted. Only a shared store has one.
    fn again(&self, config: RunnerConfig) -> Runner {
        assert!(self.shared(), "only a shared store outlives its runner");
        self.open(config, self.made.load(Ordering::SeqCst) - 1).unwrap()
    }

    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    fn open(&self, config: RunnerConfig, n: usize) -> Result<Runner, ConfigError> {
        #[cfg(feature = "postgres")]
        if self.postgres {
            let url = std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
                "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
            );
            let name = self.name.get(..40).unwrap_or(self.name);
            let store = apig_export::task::postgres::PostgresConfig::new(url)
                .with_schema(format!("task_{name}_{n}"))
                .with_poll(Duration::from_millis(100));
            return Runner::new(config.with_postgres(store));
        }
        Runner::new(config)
    }
}

/// Runs each named test (`fn name(store: &Store)`) against both stores, as `name::memory` and
/// `name::postgres`.
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn memory() {
                super::$name(&super::Store::memory(stringify!($name)));
            }
            #[cfg(feature = "postgres")]
            #[test]
            fn postgres() {
                super::$name(&super::Store::postgres(stringify!($name)));
            }
        }
    )*};
}

both_stores!(
    load_from_many_threads_and_tenants,
    a_task_exports_the_catalog_as_it_was_at_submission,
    a_panicking_export_fails_its_task_only,
    finished_tasks_expire_by_time_and_count,
    shutdown_while_busy_joins_every_thread_and_ends_every_task,
    submissions_fail_exactly_as_the_synchronous_export,
    replies_are_apig_http_shapes,
    a_waiting_task_reports_waiting_with_an_empty_result,
    configurations_that_cannot_work_are_refused_by_name,
    a_tenant_over_its_share_is_refused_while_others_are_accepted_and_served_in_turn,
    retained_results_are_bounded_in_bytes_oldest_first,
    a_tenant_that_keeps_finishing_exports_pushes_out_only_its_own_results,
    shutdown_at_its_deadline_cancels_running_exports,
    an_export_that_ignores_cancellation_is_left_behind_after_the_grace,
    the_query_reply_is_what_serializing_the_view_writes,
);

fn demo() -> Arc<Catalog> {
    Arc::new(catalog("demo"))
}

fn config() -> RunnerConfig {
    RunnerConfig::default().with_settings(settings(apig_export::Profile::Apig))
}

fn gated_export(gate: Arc<Gate>) -> ExportFn {
    Arc::new(move |catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
        gate.wait();
        apig_export::export(catalog, request, settings)
    })
}

fn load_from_many_threads_and_tenants(store: &Store) {
    let runner = store.try_runner(config().with_workers(2).with_queue_capacity(200)).unwrap();
    let catalog = demo();
    let tenants: Vec<Tenant> = (0..4).map(|n| Tenant::new(format!("project-{n}"), format!("instance-{n}"))).collect();
    let variants: Vec<(Option<&str>, String)> = ["2.0", "3.0"]
        .into_iter()
        .flat_map(|oas| {
            ["spec", "proxy", "all", "dev"].into_iter().flat_map(move |define| {
                ["json", "yaml", "yml"]
                    .into_iter()
                    .map(move |t| (Some(oas), format!(r#", "define": "{define}", "type": "{t}""#)))
            })
        })
        .collect();
    // Per thread: (tenant index, variant index, Ok(task id) | Err(error)).
    let outcomes: Vec<(usize, usize, Result<String, ApiError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let (runner, catalog, tenants, variants) = (&runner, &catalog, &tenants, &variants);
                s.spawn(move || {
                    (0..250)
                        .map(|i| {
                            let (tenant, variant) = ((t + i) % 4, (t * 7 + i) % variants.len());
                            let (oas, extra) = &variants[variant];
                            (tenant, variant, runner.submit(&tenants[tenant], catalog, *oas, &body(extra)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outcomes.len(), 2000);
    let expected: Vec<String> = variants
        .iter()
        .map(|(oas, extra)| runner.export_now(&catalog, *oas, &body(extra)).unwrap().task_result())
        .collect();
    let (mut accepted, mut refused) = (0, 0);
    for (tenant, variant, outcome) in &outcomes {
        match outcome {
            Ok(id) => {
                accepted += 1;
                let view = runner.wait(&tenants[*tenant], id, LONG).expect("every accepted task ends");
                assert_eq!(view.status(), TaskStatus::Succeed, "{}", view.task_result());
                assert_eq!(view.task_result(), expected[*variant], "identical to the synchronous export");
                let other = &tenants[(tenant + 1) % 4];
                let hidden = runner.query(other, id).unwrap_err();
                assert_eq!((hidden.status(), hidden.error_code()), (404, "APIG.3093"));
            }
            Err(e) => {
                refused += 1;
                assert_eq!((e.status(), e.error_code()), (429, "APIG.0308"), "only a full queue refuses");
            }
        }
    }
    assert_eq!(accepted + refused, 2000);
    assert!(accepted >= 200, "the queue holds 200: at least that many are accepted ({accepted})");
    let report = runner.shutdown(Shutdown::Drain, LONG);
    assert_eq!(report.joined, 2);
}

fn a_task_exports_the_catalog_as_it_was_at_submission(store: &Store) {
    let gate = Arc::new(Gate::default());
    let runner = store.try_runner(config().with_workers(1).with_export(gated_export(Arc::clone(&gate)))).unwrap();
    let tenant = Tenant::new("p", "i");
    let mut current = demo(); // what the gateway serves now
    let request = apig_export::ExportRequest::parse(None, &body("")).unwrap();
    let expected =
        apig_export::export(&current, &request, &settings(apig_export::Profile::Apig)).unwrap().task_result();
    let id = runner.submit(&tenant, &current, None, &body("")).unwrap();
    // The gateway replaces its catalog before the task runs.
    let mut data = (*current).clone().into_data();
    data.groups[0].remark = "a different group description".into();
    current = Arc::new(Catalog::new(data).unwrap());
    gate.open();
    let view = runner.wait(&tenant, &id, LONG).unwrap();
    assert_eq!(view.task_result(), expected);
    assert!(!view.task_result().contains("a different group description"));
    let now = runner.export_now(&current, None, &body("")).unwrap();
    assert!(now.content().contains("a different group description"));
}

fn a_panicking_export_fails_its_task_only(store: &Store) {
    let export: ExportFn = Arc::new(|catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
        assert_ne!(request.version(), Some("boom"), "injected fault");
        apig_export::export(catalog, request, settings)
    });
    let runner = store.try_runner(config().with_workers(2).with_export(export)).unwrap();
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    let ids: Vec<(bool, String)> = (0..20)
        .map(|n| {
            let boom = n % 5 == 0;
            let extra = if boom { r#", "version": "boom""# } else { "" };
            (boom, runner.submit(&tenant, &catalog, None, &body(extra)).unwrap())
        })
        .collect();
    for (boom, id) in ids {
        let view = runner.wait(&tenant, &id, LONG).unwrap();
        if boom {
            assert_eq!(view.status(), TaskStatus::Failed);
            assert_eq!(view.task_result(), r#"{"error_code":"APIG.9999","error_msg":"System error"}"#);
        } else {
            assert_eq!(view.status(), TaskStatus::Succeed);
        }
    }
    assert_eq!(runner.stats().live_workers, 2, "workers survive panics");
    let e = runner.export_now(&catalog, None, &body(r#", "version": "boom""#)).unwrap_err();
    assert_eq!(e.error_code(), "APIG.9999");
}

fn finished_tasks_expire_by_time_and_count(store: &Store) {
    let clock = Arc::new(ManualClock::new(clock().now()));
    let runner = store
        .try_runner(
            config()
                .with_workers(1)
                .with_clock(clock.clone())
                .with_retention(Duration::from_secs(60))
                .with_max_retained(10),
        )
        .unwrap();
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    let first = runner.submit(&tenant, &catalog, None, &body("")).unwrap();
    runner.wait(&tenant, &first, LONG).unwrap();
    clock.advance(Duration::from_secs(59));
    assert!(runner.query(&tenant, &first).is_ok(), "still retained");
    clock.advance(Duration::from_secs(1));
    let gone = runner.query(&tenant, &first).unwrap_err();
    assert_eq!(gone.to_string(), format!("404 APIG.3093: The asynchronous task {first} does not exist"));
    // Memory is bounded by the retained count, however many tasks ever ran.
    for _ in 0..300 {
        let id = runner.submit(&tenant, &catalog, None, &body("")).unwrap();
        runner.wait(&tenant, &id, LONG).unwrap();
        assert!(runner.stats().known <= 10 + 1);
    }
    assert!(runner.stats().known <= 10);
}

use apig_export::Clock as _;

/// In this process's store, shutdown ends every task: queued ones fail ([`Shutdown::FailQueued`])
/// or run ([`Shutdown::Drain`]). In a shared store, a node's shutdown ends only what it runs: the
/// waiting tasks stay for the other nodes (the queue is theirs too), and another node finishes
/// them.
fn shutdown_while_busy_joins_every_thread_and_ends_every_task(store: &Store) {
    for mode in [Shutdown::FailQueued, Shutdown::Drain] {
        let gate = Arc::new(Gate::default());
        let runner = store.runner(config().with_workers(3).with_export(gated_export(Arc::clone(&gate))));
        let tenant = Tenant::new("p", "i");
        let catalog = demo();
        let ids: Vec<String> = (0..30).map(|_| runner.submit(&tenant, &catalog, None, &body("")).unwrap()).collect();
        let report = std::thread::scope(|s| {
            let shutting = s.spawn(|| runner.shutdown(mode, LONG));
            if mode == Shutdown::FailQueued && !store.shared() {
                // Queued tasks fail at once; then the three running ones may finish.
                let last = ids.last().unwrap();
                assert_eq!(runner.wait(&tenant, last, LONG).unwrap().status(), TaskStatus::Failed);
            }
            gate.open();
            shutting.join().unwrap()
        });
        assert_eq!(report.joined, 3);
        assert_eq!(runner.stats().live_workers, 0);
        let statuses: Vec<TaskStatus> = ids.iter().map(|id| runner.query(&tenant, id).unwrap().status()).collect();
        if store.shared() {
            // What this node ran succeeded; the rest waits, and another node runs it.
            assert_eq!(report.failed_queued, 0);
            assert!(
                statuses.iter().all(|s| matches!(s, TaskStatus::Succeed | TaskStatus::Waiting)),
                "{mode:?}: {statuses:?}"
            );
            let next = store.again(config().with_workers(2));
            for id in &ids {
                assert_eq!(next.wait(&tenant, id, LONG).unwrap().status(), TaskStatus::Succeed, "{mode:?}");
            }
        } else {
            assert!(statuses.iter().all(|s| s.is_terminal()), "{mode:?}: {statuses:?}");
            match mode {
                Shutdown::Drain => assert!(statuses.iter().all(|s| *s == TaskStatus::Succeed)),
                _ => assert!(
                    report.failed_queued >= 27
                        && statuses.iter().filter(|s| **s == TaskStatus::Failed).count() == report.failed_queued
                ),
            }
        }
        let refused = runner.submit(&tenant, &catalog, None, &body("")).unwrap_err();
        assert_eq!(refused.error_code(), "APIG.9999", "no submissions after shutdown");
    }
}

fn submissions_fail_exactly_as_the_synchronous_export(store: &Store) {
    let runner = store.try_runner(config().with_workers(1)).unwrap();
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    for (oas, raw) in [
        (None, "not json".to_owned()),
        (None, r#"{"group_id": "x"}"#.to_owned()),
        (Some("9"), format!(r#"{{"env_id": "{RELEASE}", "group_id": "{GROUP}", "type": "x"}}"#)),
        (None, format!(r#"{{"env_id": "{RELEASE}", "group_id": "nope"}}"#)),
        (None, format!(r#"{{"env_id": "nope", "group_id": "{GROUP}"}}"#)),
        (None, format!(r#"{{"env_id": "{RELEASE}", "group_id": "{GROUP}", "apis": ["api-draft"]}}"#)),
    ] {
        let sync = apig_export::ExportRequest::parse(oas, raw.as_bytes())
            .and_then(|r| apig_export::export(&catalog, &r, &Settings::default()))
            .unwrap_err();
        assert_eq!(runner.submit(&tenant, &catalog, oas, raw.as_bytes()).unwrap_err(), sync, "{raw}");
        assert_eq!(runner.export_now(&catalog, oas, raw.as_bytes()).unwrap_err(), sync, "{raw}");
    }
    assert_eq!(runner.stats().known, 0, "nothing was accepted");
}

fn replies_are_apig_http_shapes(store: &Store) {
    #[derive(Debug)]
    struct Fixed;
    impl TaskIdSource for Fixed {
        fn next_bytes(&self) -> Result<[u8; 16], ApiError> {
            Ok(*b"\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef")
        }
    }
    let runner = store.try_runner(config().with_workers(1).with_ids(Arc::new(Fixed))).unwrap();
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    let reply = runner.handle_submit(&tenant, &catalog, Some("3.0"), &body(r#", "define": "all""#));
    assert_eq!((reply.status, reply.body.as_str()), (202, r#"{"task_id":"0123456789abcdef0123456789abcdef"}"#));
    let id = "0123456789abcdef0123456789abcdef";
    runner.wait(&tenant, id, LONG).unwrap();
    // A source that repeats an id still known fails the submission instead of spinning.
    let repeated = runner.handle_submit(&tenant, &catalog, None, &body(""));
    assert_eq!((repeated.status, repeated.body), (500, ApiError::system_error().to_json()));
    let reply = runner.handle_query(&tenant, id);
    assert_eq!(reply.status, 200);
    let v: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        v.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["task_id", "task_status", "task_type", "task_result"]
    );
    assert_eq!(
        (v["task_id"].as_str(), v["task_status"].as_str(), v["task_type"].as_str()),
        (Some(id), Some("succeed"), Some("export_api"))
    );
    let result: Value = serde_json::from_str(v["task_result"].as_str().unwrap()).unwrap();
    assert_eq!(result["FileName"], "demo_shop-RELEASE-all-2024-05-06-10:11:12");
    assert_eq!(result["FileType"], ".json");
    assert!(result["Comment"].as_str().unwrap().starts_with("{\n\t\"openapi\": \"3.0.3\""));
    let reply = runner.handle_query(&Tenant::new("p", "other"), id);
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            404,
            r#"{"error_code":"APIG.3093","error_msg":"The asynchronous task 0123456789abcdef0123456789abcdef does not exist"}"#
        )
    );
    let reply = runner.handle_submit(&tenant, &catalog, None, b"[]");
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (400, r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#)
    );
}

fn a_waiting_task_reports_waiting_with_an_empty_result(store: &Store) {
    let gate = Arc::new(Gate::default());
    let runner = store.try_runner(config().with_workers(1).with_export(gated_export(Arc::clone(&gate)))).unwrap();
    let tenant = Tenant::new("p", "i");
    let catalog = demo();
    let first = runner.submit(&tenant, &catalog, None, &body("")).unwrap();
    let second = runner.submit(&tenant, &catalog, None, &body("")).unwrap();
    let view = runner.query(&tenant, &second).unwrap();
    assert_eq!((view.status(), view.task_result()), (TaskStatus::Waiting, ""));
    let first_view = runner.query(&tenant, &first).unwrap();
    assert!(matches!(first_view.status(), TaskStatus::Waiting | TaskStatus::Processing));
    gate.open();
    assert_eq!(runner.wait(&tenant, &second, LONG).unwrap().status(), TaskStatus::Succeed);
}

fn configurations_that_cannot_work_are_refused_by_name(store: &Store) {
    for (config, message) in [
        (config().with_workers(0), "workers must be at least 1, got 0"),
        (config().with_queue_capacity(0), "queue_capacity must be at least 1, got 0"),
        (config().with_tenant_share(0), "tenant_share must be at least 1, got 0"),
        (config().with_max_retained(0), "max_retained must be at least 1, got 0"),
        (config().with_max_retained_bytes(0), "max_retained_bytes must be at least 1, got 0"),
        (config().with_max_queued_bytes(0), "max_queued_bytes must be at least 1, got 0"),
        (
            config().with_retention(Duration::ZERO),
            "retention must be more than zero: finished tasks would never be queryable",
        ),
    ] {
        let e = store.try_runner(config).unwrap_err();
        assert_eq!(e.to_string(), format!("invalid runner configuration: {message}"));
    }
    // A queue of 3 gives each tenant a share of 1.
    let runner = store.try_runner(config().with_queue_capacity(3).with_workers(1)).unwrap();
    runner.shutdown(Shutdown::FailQueued, LONG);
}

fn a_tenant_over_its_share_is_refused_while_others_are_accepted_and_served_in_turn(store: &Store) {
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let order = Arc::new(Mutex::new(Vec::new()));
    let export: ExportFn = {
        let (gate, started, order) = (Arc::clone(&gate), Arc::clone(&started), Arc::clone(&order));
        Arc::new(move |catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
            started.open();
            gate.wait();
            order.lock().unwrap().push(request.version().unwrap_or_default().to_owned());
            apig_export::export(catalog, request, settings)
        })
    };
    let runner = store
        .try_runner(config().with_workers(1).with_queue_capacity(8).with_tenant_share(3).with_export(export))
        .unwrap();
    let catalog = demo();
    let (a, b, c) = (Tenant::new("a", "i"), Tenant::new("b", "i"), Tenant::new("c", "i"));
    let accepted = Mutex::new(Vec::new());
    let submit = |tenant: &Tenant, n: usize| {
        let reply = runner.handle_submit(
            tenant,
            &catalog,
            None,
            &body(&format!(r#", "version": "{}{n}""#, tenant.project_id())),
        );
        if reply.status == 202 {
            let id = serde_json::from_str::<Value>(&reply.body).unwrap()["task_id"].as_str().unwrap().to_owned();
            accepted.lock().unwrap().push((tenant.clone(), id));
        }
        reply
    };
    // The worker takes a0 and waits at the gate; a1..a3 fill a's share of the queue.
    assert_eq!(submit(&a, 0).status, 202);
    started.wait();
    assert_eq!(runner.stats().queued, 0, "the worker took the first task");
    for n in 1..=3 {
        assert_eq!(submit(&a, n).status, 202, "a{n}");
    }
    let refused = submit(&a, 4);
    assert_eq!(
        (refused.status, refused.body.as_str()),
        (429, r#"{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached"}"#)
    );
    // Another tenant is still accepted, up to the whole queue.
    for n in 0..3 {
        assert_eq!(submit(&b, n).status, 202, "b{n}");
    }
    assert_eq!(submit(&c, 0).status, 202);
    assert_eq!(runner.stats().queued, 7);
    assert_eq!(submit(&c, 1).status, 202);
    // Full: 8 waiting. Every tenant is refused now.
    assert_eq!(submit(&c, 2).status, 429);
    assert_eq!(submit(&Tenant::new("d", "i"), 0).status, 429);
    gate.open();
    let accepted = accepted.into_inner().unwrap();
    assert_eq!(accepted.len(), 9);
    for (tenant, id) in &accepted {
        assert_eq!(runner.wait(tenant, id, LONG).unwrap().status(), TaskStatus::Succeed);
    }
    // Workers take the tenants in turn, each tenant's tasks in submission order.
    let order = order.lock().unwrap().clone();
    assert_eq!(order, ["a0", "a1", "b0", "c0", "a2", "b1", "c1", "a3", "b2"]);
}

fn retained_results_are_bounded_in_bytes_oldest_first(store: &Store) {
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    // Bytes held for one result: its task_result as the JSON string the reply carries.
    let (one, text) = {
        let runner = store.try_runner(config().with_workers(1)).unwrap();
        let id = runner.submit(&tenant, &catalog, None, &body(r#", "version": "v""#)).unwrap();
        let view = runner.wait(&tenant, &id, LONG).unwrap();
        (runner.stats().retained_bytes, view.task_result().to_owned())
    };
    assert_eq!(one, serde_json::to_string(&text).unwrap().len(), "counted as held");
    // Room for three results of this size.
    let runner = store.try_runner(config().with_workers(1).with_max_retained_bytes(3 * one + one / 2)).unwrap();
    let ids: Vec<String> = (0..10)
        .map(|_| {
            let id = runner.submit(&tenant, &catalog, None, &body(r#", "version": "v""#)).unwrap();
            assert_eq!(runner.wait(&tenant, &id, LONG).unwrap().status(), TaskStatus::Succeed);
            assert!(runner.stats().retained_bytes <= 3 * one + one / 2);
            id
        })
        .collect();
    let stats = runner.stats();
    assert_eq!((stats.known, stats.retained_bytes), (3, 3 * one));
    for id in &ids[..7] {
        assert_eq!(runner.query(&tenant, id).unwrap_err().error_code(), "APIG.3093", "oldest go first");
    }
    for id in &ids[7..] {
        assert_eq!(runner.query(&tenant, id).unwrap().task_result(), text);
    }
    // A result larger than the whole budget cannot be kept: its task fails, visibly.
    let small = store.try_runner(config().with_workers(1).with_max_retained_bytes(one - 1)).unwrap();
    let id = small.submit(&tenant, &catalog, None, &body("")).unwrap();
    let view = small.wait(&tenant, &id, LONG).unwrap();
    assert_eq!((view.status(), view.task_result()), (TaskStatus::Failed, ApiError::system_error().to_json().as_str()));
    assert_eq!(small.stats().retained_bytes, serde_json::to_string(view.task_result()).unwrap().len());
}

/// Memory store only: it counts the work done under its lock, which a database does not have.
#[test]
fn a_query_shares_the_retained_result_and_copies_nothing_under_the_lock() {
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    let runner = Runner::new(config().with_workers(1)).unwrap();
    let id = finish_one(&runner, &tenant, &catalog, &body(r#", "version": "v""#));
    let text = runner.query(&tenant, &id).unwrap().task_result().to_owned();
    // A query shares the retained result: under the lock it copies nothing and takes a constant
    // number of steps.
    let before = runner.stats();
    let (first, second) = (runner.query(&tenant, &id).unwrap(), runner.query(&tenant, &id).unwrap());
    let after = runner.stats();
    assert_eq!(first.task_result(), text);
    assert_eq!(first, second);
    assert_eq!(after.lock_bytes, before.lock_bytes);
    assert!(after.lock_steps - before.lock_steps <= 2 * 3, "{} steps", after.lock_steps - before.lock_steps);
}

/// Finishes one task of `tenant` with the default export of `body`, and waits for it.
fn finish_one(runner: &Runner, tenant: &Tenant, catalog: &Arc<Catalog>, body: &[u8]) -> String {
    let id = runner.submit(tenant, catalog, None, body).unwrap();
    assert_eq!(runner.wait(tenant, &id, LONG).unwrap().status(), TaskStatus::Succeed);
    id
}

fn a_tenant_that_keeps_finishing_exports_pushes_out_only_its_own_results(store: &Store) {
    let catalog = demo();
    let (busy, quiet) = (Tenant::new("busy", "i"), Tenant::new("quiet", "i"));
    // By count: room for 10 results.
    let runner = store.try_runner(config().with_workers(1).with_max_retained(10)).unwrap();
    let kept: Vec<String> = (0..3).map(|_| finish_one(&runner, &quiet, &catalog, &body(""))).collect();
    let flood: Vec<String> = (0..100).map(|_| finish_one(&runner, &busy, &catalog, &body(""))).collect();
    for id in &kept {
        assert_eq!(
            runner.query(&quiet, id).unwrap().status(),
            TaskStatus::Succeed,
            "the quiet tenant keeps its results"
        );
    }
    // The busy tenant holds the rest, its newest.
    assert_eq!(runner.stats().known, 10);
    assert!(flood[93..].iter().all(|id| runner.query(&busy, id).is_ok()));
    assert!(flood[..93].iter().all(|id| runner.query(&busy, id).is_err()));
    // A tenant holding more than the others loses its oldest first, whoever finishes: once the
    // quiet tenant holds the most, its own oldest go.
    let more: Vec<String> = (0..10).map(|_| finish_one(&runner, &quiet, &catalog, &body(""))).collect();
    assert_eq!(runner.stats().known, 10);
    let held = |tenant: &Tenant, ids: &[String]| ids.iter().filter(|id| runner.query(tenant, id).is_ok()).count();
    assert_eq!((held(&quiet, &kept) + held(&quiet, &more), held(&busy, &flood)), (5, 5), "an equal share each");
    assert!(more[5..].iter().all(|id| runner.query(&quiet, id).is_ok()), "the newest kept");

    // By bytes: room for 4 results of this size.
    let one = finish_one(&runner, &quiet, &catalog, &body(r#", "version": "v""#));
    let one = runner.query(&quiet, &one).unwrap().to_json().len();
    let runner = store.try_runner(config().with_workers(1).with_max_retained_bytes(4 * one)).unwrap();
    let kept: Vec<String> =
        (0..2).map(|_| finish_one(&runner, &quiet, &catalog, &body(r#", "version": "v""#))).collect();
    for _ in 0..50 {
        finish_one(&runner, &busy, &catalog, &body(r#", "version": "v""#));
        assert!(runner.stats().retained_bytes <= 4 * one);
    }
    assert!(kept.iter().all(|id| runner.query(&quiet, id).is_ok()), "the quiet tenant keeps its results");
}

/// Memory store only: it counts the work done under its lock, which a database does not have.
#[test]
fn expiry_takes_a_few_steps_per_result_under_the_lock_whatever_their_size() {
    use apig_export::testkit::synthetic::{catalog as synthetic, ENV_ID, GROUP_ID};
    // Steps and bytes under the lock to expire 300 finished tasks at once, for small and large results.
    let measure = |catalog: Arc<Catalog>, body: &[u8]| {
        let clock = Arc::new(ManualClock::new(clock().now()));
        let runner = Runner::new(
            config()
                .with_workers(1)
                .with_clock(clock.clone())
                .with_retention(Duration::from_secs(60))
                .with_max_retained_bytes(1 << 30),
        )
        .unwrap();
        let tenants: Vec<Tenant> = (0..3).map(|n| Tenant::new(format!("p{n}"), "i")).collect();
        let ids: Vec<(usize, String)> =
            (0..300).map(|n| (n % 3, finish_one(&runner, &tenants[n % 3], &catalog, body))).collect();
        let held = runner.stats().retained_bytes;
        // No worker left to take a step of its own meanwhile; finished tasks stay queryable.
        runner.shutdown(Shutdown::Drain, LONG);
        clock.advance(Duration::from_secs(60));
        let before = runner.stats();
        assert_eq!(runner.query(&tenants[0], &ids[0].1).unwrap_err().error_code(), "APIG.3093");
        let after = runner.stats();
        assert_eq!((after.known, after.retained_bytes), (0, 0));
        (after.lock_steps - before.lock_steps, after.lock_bytes - before.lock_bytes, held)
    };
    let small = measure(demo(), &body(""));
    let large_body = format!(r#"{{"env_id": "{ENV_ID}", "group_id": "{GROUP_ID}", "define": "all"}}"#);
    let large = measure(Arc::new(synthetic(50)), large_body.as_bytes());
    eprintln!("small results: {small:?}; large results: {large:?} (steps, bytes under the lock, bytes held)");
    assert!(large.2 > 10 * small.2, "the large results must be larger for the test to mean anything");
    assert_eq!(small.0, large.0, "the same steps whatever the sizes");
    assert!(small.0 <= 2 * 300 + 4, "two steps per result: {}", small.0);
    assert_eq!((small.1, large.1), (0, 0), "nothing copied or released under the lock");
}

fn synthetic_body() -> Vec<u8> {
    use apig_export::testkit::synthetic::{ENV_ID, GROUP_ID};
    format!(r#"{{"env_id": "{ENV_ID}", "group_id": "{GROUP_ID}"}}"#).into_bytes()
}

/// An export that signals when it starts writing and whose sink blocks until the export is
/// cancelled: shutdown's deadline always finds it running.
fn export_until_cancelled(started: Arc<Gate>) -> ExportFn {
    struct UntilCancelled(apig_export::CancelToken);
    impl std::io::Write for UntilCancelled {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            while !self.0.is_cancelled() {
                std::thread::yield_now();
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    Arc::new(move |catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
        let prepared = apig_export::prepare(catalog, request, settings)?;
        started.open();
        let token = settings.cancel_token().expect("the runner gives every export a token").clone();
        prepared.write_to(&mut UntilCancelled(token)).map_err(|_| ApiError::system_error())?;
        Err(ApiError::system_error())
    })
}

/// In this process's store, the cancelled task and the queued one fail; a shared store hands the
/// cancelled one back to the queue, keeps the queued one, and another node finishes both.
fn shutdown_at_its_deadline_cancels_running_exports(store: &Store) {
    let catalog = Arc::new(apig_export::testkit::synthetic::catalog(200));
    let body = synthetic_body();
    let body = body.as_slice();
    for mode in [Shutdown::Drain, Shutdown::FailQueued] {
        let started = Arc::new(Gate::default());
        let runner = store
            .try_runner(
                config()
                    .with_workers(1)
                    .with_cancel_grace(LONG)
                    .with_export(export_until_cancelled(Arc::clone(&started))),
            )
            .unwrap();
        let tenant = Tenant::new("p", "i");
        let running = runner.submit(&tenant, &catalog, None, body).unwrap();
        let queued = runner.submit(&tenant, &catalog, None, body).unwrap();
        started.wait();
        let report = runner.shutdown(mode, Duration::ZERO);
        let failed_queued = usize::from(!store.shared());
        assert_eq!(
            (report.joined, report.cancelled, report.failed_queued, report.abandoned),
            (1, 1, failed_queued, 0),
            "{mode:?}"
        );
        assert_eq!(runner.stats().live_workers, 0);
        for id in [&running, &queued] {
            let view = runner.query(&tenant, id).unwrap();
            if store.shared() {
                assert_eq!((view.status(), view.task_result()), (TaskStatus::Waiting, ""), "handed back, or kept");
            } else {
                assert_eq!(
                    (view.status(), view.task_result()),
                    (TaskStatus::Failed, ApiError::system_error().to_json().as_str())
                );
            }
        }
        if store.shared() {
            let next = store.again(config().with_workers(1));
            for id in [&running, &queued] {
                assert_eq!(next.wait(&tenant, id, LONG).unwrap().status(), TaskStatus::Succeed, "{mode:?}");
            }
        }
    }
}

/// In this process's store the task of the export left behind fails; a shared store hands it
/// back to the queue, and another node runs it.
fn an_export_that_ignores_cancellation_is_left_behind_after_the_grace(store: &Store) {
    let (gate, started) = (Arc::new(Gate::default()), Arc::new(Gate::default()));
    let export: ExportFn = {
        let (gate, started) = (Arc::clone(&gate), Arc::clone(&started));
        Arc::new(move |catalog: &Catalog, request: &apig_export::ExportRequest, settings: &Settings| {
            started.open();
            gate.wait();
            apig_export::export(catalog, request, settings)
        })
    };
    let runner = store.runner(config().with_workers(2).with_cancel_grace(Duration::ZERO).with_export(export));
    let tenant = Tenant::new("p", "i");
    let id = runner.submit(&tenant, &demo(), None, &body("")).unwrap();
    started.wait();
    let report = runner.shutdown(Shutdown::FailQueued, Duration::ZERO);
    assert_eq!((report.joined, report.cancelled, report.abandoned), (1, 1, 1));
    // The task has ended (or gone back to the shared queue), though its thread is still held at
    // the gate.
    let left = if store.shared() { TaskStatus::Waiting } else { TaskStatus::Failed };
    let view = runner.query(&tenant, &id).unwrap();
    assert_eq!(view.status(), left);
    if !store.shared() {
        assert_eq!(view.task_result(), ApiError::system_error().to_json());
    }
    // Only the first call does anything.
    let again = runner.shutdown(Shutdown::FailQueued, Duration::ZERO);
    assert_eq!((again.joined, again.cancelled, again.abandoned, again.failed_queued), (0, 0, 0, 0));
    gate.open();
    // Once let through, the export's own end does not change the task's.
    assert_eq!(runner.query(&tenant, &id).unwrap().status(), left);
    if store.shared() {
        let next = store.again(config().with_workers(1));
        assert_eq!(next.wait(&tenant, &id, LONG).unwrap().status(), TaskStatus::Succeed);
    }
}

#[test]
fn a_cancelled_export_stops_at_the_next_path_item() {
    // Large enough that the emitter hands the sink several blocks before the end.
    let catalog = apig_export::testkit::synthetic::catalog(2_000);
    let request = apig_export::ExportRequest::parse(None, &synthetic_body()).unwrap();
    let token = apig_export::CancelToken::new();
    let prepared =
        apig_export::prepare(&catalog, &request, &settings(apig_export::Profile::Apig).with_cancel(token.clone()))
            .unwrap();
    let mut whole = Vec::new();
    prepared.write_to(&mut whole).unwrap();
    /// Cancels at the first block it receives, and records what it received.
    struct CancelAtFirstWrite(apig_export::CancelToken, Vec<u8>, usize);
    impl std::io::Write for CancelAtFirstWrite {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.1.extend_from_slice(buf);
            self.2 += 1;
            self.0.cancel();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = CancelAtFirstWrite(token, Vec::new(), 0);
    let err = prepared.write_to(&mut sink).unwrap_err();
    // A cancellation is its own error, not `Interrupted`, which writing loops retry.
    assert_ne!(err.kind(), std::io::ErrorKind::Interrupted);
    assert!(apig_export::Cancelled::is(&err), "{err}");
    assert_eq!(err.to_string(), "export cancelled");
    let paths = |text: &[u8]| text.windows(5).filter(|w| *w == b"\"/svc").count();
    // The first block held some path items; writing stopped at the next one, before the sink
    // received a second block.
    assert_eq!((paths(&whole), sink.2), (2_000, 1));
    assert!(
        paths(&sink.1) < 2_000 && sink.1.len() < whole.len() / 4,
        "{} paths, {} bytes",
        paths(&sink.1),
        sink.1.len()
    );
}

#[test]
fn a_cancellation_is_told_apart_from_the_sink_and_not_retried() {
    let catalog = apig_export::testkit::synthetic::catalog(50);
    let request = apig_export::ExportRequest::parse(None, &synthetic_body()).unwrap();
    let token = apig_export::CancelToken::new();
    let prepared = apig_export::prepare(&catalog, &request, &Settings::default().with_cancel(token.clone())).unwrap();
    // A caller's retrying copy (as `write_all` and `io::copy` do for `Interrupted`) stops at once.
    token.cancel();
    let mut attempts = 0;
    let err = loop {
        attempts += 1;
        match prepared.write_to(&mut Vec::new()) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted && attempts < 10 => continue,
            other => break other.unwrap_err(),
        }
    };
    assert_eq!(attempts, 1);
    assert!(apig_export::Cancelled::is(&err));
    // The sink's own failure is not a cancellation, even with a token.
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "gone"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let fresh = apig_export::CancelToken::new();
    let prepared = apig_export::prepare(&catalog, &request, &Settings::default().with_cancel(fresh)).unwrap();
    let err = prepared.write_to(&mut Broken).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    assert!(!apig_export::Cancelled::is(&err));
}

fn the_query_reply_is_what_serializing_the_view_writes(store: &Store) {
    let runner = store.try_runner(config().with_workers(1)).unwrap();
    let catalog = demo();
    let tenant = Tenant::new("p", "i");
    for (oas, extra) in [(Some("2.0"), r#", "define": "all""#), (Some("3.0"), r#", "type": "yaml""#), (None, "")] {
        let id = runner.submit(&tenant, &catalog, oas, &body(extra)).unwrap();
        let view = runner.wait(&tenant, &id, LONG).unwrap();
        let reply = runner.handle_query(&tenant, &id);
        assert_eq!(reply.body, serde_json::to_string(&view).unwrap());
        let expected = runner.export_now(&catalog, oas, &body(extra)).unwrap().task_result();
        assert_eq!(view.task_result(), expected);
    }
}
