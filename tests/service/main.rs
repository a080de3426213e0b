//! The asynchronous export: the task runner, its queue, retention, fairness and shutdown.

#[path = "../common/mod.rs"]
mod common;

mod task;
