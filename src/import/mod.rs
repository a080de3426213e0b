//! Import (the reader first).

pub(crate) mod yaml;
