//! Fidelity to the real APIG exports in `fixtures/samples`, reproduced from fixture catalogs.

use std::collections::BTreeSet;

use crate::common::*;
use apig_export::{Dialect, Format, Profile, Scope};
use serde_json::Value;

fn sample(name: &str) -> String {
    String::from_utf8(read(&fixtures().join("samples").join(name))).unwrap()
}

/// The one member APIG's current generator writes that the 2023 generator did not yet.
const SEND_FG_BODY_LINE: &str = "\t\t\t\t\"x-apigateway-is-send-fg-body-base64\": true,\n";

#[test]
fn otc_2023_all_mock_is_reproduced_byte_for_byte_but_one_line() {
    let catalog = catalog("otc-2023-mock");
    let request = request_for(&catalog, Some("2023-07-11-19:54:22"));
    let exported = run(&catalog, &request, Dialect::Swagger2, Scope::All, Format::Json, Profile::Apig);
    // The 2023 generator predates `x-apigateway-is-send-fg-body-base64` (present in every export
    // since 2024): remove exactly that one line from our output, nothing else.
    assert_eq!(exported.content().matches(SEND_FG_BODY_LINE).count(), 1);
    let ours = exported.content().replacen(SEND_FG_BODY_LINE, "", 1);
    let real = sample("otc-2023-swagger2-all-mock.json");
    assert_eq!(ours, real, "{}", first_diff(&ours, &real));
    assert_eq!(exported.file_name(), "test8-RELEASE-all-2023-07-11-19:54:22");
}

#[test]
fn otc_2023_task_result_is_reproduced() {
    let catalog = catalog("otc-2023-mock");
    let request = request_for(&catalog, Some("2023-07-11-19:54:22"));
    let exported = run(&catalog, &request, Dialect::Swagger2, Scope::All, Format::Json, Profile::Apig);
    let task: Value = serde_json::from_str(&sample("otc-2023-task-result.json")).unwrap();
    let real = task["task_result"].as_str().unwrap();
    // The same single line, as it appears inside the JSON string of task_result.
    let escaped_line = serde_json::to_string(SEND_FG_BODY_LINE).unwrap();
    let escaped_line = &escaped_line[1..escaped_line.len() - 1];
    let ours = exported.task_result();
    assert_eq!(ours.matches(escaped_line).count(), 1);
    let ours = ours.replacen(escaped_line, "", 1);
    assert_eq!(ours, real, "{}", first_diff(&ours, real));
    let parsed: Value = serde_json::from_str(&ours).unwrap();
    assert_eq!(parsed["FileName"], "test8-RELEASE-all-2023-07-11-19:54:22");
    assert_eq!(parsed["FileType"], ".json");
}

#[test]
fn gen_2026_proxy_function_json_export_has_the_real_tree_and_yaml_its_bytes() {
    let catalog = catalog("gen-2026-function");
    let request = request_for(&catalog, Some("2026-06-18-14:32:33"));
    let real_yaml = sample("gen-openapi-2026-oas3-proxy-function.yaml");
    let real: Value = read_yaml(&real_yaml).unwrap();
    let json = run(&catalog, &request, Dialect::OpenApi3, Scope::Proxy, Format::Json, Profile::Apig);
    let ours: Value = serde_json::from_str(json.content()).unwrap();
    assert_eq!(ours, real);
    let yaml = run(&catalog, &request, Dialect::OpenApi3, Scope::Proxy, Format::Yaml, Profile::Apig);
    assert_eq!(yaml.content(), real_yaml, "{}", first_diff(yaml.content(), &real_yaml));
    assert!(json.warnings().is_empty());
}

/// Members the current generator writes that the 2019 (v1) generator did not.
const ADDED_SINCE_2019: &[&str] = &[
    // request parameters: validation bounds and parameter extensions
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "x-apigateway-orchestrations",
    "x-apigateway-pass-through",
    "x-apigateway-sample",
    // backend endpoints
    "enableClientSsl",
    "retryCount",
    "cascade_flag",
    // operation
    "x-apigateway-is-send-fg-body-base64",
    // root, define=all
    "x-apigateway-responses",
];

fn remove_keys(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !keys.contains(&k.as_str()));
            map.values_mut().for_each(|v| remove_keys(v, keys));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| remove_keys(v, keys)),
        _ => {}
    }
}

#[test]
fn huawei_2019_all_http_has_the_real_tree_minus_newer_members() {
    let catalog = catalog("huawei-2019-http");
    let request = request_for(&catalog, Some("2019-09-12-17:38:10"));
    let exported = run(&catalog, &request, Dialect::Swagger2, Scope::All, Format::Json, Profile::Apig);
    let mut ours: Value = serde_json::from_str(exported.content()).unwrap();
    remove_keys(&mut ours, ADDED_SINCE_2019);
    let policy = &mut ours["paths"]["/test/{path}"]["get"]["x-apigateway-backend-policies"][0]["httpVpcEndpoints"];
    // Also absent in 2019: the policy backend's description (the default backend had it).
    assert_eq!(policy.as_object_mut().unwrap().remove("description"), Some(Value::from("")));
    let mut real: Value = serde_json::from_str(&sample("huawei-2019-v1-swagger2-all-http.json")).unwrap();
    // The 2019 generator wrote the policy backend's scheme upper-case ("HTTPS") while the default
    // backend had "https"; the current generator writes lower-case everywhere.
    let scheme =
        &mut real["paths"]["/test/{path}"]["get"]["x-apigateway-backend-policies"][0]["httpVpcEndpoints"]["scheme"];
    assert_eq!(scheme, "HTTPS");
    *scheme = Value::from("https");
    assert_eq!(ours, real);
}

fn keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn the_demo_catalog_exercises_every_extension() {
    let catalog = catalog("demo");
    let request = request_for(&catalog, None);
    for dialect in DIALECTS {
        let mut seen = BTreeSet::new();
        let mut values = BTreeSet::new();
        for scope in [Scope::All, Scope::Dev] {
            let exported = run(&catalog, &request, dialect, scope, Format::Json, Profile::Apig);
            let doc: Value = serde_json::from_str(exported.content()).unwrap();
            keys(&doc, &mut seen);
            let text = exported.content();
            for v in [
                "\"HTTP\"",
                "\"HTTP-VPC\"",
                "\"FUNCTION\"",
                "\"MOCK\"",
                "\"SWA\"",
                "\"private\"",
                "\"never\"",
                "\"AUTHORIZER\"",
            ] {
                if text.contains(v) {
                    values.insert(v);
                }
            }
        }
        let mut wanted = vec![
            "x-apigateway-auth-type",
            "x-apigateway-auth-opt",
            "x-apigateway-authorizer",
            "x-apigateway-request-type",
            "x-apigateway-match-mode",
            "x-apigateway-cors",
            "x-apigateway-is-send-fg-body-base64",
            "x-apigateway-any-method",
            "x-apigateway-backend",
            "x-apigateway-backend-policies",
            "x-apigateway-ratelimit",
            "x-apigateway-ratelimits",
            "x-apigateway-access-control",
            "x-apigateway-access-controls",
            "x-apigateway-plugins",
            "x-apigateway-result-normal-sample",
            "x-apigateway-result-failure-sample",
            "x-apigateway-response",
            "x-apigateway-responses",
            "x-apigateway-pass-through",
            "x-apigateway-orchestrations",
            "functionEndpoints",
            "httpEndpoints",
            "httpVpcEndpoints",
            "mockEndpoints",
            "special",
        ];
        if dialect == Dialect::Swagger2 {
            wanted.extend(["x-apigateway-sample", "x-apigateway-content-type"]);
        }
        let missing: Vec<&&str> = wanted.iter().filter(|k| !seen.contains(**k)).collect();
        assert!(missing.is_empty(), "{dialect:?}: the demo never exports {missing:?}");
        assert_eq!(values.len(), 8, "{dialect:?}: {values:?}");
    }
}
