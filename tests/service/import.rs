//! The asynchronous import: the runner's `import_api` tasks with the in-memory store and, with
//! the `postgres` feature, with the PostgreSQL store (two nodes on one database, the server
//! `scripts/with-postgres.sh` starts). The import lands in the catalogs the runner is given;
//! concurrent imports are forced to race through a catalog whose first reads wait for each other.
//! Bounded; no sleeps.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use apig_export::import::{ImportOptions, ImportRequest};
use apig_export::task::{Catalogs, Runner, RunnerConfig, SharedCatalog, Shutdown, TaskStatus, TaskType, Tenant};
use apig_export::testkit::ManualClock;
use apig_export::{ApiError, Catalog, Clock, ExportRequest, Scope, Settings};
use serde_json::Value;

use crate::common::*;
use crate::{Gate, GROUP, RELEASE};

const LONG: Duration = Duration::from_secs(120);

/// A Swagger 2.0 document of mock APIs at `paths` (GET), plus one that names a VPC channel the
/// catalog does not have when `broken`.
pub(crate) fn document(title: &str, paths: &[&str], broken: bool) -> String {
    let mut items: Vec<String> = paths
        .iter()
        .map(|path| {
            let name = path.trim_matches('/').replace(['/', '-'], "_");
            format!(
                r#""{path}": {{"get": {{"operationId": "{name}", "x-apigateway-backend": {{"type": "MOCK", "mockEndpoints": {{"result-content": "from {name}"}}}}}}}}"#
            )
        })
        .collect();
    if broken {
        items.push(
            r#""/broken": {"get": {"operationId": "broken", "x-apigateway-backend": {"type": "HTTP-VPC",
                "httpVpcEndpoints": {"name": "no_such_channel", "scheme": "http", "method": "GET", "path": "/b"}}}}"#
                .to_owned(),
        );
    }
    format!(
        r#"{{"swagger": "2.0", "info": {{"title": "{title}", "version": "1"}}, "paths": {{{}}}}}"#,
        items.join(", ")
    )
}

/// APIG's form: the fields, then the document as the file part.
pub(crate) fn form(fields: &[(&str, &str)], document: &str) -> (String, Vec<u8>) {
    let boundary = "----apig-export-test-7d3f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file_name\"; filename=\"api.json\"\r\nContent-Type: application/json\r\n\r\n{document}\r\n--{boundary}--\r\n")
            .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn into_group(document: &str) -> ImportRequest {
    ImportRequest::new(document.as_bytes(), ImportOptions::new().into_group(GROUP))
}

/// The paths of the group's draft definitions, as a `dev` export of `catalog` writes them.
fn exported_paths(catalog: &Catalog) -> Vec<String> {
    let request = ExportRequest::new(GROUP, RELEASE).with_scope(Scope::Dev);
    let exported = apig_export::export(catalog, &request, &Settings::default()).unwrap();
    let doc: Value = serde_json::from_str(exported.content()).unwrap();
    doc["paths"].as_object().unwrap().keys().cloned().collect()
}

/// Two nodes on the store under test, each with `workers` workers: two runners on one database
/// with the PostgreSQL store; with the in-memory store (one process), one runner with twice the
/// workers, twice.
type Nodes = dyn Fn(RunnerConfig, usize) -> (Arc<Runner>, Arc<Runner>);

/// Runs `test` with the in-memory store and, with the `postgres` feature, with the PostgreSQL
/// store (in the schema `schema`).
fn each_store(schema: &str, test: impl Fn(&Nodes)) {
    test(&|config: RunnerConfig, workers: usize| {
        let runner = Arc::new(Runner::new(config.with_workers(2 * workers)).unwrap());
        (Arc::clone(&runner), runner)
    });
    #[cfg(feature = "postgres")]
    {
        let url = std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
            "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
        );
        let store = apig_export::task::postgres::PostgresConfig::new(url)
            .with_schema(schema)
            .with_lease(Duration::from_millis(300))
            .with_poll(Duration::from_millis(50));
        test(&move |config: RunnerConfig, workers: usize| {
            let node =
                || Arc::new(Runner::new(config.clone().with_workers(workers).with_postgres(store.clone())).unwrap());
            (node(), node())
        });
    }
    #[cfg(not(feature = "postgres"))]
    let _ = schema;
}

#[test]
fn an_import_task_lands_and_answers_apig_s_import_response() {
    each_store("import_lands", |nodes| {
        let catalogs = Arc::new(SharedCatalog::new(catalog("demo")));
        let (a, b) = nodes(RunnerConfig::default().with_catalogs(Arc::clone(&catalogs) as Arc<dyn Catalogs>), 1);
        let tenant = Tenant::new("p1", "i1");
        let doc = document("ignored", &["/imported/one", "/imported/two"], true);
        let (content_type, body) = form(&[("is_create_group", "false"), ("group_id", GROUP)], &doc);
        let reply = a.handle_import_submit(&tenant, Some(&content_type), &body);
        assert_eq!(reply.status, 202, "{}", reply.body);
        let id = serde_json::from_str::<Value>(&reply.body).unwrap()["task_id"].as_str().unwrap().to_owned();
        // Queried on the other node: the same task.
        let view = b.wait(&tenant, &id, LONG).expect("the task ends");
        assert_eq!(
            (view.task_type(), view.status()),
            (TaskType::Import, TaskStatus::Succeed),
            "{}",
            view.task_result()
        );
        let result: Value = serde_json::from_str(view.task_result()).unwrap();
        assert_eq!(result["group_id"], GROUP);
        let success: Vec<&str> =
            result["success"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
        assert_eq!(success, ["/imported/one", "/imported/two"]);
        assert!(result["success"].as_array().unwrap().iter().all(|s| s["action"] == "create" && s["method"] == "GET"));
        // One API fails on its own, with APIG's code; the rest land.
        let failure = result["failure"].as_array().unwrap();
        assert_eq!(failure.len(), 1, "{result}");
        assert_eq!(
            (failure[0]["path"].as_str(), failure[0]["error_code"].as_str()),
            (Some("/broken"), Some("APIG.3023"))
        );
        assert_eq!(result["swagger"]["result"], "Success");
        // The same result as the synchronous import into the catalog as it was.
        let sync =
            apig_export::import::import(&catalog("demo"), doc.as_bytes(), &ImportOptions::new().into_group(GROUP))
                .unwrap();
        assert_eq!(view.task_result(), sync.response().to_json());
        // The reply is APIG's, with the import's task type, on both nodes.
        let reply = a.handle_query(&tenant, &id);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, serde_json::to_string(&view).unwrap());
        assert_eq!(reply.body, b.handle_query(&tenant, &id).body);
        let body: Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!((body["task_type"].as_str(), body["task_status"].as_str()), (Some("import_api"), Some("succeed")));
        // Other tenants see nothing.
        for other in [Tenant::new("p2", "i1"), Tenant::new("p1", "i2")] {
            let e = b.query(&other, &id).unwrap_err();
            assert_eq!((e.status(), e.error_code()), (404, "APIG.3093"));
        }
        // The catalog was replaced once; an export from it writes the imported APIs.
        assert_eq!(catalogs.version(), 1);
        let paths = exported_paths(&catalogs.catalog());
        assert!(paths.iter().any(|p| p == "/imported/one") && paths.iter().any(|p| p == "/imported/two"), "{paths:?}");
        assert!(!paths.iter().any(|p| p == "/broken"));
        // Exports keep their own type.
        let export = a.submit(&tenant, &catalogs.catalog(), None, crate::body("").as_slice()).unwrap();
        assert_eq!(b.wait(&tenant, &export, LONG).unwrap().task_type(), TaskType::Export);
        a.shutdown(Shutdown::Drain, LONG);
        b.shutdown(Shutdown::Drain, LONG);
    });
}

#[test]
fn a_refused_document_fails_its_task_with_apig_s_error_and_changes_nothing() {
    each_store("import_refused", |nodes| {
        let catalogs = Arc::new(SharedCatalog::new(catalog("demo")));
        let (runner, _) = nodes(RunnerConfig::default().with_catalogs(Arc::clone(&catalogs) as Arc<dyn Catalogs>), 1);
        let tenant = Tenant::new("p1", "i1");
        let cases: Vec<(ImportRequest, &str)> = vec![
            (into_group(""), "APIG.3609"),
            (into_group("{\"swagger\": [1,"), "APIG.3600"),
            (into_group(r#"{"swagger": "1.2", "paths": {}}"#), "APIG.3602"),
            // A new group named as the demo's existing group.
            (ImportRequest::new(document("demo_shop", &["/x"], false).into_bytes(), ImportOptions::new()), "APIG.3201"),
            (
                ImportRequest::new(document("t", &["/x"], false).into_bytes(), ImportOptions::new().into_group("nope")),
                "APIG.3001",
            ),
        ];
        let mut many = apig_export::import::Limits::default();
        many.max_apis = 1;
        let too_many = ImportRequest::new(
            document("t", &["/x", "/y"], false).into_bytes(),
            ImportOptions::new().with_limits(many),
        );
        for (request, code) in cases.into_iter().chain([(too_many, "APIG.3127")]) {
            let expected = runner.import_now(&tenant, &request).unwrap_err();
            assert_eq!(expected.error_code(), code);
            let id = runner.submit_import(&tenant, request).unwrap();
            let view = runner.wait(&tenant, &id, LONG).unwrap();
            assert_eq!((view.task_type(), view.status()), (TaskType::Import, TaskStatus::Failed));
            assert_eq!(view.task_result(), expected.to_json(), "{code}");
        }
        assert_eq!(catalogs.version(), 0, "no refused document changes the catalog");
        // A form the endpoint cannot use is refused at submission, with APIG's error.
        let (content_type, _) = form(&[], "");
        let reply = runner.handle_import_submit(&tenant, Some(&content_type), b"--nothing");
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (400, r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#)
        );
        let reply = runner.handle_import_submit(
            &tenant,
            Some("application/json"),
            br#"{"is_create_group": "false", "file_name": "{}"}"#,
        );
        assert_eq!(reply.status, 400);
        assert!(reply.body.contains("APIG.2001") && reply.body.contains("group_id"), "{}", reply.body);
        runner.shutdown(Shutdown::Drain, LONG);
    });
}

/// Catalogs whose first two reads wait for each other before either import replaces the
/// catalog: the two imports race on one version. Counts the replaces refused.
#[derive(Debug)]
struct Racing<C> {
    inner: C,
    race: Arc<Race>,
}

/// What racing catalogs share: the barrier of the first two reads, and the count of replaces
/// refused.
#[derive(Debug)]
struct Race {
    barrier: Barrier,
    reads: AtomicUsize,
    refused: AtomicUsize,
}

impl Race {
    fn new() -> Arc<Race> {
        Arc::new(Race { barrier: Barrier::new(2), reads: AtomicUsize::new(0), refused: AtomicUsize::new(0) })
    }
}

impl Racing<SharedCatalog> {
    fn new(catalog: Catalog) -> Racing<SharedCatalog> {
        Racing { inner: SharedCatalog::new(catalog), race: Race::new() }
    }
}

impl<C: Catalogs> Catalogs for Racing<C> {
    fn current(&self, tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError> {
        let read = self.inner.current(tenant);
        if self.race.reads.fetch_add(1, Ordering::SeqCst) < 2 {
            self.race.barrier.wait();
        }
        read
    }

    fn replace(&self, tenant: &Tenant, version: u64, catalog: Catalog) -> Result<Option<u64>, ApiError> {
        let replaced = self.inner.replace(tenant, version, catalog)?;
        if replaced.is_none() {
            self.race.refused.fetch_add(1, Ordering::SeqCst);
        }
        Ok(replaced)
    }
}

#[test]
fn two_concurrent_imports_into_one_catalog_both_land_or_one_fails_cleanly() {
    each_store("import_race", |nodes| {
        // Two nodes (one worker each) share the catalogs: each runs one import.
        let tenant = Tenant::new("p1", "i1");
        let race = |first: ImportRequest, second: ImportRequest| {
            let racing = Arc::new(Racing::new(catalog("demo")));
            let (a, b) = nodes(RunnerConfig::default().with_catalogs(Arc::clone(&racing) as Arc<dyn Catalogs>), 1);
            let ids = [a.submit_import(&tenant, first).unwrap(), b.submit_import(&tenant, second).unwrap()];
            let views: Vec<_> = ids.iter().map(|id| a.wait(&tenant, id, LONG).unwrap()).collect();
            a.shutdown(Shutdown::Drain, LONG);
            b.shutdown(Shutdown::Drain, LONG);
            assert_eq!(racing.race.refused.load(Ordering::SeqCst), 1, "one replace lost the race and ran again");
            (racing, views)
        };
        // Different APIs into the demo group: both land, neither loses the other's.
        let (racing, views) =
            race(into_group(&document("a", &["/left"], false)), into_group(&document("b", &["/right"], false)));
        assert!(
            views.iter().all(|v| v.status() == TaskStatus::Succeed),
            "{:?}",
            views.iter().map(|v| v.task_result()).collect::<Vec<_>>()
        );
        assert_eq!(racing.inner.version(), 2);
        let paths = exported_paths(&racing.inner.catalog());
        assert!(paths.iter().any(|p| p == "/left") && paths.iter().any(|p| p == "/right"), "{paths:?}");
        // Two new groups of one name: one lands, the other fails with APIG.3201 on the catalog
        // the first made.
        let new_group = || ImportRequest::new(document("twins", &["/t"], false).into_bytes(), ImportOptions::new());
        let (racing, views) = race(new_group(), new_group());
        let mut outcomes: Vec<(TaskStatus, String)> =
            views.iter().map(|v| (v.status(), v.task_result().to_owned())).collect();
        outcomes.sort_by_key(|(status, _)| *status == TaskStatus::Failed);
        assert_eq!(outcomes[0].0, TaskStatus::Succeed);
        assert_eq!(outcomes[1].0, TaskStatus::Failed);
        assert!(outcomes[1].1.contains("APIG.3201"), "{}", outcomes[1].1);
        assert_eq!(racing.inner.version(), 1);
        assert_eq!(racing.inner.catalog().data().groups.iter().filter(|g| g.name == "twins").count(), 1);
    });
}

/// Catalogs whose reads count the imports started and wait at a gate.
struct Gated {
    inner: SharedCatalog,
    gate: Arc<Gate>,
    started: (std::sync::Mutex<usize>, std::sync::Condvar),
}

impl std::fmt::Debug for Gated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gated")
    }
}

impl Gated {
    /// The demo catalog behind a closed gate, and the gate.
    fn demo() -> (Arc<Gated>, Arc<Gate>) {
        let gate = Arc::new(Gate::default());
        let gated =
            Gated { inner: SharedCatalog::new(catalog("demo")), gate: Arc::clone(&gate), started: Default::default() };
        (Arc::new(gated), gate)
    }

    /// Blocks until `n` imports have started.
    fn started(&self, n: usize) {
        let (count, changed) = &self.started;
        drop(changed.wait_while(count.lock().unwrap(), |count| *count < n).unwrap());
    }
}

impl Catalogs for Gated {
    fn current(&self, tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError> {
        *self.started.0.lock().unwrap() += 1;
        self.started.1.notify_all();
        self.gate.wait();
        self.inner.current(tenant)
    }

    fn replace(&self, tenant: &Tenant, version: u64, catalog: Catalog) -> Result<Option<u64>, ApiError> {
        self.inner.replace(tenant, version, catalog)
    }
}

#[test]
fn imports_share_the_exports_queue_tenant_share_and_retention() {
    // The in-memory store, with a clock the test moves (the PostgreSQL store dates with the
    // database's clock; its retention is tested for exports).
    let clock = Arc::new(ManualClock::new(clock().now()));
    let (gated, gate) = Gated::demo();
    let runner = Runner::new(
        RunnerConfig::default()
            .with_workers(1)
            .with_queue_capacity(2)
            .with_tenant_share(1)
            .with_retention(Duration::from_secs(60))
            .with_clock(clock.clone())
            .with_catalogs(Arc::clone(&gated) as Arc<dyn Catalogs>),
    )
    .unwrap();
    let (tenant, other) = (Tenant::new("p1", "i1"), Tenant::new("p2", "i1"));
    // The worker holds the first import at the gate; the second waits: the tenant's share.
    let first = runner.submit_import(&tenant, into_group(&document("a", &["/one"], false))).unwrap();
    gated.started(1);
    let second = runner.submit_import(&tenant, into_group(&document("b", &["/two"], false))).unwrap();
    let e = runner.submit_import(&tenant, into_group(&document("c", &["/three"], false))).unwrap_err();
    assert_eq!((e.status(), e.error_code()), (429, "APIG.0308"));
    let e = runner.submit(&tenant, &gated.inner.catalog(), None, &crate::body("")).unwrap_err();
    assert_eq!(e.error_code(), "APIG.0308", "an export counts in the same share");
    // Another tenant takes the last place in the queue.
    let third = runner.submit(&other, &gated.inner.catalog(), None, &crate::body("")).unwrap();
    let e = runner.submit_import(&other, into_group(&document("d", &["/four"], false))).unwrap_err();
    assert_eq!(e.error_code(), "APIG.0308", "the queue is full");
    gate.open();
    for (who, id) in [(&tenant, &first), (&tenant, &second), (&other, &third)] {
        assert_eq!(runner.wait(who, id, LONG).unwrap().status(), TaskStatus::Succeed);
    }
    assert_eq!(gated.inner.version(), 2);
    // Retained until the retention passes, then gone like an export's.
    assert!(runner.query(&tenant, &first).is_ok());
    clock.advance(Duration::from_secs(61));
    for (who, id) in [(&tenant, &first), (&tenant, &second), (&other, &third)] {
        assert_eq!(runner.query(who, id).unwrap_err().error_code(), "APIG.3093");
    }
    runner.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn without_catalogs_an_import_is_refused_at_submission() {
    let runner = Runner::new(RunnerConfig::default().with_workers(1)).unwrap();
    let tenant = Tenant::new("p1", "i1");
    let e = runner.submit_import(&tenant, into_group(&document("a", &["/one"], false))).unwrap_err();
    assert_eq!((e.status(), e.error_code()), (500, "APIG.9999"));
    assert_eq!(runner.stats().known, 0);
    runner.shutdown(Shutdown::Drain, LONG);
}

#[cfg(feature = "postgres")]
#[test]
fn two_nodes_with_their_own_postgres_catalog_race_and_both_imports_land() {
    use apig_export::task::postgres::{PostgresCatalog, PostgresConfig};
    let url = std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
        "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
    );
    let store = PostgresConfig::new(url).with_schema("import_catalog").with_poll(Duration::from_millis(50));
    let seed = catalog("demo");
    let race = Race::new();
    // Each node reads and writes the database through its own PostgresCatalog, as two processes do.
    let node = || {
        let own = PostgresCatalog::open(&store, "race", &seed).unwrap();
        let racing = Arc::new(Racing { inner: own, race: Arc::clone(&race) });
        let config = RunnerConfig::default().with_workers(1).with_postgres(store.clone()).with_catalogs(racing);
        Runner::new(config).unwrap()
    };
    let (a, b) = (node(), node());
    let tenant = Tenant::new("p1", "i1");
    let ids = [
        a.submit_import(&tenant, into_group(&document("a", &["/left"], false))).unwrap(),
        b.submit_import(&tenant, into_group(&document("b", &["/right"], false))).unwrap(),
    ];
    for id in &ids {
        let view = b.wait(&tenant, id, LONG).unwrap();
        assert_eq!(view.status(), TaskStatus::Succeed, "{}", view.task_result());
    }
    assert_eq!(race.refused.load(Ordering::SeqCst), 1, "one replace lost the race and ran again");
    // A third process opening the catalog with another seed finds the database's: both imports.
    let empty = Catalog::new(Default::default()).unwrap();
    let third = PostgresCatalog::open(&store, "race", &empty).unwrap();
    let (version, now) = third.current(&tenant).unwrap();
    assert_eq!(version, 2);
    let paths = exported_paths(&now);
    assert!(paths.iter().any(|p| p == "/left") && paths.iter().any(|p| p == "/right"), "{paths:?}");
    // Another name is another catalog, seeded.
    let other = PostgresCatalog::open(&store, "other", &empty).unwrap();
    assert_eq!(other.current(&tenant).unwrap().1.data().groups.len(), 0);
    a.shutdown(Shutdown::Drain, LONG);
    b.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn a_queued_import_fails_at_shutdown_and_a_running_one_still_lands() {
    let (gated, gate) = Gated::demo();
    let runner =
        Runner::new(RunnerConfig::default().with_workers(1).with_catalogs(Arc::clone(&gated) as Arc<dyn Catalogs>))
            .unwrap();
    let tenant = Tenant::new("p1", "i1");
    let running = runner.submit_import(&tenant, into_group(&document("a", &["/one"], false))).unwrap();
    gated.started(1);
    let queued = runner.submit_import(&tenant, into_group(&document("b", &["/two"], false))).unwrap();
    std::thread::scope(|s| {
        let stopping = s.spawn(|| runner.shutdown(Shutdown::FailQueued, LONG));
        // The queued import fails at once, with APIG's system error, and never runs.
        let view = runner.wait(&tenant, &queued, LONG).unwrap();
        assert_eq!((view.task_type(), view.status()), (TaskType::Import, TaskStatus::Failed));
        assert_eq!(view.task_result(), ApiError::system_error().to_json());
        // The running one, before the deadline, finishes and lands.
        gate.open();
        let report = stopping.join().unwrap();
        assert_eq!((report.failed_queued, report.cancelled), (1, 0));
    });
    assert_eq!(runner.query(&tenant, &running).unwrap().status(), TaskStatus::Succeed);
    assert_eq!(gated.inner.version(), 1);
    let paths = exported_paths(&gated.inner.catalog());
    assert!(paths.iter().any(|p| p == "/one") && !paths.iter().any(|p| p == "/two"), "{paths:?}");
}

/// Catalogs that some other writer always changes first: every replace is refused.
#[derive(Debug)]
struct AlwaysChanged {
    inner: SharedCatalog,
    replaces: AtomicUsize,
}

impl Catalogs for AlwaysChanged {
    fn current(&self, tenant: &Tenant) -> Result<(u64, Arc<Catalog>), ApiError> {
        self.inner.current(tenant)
    }

    fn replace(&self, _tenant: &Tenant, _version: u64, _catalog: Catalog) -> Result<Option<u64>, ApiError> {
        self.replaces.fetch_add(1, Ordering::SeqCst);
        Ok(None)
    }
}

#[test]
fn an_import_that_keeps_losing_the_race_gives_up_after_bounded_rounds() {
    let catalogs =
        Arc::new(AlwaysChanged { inner: SharedCatalog::new(catalog("demo")), replaces: AtomicUsize::new(0) });
    let runner =
        Runner::new(RunnerConfig::default().with_workers(1).with_catalogs(Arc::clone(&catalogs) as Arc<dyn Catalogs>))
            .unwrap();
    let tenant = Tenant::new("p1", "i1");
    let e = runner.import_now(&tenant, &into_group(&document("a", &["/one"], false))).unwrap_err();
    assert_eq!((e.status(), e.error_code()), (500, "APIG.9999"));
    assert_eq!(catalogs.replaces.load(Ordering::SeqCst), 16);
    let id = runner.submit_import(&tenant, into_group(&document("a", &["/one"], false))).unwrap();
    let view = runner.wait(&tenant, &id, LONG).unwrap();
    assert_eq!((view.status(), view.task_result()), (TaskStatus::Failed, ApiError::system_error().to_json().as_str()));
    assert_eq!(catalogs.replaces.load(Ordering::SeqCst), 32);
    assert_eq!(catalogs.inner.version(), 0);
    runner.shutdown(Shutdown::Drain, LONG);
}

#[test]
fn waiting_imports_documents_are_bounded_per_tenant_and_released_once_they_run() {
    each_store("import_bytes", |nodes| {
        let (held, gate) = Gated::demo();
        // 60,000 bytes in all; a tenant's share is 2 of the 8 places, so 15,000 bytes of them.
        let config = RunnerConfig::default()
            .with_queue_capacity(8)
            .with_tenant_share(2)
            .with_max_queued_bytes(60_000)
            .with_catalogs(Arc::clone(&held) as Arc<dyn Catalogs>);
        let (a, b) = nodes(config, 1);
        // About 10,000 bytes each (the padding is JSON whitespace): one fits in a share, two do not.
        let big = |title: &str, path: &str| into_group(&(document(title, &[path], false) + &" ".repeat(10_000)));
        // Both workers are held by another tenant's imports, so what follows waits.
        let (blocker, tenant, other) = (Tenant::new("p0", "i1"), Tenant::new("p1", "i1"), Tenant::new("p2", "i1"));
        let blockers = [
            a.submit_import(&blocker, into_group(&document("x", &["/x"], false))).unwrap(),
            b.submit_import(&blocker, into_group(&document("y", &["/y"], false))).unwrap(),
        ];
        held.started(2);
        let first = a.submit_import(&tenant, big("a", "/a")).unwrap();
        // The tenant has a place left in its share of the queue, but not the bytes.
        let e = b.submit_import(&tenant, big("b", "/b")).unwrap_err();
        assert_eq!((e.status(), e.error_code()), (429, "APIG.0308"));
        assert!(
            e.error_msg().contains("60000 bytes") && e.error_msg().contains("15000 per tenant"),
            "{}",
            e.error_msg()
        );
        // An export holds no document: it takes the tenant's last place.
        let export = a.submit(&tenant, &held.inner.catalog(), None, &crate::body("")).unwrap();
        // Another tenant's document is still accepted.
        let second = b.submit_import(&other, big("c", "/c")).unwrap();
        gate.open();
        for (who, id) in [
            (&blocker, &blockers[0]),
            (&blocker, &blockers[1]),
            (&tenant, &first),
            (&tenant, &export),
            (&other, &second),
        ] {
            assert_eq!(a.wait(who, id, LONG).unwrap().status(), TaskStatus::Succeed, "{id}");
        }
        // The documents were released as their imports ran: the tenant's next one is accepted.
        let again = b.submit_import(&tenant, big("d", "/d")).unwrap();
        assert_eq!(a.wait(&tenant, &again, LONG).unwrap().status(), TaskStatus::Succeed);
        let paths = exported_paths(&held.inner.catalog());
        for path in ["/x", "/y", "/a", "/c", "/d"] {
            assert!(paths.iter().any(|p| p == path), "{path} in {paths:?}");
        }
        assert!(!paths.iter().any(|p| p == "/b"), "{paths:?}");
        a.shutdown(Shutdown::Drain, LONG);
        b.shutdown(Shutdown::Drain, LONG);
    });
}
