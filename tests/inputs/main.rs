//! What the library reads: catalogs (every validation rule, located and bounded) and export
//! requests (every error APIG answers).

#[path = "../common/mod.rs"]
mod common;

mod catalog;
mod request;
