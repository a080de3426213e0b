//! Peak heap while exporting 10,000 APIs to an `io::Write` sink stays within twice the catalog's
//! own heap plus 1 MiB (measured with a counting global allocator; this binary holds one test so
//! nothing else allocates meanwhile).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use apig_export::{prepare, synthetic, Dialect, ExportRequest, Format, Scope, Settings};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// The library forbids unsafe code; a global allocator is unsafe by signature, so this measurement
// binary alone opts in. Each method only forwards to `System` and counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), SeqCst) + layout.size();
            PEAK.fetch_max(now, SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), SeqCst) + new_size - layout.size();
                PEAK.fetch_max(now, SeqCst);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn peak_heap_of_a_10000_api_export_is_bounded_by_the_catalog() {
    let before = CURRENT.load(SeqCst);
    let catalog = synthetic::catalog(10_000);
    let catalog_heap = CURRENT.load(SeqCst) - before;
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
            let start = CURRENT.load(SeqCst);
            PEAK.store(start, SeqCst);
            let prepared = prepare(&catalog, &request, &settings).unwrap();
            let mut sink = std::io::sink();
            prepared.write_to(&mut sink).unwrap();
            drop(prepared);
            let peak = PEAK.load(SeqCst) - start;
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
