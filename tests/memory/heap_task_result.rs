//! A finished task's result is held once: the export is written straight into the form the query
//! reply sends, never held beside it, and a reply copies it once without escaping it again
//! (measured with a counting global allocator; this binary holds one test so nothing else
//! allocates meanwhile).

use std::sync::Arc;
use std::time::Duration;

use apig_export::task::{Runner, RunnerConfig, Shutdown, TaskStatus, Tenant};
use apig_export::testkit::synthetic;

const MIB: usize = 1 << 20;

pub(crate) fn a_finished_export_is_held_once_and_replies_copy_it_once() {
    let catalog = Arc::new(synthetic::catalog(1_000));
    let body =
        format!(r#"{{"env_id": "{}", "group_id": "{}", "define": "all"}}"#, synthetic::ENV_ID, synthetic::GROUP_ID);
    let runner = Runner::new(RunnerConfig::default().with_workers(1)).unwrap();
    let tenant = Tenant::new("p", "i");

    let before = crate::counting::reset_peak();
    let id = runner.submit(&tenant, &catalog, None, body.as_bytes()).unwrap();
    assert!(runner.wait(&tenant, &id, Duration::from_secs(600)).is_some());
    let (grown, peak) = (crate::counting::current() - before, crate::counting::peak() - before);
    let held = runner.stats().retained_bytes;

    // A query shares the result: it allocates only the view (the id), not the result.
    let before_query = crate::counting::reset_peak();
    let view = runner.query(&tenant, &id).unwrap();
    let query_peak = crate::counting::peak() - before_query;
    assert_eq!(view.status(), TaskStatus::Succeed);
    drop(view);
    // The reply body is the one copy: no buffer for escaping beside it.
    let before_reply = crate::counting::reset_peak();
    let reply = runner.handle_query(&tenant, &id);
    let reply_peak = crate::counting::peak() - before_reply;
    assert_eq!(reply.status, 200);

    eprintln!(
        "result held {:.1} MiB; finishing the task grew the heap {:.1} MiB, peak {:.1} MiB ({:.2}× the result); \
         a query allocated {query_peak} bytes; a reply {:.1} MiB for a {:.1} MiB body",
        held as f64 / MIB as f64,
        grown as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        peak as f64 / held as f64,
        reply_peak as f64 / MIB as f64,
        reply.body.len() as f64 / MIB as f64,
    );
    assert!(held > 4 * MIB, "the result must be large for the test to mean anything: {held} bytes");
    // Held once: what stays is the result, and while exporting the document was never held
    // beside it (the export's own working memory is a few MiB for 1,000 APIs).
    assert!(grown <= held + MIB, "grew {grown} bytes for a result of {held}");
    assert!(peak <= held + held / 8 + 2 * MIB, "peaked at {peak} bytes for a result of {held}");
    assert!(query_peak <= 1024, "a query allocated {query_peak} bytes");
    assert!(reply_peak <= reply.body.len() + 1024, "a reply allocated {reply_peak} bytes");
    runner.shutdown(Shutdown::Drain, Duration::from_secs(600));
}
