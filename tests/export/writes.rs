//! Output reaches the sink in large blocks whatever the sink: an unbuffered file or socket gets a
//! few big `write` calls, not one per token. Counted, not timed.

use std::io::{self, Write};

use apig_export::testkit::synthetic;
use apig_export::{prepare, Dialect, ExportRequest, Format, Profile, Scope, Settings};

const MIB: usize = 1 << 20;
/// The bound: `write` calls reaching the sink per MiB of output.
const MAX_WRITES_PER_MIB: usize = 64;

/// A sink that counts the `write` calls it receives and the bytes, and keeps nothing.
#[derive(Default)]
struct Counting {
    writes: usize,
    bytes: usize,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn at_most_64_writes_per_mib_of_output_in_every_format() {
    let catalog = synthetic::catalog(400);
    let mut report = Vec::new();
    let mut over = false;
    for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
        for scope in [Scope::Spec, Scope::All] {
            for profile in [Profile::Apig, Profile::Strict] {
                for format in [Format::Json, Format::Yaml] {
                    let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID)
                        .with_dialect(dialect)
                        .with_scope(scope)
                        .with_format(format)
                        .with_version("v1")
                        .unwrap();
                    let settings = Settings::default().with_profile(profile);
                    let prepared = prepare(&catalog, &request, &settings).unwrap();
                    let mut sink = Counting::default();
                    prepared.write_to(&mut sink).unwrap();
                    let mut whole = Vec::new();
                    prepared.write_to(&mut whole).unwrap();
                    assert_eq!(sink.bytes, whole.len());
                    assert!(sink.bytes > MIB, "{dialect:?} {scope} {format:?}: only {} bytes", sink.bytes);
                    let per_mib = sink.writes as f64 * MIB as f64 / sink.bytes as f64;
                    over |= per_mib > MAX_WRITES_PER_MIB as f64;
                    report.push(format!(
                        "{dialect:?} {scope} {profile} {format:?}: {} writes for {:.2} MiB ({per_mib:.1} per MiB)",
                        sink.writes,
                        sink.bytes as f64 / MIB as f64
                    ));
                }
            }
        }
    }
    println!("{}", report.join("\n"));
    assert!(!over, "more than {MAX_WRITES_PER_MIB} writes per MiB:\n{}", report.join("\n"));
}
