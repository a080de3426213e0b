//! The asynchronous export end to end: tasks per second from submission to the last result, and
//! the latency of queries while gateway nodes export, for the in-memory store and the PostgreSQL
//! store. The baseline in the same run is the same exports run synchronously (`sync`), so each
//! store's figure reads as a ratio to the export's own cost.
//!
//! - `tasks-small`: 100 tasks per iteration on the demo catalog (`spec`, JSON).
//! - `tasks-1000`: 4 tasks per iteration, `all` of a 1,000-API group.
//! - `query`: one query of a finished task while two nodes (runners) keep exporting 1,000-API
//!   groups; p50 and p99 over every query timed are printed after the group.
//!
//! `cargo bench --bench tasks` measures the memory store; the PostgreSQL store is measured too
//! when built with `--features postgres` and `APIG_EXPORT_POSTGRES_URL` names a database:
//! `scripts/with-postgres.sh cargo bench --features postgres --bench tasks`.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apig_export::task::{Runner, RunnerConfig, Shutdown, Tenant};
use apig_export::testkit::synthetic;
use apig_export::Catalog;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const LONG: Duration = Duration::from_secs(600);

/// Two nodes of one store, `workers` each: in memory one runner with as many workers, named
/// twice (one process); with PostgreSQL two runners on one database.
fn nodes(store: &str, schema: &str, workers: usize) -> Vec<Arc<Runner>> {
    let config =
        |workers| RunnerConfig::default().with_workers(workers).with_queue_capacity(4096).with_tenant_share(4096);
    match store {
        "memory" => {
            // As many workers as the two nodes have together.
            let runner = Arc::new(Runner::new(config(2 * workers)).expect("runner"));
            vec![Arc::clone(&runner), runner]
        }
        #[cfg(feature = "postgres")]
        _ => {
            let url = std::env::var("APIG_EXPORT_POSTGRES_URL").expect("APIG_EXPORT_POSTGRES_URL");
            let store = || apig_export::task::postgres::PostgresConfig::new(url.clone()).with_schema(schema);
            (0..2).map(|_| Arc::new(Runner::new(config(workers).with_postgres(store())).expect("runner"))).collect()
        }
        #[cfg(not(feature = "postgres"))]
        _ => unreachable!("{schema}: no PostgreSQL store in this build"),
    }
}

fn stores() -> Vec<&'static str> {
    let mut stores = vec!["memory"];
    if cfg!(feature = "postgres") && std::env::var_os("APIG_EXPORT_POSTGRES_URL").is_some() {
        stores.push("postgres");
    }
    stores
}

/// Submits `n` tasks alternately on the two nodes and waits for each on the other one.
fn run_tasks(nodes: &[Arc<Runner>], tenant: &Tenant, catalog: &Arc<Catalog>, body: &[u8], n: usize) {
    let ids: Vec<String> =
        (0..n).map(|i| nodes[i % 2].submit(tenant, catalog, None, body).expect("accepted")).collect();
    for (i, id) in ids.iter().enumerate() {
        black_box(nodes[(i + 1) % 2].wait(tenant, id, LONG).expect("ends"));
    }
}

fn throughput(c: &mut Criterion, name: &str, catalog: Arc<Catalog>, body: &[u8], n: usize) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    let sync = Runner::new(RunnerConfig::default().with_workers(1)).expect("runner");
    group.bench_function("sync", |b| {
        b.iter(|| (0..n).for_each(|_| drop(black_box(sync.export_now(&catalog, None, body).expect("export")))))
    });
    for store in stores() {
        let nodes = nodes(store, &format!("bench_{}", name.replace('-', "_")), 2);
        let tenant = Tenant::new("bench", "i1");
        group.bench_function(store, |b| b.iter(|| run_tasks(&nodes, &tenant, &catalog, body, n)));
        nodes[0].shutdown(Shutdown::Drain, LONG);
        nodes[1].shutdown(Shutdown::Drain, LONG);
    }
    group.finish();
}

fn body_of(group: &str, env: &str, define: &str) -> Vec<u8> {
    format!(r#"{{"env_id": "{env}", "group_id": "{group}", "define": "{define}"}}"#).into_bytes()
}

fn tasks(c: &mut Criterion) {
    let demo = Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json").expect("demo catalog")).expect("valid");
    let small = body_of("f1e2d3c4b5a697887766554433221100", "DEFAULT_ENVIRONMENT_RELEASE_ID", "spec");
    throughput(c, "tasks-small", Arc::new(demo), &small, 100);
    let large = body_of(synthetic::GROUP_ID, synthetic::ENV_ID, "all");
    throughput(c, "tasks-1000", Arc::new(synthetic::catalog(1_000)), &large, 4);
}

// Each query is timed on its own, for the percentiles: a bench measures time.
#[allow(clippy::disallowed_methods)]
fn queries(c: &mut Criterion) {
    let demo = Arc::new(
        Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json").expect("demo catalog")).expect("valid"),
    );
    let small = body_of("f1e2d3c4b5a697887766554433221100", "DEFAULT_ENVIRONMENT_RELEASE_ID", "spec");
    let large_catalog = Arc::new(synthetic::catalog(1_000));
    let large = body_of(synthetic::GROUP_ID, synthetic::ENV_ID, "all");
    let mut group = c.benchmark_group("query");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for store in stores() {
        let nodes = nodes(store, "bench_query", 1);
        let tenant = Tenant::new("bench", "i1");
        let id = nodes[0].submit(&tenant, &demo, None, &small).expect("accepted");
        nodes[1].wait(&tenant, &id, LONG).expect("ends");
        // Both nodes export 1,000-API groups meanwhile: a feeder keeps a few queued.
        let stop = AtomicBool::new(false);
        let timings = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            s.spawn(|| {
                let loader = Tenant::new("loader", "i1");
                let mut pending = std::collections::VecDeque::new();
                while !stop.load(Ordering::SeqCst) {
                    if pending.len() < 4 {
                        if let Ok(id) = nodes[pending.len() % 2].submit(&loader, &large_catalog, None, &large) {
                            pending.push_back(id);
                        }
                    } else if let Some(id) = pending.pop_front() {
                        drop(nodes[0].wait(&loader, &id, LONG));
                    }
                }
            });
            group.bench_function(store, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    let mut taken = Vec::new();
                    for i in 0..iters {
                        let start = std::time::Instant::now();
                        black_box(nodes[(i % 2) as usize].handle_query(&tenant, &id));
                        let elapsed = start.elapsed();
                        taken.push(elapsed);
                        total += elapsed;
                    }
                    timings.lock().expect("timings").extend(taken);
                    total
                })
            });
            stop.store(true, Ordering::SeqCst);
        });
        let mut timings = timings.into_inner().expect("timings");
        timings.sort();
        let at = |p: usize| timings.get(timings.len() * p / 100).copied().unwrap_or_default();
        println!("query/{store}: {} queries timed, p50 {:?}, p99 {:?}", timings.len(), at(50), at(99));
        nodes[0].shutdown(Shutdown::FailQueued, LONG);
        nodes[1].shutdown(Shutdown::FailQueued, LONG);
    }
    group.finish();
}

criterion_group!(benches, tasks, queries);
criterion_main!(benches);
