//! Strict-profile exports validate against the official Swagger 2.0 / OpenAPI 3.0 JSON Schemas
//! in `../shared/schemas` (draft-04, validated offline).

mod common;

use apig_export::{Dialect, Format, Profile};
use common::*;

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
