//! The two asynchronous-export endpoints of a gateway, wired to `apig_export::task`.
//!
//! `route` is all the glue an HTTP framework needs: hand it the method, the request target and
//! the raw body, send back the reply's status and JSON body. To stay dependency-free this example
//! speaks a line protocol on stdin/stdout instead of HTTP: each input line is
//! `METHOD TARGET [BODY]`, each output line `STATUS BODY`.
//!
//! The synchronous `POST …/openapi/export` saves the file under its safe name in a folder of its
//! own (created fresh in the system's temporary folder, for this user only; files are created
//! new, never written over or through a link) and answers with the path and the `Content-Disposition` an HTTP server would
//! send with the file: the catalog's names never become a path or a header as they are.
//!
//! ```text
//! $ cargo run --example gateway
//! POST /v2/p1/apigw/instances/i1/openapi/async-export?oas_version=3.0 {"env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","group_id":"f1e2d3c4b5a697887766554433221100"}
//! 202 {"task_id":"0f6c…"}
//! GET /v2/p1/apigw/instances/i1/async-tasks/0f6c…
//! 200 {"task_id":"0f6c…","task_status":"succeed","task_type":"export_api","task_result":"{\"FileName\":…}"}
//! ```

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use apig_export::task::{OsRandomIds, Reply, Runner, RunnerConfig, Shutdown, Tenant};
use apig_export::{ApiError, Catalog, Exported};

/// A folder of this process's own under the system's temporary folder: a fresh random name,
/// created (never reused) with permissions for this user only, so that nobody else can plant a
/// file or a link where an export is saved.
fn private_dir() -> std::io::Result<PathBuf> {
    let random = apig_export::task::task_id(&OsRandomIds).map_err(|_| std::io::Error::other("no randomness"))?;
    let dir = std::env::temp_dir().join(format!("apig-export-gateway-{random}"));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    Ok(dir)
}

/// Saves a synchronous export under its safe name in `dir`, never over an existing file nor
/// through a link (`create_new`): a name already taken gets `-2`, `-3`, … before its extension.
/// The reply carries the path and the `Content-Disposition` header.
fn save(dir: &Path, exported: &Exported) -> Reply {
    let name = exported.safe_file_name();
    let (stem, extension) = name.rsplit_once('.').map_or((name.as_str(), ""), |(s, e)| (s, e));
    for n in 1..=100 {
        let path = match n {
            1 => dir.join(&name),
            n => dir.join(format!("{stem}-{n}.{extension}")),
        };
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                return match file.write_all(exported.content().as_bytes()) {
                    Ok(()) => Reply::new(
                        200,
                        serde_json::json!({
                            "saved": path.display().to_string(),
                            "Content-Disposition": exported.content_disposition(),
                        })
                        .to_string(),
                    ),
                    Err(_) => ApiError::system_error().into(),
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => break,
        }
    }
    ApiError::system_error().into()
}

/// Routes one request to the runner.
fn route(runner: &Runner, catalog: &Arc<Catalog>, dir: &Path, method: &str, target: &str, body: &[u8]) -> Reply {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let oas_version = query.split('&').find_map(|pair| pair.strip_prefix("oas_version="));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("POST", ["v2", project, "apigw", "instances", instance, "openapi", "async-export"]) => {
            runner.handle_submit(&Tenant::new(*project, *instance), catalog, oas_version, body)
        }
        ("POST", ["v2", _project, "apigw", "instances", _instance, "openapi", "export"]) => {
            match runner.export_now(catalog, oas_version, body) {
                Ok(exported) => save(dir, &exported),
                Err(e) => e.into(),
            }
        }
        ("GET", ["v2", project, "apigw", "instances", instance, "async-tasks", task_id]) => {
            runner.handle_query(&Tenant::new(*project, *instance), task_id)
        }
        _ => Reply::new(
            404,
            r#"{"error_code":"APIG.0101","error_msg":"The API does not exist or has not been published in the environment"}"#,
        ),
    }
}

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalogs/demo.json").to_owned());
    let catalog = match Catalog::from_json(&std::fs::read(&path)?) {
        Ok(catalog) => Arc::new(catalog),
        Err(e) => {
            eprintln!("invalid catalog {path}: {e}");
            std::process::exit(2);
        }
    };
    let runner = match Runner::new(RunnerConfig::default()) {
        Ok(runner) => runner,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let dir = private_dir()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut parts = line.splitn(3, ' ');
        let (method, target, body) =
            (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let reply = route(&runner, &catalog, &dir, method, target, body.as_bytes());
        writeln!(out, "{} {}", reply.status, reply.body)?;
        out.flush()?;
    }
    runner.shutdown(Shutdown::Drain, std::time::Duration::from_secs(30));
    Ok(())
}
