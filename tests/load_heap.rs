//! Heap while loading 10,000 synthetic APIs from compact JSON, and the heap the loaded catalog
//! keeps, each against the size of the JSON (measured with a counting global allocator; this
//! binary holds one test so nothing else allocates meanwhile).
//!
//! Bounds asserted: peak while loading (the bytes themselves not counted) at most 3× the JSON,
//! the resident catalog at most 1.5× it. `cargo test --release --test load_heap -- --nocapture`
//! prints the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use apig_export::{synthetic, Catalog};

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
fn loading_10000_apis_peaks_and_keeps_within_bounds_of_the_json() {
    let bytes = serde_json::to_vec(&synthetic::catalog_data(10_000)).unwrap();
    let json = bytes.len() as f64;
    let start = CURRENT.load(SeqCst);
    PEAK.store(start, SeqCst);
    let catalog = Catalog::from_json(&bytes).unwrap();
    let peak = (PEAK.load(SeqCst) - start) as f64;
    let resident = (CURRENT.load(SeqCst) - start) as f64;
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
    assert!(resident <= 1.5 * json, "{report}");
    drop(catalog);
}
