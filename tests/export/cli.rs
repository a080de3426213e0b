//! The CLI examples (`examples/export.rs`, `examples/import.rs`) as a user runs them: a stable
//! contract.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::*;

/// An example binary that `cargo test` builds beside the test binaries.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target dir");
    let path = dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing: build it with `cargo build --examples`", path.display());
    path
}

fn cli(args: &[&str]) -> Output {
    Command::new(example("export")).args(args).current_dir(root()).output().expect("run the example")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn no_flags_exports_the_demo_as_valid_swagger_2() {
    let out = cli(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["swagger"], "2.0");
    assert_eq!(doc["info"]["title"], "demo_shop");
    let validator = jsonschema::draft4::new(&schema("swagger-2.0.schema.json")).unwrap();
    let findings: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(findings.is_empty(), "{findings:#?}");
    // Warnings go to stderr, one per line.
    let stderr = text(&out.stderr);
    assert!(stderr.lines().all(|l| l.starts_with("warning: ")), "{stderr}");
    assert!(stderr.contains("left out: gRPC APIs cannot be exported"));
}

#[test]
fn flags_reach_the_request() {
    let out = cli(&[
        "--define",
        "all",
        "--oas",
        "3.0",
        "--version",
        "v9",
        "--apis",
        "api-echo,api-get-order",
        "--profile",
        "strict",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["version"], "v9");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/echo", "/orders/{orderId}"]);
    assert!(doc["components"]["x-apigateway-ratelimits"]["tp_basic"].is_object());
}

#[test]
fn invalid_request_prints_the_apig_error_body_and_exits_1() {
    let out = cli(&["--define", "full"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr).trim_end(),
        r#"{"error_code":"APIG.2012","error_msg":"Invalid parameter value,parameterName:define. Please refer to the support documentation"}"#
    );
    let out = cli(&["--group", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        r#"{"error_code":"APIG.3001","error_msg":"API group nope does not exist"}"#
    );
    let out = cli(&["--oas", "4.0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("parameterName:oas_version"));
}

#[test]
fn unreadable_or_invalid_catalog_exits_2_with_the_location() {
    let out = cli(&["--catalog", "does/not/exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("cannot read catalog does/not/exist.json: "), "{}", text(&out.stderr));

    let dir = tempdir("cli");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"apis": [{"id": "a", "group_id": "g", "req_uri": "/x/{id}"}]}"#).unwrap();
    let out = cli(&["--catalog", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("  apis[0].group_id: unknown group \"g\""), "{stderr}");
    assert!(
        stderr.contains("  apis[0].req_uri: \"/x/{id}\": variable \"id\" is not declared as a PATH parameter"),
        "{stderr}"
    );
    drop(dir);

    let out = cli(&["--bogus", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("unknown flag \"--bogus\""));
}

/// The import example: APIG's response on stdout, the catalog written, exit 1 with APIG's body
/// when the document is refused.
#[test]
fn the_import_example_imports_and_refuses_like_apig() {
    let exe = example("import");
    let dir = tempdir("import-example");
    let out_path = dir.join("catalog.json");
    let out = Command::new(&exe)
        .args(["--file", "fixtures/import/otc-import-mock-oas3.yaml", "--out", out_path.to_str().unwrap()])
        .current_dir(root())
        .output()
        .expect("run the import example");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(response["success"].as_array().unwrap().len(), 1);
    let catalog = apig_export::Catalog::from_json(&std::fs::read(&out_path).unwrap()).expect("a valid catalog");
    assert_eq!(catalog.data().groups[0].name, "importHttpVpcEndpoint");
    let refused = Command::new(&exe).args(["--file", "Cargo.toml"]).current_dir(root()).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let body: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("APIG's error body");
    assert!(body["error_code"].as_str().unwrap().starts_with("APIG.36"), "{body}");
}
