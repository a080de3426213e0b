//! Huawei Cloud API Gateway (APIG) definition export, as a library.
//!
//! Turns an in-memory [`Catalog`] (groups, environments, API definitions, what is published
//! where, backends and policies) into the Swagger 2.0 or OpenAPI 3.0 document APIG's export
//! produces, byte for byte, with its `x-apigateway-*` extensions; plus what a gateway needs to
//! serve the export endpoints: request validation with APIG's error bodies. The reverse
//! direction, [`import::import`], reads such a document back into a catalog with APIG's import
//! options and answers.
//!
//! ```
//! use apig_export::{export, Catalog, ExportRequest, FixedClock, Settings};
//! use std::sync::Arc;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let catalog = Catalog::from_json(br#"{
//!   "groups": [{"id": "g1", "name": "shop", "sl_domain": "shop.example.com"}],
//!   "environments": [{"id": "RELEASE", "name": "RELEASE"}],
//!   "apis": [{"id": "a1", "group_id": "g1", "name": "API_ping", "req_method": "GET",
//!             "req_uri": "/ping", "backend_type": "MOCK", "mock_info": {"result_content": "pong"}}],
//!   "publications": [{"api_id": "a1", "env_id": "RELEASE"}]
//! }"#)?;
//! // A publication without `definition` publishes the current draft as it is.
//! let request = ExportRequest::parse(Some("2.0"), br#"{"env_id": "RELEASE", "group_id": "g1"}"#)?;
//! let clock = FixedClock::from_ymd_hms(2024, 5, 6, 10, 11, 12).ok_or("bad date")?;
//! let exported = export(&catalog, &request, &Settings::default().with_clock(Arc::new(clock)))?;
//! assert_eq!(exported.file_name(), "shop-RELEASE-spec-2024-05-06-10:11:12");
//! assert!(exported.content().starts_with("{\n\t\"swagger\": \"2.0\","));
//! # Ok(())
//! # }
//! ```

// The library has no unsafe code, and never will (a test binary measuring heap may).
#![forbid(unsafe_code)]
// No input may make the library panic: these hold for library code, not for tests.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// A library does not print.
#![warn(clippy::print_stdout, clippy::print_stderr)]

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod clock;
mod emit;
mod error;
mod export;
mod file_name;
pub mod import;
pub mod model;
mod quote;
mod render;
mod request;
mod select;
pub mod task;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod work;

pub use clock::{default_version, Clock, FixedClock, SystemClock};
pub use error::{ApiError, ApiErrorKind};
pub use export::{export, prepare, CancelToken, Cancelled, Exported, Prepared, Settings};
pub use model::{Catalog, CatalogError, CatalogIssue};
pub use render::Warning;
pub mod yaml {
    //! The YAML emitter on its own: any `Serialize` value written as js-yaml 4.1.0 `dump()` writes
    //! the same value after a trip through JSON and JavaScript.
    //!
    //! ```
    //! let doc = serde_json::json!({"servers": [{"url": "https://a.example.com"}], "on": "yes", "n": [1.5, 1e21]});
    //! assert_eq!(apig_export::yaml::to_string(&doc)?, "servers:\n  - url: https://a.example.com\n'on': 'yes'\n'n':\n  - 1.5\n  - 1e+21\n");
    //! # Ok::<(), apig_export::yaml::Error>(())
    //! ```
    pub use crate::emit::yaml::{to_string, to_writer};
    pub use crate::emit::Error;
}
pub use request::{Dialect, ExportRequest, Format, Profile, Scope, MAX_VERSION_CHARS};
