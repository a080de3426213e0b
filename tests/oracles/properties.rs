//! Properties over generated catalogs and requests (feature `proptest`). Case counts are small by
//! default; `APIG_EXPORT_CASES=N` raises them.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::common::*;
use apig_export::model::{BackendType, ReqProtocol};
use apig_export::testkit::strategies::{catalog, catalog_data, hostile_string, huge_catalog_data, json_tree};
use apig_export::{export, Catalog, Dialect, ExportRequest, Format, Profile, Scope, Settings};
use proptest::prelude::*;
use serde_json::Value;

fn config(default: u32) -> ProptestConfig {
    ProptestConfig { cases: cases(default), failure_persistence: None, ..ProptestConfig::default() }
}

fn validators() -> &'static [jsonschema::Validator; 2] {
    static V: OnceLock<[jsonschema::Validator; 2]> = OnceLock::new();
    V.get_or_init(|| {
        [
            jsonschema::draft4::new(&schema("swagger-2.0.schema.json")).unwrap(),
            jsonschema::draft4::new(&schema("openapi-3.0.schema.json")).unwrap(),
        ]
    })
}

fn schema_findings(dialect: Dialect, text: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(text).unwrap();
    let v = &validators()[usize::from(dialect == Dialect::OpenApi3)];
    v.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// The row of the README's quirk table (`tests/export/quirks.rs` pins each row) that explains an
/// official-schema finding on an Apig-profile export, if one does. Only two rows break a rule
/// the JSON Schemas express; the others break rules of validators or readers.
fn apig_quirk(dialect: Dialect, finding: &str) -> Option<&'static str> {
    let (pointer, message) = finding.split_once(": ")?;
    let in_operation = pointer.starts_with("/paths/");
    if dialect == Dialect::OpenApi3 && in_operation && finding.contains("default-cors") {
        return Some("`default-cors` as an operation response key (3.0)");
    }
    if dialect == Dialect::Swagger2 && in_operation && pointer.ends_with("/tags") && message.contains("unique") {
        return Some("a tag an API lists twice, as stored");
    }
    None
}

fn release_request(catalog: &Catalog) -> ExportRequest {
    request_for(catalog, None)
}

fn all_requests(catalog: &Catalog) -> Vec<ExportRequest> {
    let base = release_request(catalog);
    let mut out = Vec::new();
    for d in DIALECTS {
        for s in SCOPES {
            out.push(base.clone().with_dialect(d).with_scope(s));
        }
    }
    out
}

#[test]
fn generated_catalogs_are_valid_by_construction_and_cover_every_value() {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let (mut empty, mut huge) = (false, false);
    for data in generate(catalog_data(), cases(200)).into_iter().chain(generate(huge_catalog_data(), 3)) {
        empty |= data.apis.is_empty();
        huge |= data.apis.len() >= 150;
        for api in &data.apis {
            seen.insert(format!("method {}", api.req_method));
            seen.insert(format!("protocol {}", api.req_protocol));
            seen.insert(format!("auth {} {}", api.auth_type, api.auth_opt.app_code_auth_type));
            seen.insert(format!("backend {}", api.backend_type));
            seen.insert(format!("match {}", api.match_mode));
            seen.insert(format!("content {:?}", api.content_type));
            if api.tags.len() == 2 && api.tags[0] == api.tags[1] {
                seen.insert("repeated tag".to_owned());
            }
            if api.req_uri.contains(".d}") || api.req_uri.contains(".d+}") {
                seen.insert("dotted path variable".to_owned());
            }
            if api.id.ends_with("-sibling") {
                let of = data.apis.iter().find(|a| api.id.strip_suffix("-sibling") == Some(&*a.id));
                let same_method = of.is_some_and(|a| a.req_method == api.req_method);
                seen.insert(format!("sibling path, {} method", if same_method { "same" } else { "other" }));
            }
            for p in &api.req_params {
                seen.insert(format!("param {} {}", p.param_type, p.location));
            }
            for b in &api.backend_params {
                seen.insert(format!("backend param {} {}", b.origin, b.location));
            }
            for c in api
                .policy_https
                .iter()
                .map(|p| &p.policy)
                .chain(api.policy_functions.iter().map(|p| &p.policy))
                .chain(api.policy_mocks.iter().map(|p| &p.policy))
            {
                seen.insert(format!("effect {}", c.effect_mode));
                for cond in &c.conditions {
                    seen.insert(format!("origin {}", cond.condition_origin));
                    if let Some(t) = cond.condition_type {
                        seen.insert(format!("condition {t}"));
                    }
                }
            }
        }
        for t in &data.throttles {
            seen.insert(format!("unit {}", t.time_unit));
        }
        for a in &data.acls {
            seen.insert(format!("acl {} {}", a.acl_type, a.entity_type));
        }
        for a in &data.authorizers {
            seen.insert(format!("authorizer {}", a.authorizer_kind));
        }
        if let Err(e) = Catalog::new(data) {
            panic!("a generated catalog is invalid: {e:?}");
        }
    }
    assert!(empty && huge, "empty and huge collections");
    for want in [
        "method ANY",
        "method OPTIONS",
        "method HEAD",
        "protocol BOTH",
        "protocol GRPCS",
        "auth AUTHORIZER DISABLE",
        "auth APP HEADER",
        "auth IAM DISABLE",
        "auth NONE DISABLE",
        "backend GRPC",
        "backend FUNCTION",
        "backend MOCK",
        "backend HTTP",
        "match SWA",
        "content Some(FormData)",
        "content None",
        "param NUMBER COOKIE",
        "param STRING PATH",
        "param STRING HEADER",
        "backend param SYSTEM PATH",
        "backend param REQUEST QUERY",
        "effect ALL",
        "effect ANY",
        "origin frontend_authorizer",
        "origin orchestration",
        "origin cookie",
        "origin system",
        "origin source",
        "origin param",
        "condition pattern",
        "condition enum",
        "condition exact",
        "unit DAY",
        "unit MINUTE",
        "acl DENY DOMAIN_ID",
        "acl PERMIT IP",
        "authorizer BACKEND",
        "authorizer FRONTEND",
        "repeated tag",
        "dotted path variable",
        "sibling path, same method",
        "sibling path, other method",
    ] {
        assert!(seen.contains(want), "never generated: {want}");
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn same_input_same_bytes(catalog in catalog()) {
        for request in all_requests(&catalog) {
            for format in [Format::Json, Format::Yaml] {
                for profile in PROFILES {
                    let r = request.clone().with_format(format);
                    let a = export(&catalog, &r, &settings(profile)).unwrap();
                    let b = export(&Catalog::new(catalog.data().clone()).unwrap(), &r, &settings(profile)).unwrap();
                    prop_assert_eq!(a, b);
                }
            }
        }
    }

    #[test]
    fn json_and_yaml_carry_the_same_tree(catalog in catalog()) {
        for request in all_requests(&catalog) {
            for profile in PROFILES {
                let json = export(&catalog, &request.clone().with_format(Format::Json), &settings(profile)).unwrap();
                let yaml = export(&catalog, &request.clone().with_format(Format::Yaml), &settings(profile)).unwrap();
                let from_json: Value = serde_json::from_str(json.content()).unwrap();
                let from_yaml: Value = read_yaml(yaml.content()).unwrap();
                let mut quirks = 0;
                if let Err(e) = same_tree(&from_json, &from_yaml, &mut Vec::new(), &mut quirks) {
                    prop_assert!(false, "{}", e);
                }
                prop_assert_eq!(json.warnings(), yaml.warnings());
            }
        }
    }

    #[test]
    fn scopes_are_monotone(catalog in catalog()) {
        let base = release_request(&catalog);
        for dialect in DIALECTS {
            for profile in PROFILES {
                let keys = |scope| {
                    let e = export(&catalog, &base.clone().with_dialect(dialect).with_scope(scope), &settings(profile)).unwrap();
                    let mut out = BTreeSet::new();
                    key_paths(&serde_json::from_str(e.content()).unwrap(), "", &mut out);
                    out
                };
                let (spec, proxy, all) = (keys(Scope::Spec), keys(Scope::Proxy), keys(Scope::All));
                prop_assert!(spec.is_subset(&proxy), "spec ⊄ proxy: {:?}", spec.difference(&proxy).collect::<Vec<_>>());
                prop_assert!(proxy.is_subset(&all), "proxy ⊄ all: {:?}", proxy.difference(&all).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn strict_output_passes_schema_and_semantic_checks(catalog in catalog()) {
        for request in all_requests(&catalog) {
            let strict = export(&catalog, &request, &settings(Profile::Strict)).unwrap();
            let findings = schema_findings(request.dialect(), strict.content());
            prop_assert!(findings.is_empty(), "{:?}\n{:?}", request, findings);
            let semantic = apig_export::testkit::check::check(strict.content()).unwrap();
            prop_assert!(semantic.is_empty(), "{:?}", semantic);
            // The Apig profile: the same semantics but for paths of one shape (a documented quirk);
            // schema findings only for its documented quirks.
            let apig = export(&catalog, &request, &settings(Profile::Apig)).unwrap();
            for f in apig_export::testkit::check::check(apig.content()).unwrap() {
                prop_assert!(
                    f.message().ends_with("differs only in variable names: they are the same path"),
                    "an Apig-profile semantic finding the README's quirk table does not list: {}", f
                );
            }
            // Renamed path variables: restored to APIG's names by `x-apigateway-request-path`,
            // and followed by everything that names them.
            let (strict_doc, apig_doc) = (serde_json::from_str(strict.content()).unwrap(), serde_json::from_str(apig.content()).unwrap());
            if let Err(e) = strict_names_follow(&strict_doc, &apig_doc) {
                prop_assert!(false, "{:?}: {}", request, e);
            }
            for f in schema_findings(request.dialect(), apig.content()) {
                prop_assert!(
                    apig_quirk(request.dialect(), &f).is_some(),
                    "an Apig-profile schema finding the README's quirk table does not list: {}", f
                );
            }
        }
    }

    #[test]
    fn catalog_data_round_trips_through_serde(data in catalog_data()) {
        let json = serde_json::to_string(&data).unwrap();
        let direct: apig_export::model::CatalogData = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&direct, &data);
        // A catalog completes what the data leaves implicit (a publication without a definition
        // publishes the draft): loading the JSON and building from the data give the same catalog.
        let built = Catalog::new(data).unwrap();
        let loaded = Catalog::from_json(json.as_bytes()).unwrap();
        prop_assert_eq!(loaded.data(), built.data());
    }

    #[test]
    fn every_selected_api_appears_exactly_once(catalog in catalog(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..4), dev in any::<bool>()) {
        let data = catalog.data();
        let release = "DEFAULT_ENVIRONMENT_RELEASE_ID";
        let eligible: Vec<&apig_export::model::Api> = if dev {
            data.apis.iter().map(|a| &**a).collect()
        } else {
            data.publications.iter().filter(|p| p.env_id == release).filter_map(|p| p.definition.as_deref()).collect()
        };
        let chosen: BTreeSet<&str> = picks.iter().filter(|_| !eligible.is_empty()).map(|i| eligible[i.index(eligible.len())].id.as_str()).collect();
        let expected: BTreeSet<&str> = eligible
            .iter()
            .filter(|a| chosen.is_empty() || chosen.contains(a.id.as_str()))
            .filter(|a| a.req_protocol != ReqProtocol::Grpcs && a.backend_type != BackendType::Grpc)
            .map(|a| a.name.as_str())
            .collect();
        let scope = if dev { Scope::Dev } else { Scope::Spec };
        for dialect in DIALECTS {
            let request = release_request(&catalog).with_dialect(dialect).with_scope(scope).with_apis(chosen.iter().copied());
            let exported = export(&catalog, &request, &settings(Profile::Apig)).unwrap();
            let doc: Value = serde_json::from_str(exported.content()).unwrap();
            let mut ids = Vec::new();
            for item in doc["paths"].as_object().unwrap().values() {
                for op in item.as_object().unwrap().values() {
                    ids.push(op["operationId"].as_str().unwrap().to_owned());
                }
            }
            let unique: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
            prop_assert_eq!(unique.len(), ids.len(), "an API appears twice");
            prop_assert_eq!(&unique, &expected);
        }
    }

    #[test]
    fn any_request_body_is_ok_or_an_apig_error(bytes in proptest::collection::vec(any::<u8>(), 0..256), query in proptest::option::of(hostile_string())) {
        check_request(query.as_deref(), &bytes);
    }

    #[test]
    fn any_json_request_is_ok_or_an_apig_error(
        members in proptest::collection::vec((request_key(), request_value()), 0..8),
        valid_ids in any::<bool>(),
        query in proptest::option::of(prop_oneof![Just("2.0".to_owned()), Just("3.0".to_owned()), hostile_string()]),
    ) {
        // Half the bodies start from valid ids, so the later parameters are reached too.
        let mut body = serde_json::Map::new();
        if valid_ids {
            body.insert("env_id".into(), Value::from("DEFAULT_ENVIRONMENT_RELEASE_ID"));
            body.insert("group_id".into(), Value::from("f1e2d3c4b5a697887766554433221100"));
        }
        for (k, v) in members {
            if !(valid_ids && (k == "env_id" || k == "group_id")) {
                body.insert(k, v);
            }
        }
        check_request(query.as_deref(), &serde_json::to_vec(&body).unwrap());
    }

    #[test]
    fn any_catalog_bytes_give_a_located_error_or_a_catalog(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check_catalog(&bytes);
    }

    #[test]
    fn any_catalog_shaped_json_gives_a_located_error_or_a_catalog(tree in json_tree(), key in proptest::sample::select(&["groups", "apis", "publications", "environments", "throttles", "acl_bindings", "authorizers"][..])) {
        let doc = serde_json::json!({ key: [tree.clone()], "groups": [{"id": "g", "name": "n", "sl_domain": "d", "gateway_responses": [tree]}] });
        check_catalog(&serde_json::to_vec(&doc).unwrap());
    }
}

/// The body's parameter names (mostly) and hostile others.
fn request_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(&["env_id", "group_id", "define", "type", "version", "apis"][..]).prop_map(str::to_owned),
        1 => hostile_string(),
    ]
}

/// Valid-looking values (the demo's ids, every enum spelling) and arbitrary JSON.
fn request_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => proptest::sample::select(&[
            "DEFAULT_ENVIRONMENT_RELEASE_ID", "f1e2d3c4b5a697887766554433221100", "spec", "proxy", "all", "dev",
            "json", "yaml", "yml", "v1", "", "api-echo",
        ][..]).prop_map(Value::from),
        1 => proptest::collection::vec(proptest::sample::select(&["api-echo", "api-get-order", "api-draft", "nope"][..]), 0..3)
            .prop_map(Value::from),
        2 => json_tree(),
    ]
}

fn check_request(query: Option<&str>, body: &[u8]) {
    let catalog = crate::common::catalog("demo");
    match ExportRequest::parse(query, body) {
        Ok(request) => {
            if let Err(e) = export(&catalog, &request, &Settings::default()) {
                assert!(matches!(e.error_code(), "APIG.3001" | "APIG.3002" | "APIG.3003"), "{e}");
                let _: Value = serde_json::from_str(&e.to_json()).expect("error bodies are JSON");
            }
        }
        Err(e) => {
            assert!(matches!(e.error_code(), "APIG.2000" | "APIG.2001" | "APIG.2012"), "{e}");
            assert_eq!(e.status(), 400);
            let v: Value = serde_json::from_str(&e.to_json()).expect("error bodies are JSON");
            assert_eq!(v["error_code"], e.error_code());
        }
    }
}

fn check_catalog(bytes: &[u8]) {
    match Catalog::from_json(bytes) {
        Ok(catalog) => {
            // Whatever loads also exports.
            for group in &catalog.data().groups {
                for env in &catalog.data().environments {
                    for dialect in DIALECTS {
                        let request = ExportRequest::new(group.id.clone(), env.id.clone())
                            .with_dialect(dialect)
                            .with_scope(Scope::All);
                        export(&catalog, &request, &Settings::default()).unwrap();
                    }
                }
            }
        }
        Err(e) => {
            assert!(!e.issues().is_empty());
            for issue in e.issues() {
                assert!(!issue.message().is_empty());
            }
            // Only "not an object" concerns the catalog as a whole; everything else has a location.
            for issue in e.issues() {
                assert!(!issue.location().is_empty() || issue.message() == "a catalog must be a JSON object", "{e:?}");
            }
        }
    }
}
