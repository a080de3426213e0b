//! Export of a large synthetic group, against two baselines on the same document in the same run:
//! the *floor* (serde_json pretty-printing the document pre-built as a `serde_json::Value`) and the
//! *peer* (serde_yaml serializing that `Value`, what a Rust user would reach for). All three write
//! into a reused in-memory sink; `json-owned` and `floor-owned` are `export` and
//! `serde_json::to_vec_pretty`, each returning freshly allocated bytes.
//!
//! Two more cases measure the sink: `json-file` writes the same export into an unbuffered `File`
//! in a temporary folder (rewound, not truncated, before each export: the same bytes overwrite
//! the same pages), and `json-2threads` runs two exports at once on two threads, each into its
//! own reused `Vec` (the two sinks side by side in one vector; thread start-up included).
//!
//! Throughput is the document's size in bytes, so criterion reports MB/s beside the times.
//!
//! `cargo bench --bench export` runs N = 100, 1,000 and 10,000; `APIG_EXPORT_BENCH_100K=1` adds
//! 100,000. `scripts/bench-report.py` turns criterion's estimates into the BENCHMARKS.md table.

use std::fs::File;
use std::hint::black_box;
use std::io::{Seek, Write};
use std::time::Duration;

use apig_export::testkit::synthetic;
use apig_export::{export, prepare, Dialect, ExportRequest, Format, Scope, Settings};
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
    let dir = std::env::temp_dir().join(format!("apig-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    for n in sizes() {
        let catalog = synthetic::catalog(n);
        let mut group = c.benchmark_group(format!("n{n}"));
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
                // Throughput: the bytes each case writes (the floor's 2-space indentation included).
                let mut sink: Vec<u8> = Vec::new();
                let case = |f: &str| BenchmarkId::new(format!("{d}-{scope}"), f);
                for (format, f) in [(Format::Json, "json"), (Format::Yaml, "yaml")] {
                    let request = request.clone().with_format(format);
                    let len = export(&catalog, &request, &settings).expect("export").content().len();
                    group.throughput(Throughput::Bytes(len as u64));
                    group.bench_function(case(f), |b| {
                        b.iter(|| {
                            sink.clear();
                            let prepared =
                                prepare(black_box(&catalog), black_box(&request), &settings).expect("export");
                            prepared.write_to(&mut sink).expect("in-memory sink");
                            sink.len()
                        })
                    });
                }
                let json = export(&catalog, &request, &settings).expect("export");
                let json_len = json.content().len() as u64;
                // The JSON export into an unbuffered file.
                group.throughput(Throughput::Bytes(json_len));
                let mut file = File::create(dir.join(format!("n{n}-{d}-{scope}.json"))).expect("temporary file");
                group.bench_function(case("json-file"), |b| {
                    b.iter(|| {
                        file.rewind().expect("rewind");
                        let prepared = prepare(black_box(&catalog), black_box(&request), &settings).expect("export");
                        prepared.write_to(&mut file).expect("file sink");
                    })
                });
                file.flush().expect("flush");
                // Two JSON exports at once, on two threads, into two sinks side by side.
                group.throughput(Throughput::Bytes(2 * json_len));
                let mut sinks: Vec<Vec<u8>> = vec![Vec::new(), Vec::new()];
                group.bench_function(case("json-2threads"), |b| {
                    b.iter(|| {
                        std::thread::scope(|threads| {
                            for sink in sinks.iter_mut() {
                                let (catalog, request, settings) = (&catalog, &request, &settings);
                                threads.spawn(move || {
                                    sink.clear();
                                    let prepared =
                                        prepare(black_box(catalog), black_box(request), settings).expect("export");
                                    prepared.write_to(sink).expect("in-memory sink");
                                });
                            }
                        });
                    })
                });
                // The same document as a prebuilt tree (the 2.0 quirk's extra newline is JSON whitespace).
                let tree: serde_json::Value = serde_json::from_str(json.content()).expect("JSON");
                let floor_len = serde_json::to_vec_pretty(&tree).expect("serialize").len() as u64;
                group.throughput(Throughput::Bytes(floor_len));
                group.bench_function(case("floor"), |b| {
                    b.iter(|| {
                        sink.clear();
                        serde_json::to_writer_pretty(&mut sink, black_box(&tree)).expect("serialize");
                        sink.len()
                    })
                });
                group.throughput(Throughput::Bytes(serde_yaml::to_string(&tree).expect("serialize").len() as u64));
                group.bench_function(case("peer"), |b| {
                    b.iter(|| {
                        sink.clear();
                        serde_yaml::to_writer(&mut sink, black_box(&tree)).expect("serialize");
                        sink.len()
                    })
                });
                // The owned-result entry points, fresh memory included: `export` and `to_vec_pretty`.
                group.throughput(Throughput::Bytes(json_len));
                group.bench_function(case("json-owned"), |b| {
                    b.iter(|| export(black_box(&catalog), black_box(&request), &settings).expect("export"))
                });
                group.throughput(Throughput::Bytes(floor_len));
                group.bench_function(case("floor-owned"), |b| {
                    b.iter(|| serde_json::to_vec_pretty(black_box(&tree)).expect("serialize"))
                });
            }
        }
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
