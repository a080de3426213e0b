//! The asynchronous export: the task runner, its queue, retention, fairness and shutdown; the
//! snapshot a task carries; the HTTP gateway example over real sockets; with the `postgres`
//! feature, the PostgreSQL store against a real server (`scripts/with-postgres.sh`).

#[path = "../common/mod.rs"]
mod common;

mod gateway;
#[cfg(feature = "postgres")]
mod postgres;
mod snapshot;
mod task;
