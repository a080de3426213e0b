//! The asynchronous export: the task runner, its queue, retention, fairness and shutdown; the
//! snapshot a task carries; with the `postgres` feature, the PostgreSQL store against a real
//! server (`scripts/with-postgres.sh`).

#[path = "../common/mod.rs"]
mod common;

#[cfg(feature = "postgres")]
mod postgres;
mod snapshot;
mod task;
