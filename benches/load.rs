//! Loading a catalog of 10,000 synthetic APIs, against the baseline of parsing the same bytes into
//! a `serde_json::Value` in the same run (`value`): `from_json` (bytes to a validated catalog),
//! `typed` (`serde_json::from_slice::<CatalogData>` alone, the floor of one typed pass) and `new`
//! (`Catalog::new` on the data: the checks and the indexes).
//!
//! `cargo bench --bench load`; `APIG_EXPORT_LOAD_N` sets the number of APIs (default 10,000).

use std::hint::black_box;
use std::time::Duration;

use apig_export::model::CatalogData;
use apig_export::testkit::synthetic;
use apig_export::Catalog;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let n = std::env::var("APIG_EXPORT_LOAD_N").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000usize);
    let data = synthetic::catalog_data(n);
    // The catalog file as a gateway stores it: compact JSON.
    let bytes = serde_json::to_vec(&data).expect("the synthetic catalog serializes");
    let mut group = c.benchmark_group(format!("load-n{n}"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).expect("JSON")))
    });
    group.bench_function("from_json", |b| {
        b.iter(|| black_box(Catalog::from_json(black_box(&bytes)).expect("a valid catalog")))
    });
    group.bench_function("typed", |b| {
        b.iter(|| black_box(serde_json::from_slice::<CatalogData>(black_box(&bytes)).expect("catalog data")))
    });
    group.bench_function("new", |b| {
        b.iter_batched(
            || data.clone(),
            |data| black_box(Catalog::new(data).expect("a valid catalog")),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
