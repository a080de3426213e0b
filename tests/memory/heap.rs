//! Peak heap while exporting 10,000 APIs to an `io::Write` sink stays within twice the catalog's
//! own heap plus 1 MiB (measured with a counting global allocator; this binary holds one test so
//! nothing else allocates meanwhile).

use apig_export::testkit::synthetic;
use apig_export::{prepare, Dialect, ExportRequest, Format, Scope, Settings};

pub(crate) fn peak_heap_of_a_10000_api_export_is_bounded_by_the_catalog() {
    let before = crate::counting::current();
    let catalog = synthetic::catalog(10_000);
    let catalog_heap = crate::counting::current() - before;
    let settings = Settings::default();
    let mut report = Vec::new();
    for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
        for format in [Format::Json, Format::Yaml] {
            let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID)
                .with_dialect(dialect)
                .with_scope(Scope::All)
                .with_format(format)
                .with_version("heap")
                .unwrap();
            let start = crate::counting::reset_peak();
            let prepared = prepare(&catalog, &request, &settings).unwrap();
            let mut sink = std::io::sink();
            prepared.write_to(&mut sink).unwrap();
            drop(prepared);
            let peak = crate::counting::peak() - start;
            let limit = 2 * catalog_heap + (1 << 20);
            report.push(format!(
                "{dialect:?} {format}: peak {:.1} MiB, catalog {:.1} MiB, ratio {:.2} (limit 2 x catalog + 1 MiB)",
                peak as f64 / 1048576.0,
                catalog_heap as f64 / 1048576.0,
                peak as f64 / catalog_heap as f64
            ));
            assert!(peak <= limit, "{}", report.join("\n"));
        }
    }
    eprintln!("{}", report.join("\n"));
}
