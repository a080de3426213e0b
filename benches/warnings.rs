//! The cost of warnings: one API with a 20,000-character name and 20,000 COOKIE parameters,
//! exported as Swagger 2.0 (each cookie is left out with a warning; past 1,000 they are only
//! counted), against the baseline of the same API with the parameters in HEADER (written out,
//! no warning), in the same run. Both are `export` calls returning the document and warnings.
//!
//! `cargo bench --bench warnings`; the ratio `cookie ÷ header` is the figure (goal ≤ 2).

use std::hint::black_box;
use std::time::Duration;

use apig_export::{export, Catalog, Dialect, ExportRequest, Settings};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

fn catalog(location: &str) -> Catalog {
    let params: Vec<_> = (0..20_000).map(|i| json!({"name": format!("c{i}"), "location": location})).collect();
    let bytes = serde_json::to_vec(&json!({
        "groups": [{"id": "g1", "name": "shop", "sl_domain": "shop.example.com"}],
        "environments": [{"id": "RELEASE", "name": "RELEASE"}],
        "apis": [{"id": "a1", "group_id": "g1", "name": "n".repeat(20_000), "req_method": "GET",
                  "req_uri": "/ping", "backend_type": "MOCK", "mock_info": {"result_content": "pong"},
                  "req_params": params}],
        "publications": [{"api_id": "a1", "env_id": "RELEASE"}]
    }))
    .unwrap_or_default();
    Catalog::from_json(&bytes).unwrap_or_else(|e| panic!("bench catalog: {e}"))
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let request = ExportRequest::new("g1", "RELEASE").with_dialect(Dialect::Swagger2);
    let mut group = c.benchmark_group("warnings-20000");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for location in ["HEADER", "COOKIE"] {
        let catalog = catalog(location);
        group.bench_function(location.to_lowercase(), |b| {
            b.iter(|| black_box(export(&catalog, &request, &settings).map(|e| e.warnings().len())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
