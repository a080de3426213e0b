//! Strict-profile exports validate against the official Swagger 2.0 / OpenAPI 3.0 JSON Schemas
//! in `fixtures/schemas` (draft-04, validated offline).

use crate::common::*;
use apig_export::{Dialect, Format, Profile};

fn validator(dialect: Dialect) -> jsonschema::Validator {
    let name = match dialect {
        Dialect::Swagger2 => "swagger-2.0.schema.json",
        _ => "openapi-3.0.schema.json",
    };
    jsonschema::draft4::new(&schema(name)).unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

/// Every finding of `validator` on `doc`, as `path: message`.
fn findings(validator: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    validator.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn strict_goldens_are_schema_valid() {
    let validators = [validator(Dialect::Swagger2), validator(Dialect::OpenApi3)];
    let mut checked = 0;
    let mut failures = Vec::new();
    for &(stem, _) in CATALOGS {
        for (dialect, validator) in DIALECTS.into_iter().zip(&validators) {
            for scope in SCOPES {
                let path = golden_path(stem, dialect, scope, Profile::Strict, "json");
                let doc: serde_json::Value = serde_json::from_slice(&read(&path)).expect("golden is JSON");
                for f in findings(validator, &doc) {
                    failures.push(format!("{}: {f}", path.display()));
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, CATALOGS.len() * 8);
    assert!(failures.is_empty(), "{} finding(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_validators_reject_invalid_documents() {
    // The oracle itself must be able to fail: a document missing `paths` / with a bad parameter.
    let swagger = validator(Dialect::Swagger2);
    let bad = serde_json::json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}});
    assert!(!findings(&swagger, &bad).is_empty());
    let openapi = validator(Dialect::OpenApi3);
    let bad = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"default-cors": {"description": "x"}}}}}});
    assert!(!findings(&openapi, &bad).is_empty(), "default-cors is not a valid response key");
}

#[test]
fn apig_profile_cors_response_key_is_the_documented_quirk() {
    // The Apig profile writes `default-cors` as an operation response key (APIG does); the schema
    // rejects exactly that, which is why the Strict profile writes `default`.
    let catalog = catalog("cors-any");
    let request = request_for(&catalog, None);
    let exported = run(&catalog, &request, Dialect::OpenApi3, apig_export::Scope::Spec, Format::Json, Profile::Apig);
    let doc: serde_json::Value = serde_json::from_str(exported.content()).unwrap();
    let found = findings(&validator(Dialect::OpenApi3), &doc);
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f.contains("default-cors")), "{found:#?}");
}

#[test]
fn notes_about_parameters_come_in_the_order_parameters_are_written() {
    // Parameters are written sorted by name, ties by location; what is left out of them is
    // reported in that order too, whatever order the catalog stores them in.
    use apig_export::model::{ParamLocation, ParamType, ReqParam};
    let mut data = catalog("demo").into_data();
    // A publication shares its draft: `make_mut` gives it a copy of its own to edit.
    let def = data
        .publications
        .iter_mut()
        .find_map(|p| p.definition.as_mut())
        .map(std::sync::Arc::make_mut)
        .expect("a published definition");
    let (id, name) = (def.id.clone(), def.name.clone());
    let param = |name: &str, location: ParamLocation, default: &str| {
        let mut p = ReqParam::default();
        p.name = name.into();
        p.param_type = ParamType::String;
        p.location = location;
        p.default_value = default.into();
        p.enumerations = if default.is_empty() { String::new().into() } else { "a,b".into() };
        p
    };
    let cookie = |name: &str| param(name, ParamLocation::Cookie, "");
    let conflicting = |name: &str| param(name, ParamLocation::Query, "x");
    def.req_params.extend([
        cookie("zz-cookie"),
        conflicting("mm-query"),
        cookie("aa-cookie"),
        conflicting("aa-cookie"),
    ]);
    let catalog = apig_export::Catalog::new(data).expect("still valid");
    let request = request_for(&catalog, None);
    let cases = [
        (Dialect::Swagger2, Profile::Apig, vec!["COOKIE aa-cookie", "COOKIE zz-cookie"]),
        (Dialect::OpenApi3, Profile::Apig, vec![]),
        (
            Dialect::Swagger2,
            Profile::Strict,
            vec!["default aa-cookie", "COOKIE aa-cookie", "default mm-query", "COOKIE zz-cookie"],
        ),
        (Dialect::OpenApi3, Profile::Strict, vec!["default aa-cookie", "default mm-query"]),
    ];
    for (dialect, profile, expected) in cases {
        let exported = run(&catalog, &request, dialect, apig_export::Scope::Spec, Format::Json, profile);
        let notes: Vec<String> = exported
            .warnings()
            .iter()
            .filter(|w| w.api_id() == Some(id.as_str()) && w.subject().contains(name.as_str()))
            .filter_map(|w| {
                let m = w.message();
                let kind = m.split(' ').next()?;
                let param = m.split('"').nth(if kind == "default" { 3 } else { 1 })?;
                ["COOKIE", "default"].contains(&kind).then(|| format!("{kind} {param}"))
            })
            .filter(|n| n.contains("-cookie") || n.contains("-query"))
            .collect();
        assert_eq!(notes, expected, "{dialect:?} {profile:?}");
    }
}

#[test]
fn repeated_tags_are_apig_bytes_and_once_each_in_strict() {
    // Swagger 2.0 requires an operation's tags to be unique. APIG repeats what the catalog
    // repeats; the Strict profile keeps each tag once, at its first place, and says so.
    let mut data = catalog("demo").into_data();
    for p in &mut data.publications {
        if let Some(def) = p.definition.as_mut().map(std::sync::Arc::make_mut) {
            def.tags = vec!["b".into(), "a".into(), "b".into(), "a".into()];
        }
    }
    let catalog = apig_export::Catalog::new(data).expect("still valid");
    let request = request_for(&catalog, None);
    for dialect in DIALECTS {
        for (profile, expected) in [(Profile::Apig, vec!["b", "a", "b", "a"]), (Profile::Strict, vec!["b", "a"])] {
            let exported = run(&catalog, &request, dialect, apig_export::Scope::Spec, Format::Json, profile);
            let doc: serde_json::Value = serde_json::from_str(exported.content()).unwrap();
            let operations: Vec<&serde_json::Value> = doc["paths"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|item| item.as_object().unwrap().values())
                .collect();
            assert!(!operations.is_empty());
            for op in operations {
                assert_eq!(op["tags"], serde_json::json!(expected), "{dialect:?} {profile:?}");
            }
            let repeated = exported.warnings().iter().filter(|w| w.message().starts_with("repeated tag")).count();
            if profile == Profile::Strict {
                assert!(repeated > 0, "{dialect:?}: the Strict profile warns about what it leaves out");
                let findings = findings(&validator(dialect), &doc);
                assert!(findings.is_empty(), "{dialect:?}: {findings:#?}");
            } else {
                assert_eq!(repeated, 0);
            }
        }
    }
    // The oracle sees the difference: the Apig document's repeated tags are a Swagger 2.0 finding.
    let apig = run(&catalog, &request, Dialect::Swagger2, apig_export::Scope::Spec, Format::Json, Profile::Apig);
    let doc: serde_json::Value = serde_json::from_str(apig.content()).unwrap();
    assert!(findings(&validator(Dialect::Swagger2), &doc).iter().any(|f| f.contains("tags")));
}
