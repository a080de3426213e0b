//! The cost of warnings: one API with a 20,000-character name and 20,000 COOKIE parameters,
//! exported as Swagger 2.0 (each cookie is left out with a warning; past 1,000 they are only
//! counted), against the baseline of the same API with the parameters in HEADER (written out,
//! no warning), in the same run. Both are `export` calls returning the document and warnings.
//!
//! `cargo bench --bench warnings`; the ratio `cookie ÷ header` is the figure (goal ≤ 2).

use std::hint::black_box;
use std::time::Duration;

use apig_export::model::ParamLocation;
use apig_export::testkit::synthetic;
use apig_export::{export, Catalog, Dialect, ExportRequest, Settings};
use criterion::{criterion_group, criterion_main, Criterion};

fn catalog(location: ParamLocation) -> Catalog {
    Catalog::from_json(&synthetic::many_parameters(20_000, 20_000, location))
        .unwrap_or_else(|e| panic!("bench catalog: {e}"))
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID).with_dialect(Dialect::Swagger2);
    let mut group = c.benchmark_group("warnings-20000");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for location in [ParamLocation::Header, ParamLocation::Cookie] {
        let catalog = catalog(location);
        group.bench_function(location.as_str().to_lowercase(), |b| {
            b.iter(|| black_box(export(&catalog, &request, &settings).map(|e| e.warnings().len())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
