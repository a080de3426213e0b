//! The README's table of Apig-profile quirks, one test per row: the Apig profile writes the quirk,
//! an independent reader shows the rule it breaks, and the Strict profile corrects it. A last test
//! reads the table itself, so a row cannot be added, dropped or reworded without its test.

use crate::common::*;
use apig_export::{export, Catalog, Dialect, ExportRequest, Exported, Format, Profile, Scope, Settings};
use serde_json::Value;

/// One API that shows every quirk: a CORS API on a greedy path, a tag listed twice, a NUMBER
/// parameter whose default its own enumeration forbids, a STRING parameter without bounds, a
/// remark with U+0080, U+0085 and line separators in a name and a remark, and descriptions that
/// YAML readers take for numbers.
const CATALOG: &str = r#"{
  "groups": [{"id": "g1", "name": "quirks", "sl_domain": "quirks.example.com",
              "gateway_responses": [{"id": "r1", "name": "custom\u2028\u0085\u2029", "responses":
                {"THROTTLED": {"status": 429, "body": "{\"error_msg\":\"slow down\"}"}}}]}],
  "environments": [{"id": "RELEASE", "name": "RELEASE"}],
  "apis": [{"id": "a1", "group_id": "g1", "name": "API_quirks", "req_method": "GET",
            "req_uri": "/files/{path+}", "cors": true, "tags": ["shop", "shop"],
            "remark": "control \u0080 character", "response_id": "r1",
            "backend_type": "MOCK", "mock_info": {"result_content": "ok"},
            "req_params": [
              {"name": "path", "type": "STRING", "location": "PATH", "required": 1},
              {"name": "limit", "type": "NUMBER", "location": "QUERY", "default_value": "5",
               "enumerations": "10,20", "remark": "+.5"},
              {"name": "h", "type": "STRING", "location": "HEADER", "remark": "next\u0085line"},
              {"name": "q", "type": "STRING", "location": "QUERY", "remark": "1_"}
            ]}],
  "publications": [{"api_id": "a1", "env_id": "RELEASE"}]
}"#;

fn catalog() -> Catalog {
    Catalog::from_json(CATALOG.as_bytes()).expect("the quirks catalog is valid")
}

fn run(dialect: Dialect, scope: Scope, format: Format, profile: Profile) -> Exported {
    let request = ExportRequest::new("g1".to_owned(), "RELEASE".to_owned())
        .with_dialect(dialect)
        .with_scope(scope)
        .with_format(format);
    export(&catalog(), &request, &settings(profile)).expect("export")
}

fn json(dialect: Dialect, profile: Profile) -> Value {
    serde_json::from_str(run(dialect, Scope::Spec, Format::Json, profile).content()).expect("JSON")
}

/// The official JSON Schema's findings, as `pointer: message`.
fn schema_findings(dialect: Dialect, doc: &Value) -> Vec<String> {
    let name = match dialect {
        Dialect::Swagger2 => "swagger-2.0.schema.json",
        _ => "openapi-3.0.schema.json",
    };
    let validator = jsonschema::draft4::new(&schema(name)).expect("schema compiles");
    validator.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// The one operation (its path differs between profiles: see the greedy-path row).
fn operation(doc: &Value) -> &Value {
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 1, "{paths:?}");
    &paths.values().next().expect("one path")["get"]
}

/// The operation's parameter named `name` (a 3.0 parameter's schema merged into view).
fn param(doc: &Value, name: &str) -> Value {
    let params = operation(doc)["parameters"].as_array().expect("parameters");
    let p = params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no parameter {name}: {params:?}"));
    p.get("schema").cloned().unwrap_or_else(|| p.clone())
}

fn warnings_of(profile: Profile, dialect: Dialect) -> Vec<String> {
    run(dialect, Scope::Spec, Format::Json, profile).warnings().iter().map(ToString::to_string).collect()
}

#[test]
fn default_cors_response_key() {
    let apig = json(Dialect::OpenApi3, Profile::Apig);
    assert!(operation(&apig)["responses"].get("default-cors").is_some());
    let findings = schema_findings(Dialect::OpenApi3, &apig);
    assert!(findings.iter().any(|f| f.contains("default-cors")), "{findings:?}");
    let strict = json(Dialect::OpenApi3, Profile::Strict);
    let responses = &operation(&strict)["responses"];
    assert!(responses.get("default-cors").is_none() && responses.get("default").is_some(), "{responses}");
    assert!(schema_findings(Dialect::OpenApi3, &strict).is_empty());
}

#[test]
fn validation_bounds_written_as_zero() {
    for dialect in DIALECTS {
        let apig = param(&json(dialect, Profile::Apig), "q");
        let bounds = ["maxLength", "maximum", "minimum"].map(|b| apig[b].as_u64());
        assert_eq!(bounds, [Some(0); 3], "{apig}");
        let strict = param(&json(dialect, Profile::Strict), "q");
        for bound in ["maximum", "minimum", "maxLength", "minLength"] {
            assert!(strict.get(bound).is_none(), "{dialect:?} Strict writes {bound}: {strict}");
        }
    }
    // The rule: a default validates against its own schema. `maxLength: 0` forbids any non-empty one.
    let schema = serde_json::json!({"type": "string", "maxLength": 0});
    assert!(!jsonschema::draft4::new(&schema).unwrap().is_valid(&Value::from("en")));
}

#[test]
fn number_default_and_enum_written_as_strings() {
    for dialect in DIALECTS {
        let apig = param(&json(dialect, Profile::Apig), "limit");
        assert_eq!(apig["type"], "number");
        assert_eq!(apig["default"], "5", "{apig}");
        assert_eq!(apig["enum"], serde_json::json!(["10", "20"]), "{apig}");
        // The rule: an enumeration of a number parameter holds numbers.
        let rule = serde_json::json!({"type": "number"});
        assert!(!jsonschema::draft4::new(&rule).unwrap().is_valid(&apig["enum"][0]));
        let strict = param(&json(dialect, Profile::Strict), "limit");
        assert_eq!(strict["enum"], serde_json::json!([10, 20]), "{strict}");
    }
}

#[test]
fn greedy_path_variable_documented_by_its_bare_name() {
    for dialect in DIALECTS {
        let apig = json(dialect, Profile::Apig);
        assert!(apig["paths"].get("/files/{path+}").is_some());
        let params = operation(&apig)["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["in"] == "path" && p["name"] == "path"), "{params:?}");
        // Strict: a plain variable every validator accepts, the greedy path kept in an extension.
        let strict = json(dialect, Profile::Strict);
        assert!(strict["paths"].get("/files/{path}").is_some(), "{}", strict["paths"]);
        let op = operation(&strict);
        assert_eq!(op["x-apigateway-request-path"], "/files/{path+}");
        let params = op["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["in"] == "path" && p["name"] == "path"), "{params:?}");
        let warnings = warnings_of(Profile::Strict, dialect);
        assert!(
            warnings.iter().any(|w| w.contains("path \"/files/{path+}\" written as \"/files/{path}\"")),
            "{warnings:?}"
        );
    }
    // The rule: openapi-spec-validator reads `{path+}` as a variable named `path+`. It accepts the
    // Strict export, and rejects it once only this quirk is put back.
    let validator = oracles().join("venv/bin/openapi-spec-validator");
    let dir = tempdir("greedy");
    let (strict_file, quirk_file) = (dir.join("strict.json"), dir.join("quirk.json"));
    let strict = run(Dialect::OpenApi3, Scope::Spec, Format::Json, Profile::Strict);
    std::fs::write(&strict_file, strict.content()).unwrap();
    std::fs::write(&quirk_file, strict.content().replace("\"/files/{path}\": {", "\"/files/{path+}\": {")).unwrap();
    let accepted = oracle_output(&validator, &[strict_file.to_str().unwrap()], "");
    let refused = oracle_output(&validator, &[quirk_file.to_str().unwrap()], "");
    assert!(accepted.trim_end().ends_with(": OK"), "openapi-spec-validator on Strict: {accepted}");
    assert!(!refused.contains(": OK") && refused.contains("path+"), "openapi-spec-validator: {refused}");
}

#[test]
fn default_its_own_enumeration_forbids() {
    for dialect in DIALECTS {
        let apig = param(&json(dialect, Profile::Apig), "limit");
        assert_eq!(apig["default"], "5");
        let strict = param(&json(dialect, Profile::Strict), "limit");
        assert!(strict.get("default").is_none(), "{strict}");
        let warnings = warnings_of(Profile::Strict, dialect);
        assert!(
            warnings.iter().any(|w| w.contains("default \"5\" of parameter \"limit\" left out of the Strict profile")),
            "{warnings:?}"
        );
    }
    // The rule: a default validates against its own schema.
    let rule = serde_json::json!({"type": "number", "enum": [10, 20]});
    assert!(!jsonschema::draft4::new(&rule).unwrap().is_valid(&Value::from(5)));
}

#[test]
fn tag_listed_twice() {
    let apig = json(Dialect::Swagger2, Profile::Apig);
    assert_eq!(operation(&apig)["tags"], serde_json::json!(["shop", "shop"]));
    // The rule: Swagger 2.0's schema requires unique tags.
    let findings = schema_findings(Dialect::Swagger2, &apig);
    assert!(findings.iter().any(|f| f.contains("/tags") && f.contains("unique")), "{findings:?}");
    for dialect in DIALECTS {
        let strict = json(dialect, Profile::Strict);
        assert_eq!(operation(&strict)["tags"], serde_json::json!(["shop"]));
        let warnings = warnings_of(Profile::Strict, dialect);
        assert!(warnings.iter().any(|w| w.contains("repeated tag \"shop\" left out")), "{warnings:?}");
    }
    assert!(!warnings_of(Profile::Apig, Dialect::Swagger2).iter().any(|w| w.contains("tag")));
}

#[test]
fn raw_c1_controls_in_json_strings() {
    // The rule: a JSON file is also YAML, and validators read it as YAML (openapi-spec-validator
    // through PyYAML's loader), so it must read back as the same tree. YAML 1.1 refuses the C1
    // controls, reads U+0085 as a line break, and a line break inside a key breaks the mapping.
    let python = oracles().join("venv/bin/python");
    let read = "import json, sys, yaml\nloader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n\
                text = sys.stdin.read()\n\
                try:\n    print('same' if yaml.load(text, Loader=loader) == json.loads(text) else 'different')\n\
                except yaml.YAMLError as e:\n    print('refused')";
    for scope in [Scope::Spec, Scope::All] {
        let apig = run(Dialect::Swagger2, scope, Format::Json, Profile::Apig);
        assert!(apig.content().contains("control \u{80} character"));
        assert_eq!(oracle_output(&python, &["-c", read], apig.content()).trim(), "refused", "{scope}");
        let strict = run(Dialect::Swagger2, scope, Format::Json, Profile::Strict);
        assert!(strict.content().contains("control \\u0080 character"));
        assert!(strict.content().contains("next\\u0085line"));
        assert_eq!(oracle_output(&python, &["-c", read], strict.content()).trim(), "same", "{scope}");
    }
    let strict = run(Dialect::Swagger2, Scope::All, Format::Json, Profile::Strict);
    assert!(strict.content().contains("\"custom\\u2028\\u0085\\u2029\": {"), "{}", strict.content());
}

#[test]
fn gateway_responses_appended_after_the_root_object() {
    let apig = run(Dialect::Swagger2, Scope::All, Format::Json, Profile::Apig);
    assert!(apig.content().contains("\n\t}\n,\n\t\"x-apigateway-responses\": {"), "{}", apig.content());
    // Breaks no rule: the text is still one JSON object, with the member at the root.
    let doc: Value = serde_json::from_str(apig.content()).expect("still JSON");
    assert!(doc["x-apigateway-responses"]["custom\u{2028}\u{85}\u{2029}"].is_object());
    let strict = run(Dialect::Swagger2, Scope::All, Format::Json, Profile::Strict);
    assert!(!strict.content().contains("\n,\n"));
    let strict: Value = serde_json::from_str(strict.content()).unwrap();
    assert_eq!(strict["x-apigateway-responses"], doc["x-apigateway-responses"]);
}

/// The YAML line of the parameter's description, in the given profile.
fn yaml_description(profile: Profile, wanted: &str) -> (String, String) {
    let yaml = run(Dialect::OpenApi3, Scope::Spec, Format::Yaml, profile);
    let line = yaml
        .content()
        .lines()
        .map(|l| l.trim_start().trim_start_matches("- "))
        .find(|l| l.starts_with("description: ") && l.contains(wanted))
        .unwrap_or_else(|| panic!("no description {wanted}:\n{}", yaml.content()))
        .to_owned();
    (line, yaml.content().to_owned())
}

#[test]
fn signed_leading_dot_number_unquoted_in_yaml() {
    let (apig, _) = yaml_description(Profile::Apig, "+.5");
    assert_eq!(apig, "description: +.5");
    // The rule: a YAML 1.2 reader (serde_yaml) reads it as the number 0.5.
    let read: Value = read_yaml(&apig).unwrap();
    assert_eq!(read["description"], serde_json::json!(0.5));
    let (strict, _) = yaml_description(Profile::Strict, "+.5");
    assert_eq!(strict, "description: '+.5'");
    let read: Value = read_yaml(&strict).unwrap();
    assert_eq!(read["description"], "+.5");
}

#[test]
fn trailing_underscore_number_unquoted_in_yaml() {
    let (apig, _) = yaml_description(Profile::Apig, "1_");
    assert_eq!(apig, "description: 1_");
    // The rule: a YAML 1.1 reader (PyYAML, as openapi-spec-validator uses) reads it as the integer 1.
    let python = oracles().join("venv/bin/python");
    let read = "import sys, yaml\nprint(repr(yaml.safe_load(sys.stdin.read())['description']))";
    assert_eq!(oracle_output(&python, &["-c", read], &apig).trim(), "1");
    let (strict, _) = yaml_description(Profile::Strict, "1_");
    assert_eq!(strict, "description: '1_'");
    assert_eq!(oracle_output(&python, &["-c", read], &strict).trim(), "'1_'");
}

/// Names that become keys (a throttling policy, an ACL, a gateway response and its error type, an
/// authorizer) 2,000 characters long: the Strict profile's JSON still reads as YAML, as validators
/// read it, and says which keys it shortened.
#[test]
fn names_longer_than_a_yaml_key_as_stored() {
    let long = |c: &str| c.repeat(2_000);
    let bytes = serde_json::to_vec(&serde_json::json!({
        "groups": [{"id": "g1", "name": "shop", "sl_domain": "shop.example.com",
                    "gateway_responses": [{"id": "r1", "name": long("r"), "responses":
                        {long("E"): {"status": 429, "body": "{}"}}}]}],
        "environments": [{"id": "RELEASE", "name": "RELEASE"}],
        "authorizers": [{"id": "az1", "name": long("a"), "type": "FRONTEND", "authorizer_uri": "urn:x"}],
        "throttles": [{"id": "t1", "name": long("t"), "api_call_limits": 10, "time_interval": 1, "time_unit": "SECOND"}],
        "acls": [{"id": "acl1", "acl_name": long("c"), "acl_type": "PERMIT", "entity_type": "IP", "acl_value": "10.0.0.0/8"}],
        "apis": [{"id": "a1", "group_id": "g1", "name": "API_ping", "req_method": "GET", "req_uri": "/ping",
                  "auth_type": "AUTHORIZER", "authorizer_id": "az1", "response_id": "r1",
                  "backend_type": "MOCK", "mock_info": {"result_content": "pong"}},
                 {"id": "a2", "group_id": "g1", "name": "API_long", "req_method": "GET",
                  "req_uri": format!("/{}/{{id}}", long("p")),
                  "req_params": [{"name": "id", "type": "STRING", "location": "PATH", "required": 1}],
                  "backend_type": "MOCK", "mock_info": {"result_content": "long"}}],
        "publications": [{"api_id": "a1", "env_id": "RELEASE"}, {"api_id": "a2", "env_id": "RELEASE"}],
        "throttle_bindings": [{"throttle_id": "t1", "api_id": "a1", "env_id": "RELEASE"}],
        "acl_bindings": [{"acl_id": "acl1", "api_id": "a1", "env_id": "RELEASE"}]
    }))
    .unwrap();
    let catalog = Catalog::from_json(&bytes).unwrap();
    let python = oracles().join("venv/bin/python");
    let read =
        "import json, sys, yaml\nloader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\ntext = sys.stdin.read()\n\
                try:\n    print('same' if yaml.load(text, Loader=loader) == json.loads(text) else 'different')\n\
                except yaml.YAMLError as e:\n    print('refused')";
    for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
        let request =
            ExportRequest::new("g1".to_owned(), "RELEASE".to_owned()).with_dialect(dialect).with_scope(Scope::All);
        let strict = export(&catalog, &request, &Settings::default().with_profile(Profile::Strict)).unwrap();
        assert_eq!(oracle_output(&python, &["-c", read], strict.content()).trim(), "same", "{dialect:?}");
        let shortened = strict.warnings().iter().filter(|w| w.message().contains("1,024 characters")).count();
        assert_eq!(shortened, 5, "{:#?}", strict.warnings());
        // The path keeps its variable after the short form, and APIG's path in an extension.
        let doc: Value = serde_json::from_str(strict.content()).unwrap();
        let (path, item) = doc["paths"].as_object().unwrap().iter().find(|(p, _)| p.starts_with("/ppp")).unwrap();
        assert!(path.len() < 80 && path.ends_with("/{id}"), "{path}");
        assert_eq!(item["get"]["x-apigateway-request-path"], format!("/{}/{{id}}", long("p")));
        // The Apig profile writes the names as stored: the JSON is valid, but YAML readers refuse it.
        let apig = export(&catalog, &request, &Settings::default()).unwrap();
        assert_eq!(oracle_output(&python, &["-c", read], apig.content()).trim(), "refused", "{dialect:?}");
    }
}

/// Redocly CLI's `spec` ruleset on one JSON document: the rule ids it reports.
fn redocly_spec(doc: &Value) -> Vec<String> {
    let dir = tempdir("redocly");
    let file = dir.join("doc.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let exe = oracles().join("node/node_modules/.bin/redocly");
    let out = std::process::Command::new(&exe)
        .args(["lint", "--extends", "spec", "--format", "json", "--lint-config", "off"])
        .arg(&file)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap_or_else(|e| panic!("Redocly CLI at {}: {e}", exe.display()));
    drop(dir);
    let report: Value = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("Redocly's report: {}", String::from_utf8_lossy(&out.stderr)));
    report["problems"].as_array().unwrap().iter().map(|p| p["ruleId"].as_str().unwrap().to_owned()).collect()
}

/// Two APIs whose paths differ only in a variable's name and a `+`.
#[test]
fn paths_that_differ_only_in_variable_names() {
    let catalog = Catalog::from_json(
        br#"{"groups": [{"id": "g1", "name": "files", "sl_domain": "files.apic.cn-north-4.huaweicloudapis.com"}],
        "environments": [{"id": "RELEASE", "name": "RELEASE"}],
        "apis": [
          {"id": "a1", "group_id": "g1", "name": "API_put", "req_method": "PUT", "req_uri": "/files/{path+}",
           "req_params": [{"name": "path", "type": "STRING", "location": "PATH", "required": 1}],
           "backend_type": "MOCK", "mock_info": {"result_content": "put"}},
          {"id": "a2", "group_id": "g1", "name": "API_get", "req_method": "GET", "req_uri": "/files/{name}",
           "req_params": [{"name": "name", "type": "STRING", "location": "PATH", "required": 1}],
           "backend_type": "MOCK", "mock_info": {"result_content": "get"}}],
        "publications": [{"api_id": "a1", "env_id": "RELEASE"}, {"api_id": "a2", "env_id": "RELEASE"}]}"#,
    )
    .unwrap();
    let request = ExportRequest::new("g1".to_owned(), "RELEASE".to_owned()).with_dialect(Dialect::OpenApi3);
    let apig = export(&catalog, &request, &Settings::default()).unwrap();
    let doc: Value = serde_json::from_str(apig.content()).unwrap();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/files/{name}", "/files/{path+}"]);
    let found = apig_export::testkit::check::check(apig.content()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message().contains("differs only in variable names"));
    // Strict: one path item, named by the exact path; the greedy one keeps APIG's path.
    let strict = export(&catalog, &request, &Settings::default().with_profile(Profile::Strict)).unwrap();
    let mut doc: Value = serde_json::from_str(strict.content()).unwrap();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/files/{name}"]);
    assert_eq!(doc["paths"]["/files/{name}"]["put"]["x-apigateway-request-path"], "/files/{path+}");
    assert!(apig_export::testkit::check::check(strict.content()).unwrap().is_empty());
    // The rule: Redocly refuses two paths that differ only in variable names. It accepts the
    // Strict export, and refuses it once only this quirk is put back.
    assert_eq!(redocly_spec(&doc), Vec::<String>::new());
    let mut put = doc["paths"]["/files/{name}"].as_object_mut().unwrap().remove("put").unwrap();
    put["parameters"][0]["name"] = "path".into();
    doc["paths"]["/files/{path}"] = serde_json::json!({ "put": put });
    assert_eq!(redocly_spec(&doc), ["no-identical-paths"]);
}

/// Each row of the README's quirk table and the test above that pins it.
const ROWS: &[(&str, &str)] = &[
    ("`default-cors` as an operation response key (3.0)", "default_cors_response_key"),
    ("validation bounds written as `0` when unset", "validation_bounds_written_as_zero"),
    ("NUMBER `default` / `enum` written as strings", "number_default_and_enum_written_as_strings"),
    ("greedy `{name+}` documented by a parameter `name`", "greedy_path_variable_documented_by_its_bare_name"),
    ("a default its own enumeration or bounds forbid, as stored", "default_its_own_enumeration_forbids"),
    ("a tag an API lists twice, as stored", "tag_listed_twice"),
    ("raw U+007F–U+009F, U+FFFE, U+FFFF in JSON strings", "raw_c1_controls_in_json_strings"),
    (
        "`x-apigateway-responses` appended after the root object (2.0 JSON)",
        "gateway_responses_appended_after_the_root_object",
    ),
    ("a string of the form `+.5` written unquoted (YAML)", "signed_leading_dot_number_unquoted_in_yaml"),
    (
        "a number with a trailing `_` such as `1_` written unquoted (YAML)",
        "trailing_underscore_number_unquoted_in_yaml",
    ),
    ("a name over 1,024 characters of JSON text as a key, as stored", "names_longer_than_a_yaml_key_as_stored"),
    ("paths that differ only in their variables' names or a `+`", "paths_that_differ_only_in_variable_names"),
];

#[test]
fn every_row_of_the_readme_quirk_table_has_its_test() {
    let readme = String::from_utf8(read(&root().join("README.md"))).unwrap();
    let table = readme.split("### The Apig profile's quirks").nth(1).expect("the quirk section");
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_start_matches('|').split(" | ").next().unwrap_or_default().trim())
        .collect();
    let pinned: Vec<&str> = ROWS.iter().map(|(row, _)| *row).collect();
    assert_eq!(rows, pinned, "the README's quirk table and this file's tests must list the same rows");
    let source = String::from_utf8(read(&root().join("tests/export/quirks.rs"))).unwrap();
    for (_, test) in ROWS {
        assert!(source.contains(&format!("#[test]\nfn {test}()")), "no test named {test}");
    }
}
