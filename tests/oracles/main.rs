//! Judged by others: the three OpenAPI validators, js-yaml and PyYAML, and properties over
//! generated catalogs.

#[path = "../common/mod.rs"]
mod common;

mod properties;
mod validator;
mod yaml;
