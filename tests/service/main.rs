//! The asynchronous export and import: the task runner, its queue, retention, fairness and shutdown; the
//! snapshot a task carries; the HTTP gateway example over real sockets; with the `postgres`
//! feature, the PostgreSQL store against a real server (`scripts/with-postgres.sh`).

#[path = "../common/mod.rs"]
mod common;

mod gateway;
mod gateway_import;
mod import;
#[cfg(feature = "postgres")]
mod postgres;
mod snapshot;
mod task;

use std::sync::{Condvar, Mutex};

/// The demo catalog's group and its RELEASE environment.
const GROUP: &str = "f1e2d3c4b5a697887766554433221100";
const RELEASE: &str = "DEFAULT_ENVIRONMENT_RELEASE_ID";

/// A gate an injected export waits at until the test opens it.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn wait(&self) {
        let open = self.open.lock().unwrap();
        drop(self.changed.wait_while(open, |open| !*open).unwrap());
    }
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.changed.notify_all();
    }
}

/// An export request body for the demo catalog's group in RELEASE, with `extra` members.
fn body(extra: &str) -> Vec<u8> {
    format!(r#"{{"env_id": "{RELEASE}", "group_id": "{GROUP}"{extra}}}"#).into_bytes()
}
