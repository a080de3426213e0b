//! Importing an `all` export of 10,000 synthetic APIs (JSON and YAML) into the group it came
//! from, against the baseline of `Catalog::from_json` of the equivalent catalog in the same run
//! (`from_json`): the goal is an import within 2× of it.
//!
//! `cargo bench --bench import`; `APIG_EXPORT_IMPORT_N` sets the number of APIs (default 10,000).

use std::hint::black_box;
use std::time::Duration;

use apig_export::import::{import, ImportOptions, Limits};
use apig_export::testkit::synthetic;
use apig_export::{export, Catalog, ExportRequest, Format, Scope, Settings};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let n = std::env::var("APIG_EXPORT_IMPORT_N").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000usize);
    let data = synthetic::catalog_data(n);
    let bytes = serde_json::to_vec(&data).expect("the synthetic catalog serializes");
    let catalog = Catalog::new(data.clone()).expect("valid");
    let mut base = data;
    base.apis.clear();
    base.publications.clear();
    base.throttle_bindings.clear();
    base.acl_bindings.clear();
    base.plugin_bindings.clear();
    let base = Catalog::new(base).expect("valid");
    let mut limits = Limits::default();
    limits.max_apis = n.max(300);
    limits.max_bytes = 1 << 30;
    limits.max_entries = n.max(1_000);
    let options =
        ImportOptions::new().into_group(synthetic::GROUP_ID).with_publish_to(synthetic::ENV_ID).with_limits(limits);
    let mut group = c.benchmark_group(format!("import-n{n}"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("from_json", |b| {
        b.iter(|| black_box(Catalog::from_json(black_box(&bytes)).expect("a valid catalog")))
    });
    for format in [Format::Json, Format::Yaml] {
        let request =
            ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID).with_scope(Scope::All).with_format(format);
        let document = export(&catalog, &request, &Settings::default()).expect("exports").content().to_owned();
        group.bench_function(format!("import-{format:?}").to_lowercase(), |b| {
            b.iter(|| black_box(import(&base, black_box(document.as_bytes()), &options).expect("imports")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
