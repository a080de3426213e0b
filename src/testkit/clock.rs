//! [`ManualClock`]: a clock a test moves by hand.

use chrono::{DateTime, Utc};

use crate::Clock;

/// A clock that moves only when told to (for tests of time-dependent behaviour, without sleeps).
///
/// ```
/// use apig_export::testkit::ManualClock;
/// use apig_export::{Clock, FixedClock};
/// use std::time::Duration;
///
/// let clock = ManualClock::new(FixedClock::from_ymd_hms(2024, 1, 1, 0, 0, 0).unwrap().now());
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(apig_export::default_version(&clock), "2024-01-01-00:01:30");
/// ```
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(std::sync::Mutex::new(at))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        let mut now = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let by = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
        // Saturate at the end of time rather than overflow.
        *now = now.checked_add_signed(by).unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
