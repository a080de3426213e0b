//! Imports a Swagger 2.0 / OpenAPI 3.0 document the way APIG's import endpoint does.
//!
//! ```text
//! cargo run --example import -- --file DOC [--catalog BASE.json] [--group-id ID]
//!     [--api-mode merge|override] [--extend-mode merge|override] [--publish-to ENV] [--out CATALOG.json]
//! ```
//!
//! Imports DOC into BASE (an empty catalog when absent), into a new group named `info.title`
//! unless `--group-id` names an existing one. APIG's response goes to stdout; with `--out`, the
//! resulting catalog is written there (the catalog format of `docs/catalog.md`).
//! Exit status: 0 done (per-API failures are in the response); 1 the whole document was refused
//! (APIG's error body on stdout); 2 unreadable files, an invalid base catalog, or a bad command line.

use std::process::ExitCode;

use apig_export::import::{import, ImportOptions, Mode};
use apig_export::Catalog;

const USAGE: &str = "usage: import --file DOC [--catalog BASE.json] [--group-id ID] [--api-mode merge|override] \
[--extend-mode merge|override] [--publish-to ENV] [--out CATALOG.json]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<u8, String> {
    let (mut file, mut base, mut out) = (None, None, None);
    let mut options = ImportOptions::new();
    let mode = |v: &str| Mode::from_name(v).ok_or_else(|| format!("{v}: expected merge or override\n{USAGE}"));
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(0);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--file" => file = Some(value),
            "--catalog" => base = Some(value),
            "--out" => out = Some(value),
            "--group-id" => options = options.into_group(value),
            "--api-mode" => options = options.with_api_mode(mode(&value)?),
            "--extend-mode" => options = options.with_extend_mode(mode(&value)?),
            "--publish-to" => options = options.with_publish_to(value),
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    let file = file.ok_or_else(|| format!("--file is required\n{USAGE}"))?;
    let document = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
    let base = match base {
        None => Catalog::new(Default::default()).map_err(|e| format!("{e:#}"))?,
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
            Catalog::from_json(&bytes).map_err(|e| format!("{path}: {e:#}"))?
        }
    };
    match import(&base, &document, &options) {
        Err(e) => {
            println!("{}", e.to_json());
            Ok(1)
        }
        Ok(imported) => {
            println!("{}", imported.response().to_json());
            if let Some(path) = out {
                let json = serde_json::to_string_pretty(imported.catalog().data()).map_err(|e| e.to_string())?;
                std::fs::write(&path, json).map_err(|e| format!("{path}: {e}"))?;
            }
            Ok(0)
        }
    }
}
