//! Catalog loading: every validation rule, with its location and message pinned.

use apig_export::{Catalog, CatalogError};
use serde_json::{json, Value};

/// A small valid catalog to break one piece at a time.
fn base() -> Value {
    json!({
        "groups": [{"id": "g1", "name": "shop", "sl_domain": "g1.apic.example.com",
                    "gateway_responses": [{"id": "r1", "name": "default", "responses": {}}]}],
        "environments": [{"id": "RELEASE", "name": "RELEASE"}],
        "authorizers": [{"id": "az1", "name": "Authorizer_1", "type": "FRONTEND", "authorizer_uri": "urn:x"},
                        {"id": "az2", "name": "Authorizer_2", "type": "BACKEND", "authorizer_uri": "urn:y"}],
        "throttles": [{"id": "t1", "name": "tp", "api_call_limits": 10, "time_interval": 1, "time_unit": "SECOND"}],
        "acls": [{"id": "acl1", "acl_name": "office", "acl_type": "PERMIT", "entity_type": "IP", "acl_value": "10.0.0.0/8"}],
        "plugins": [{"plugin_id": "p1", "plugin_name": "Plugin_1"}],
        "vpc_channels": [{"id": "v1", "name": "VPC_1"}],
        "orchestrations": [{"orchestration_id": "o1", "orchestration_name": "Orch_1"}],
        "apis": [{
            "id": "a1", "group_id": "g1", "name": "API_get", "req_method": "GET", "req_uri": "/items/{id}",
            "auth_type": "NONE", "backend_type": "HTTP",
            "req_params": [{"name": "id", "type": "STRING", "location": "PATH", "required": 1},
                           {"name": "n", "type": "NUMBER", "location": "QUERY", "default_value": "5", "enumerations": "1,5"}],
            "backend_api": {"url_domain": "b.example.com", "req_method": "GET", "req_uri": "/items/{id}"},
            "backend_params": [{"origin": "REQUEST", "name": "id", "location": "PATH", "value": "id"}],
            "policy_https": [{"name": "pol", "url_domain": "c.example.com", "req_uri": "/",
                              "conditions": [{"condition_origin": "param", "req_param_name": "n", "condition_type": "exact", "condition_value": "1"}]}]
        }],
        "publications": [{"api_id": "a1", "env_id": "RELEASE"}],
        "throttle_bindings": [{"throttle_id": "t1", "api_id": "a1", "env_id": "RELEASE"}],
        "acl_bindings": [{"acl_id": "acl1", "api_id": "a1", "env_id": "RELEASE"}],
        "plugin_bindings": [{"plugin_id": "p1", "api_id": "a1", "env_id": "RELEASE"}]
    })
}

fn load(v: &Value) -> Result<Catalog, CatalogError> {
    Catalog::from_json(&serde_json::to_vec(v).unwrap())
}

/// Sets `pointer` in the base catalog to `value` and returns the errors as strings.
fn broken(pointer: &str, value: Value) -> Vec<String> {
    let mut v = base();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match v.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}")) {
        Value::Object(map) => drop(map.insert(key.to_owned(), value)),
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("{parent} is {other}"),
    }
    let err = load(&v).expect_err(pointer);
    err.issues().iter().map(ToString::to_string).collect()
}

fn first(pointer: &str, value: Value) -> String {
    broken(pointer, value).remove(0)
}

/// Breaks the base catalog one row at a time (`pointer` set to `value`) and checks the first
/// issue reported against `expected`; reports every row that differs, not only the first.
fn table(rows: Vec<(&str, Value, &str)>) {
    let wrong: Vec<String> = rows
        .into_iter()
        .filter_map(|(pointer, value, expected)| {
            let got = first(pointer, value);
            (got != expected).then(|| format!("{pointer}:\n  expected {expected}\n  got      {got}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_base_catalog_is_valid() {
    let catalog = load(&base()).unwrap();
    assert_eq!(catalog.data().apis.len(), 1);
    // The publication without a definition published the draft as it is.
    assert_eq!(catalog.data().publications[0].definition.as_ref().unwrap().name, "API_get");
}

#[test]
fn json_and_type_errors_are_located() {
    let e = Catalog::from_json(b"{\n  \"groups\": [}").unwrap_err();
    assert_eq!(e.to_string(), "line 2 column 14: invalid JSON: expected value");
    assert_eq!(Catalog::from_json(b"[]").unwrap_err().to_string(), "a catalog must be a JSON object");
    table(vec![
        ("/apis/0/cors", json!("yes"), "apis[0].cors: invalid type: string \"yes\", expected a boolean"),
        ("/apis/0/req_params/0/location", json!("BODY"), "apis[0].req_params[0].location: unknown variant `BODY`, expected one of `HEADER`, `PATH`, `QUERY`, `COOKIE`"),
        ("/apis/0/req_params/1/min_num", json!(1.5), "apis[0].req_params[1].min_num: invalid type: floating point `1.5`, expected i64"),
        ("/apis/0/type", json!(300), "apis[0].type: invalid value: integer `300`, expected u8"),
    ]);
}

#[test]
fn nulls_are_absent_and_unknown_fields_ignored() {
    let mut v = base();
    v["apis"][0]["authorizer_id"] = Value::Null;
    v["apis"][0]["register_time"] = json!("2024-01-01T00:00:00Z");
    v["apis"][0]["remark"] = Value::Null;
    v["something_else"] = json!({"x": [1, 2]});
    load(&v).unwrap();
}

#[test]
fn ids_are_unique_and_non_empty() {
    let mut v = base();
    let dup = v["apis"][0].clone();
    v["apis"].as_array_mut().unwrap().push(dup);
    let issues: Vec<String> = load(&v).unwrap_err().issues().iter().map(ToString::to_string).collect();
    assert_eq!(issues[0], "apis[1].id: duplicate id \"a1\" (first at apis[0])");
    table(vec![("/groups/0/id", json!(""), "groups[0].id: must not be empty")]);
}

#[test]
fn references_resolve() {
    table(vec![
        ("/apis/0/group_id", json!("nope"), "apis[0].group_id: unknown group \"nope\""),
        ("/publications/0/env_id", json!("PROD"), "publications[0].env_id: unknown environment \"PROD\""),
        ("/publications/0/api_id", json!("zz"), "publications[0].api_id: unknown API \"zz\""),
        ("/apis/0/auth_type", json!("AUTHORIZER"), "apis[0].authorizer_id: must be set when auth_type is AUTHORIZER"),
    ]);
    let mut v = base();
    v["apis"][0]["auth_type"] = json!("AUTHORIZER");
    v["apis"][0]["authorizer_id"] = json!("az2");
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "apis[0].authorizer_id: authorizer \"az2\" is BACKEND, expected FRONTEND (and 1 more)"
    );
    table(vec![
        ("/apis/0/response_id", json!("r9"), "apis[0].response_id: unknown gateway response \"r9\" of group \"g1\""),
        (
            "/apis/0/req_params/0/orchestrations",
            json!(["o9"]),
            "apis[0].req_params[0].orchestrations[0]: unknown orchestration rule \"o9\"",
        ),
        (
            "/apis/0/backend_params/0/value",
            json!("nope"),
            "apis[0].backend_params[0].value: \"nope\" is not a request parameter of the API",
        ),
        (
            "/apis/0/policy_https/0/conditions/0/req_param_name",
            json!("zz"),
            "apis[0].policy_https[0].conditions[0].req_param_name: \"zz\" is not a request parameter of the API",
        ),
        // A backend policy's authorizer: one member, read into (and checked with) its backend.
        (
            "/apis/0/policy_https/0/authorizer_id",
            json!("az1"),
            "apis[0].policy_https[0].authorizer_id: authorizer \"az1\" is FRONTEND, expected BACKEND",
        ),
    ]);
    let mut v = base();
    v["apis"][0]["backend_type"] = json!("MOCK");
    v["apis"][0]["mock_info"] = json!({"result_content": "ok", "authorizer_id": "az9"});
    v["apis"][0]["backend_api"] = Value::Null;
    v["apis"][0]["policy_https"] = Value::Null;
    v["apis"][0]["policy_mocks"] = json!([{"name": "pm", "result_content": "x", "authorizer_id": "az1",
        "conditions": [{"condition_origin": "source", "condition_value": "10.0.0.0/8"}]}]);
    let issues: Vec<String> = load(&v).unwrap_err().issues().iter().map(ToString::to_string).collect();
    assert_eq!(
        issues,
        [
            "apis[0].mock_info.authorizer_id: unknown authorizer \"az9\"",
            "apis[0].policy_mocks[0].authorizer_id: authorizer \"az1\" is FRONTEND, expected BACKEND",
            // The publication without a definition publishes the draft, checked as published.
            "publications[0].definition.mock_info.authorizer_id: unknown authorizer \"az9\"",
            "publications[0].definition.policy_mocks[0].authorizer_id: authorizer \"az1\" is FRONTEND, expected BACKEND",
        ]
    );
    table(vec![
        (
            "/throttle_bindings/0/throttle_id",
            json!("t9"),
            "throttle_bindings[0].throttle_id: unknown throttling policy \"t9\"",
        ),
        ("/acl_bindings/0/acl_id", json!("x"), "acl_bindings[0]: unknown ACL policy \"x\""),
        (
            "/plugin_bindings/0/env_id",
            json!("TEST"),
            "plugin_bindings[0]: API \"a1\" is not published in environment \"TEST\"",
        ),
    ]);
    let mut v = base();
    v["apis"][0]["backend_api"]["vpc_channel_status"] = json!(1);
    v["apis"][0]["backend_api"]["vpc_channel_info"] = json!({"vpc_channel_id": "v9"});
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "apis[0].backend_api.vpc_channel_info.vpc_channel_id: unknown VPC channel \"v9\" (and 1 more)"
    );
}

#[test]
fn path_templates_match_path_parameters() {
    table(vec![
        (
            "/apis/0/req_uri",
            json!("/items/{id}/{other}"),
            "apis[0].req_uri: \"/items/{id}/{other}\": variable \"other\" is not declared as a PATH parameter",
        ),
        (
            "/apis/0/req_uri",
            json!("/items"),
            "apis[0].req_params[0].name: PATH parameter \"id\" does not appear in req_uri \"/items\"",
        ),
        ("/apis/0/req_uri", json!("items/{id}"), "apis[0].req_uri: \"items/{id}\" does not start with \"/\""),
        (
            "/apis/0/req_uri",
            json!("/items/x{id}"),
            "apis[0].req_uri: \"/items/x{id}\": segment \"x{id}\" must be a whole {name} or {name+}",
        ),
        ("/apis/0/req_uri", json!("/items/{}"), "apis[0].req_uri: \"/items/{}\": segment \"{}\" has no variable name"),
        (
            "/apis/0/req_params/0/required",
            json!(2),
            "apis[0].req_params[0].required: a PATH parameter must be required (1), got 2",
        ),
    ]);
    let mut v = base();
    v["apis"][0]["req_uri"] = json!("/items/{id+}");
    v["apis"][0]["backend_api"]["req_uri"] = json!("/x");
    load(&v).unwrap();
}

#[test]
fn enumerated_and_numeric_values() {
    table(vec![
        ("/apis/0/type", json!(3), "apis[0].type: must be 1 or 2 (1 public, 2 private), got 3"),
        (
            "/apis/0/req_params/1/pass_through",
            json!(0),
            "apis[0].req_params[1].pass_through: must be 1 or 2 (1 always, 2 never), got 0",
        ),
        (
            "/apis/0/req_params/1/default_value",
            json!("five"),
            "apis[0].req_params[1].default_value: \"five\" is not a number (the parameter is NUMBER)",
        ),
        (
            "/apis/0/req_params/1/enumerations",
            json!("1, two"),
            "apis[0].req_params[1].enumerations: \"two\" in \"1, two\" is not a number (the parameter is NUMBER)",
        ),
        (
            "/apis/0/req_params/1/enumerations",
            json!("1,,2"),
            "apis[0].req_params[1].enumerations: \"1,,2\" has an empty value",
        ),
        (
            "/apis/0/backend_api/retry_count",
            json!("11"),
            "apis[0].backend_api.retry_count: must be \"-1\" to \"10\", got \"11\"",
        ),
        ("/throttles/0/type", json!(5), "throttles[0].type: must be 1 or 2 (1 per API, 2 shared), got 5"),
        ("/throttles/0/time_interval", json!(0), "throttles[0].time_interval: must be at least 1, got 0"),
        (
            "/groups/0/gateway_responses/0/responses",
            json!({"THROTTLED": {"status": 444}}),
            "groups[0].gateway_responses[0].responses.THROTTLED.status: must be 200 to 599 and not 444, got 444",
        ),
        (
            "/apis/0/policy_https/0/conditions/0/condition_type",
            Value::Null,
            "apis[0].policy_https[0].conditions[0].condition_type: must be set for origin param",
        ),
    ]);
}

#[test]
fn routes_and_names_are_unique_per_group() {
    let mut v = base();
    let mut twin = v["apis"][0].clone();
    twin["id"] = json!("a2");
    twin["name"] = json!("API_twin");
    v["apis"].as_array_mut().unwrap().push(twin.clone());
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "apis[1].req_uri: GET \"/items/{id}\" with match mode NORMAL is already used in group \"g1\" by apis[0]"
    );
    // A different match mode is allowed (it is exported under a rewritten path).
    v["apis"][1]["match_mode"] = json!("SWA");
    load(&v).unwrap();
    v["apis"][1]["name"] = json!("API_get");
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "apis[1].name: API name \"API_get\" is already used in group \"g1\" by apis[0]"
    );
}

#[test]
fn bindings_and_policy_names() {
    let mut v = base();
    let b = v["throttle_bindings"][0].clone();
    v["throttle_bindings"].as_array_mut().unwrap().push(b);
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "throttle_bindings[1]: API \"a1\" already has a throttling policy in environment \"RELEASE\" (throttle_bindings[0])"
    );
    table(vec![
        (
            "/authorizers/0/name",
            json!("apig-auth-iam"),
            "authorizers[0].name: \"apig-auth-iam\" is the name of a built-in security scheme",
        ),
        ("/acls/0/acl_name", json!(""), "acls[0].acl_name: must not be empty"),
        (
            "/groups/0/sl_domain",
            json!(""),
            "groups[0]: the group has no domain: sl_domain is empty and no url_domains[].domain is set",
        ),
        ("/apis/0/backend_type", json!("MOCK"), "apis[0].mock_info: must be set when backend_type is MOCK"),
    ]);
}

#[test]
fn publications_keep_their_identity() {
    table(vec![(
        "/publications/0",
        json!({"api_id": "a1", "env_id": "RELEASE", "definition": {"id": "other"}}),
        "publications[0].definition.id: \"other\" differs from api_id \"a1\"",
    )]);
    let mut v = base();
    let p = v["publications"][0].clone();
    v["publications"].as_array_mut().unwrap().push(p);
    assert_eq!(
        load(&v).unwrap_err().to_string(),
        "publications[1]: API \"a1\" is published in \"RELEASE\" twice (first at publications[0])"
    );
}

#[test]
fn every_problem_is_reported() {
    let mut v = base();
    v["apis"][0]["type"] = json!(9);
    v["throttles"][0]["time_interval"] = json!(0);
    let e = load(&v).unwrap_err();
    assert_eq!(e.issues().len(), 3, "{e:?}"); // the draft, its published copy, the throttle
    assert!(e.to_string().ends_with("(and 2 more)"));
    assert_eq!(e.issues()[0].location(), "throttles[0].time_interval");
}

#[test]
fn catalog_data_round_trips_through_json() {
    let catalog = crate::common::catalog("demo");
    let json = serde_json::to_vec(catalog.data()).unwrap();
    let again = Catalog::from_json(&json).unwrap();
    assert_eq!(again.data(), catalog.data());
}

/// Every form of a report: the first issue, the listed issues, the debug list.
fn report_sizes(e: &CatalogError) -> [usize; 3] {
    [e.to_string().len(), format!("{e:#}").len(), format!("{e:?}").len()]
}

#[test]
fn a_report_lists_at_most_100_issues_then_how_many_more() {
    // About 40 KB of JSON: one NUMBER parameter whose enumerations hold 20,000 words.
    let mut v = base();
    let words = vec!["x"; 20_000].join(",");
    v["apis"][0]["req_params"][1]["enumerations"] = json!(words);
    v["apis"][0]["req_params"][1]["default_value"] = json!("");
    let e = load(&v).unwrap_err();
    assert_eq!(e.issues().len(), CatalogError::MAX_ISSUES);
    // Each word twice: in the draft and in the definition its publication shares.
    assert_eq!(e.omitted(), 40_000 - 100);
    let report = format!("{e:#}");
    assert_eq!(report.lines().count(), 101);
    assert!(report.ends_with("\n… and 39900 more"), "{}", &report[report.len() - 40..]);
    assert!(e.to_string().ends_with(" (and 39999 more)"));
    let line = &e.issues()[0].to_string();
    assert!(line.starts_with("apis[0].req_params[1].enumerations: \"x\" in \"x,x,"), "{line}");
    assert!(line.ends_with("x,…\" (39999 bytes) is not a number (the parameter is NUMBER)"), "{line}");
    for size in report_sizes(&e) {
        assert!(size < 64 * 1024, "{size}");
    }
    assert!(format!("{e:?}").ends_with(", … and 39900 more]"));
}

#[test]
fn a_huge_value_is_quoted_cut_with_its_length() {
    // 50 MB in a NUMBER default, in enumerations, and as a whole `req_uri` (checked several ways).
    let huge = "9x".repeat(25_000_000);
    let mut data = load(&base()).unwrap().into_data();
    let api = std::sync::Arc::make_mut(&mut data.apis[0]);
    api.req_params[1].default_value = huge.clone().into();
    api.req_params[1].enumerations = format!("{huge},{huge}").into();
    api.req_uri = format!("/{huge}/{{id}}/{{id}}").into();
    let e = Catalog::new(data).unwrap_err();
    let kept = "9x".repeat(40);
    let issues: Vec<String> = e.issues().iter().map(ToString::to_string).collect();
    assert!(issues.contains(&format!(
        "apis[0].req_params[1].default_value: \"{kept}…\" (50000000 bytes) is not a number (the parameter is NUMBER)"
    )));
    assert!(issues.contains(&format!(
        "apis[0].req_params[1].enumerations: \"{kept}…\" (50000000 bytes) in \"{kept}…\" (100000001 bytes) is not a number (the parameter is NUMBER)"
    )));
    for size in report_sizes(&e) {
        assert!(size < 64 * 1024, "{size}");
    }
    for issue in e.issues() {
        assert!(issue.to_string().len() <= 600, "{issue}");
    }
}

#[test]
fn a_huge_value_of_the_wrong_type_is_cut_too() {
    let huge = "\u{1}".repeat(5_000_000);
    let message = first("/apis/0/cors", json!(huge));
    assert!(message.starts_with("apis[0].cors: invalid type: string \"\\u{1}\\u{1}"), "{}", &message[..80]);
    assert!(message.len() < 1024, "{}", message.len());
    let message = first("/apis/0/req_params/0/location", json!("B".repeat(1_000_000)));
    let kept = "B".repeat(80);
    assert_eq!(
        message,
        format!(
            "apis[0].req_params[0].location: unknown variant `{kept}…` (1000000 bytes), expected one of `HEADER`, `PATH`, `QUERY`, `COOKIE`"
        )
    );
}

#[test]
fn many_issues_with_long_locations_stay_bounded() {
    // Ten thousand bad gateway response statuses keyed by long names, each name 10 KB.
    let mut v = base();
    let responses: serde_json::Map<String, Value> =
        (0..2_000).map(|i| (format!("{i}{}", "k".repeat(10_000)), json!({"status": 100}))).collect();
    v["groups"][0]["gateway_responses"][0]["responses"] = Value::Object(responses);
    let e = load(&v).unwrap_err();
    assert_eq!(e.issues().len() + e.omitted(), 2_000);
    for size in report_sizes(&e) {
        assert!(size < 64 * 1024, "{size}");
    }
}

/// Every member pointer of `v`, parents first.
fn members(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                let p = format!("{at}/{k}");
                out.push(p.clone());
                members(item, p, out);
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, item)| members(item, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn a_null_member_loads_as_if_it_were_absent() {
    // Reading straight into the model must give what removing the member gives, for every member,
    // the ones whose default is not the type's (`required`: 2, `timeout`: 5000, …) included.
    let mut v = base();
    v["apis"][0]["type"] = json!(2);
    v["apis"][0]["req_params"][1]["required"] = json!(1);
    v["apis"][0]["req_params"][1]["valid_enable"] = json!(1);
    v["apis"][0]["req_params"][1]["pass_through"] = json!(2);
    v["apis"][0]["backend_api"]["timeout"] = json!(100);
    v["throttles"][0]["type"] = json!(2);
    v["throttles"][0]["time_interval"] = json!(7);
    let mut pointers = Vec::new();
    members(&v, String::new(), &mut pointers);
    let outcome = |v: &Value| match load(v) {
        Ok(c) => Ok(c.into_data()),
        Err(e) => Err(e.issues().iter().map(ToString::to_string).collect::<Vec<_>>()),
    };
    for pointer in pointers {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let mut nulled = v.clone();
        *nulled.pointer_mut(&pointer).unwrap() = Value::Null;
        let mut removed = v.clone();
        removed.pointer_mut(parent).unwrap().as_object_mut().unwrap().shift_remove(key);
        assert_eq!(outcome(&nulled), outcome(&removed), "{pointer}");
    }
}

#[test]
fn what_only_the_second_pass_reads_still_loads() {
    // A member given twice (the last counts) and a null entry of a map (absent).
    let mut text = serde_json::to_string(&base()).unwrap();
    text = text.replacen("\"name\":\"shop\"", "\"name\":\"old\",\"name\":\"shop\"", 1);
    let catalog = Catalog::from_json(text.as_bytes()).unwrap();
    assert_eq!(catalog.data().groups[0].name, "shop");
    let mut v = base();
    v["groups"][0]["gateway_responses"][0]["responses"] = json!({"AUTH_FAILURE": null});
    assert!(load(&v).unwrap().data().groups[0].gateway_responses[0].responses.is_empty());
    assert_eq!(Catalog::from_json(b" []").unwrap_err().to_string(), "a catalog must be a JSON object");
}

#[test]
fn catalog_data_serializes_to_what_one_pass_reads() {
    // No member written twice (a backend policy flattens two structs that both have
    // `authorizer_id`), so the typed pass reads it without the second one.
    let data = apig_export::testkit::synthetic::catalog_data(20);
    let json = serde_json::to_vec(&data).unwrap();
    let again: apig_export::model::CatalogData = serde_json::from_slice(&json).unwrap();
    assert_eq!(again, data);
}

#[test]
fn a_publication_without_a_definition_shares_the_draft() {
    let catalog = load(&base()).unwrap();
    let data = catalog.data();
    assert!(std::sync::Arc::ptr_eq(&data.apis[0], data.publications[0].definition.as_ref().unwrap()));
    // Its own definition stays its own, given the API's identity.
    let mut v = base();
    v["publications"][0]["definition"] = v["apis"][0].clone();
    v["publications"][0]["definition"]["id"] = json!("");
    let catalog = load(&v).unwrap();
    let def = catalog.data().publications[0].definition.as_ref().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&catalog.data().apis[0], def));
    assert_eq!(def.id, "a1");
}

#[test]
fn building_a_catalog_keeps_every_definition_in_its_place() {
    // The catalog copies its definitions into export order in memory; what it holds, and in which
    // order its lists hold it, stay as given, and a publication still shares its draft.
    let data = apig_export::testkit::synthetic::catalog_data(300);
    let catalog = Catalog::new(data.clone()).unwrap();
    assert_eq!(catalog.data().apis, data.apis);
    let ids: Vec<&str> = catalog.data().publications.iter().map(|p| p.api_id.as_str()).collect();
    let given: Vec<&str> = data.publications.iter().map(|p| p.api_id.as_str()).collect();
    assert_eq!(ids, given);
    for p in &catalog.data().publications {
        let draft = catalog.data().apis.iter().find(|a| a.id == p.api_id).unwrap();
        assert!(std::sync::Arc::ptr_eq(draft, p.definition.as_ref().unwrap()), "{}", p.api_id);
    }
}
