//! Tools for testing a gateway built on this crate, and this crate itself (cargo feature
//! `testkit`): none of it is needed to export.
//!
//! - [`strategies`]: `proptest` strategies for hostile strings, JSON trees, catalogs and export
//!   requests, to drive a gateway's own property tests;
//! - [`synthetic`]: a deterministic catalog of `n` realistic APIs for benchmarks and load tests;
//! - [`check`]: the semantic checks of an exported document that JSON Schemas cannot express;
//! - [`ManualClock`]: a clock a test sets and advances by hand;
//! - [`ExportFn`] and `task::RunnerConfig::with_export`: the export a task runner runs, replaced
//!   to hold an export or inject a fault.
//!
//! ```toml
//! [dev-dependencies]
//! apig-export = { version = "0.1", features = ["testkit"] }
//! ```
//!
//! ```
//! use apig_export::testkit::{strategies, synthetic};
//! use apig_export::{export, ExportRequest, Settings};
//! use proptest::prelude::*;
//!
//! proptest!(ProptestConfig::with_cases(8), |(catalog in strategies::catalog())| {
//!     // Whatever the catalog holds, exporting its first group never panics.
//!     if let Some(group) = catalog.data().groups.first() {
//!         let request = ExportRequest::new(group.id.as_str(), "DEFAULT_ENVIRONMENT_RELEASE_ID");
//!         let _ = export(&catalog, &request, &Settings::default());
//!     }
//! });
//! assert_eq!(synthetic::catalog(10).data().apis.len(), 10);
//! ```

pub mod check;
pub mod strategies;
pub mod synthetic;

mod clock;

pub use crate::task::ExportFn;
pub use clock::ManualClock;
