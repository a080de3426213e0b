//! Heap while loading 10,000 synthetic APIs from compact JSON, and the heap the loaded catalog
//! keeps, each against the size of the JSON (measured with a counting global allocator; this
//! binary holds one test so nothing else allocates meanwhile).
//!
//! Bounds asserted: peak while loading (the bytes themselves not counted) at most 3× the JSON,
//! the resident catalog at most 1× it. `cargo test --release --test memory -- --nocapture`
//! prints the figures.

use apig_export::testkit::synthetic;
use apig_export::Catalog;

pub(crate) fn loading_10000_apis_peaks_and_keeps_within_bounds_of_the_json() {
    let bytes = serde_json::to_vec(&synthetic::catalog_data(10_000)).unwrap();
    let json = bytes.len() as f64;
    let start = crate::counting::reset_peak();
    let catalog = Catalog::from_json(&bytes).unwrap();
    let peak = (crate::counting::peak() - start) as f64;
    let resident = (crate::counting::current() - start) as f64;
    let report = format!(
        "JSON {:.1} MiB; peak while loading {:.1} MiB ({:.2}x); resident catalog {:.1} MiB ({:.2}x)",
        json / 1048576.0,
        peak / 1048576.0,
        peak / json,
        resident / 1048576.0,
        resident / json
    );
    eprintln!("{report}");
    assert!(peak <= 3.0 * json, "{report}");
    assert!(resident <= json, "{report}");
    drop(catalog);
}
