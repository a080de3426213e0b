//! Where the default `info.version` comes from: a clock the caller supplies.

use std::fmt;

use chrono::{DateTime, Utc};

/// A source of the current time, used only for the default `info.version`.
///
/// The engine never reads the system clock itself: pass [`SystemClock`] in production and a
/// [`FixedClock`] in tests.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock, in UTC.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same time.
///
/// ```
/// use apig_export::{Clock, FixedClock};
///
/// let clock = FixedClock::from_ymd_hms(2023, 7, 11, 19, 54, 22).unwrap();
/// assert_eq!(apig_export::default_version(&clock), "2023-07-11-19:54:22");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(DateTime<Utc>);

impl FixedClock {
    /// A clock fixed at the given instant.
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(at)
    }

    /// A clock fixed at the given UTC date and time; `None` if it does not exist.
    pub fn from_ymd_hms(year: i32, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> Option<FixedClock> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(year, month, day, hour, min, sec).single().map(FixedClock)
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The default `info.version`: the clock's time as `YYYY-MM-DD-HH:MM:SS`.
pub fn default_version(clock: &dyn Clock) -> String {
    clock.now().format("%Y-%m-%d-%H:%M:%S").to_string()
}
