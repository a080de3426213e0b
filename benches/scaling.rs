//! Cost per API of a large group against a group of 1,000 APIs, measured in pairs.
//!
//! The goal "cost per API stays flat from N = 1,000 to 10,000" compares two measurements, and on a
//! shared virtual machine the speed of the whole machine drifts by 10 % and more within minutes.
//! Criterion (`benches/export.rs`) measures every N = 1,000 case minutes before the N = 10,000
//! ones, so its per-API ratio carries that drift. Here the two sizes alternate instead: each round
//! times one export of the large group and, right before or right after it (the order alternates
//! from round to round), as many exports of the 1,000-API group as make the same number of APIs.
//! Each timed batch follows at least 80 ms of untimed exports of the same group, so that both are
//! measured in the state of a steady stream of such exports. The per-API change is the median over the
//! rounds of `(large time / large N) / (small time / small APIs)`, with its quartiles.
//!
//! `cargo bench --bench scaling` compares 1,000 with 10,000; `APIG_EXPORT_BENCH_100K=1` adds
//! 100,000; `APIG_EXPORT_SCALING_ROUNDS` sets the rounds per case (default 21);
//! `APIG_EXPORT_SCALING_CASES` (e.g. `json,json-discard`) limits the run to some cases.
//! Prints a Markdown table (BENCHMARKS.md).

// Wall time is what a benchmark measures; the engine itself never reads the clock.
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use apig_export::testkit::synthetic;
use apig_export::{export, prepare, Catalog, Dialect, ExportRequest, Format, Scope, Settings};

const SMALL: usize = 1_000;

/// Untimed exports before each timed batch, at least one: after a batch of the other size, the
/// first few exports of 1,000 APIs are up to 15 % slower than in a steady stream (the caches
/// refill), which would flatter the large group.
const WARM_UP: Duration = Duration::from_millis(80);

fn main() {
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test --benches`) runs one round.
    let measuring = std::env::args().any(|a| a == "--bench");
    let rounds = std::env::var("APIG_EXPORT_SCALING_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(21usize);
    let rounds = if measuring { rounds.max(1) } else { 1 };
    let mut sizes = vec![10_000];
    if std::env::var_os("APIG_EXPORT_BENCH_100K").is_some() {
        sizes.push(100_000);
    }
    // `APIG_EXPORT_SCALING_CASES=json,json-discard` measures only those cases.
    let cases = std::env::var("APIG_EXPORT_SCALING_CASES").ok();
    let wanted = |case: &str| cases.as_deref().is_none_or(|c| c.split(',').any(|w| w.trim() == case));
    let settings = Settings::default();
    let small = synthetic::catalog(SMALL);
    println!("| N | document | case | µs per API at 1,000 | µs per API at N | change (median) | quartiles |");
    println!("|---:|---|---|---:|---:|---:|---|");
    for large_n in sizes {
        let large = synthetic::catalog(large_n);
        let pair = Pair { rounds, batch: large_n / SMALL, large_n };
        for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
            let d = if dialect == Dialect::Swagger2 { "oas2" } else { "oas3" };
            for scope in [Scope::Spec, Scope::All] {
                let row = |case: &str, measured: &mut dyn FnMut() -> (f64, f64, (f64, f64, f64))| {
                    if !wanted(case) {
                        return;
                    }
                    let (small, large, (q1, median, q3)) = measured();
                    println!(
                        "| {large_n} | {d}-{scope} | {case} | {:.2} | {:.2} | {:+.0} % | {:+.0} % … {:+.0} % |",
                        small * 1e6,
                        large * 1e6,
                        median * 100.0,
                        q1 * 100.0,
                        q3 * 100.0,
                    );
                };
                let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID)
                    .with_dialect(dialect)
                    .with_scope(scope)
                    .with_version("bench")
                    .expect("valid version");
                for (format, f) in [(Format::Json, "json"), (Format::Yaml, "yaml")] {
                    let request = request.clone().with_format(format);
                    let (mut small_sink, mut large_sink) = (Vec::new(), Vec::new());
                    row(f, &mut || {
                        pair.measure(
                            || into_sink(&small, &request, &settings, &mut small_sink),
                            || into_sink(&large, &request, &settings, &mut large_sink),
                        )
                    });
                    let (mut small_count, mut large_count) = (Counted(0), Counted(0));
                    row(&format!("{f}-discard"), &mut || {
                        pair.measure(
                            || into_counter(&small, &request, &settings, &mut small_count),
                            || into_counter(&large, &request, &settings, &mut large_count),
                        )
                    });
                    row(&format!("{f}-owned"), &mut || {
                        pair.measure(|| owned(&small, &request, &settings), || owned(&large, &request, &settings))
                    });
                }
                if !wanted("floor") && !wanted("floor-owned") {
                    continue;
                }
                // The floor on the same documents: serde_json pretty-printing them as prebuilt trees.
                let tree = |catalog: &Catalog| -> serde_json::Value {
                    let json = export(catalog, &request, &settings).expect("export");
                    serde_json::from_str(json.content()).expect("JSON")
                };
                let (small_tree, large_tree) = (tree(&small), tree(&large));
                let (mut small_sink, mut large_sink) = (Vec::new(), Vec::new());
                let floor = |t: &serde_json::Value, sink: &mut Vec<u8>| {
                    sink.clear();
                    serde_json::to_writer_pretty(&mut *sink, black_box(t)).expect("serialize");
                    black_box(sink.len());
                };
                row("floor", &mut || {
                    pair.measure(|| floor(&small_tree, &mut small_sink), || floor(&large_tree, &mut large_sink))
                });
                let floor_owned = |t: &serde_json::Value| {
                    black_box(serde_json::to_vec_pretty(black_box(t)).expect("serialize"));
                };
                row("floor-owned", &mut || pair.measure(|| floor_owned(&small_tree), || floor_owned(&large_tree)));
            }
        }
    }
}

/// Rounds of paired measurements of the small and the large group.
struct Pair {
    rounds: usize,
    /// Exports of the small group per round: as many APIs as one export of the large group.
    batch: usize,
    large_n: usize,
}

impl Pair {
    /// Medians of the per-API times of the small and the large group, and the quartiles of the
    /// per-round change `large / small - 1`.
    fn measure(&self, mut small: impl FnMut(), mut large: impl FnMut()) -> (f64, f64, (f64, f64, f64)) {
        let timed = |once: &mut dyn FnMut(), times: usize| -> f64 {
            let warming = Instant::now();
            once();
            while warming.elapsed() < WARM_UP {
                once();
            }
            let start = Instant::now();
            for _ in 0..times {
                once();
            }
            start.elapsed().as_secs_f64()
        };
        let mut per_api = Vec::with_capacity(self.rounds);
        for round in 0..self.rounds {
            let (s, l) = if round % 2 == 0 {
                let s = timed(&mut small, self.batch);
                (s, timed(&mut large, 1))
            } else {
                let l = timed(&mut large, 1);
                (timed(&mut small, self.batch), l)
            };
            per_api.push((s / (self.batch * SMALL) as f64, l / self.large_n as f64));
        }
        let mut changes: Vec<f64> = per_api.iter().map(|(s, l)| l / s - 1.0).collect();
        let mut smalls: Vec<f64> = per_api.iter().map(|p| p.0).collect();
        let mut larges: Vec<f64> = per_api.iter().map(|p| p.1).collect();
        (quartiles(&mut smalls).1, quartiles(&mut larges).1, quartiles(&mut changes))
    }
}

/// `prepare` + `write_to` into a reused buffer, as `benches/export.rs` measures.
fn into_sink(catalog: &Catalog, request: &ExportRequest, settings: &Settings, sink: &mut Vec<u8>) {
    sink.clear();
    let prepared = prepare(black_box(catalog), black_box(request), settings).expect("export");
    prepared.write_to(sink).expect("in-memory sink");
    black_box(sink.len());
}

/// A sink that keeps nothing, only counts: the export's own work, without the cost of writing a
/// large document into memory (at 100,000 APIs the reused buffer above holds hundreds of MB, far
/// past any cache, while at 1,000 it fits in the processor's last-level cache).
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += black_box(buf).len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn into_counter(catalog: &Catalog, request: &ExportRequest, settings: &Settings, sink: &mut Counted) {
    sink.0 = 0;
    let prepared = prepare(black_box(catalog), black_box(request), settings).expect("export");
    prepared.write_to(&mut *sink).expect("counting sink");
    black_box(sink.0);
}

/// `export`: a freshly allocated result per call.
fn owned(catalog: &Catalog, request: &ExportRequest, settings: &Settings) {
    black_box(export(black_box(catalog), black_box(request), settings).expect("export"));
}

/// First quartile, median and third quartile (nearest rank) of `values`, which it sorts.
fn quartiles(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: usize| values.get((values.len().saturating_sub(1) * q) / 4).copied().unwrap_or(f64::NAN);
    (at(1), at(2), at(3))
}
