//! Exports a catalog the way APIG's export endpoint does.
//!
//! ```text
//! cargo run --example export -- [--catalog FILE] [--group ID] [--env ID] [--define spec|proxy|all|dev]
//!     [--oas 2.0|3.0] [--type json|yaml|yml] [--version V] [--apis ID,ID] [--profile apig|strict]
//! ```
//!
//! With no flags it exports `fixtures/catalogs/demo.json` (its first group, the RELEASE
//! environment) as Swagger 2.0 JSON. The document goes to stdout, warnings to stderr.
//! Exit status: 0 done; 1 invalid request (APIG's error body on stderr); 2 unreadable or invalid
//! catalog, or bad command line.

use std::io::Write;
use std::process::ExitCode;

use apig_export::{prepare, Catalog, ExportRequest, Profile, Settings};

const USAGE: &str = "usage: export [--catalog FILE] [--group ID] [--env ID] [--define spec|proxy|all|dev] \
[--oas 2.0|3.0] [--type json|yaml|yml] [--version V] [--apis ID,ID] [--profile apig|strict]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("{message}");
            ExitCode::from(code)
        }
    }
}

fn run() -> Result<(), (u8, String)> {
    let mut catalog_path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalogs/demo.json").to_owned();
    let mut group = None;
    let mut env = None;
    let mut body = serde_json::Map::new();
    let mut oas = None;
    let mut profile = Profile::Apig;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| (2, format!("{flag} needs a value\n{USAGE}")))?;
        match flag.as_str() {
            "--catalog" => catalog_path = value,
            "--group" => group = Some(value),
            "--env" => env = Some(value),
            "--define" => drop(body.insert("define".into(), value.into())),
            "--type" => drop(body.insert("type".into(), value.into())),
            "--version" => drop(body.insert("version".into(), value.into())),
            "--apis" => {
                let ids: Vec<serde_json::Value> = value.split(',').map(|s| s.trim().into()).collect();
                body.insert("apis".into(), ids.into());
            }
            "--oas" => oas = Some(value),
            "--profile" => {
                profile = Profile::from_name(&value)
                    .ok_or_else(|| (2, format!("unknown profile {value:?}: expected apig or strict")))?;
            }
            _ => return Err((2, format!("unknown flag {flag:?}\n{USAGE}"))),
        }
    }

    let bytes = std::fs::read(&catalog_path).map_err(|e| (2, format!("cannot read catalog {catalog_path}: {e}")))?;
    let catalog = Catalog::from_json(&bytes).map_err(|e| {
        let all: Vec<String> = e.issues().iter().map(|i| format!("  {i}")).collect();
        (2, format!("invalid catalog {catalog_path}:\n{}", all.join("\n")))
    })?;
    let data = catalog.data();
    let group = group.or_else(|| data.groups.first().map(|g| g.id.to_string())).unwrap_or_default();
    let env = env
        .or_else(|| data.environments.iter().find(|e| e.name == "RELEASE").map(|e| e.id.to_string()))
        .unwrap_or_default();
    body.insert("group_id".into(), group.into());
    body.insert("env_id".into(), env.into());
    let body = serde_json::to_vec(&body).map_err(|e| (2, e.to_string()))?;

    let request = ExportRequest::parse(oas.as_deref(), &body).map_err(|e| (1, e.to_json()))?;
    let prepared =
        prepare(&catalog, &request, &Settings::default().with_profile(profile)).map_err(|e| (1, e.to_json()))?;
    for warning in prepared.warnings() {
        eprintln!("warning: {warning}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    prepared.write_to(&mut out).and_then(|()| out.flush()).map_err(|e| (2, format!("cannot write the document: {e}")))
}
