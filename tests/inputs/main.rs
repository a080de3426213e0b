//! What the library reads: catalogs (every validation rule, located and bounded), export
//! requests (every error APIG answers), and Swagger/OpenAPI documents to import (APIG's own
//! files, hostile documents, and the round trip export → import → export byte for byte).

#[path = "../common/mod.rs"]
mod common;

mod catalog;
mod import;
mod request;
mod roundtrip;
