//! Heap, measured with a counting global allocator: one test runs every measurement in turn, so
//! nothing else allocates meanwhile.

#[path = "../common/counting.rs"]
mod counting;

mod heap;
mod heap_runner;
mod heap_task_result;
mod load_heap;

/// Every measurement, one after another.
#[test]
fn heap_stays_within_bounds() {
    load_heap::loading_10000_apis_peaks_and_keeps_within_bounds_of_the_json();
    heap::peak_heap_of_a_10000_api_export_is_bounded_by_the_catalog();
    heap_runner::two_hundred_finished_all_exports_stay_within_the_retained_bytes();
    heap_task_result::a_finished_export_is_held_once_and_replies_copy_it_once();
}
