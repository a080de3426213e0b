//! The asynchronous export: the task runner, its queue, retention, fairness and shutdown; the
//! snapshot a task carries.

#[path = "../common/mod.rs"]
mod common;

mod snapshot;
mod task;
