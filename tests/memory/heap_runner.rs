//! The task runner's memory stays bounded by its byte budget, however many large exports finish
//! (measured with a counting global allocator; this binary holds one test so nothing else
//! allocates meanwhile).
//!
//! By default the runner keeps 32 MiB of results from 200 `all` exports of a 100-API group (about
//! 145 MiB of results); `APIG_EXPORT_RUNNER_HEAP=full` runs the default configuration (256 MiB)
//! on a 1,000-API group (about 1.4 GiB of results), best with `--release`.

use std::sync::Arc;
use std::time::Duration;

use apig_export::task::{Runner, RunnerConfig, Shutdown, TaskStatus, Tenant};
use apig_export::testkit::synthetic;

const MIB: usize = 1 << 20;

pub(crate) fn two_hundred_finished_all_exports_stay_within_the_retained_bytes() {
    let full = std::env::var("APIG_EXPORT_RUNNER_HEAP").is_ok_and(|v| v == "full");
    let (apis, budget) = if full { (1_000, 256 * MIB) } else { (100, 32 * MIB) };
    let catalog = Arc::new(synthetic::catalog(apis));
    let body =
        format!(r#"{{"env_id": "{}", "group_id": "{}", "define": "all"}}"#, synthetic::ENV_ID, synthetic::GROUP_ID);
    // 256 MiB is the default: the full run leaves the configuration as it is.
    let config = if full { RunnerConfig::default() } else { RunnerConfig::default().with_max_retained_bytes(budget) };
    let before = crate::counting::reset_peak();
    let runner = Runner::new(config).unwrap();
    let tenant = Tenant::new("p", "i");
    let (mut result_bytes, mut retained_peak) = (0, 0);
    for n in 0..200 {
        let id = runner.submit(&tenant, &catalog, None, body.as_bytes()).unwrap();
        let view = runner.wait(&tenant, &id, Duration::from_secs(600)).unwrap();
        assert_eq!(view.status(), TaskStatus::Succeed, "task {n}");
        result_bytes += view.task_result().len();
        drop(view);
        let stats = runner.stats();
        retained_peak = retained_peak.max(stats.retained_bytes);
        assert!(stats.retained_bytes <= budget, "task {n}: {} retained", stats.retained_bytes);
    }
    let grown = crate::counting::current() - before;
    let peak = crate::counting::peak() - before;
    eprintln!(
        "{apis} APIs: 200 results, {:.0} MiB in all; retained at most {:.0} MiB; heap grown {:.0} MiB, peak {:.0} MiB (limit {} MiB)",
        result_bytes as f64 / MIB as f64,
        retained_peak as f64 / MIB as f64,
        grown as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        (budget + 64 * MIB) / MIB
    );
    assert!(result_bytes > 4 * budget, "the exports must outgrow the budget for the test to mean anything");
    assert!(grown <= budget + 64 * MIB, "heap grew {grown} bytes");
    assert!(peak <= budget + 64 * MIB, "heap peaked {peak} bytes above the start");
    runner.shutdown(Shutdown::Drain, Duration::from_secs(600));
}
