//! A global allocator that counts the bytes in use and their peak, for the binaries that measure
//! heap (`#[path = "common/counting.rs"] mod counting;`): each such binary holds its measurements
//! in one test, so nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

struct Counting;

pub(crate) static CURRENT: AtomicUsize = AtomicUsize::new(0);
pub(crate) static PEAK: AtomicUsize = AtomicUsize::new(0);

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

/// Bytes in use now.
pub(crate) fn current() -> usize {
    CURRENT.load(SeqCst)
}

/// Starts a new peak measurement from now; returns the bytes in use.
pub(crate) fn reset_peak() -> usize {
    let now = CURRENT.load(SeqCst);
    PEAK.store(now, SeqCst);
    now
}

/// The most bytes in use since [`reset_peak`].
pub(crate) fn peak() -> usize {
    PEAK.load(SeqCst)
}
