//! Export of a large synthetic group, against two baselines on the same document in the same run:
//! the *floor* (serde_json pretty-printing the document pre-built as a `serde_json::Value`) and the
//! *peer* (serde_yaml serializing that `Value`, what a Rust user would reach for). All three write
//! into a reused in-memory sink; `json-owned` and `floor-owned` are `export` and
//! `serde_json::to_vec_pretty`, each returning freshly allocated bytes.
//!
//! `cargo bench --bench export` runs N = 100, 1,000 and 10,000; `APIG_EXPORT_BENCH_100K=1` adds
//! 100,000. `scripts/bench-report.py` turns criterion's estimates into the BENCHMARKS.md table.

use std::hint::black_box;
use std::time::Duration;

use apig_export::{export, prepare, synthetic, Dialect, ExportRequest, Format, Scope, Settings};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn sizes() -> Vec<usize> {
    let mut sizes = vec![100, 1_000, 10_000];
    if std::env::var_os("APIG_EXPORT_BENCH_100K").is_some() {
        sizes.push(100_000);
    }
    sizes
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    for n in sizes() {
        let catalog = synthetic::catalog(n);
        let mut group = c.benchmark_group(format!("n{n}"));
        group.throughput(Throughput::Elements(n as u64));
        // More samples where they are cheap: the per-API comparison of N = 1,000 with 10,000
        // needs medians that one noisy moment of a shared machine cannot move.
        group.sample_size(if n >= 10_000 { 10 } else { 30 });
        group.warm_up_time(Duration::from_secs(2));
        group.measurement_time(Duration::from_secs(if n >= 10_000 { 10 } else { 5 }));
        for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
            let d = if dialect == Dialect::Swagger2 { "oas2" } else { "oas3" };
            for scope in [Scope::Spec, Scope::All] {
                let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID)
                    .with_dialect(dialect)
                    .with_scope(scope)
                    .with_version("bench")
                    .expect("valid version");
                // Every case writes into one reused buffer, so that each measures serialization work,
                // not how fast the allocator and the kernel hand out tens of MiB of fresh pages.
                let mut sink: Vec<u8> = Vec::new();
                for (format, f) in [(Format::Json, "json"), (Format::Yaml, "yaml")] {
                    let request = request.clone().with_format(format);
                    group.bench_function(BenchmarkId::new(format!("{d}-{scope}"), f), |b| {
                        b.iter(|| {
                            sink.clear();
                            let prepared =
                                prepare(black_box(&catalog), black_box(&request), &settings).expect("export");
                            prepared.write_to(&mut sink).expect("in-memory sink");
                            sink.len()
                        })
                    });
                }
                // The same document as a prebuilt tree (the 2.0 quirk's extra newline is JSON whitespace).
                let json = export(&catalog, &request, &settings).expect("export");
                let tree: serde_json::Value = serde_json::from_str(json.content()).expect("JSON");
                group.bench_function(BenchmarkId::new(format!("{d}-{scope}"), "floor"), |b| {
                    b.iter(|| {
                        sink.clear();
                        serde_json::to_writer_pretty(&mut sink, black_box(&tree)).expect("serialize");
                        sink.len()
                    })
                });
                group.bench_function(BenchmarkId::new(format!("{d}-{scope}"), "peer"), |b| {
                    b.iter(|| {
                        sink.clear();
                        serde_yaml::to_writer(&mut sink, black_box(&tree)).expect("serialize");
                        sink.len()
                    })
                });
                // The owned-result entry points, fresh memory included: `export` and `to_vec_pretty`.
                group.bench_function(BenchmarkId::new(format!("{d}-{scope}"), "json-owned"), |b| {
                    b.iter(|| export(black_box(&catalog), black_box(&request), &settings).expect("export"))
                });
                group.bench_function(BenchmarkId::new(format!("{d}-{scope}"), "floor-owned"), |b| {
                    b.iter(|| serde_json::to_vec_pretty(black_box(&tree)).expect("serialize"))
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
