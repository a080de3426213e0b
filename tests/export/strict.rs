//! Names and paths the Strict profile writes otherwise than APIG, and everything that names them:
//! renamed path variables followed by backend parameters and policy conditions, paths of one
//! shape sharing one path item, paths too long for a key, and names crafted to equal another's
//! short form. The validators' verdict on these exports is in `tests/oracles/validator.rs`.

use std::collections::BTreeSet;

use crate::common::*;
use apig_export::{Catalog, Dialect, Exported, Format, Profile, Scope};
use serde_json::Value;

fn export_of(catalog: &Catalog, dialect: Dialect, scope: Scope, profile: Profile) -> Exported {
    run(catalog, &request_for(catalog, None), dialect, scope, Format::Json, profile)
}

fn json(e: &Exported) -> Value {
    serde_json::from_str(e.content()).unwrap()
}

fn warnings(e: &Exported) -> Vec<String> {
    e.warnings().iter().map(ToString::to_string).collect()
}

/// The operation of API `name` and its path key.
fn op<'d>(doc: &'d Value, name: &str) -> (&'d str, &'d Value) {
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if op["summary"] == name || op["operationId"] == name {
                return (path, op);
            }
        }
    }
    panic!("no operation {name}")
}

fn param_names<'d>(op: &'d Value, location: &str) -> Vec<&'d str> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == location)
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

#[test]
fn every_strict_golden_restores_to_apig_names_and_its_references_follow() {
    let mut rewritten = 0;
    for &(stem, version) in CATALOGS {
        let catalog = catalog(stem);
        let request = request_for(&catalog, version);
        for dialect in DIALECTS {
            for scope in SCOPES {
                let strict = json(&run(&catalog, &request, dialect, scope, Format::Json, Profile::Strict));
                let apig = json(&run(&catalog, &request, dialect, scope, Format::Json, Profile::Apig));
                rewritten +=
                    strict_names_follow(&strict, &apig).unwrap_or_else(|e| panic!("{stem} {dialect:?} {scope}: {e}"));
            }
        }
    }
    // demo (the greedy proxy, the rewritten prefix match), params-auth, hostile, strict-names.
    assert!(rewritten >= 8 * 8, "{rewritten} operations written under another path");
}

#[test]
fn a_renamed_path_variable_is_followed_by_what_names_it() {
    let catalog = catalog("strict-names");
    let written = format!("order_id-{:016x}", fnv1a(b"order.id"));
    for dialect in DIALECTS {
        let strict = export_of(&catalog, dialect, Scope::All, Profile::Strict);
        let doc = json(&strict);
        let (path, get) = op(&doc, "API_getOrder");
        assert_eq!(path, format!("/orders/{{{written}}}"));
        assert_eq!(get["x-apigateway-request-path"], "/orders/{order.id}");
        assert_eq!(param_names(get, "path"), [written.as_str()]);
        let backend = &get["x-apigateway-backend"];
        assert_eq!(backend["parameters"][1]["value"], written.as_str(), "{backend}");
        // The backend path names a backend parameter (`oid`), APIG's name, which is not renamed.
        assert_eq!(backend["httpEndpoints"]["path"], "/v1/orders/{oid}");
        let policy = &get["x-apigateway-backend-policies"][0];
        assert_eq!(policy["parameters"][0]["value"], written.as_str());
        assert_eq!(policy["conditions"][0]["parameter"], written.as_str());
        assert_eq!(policy["conditions"][1]["parameter"], "lang");
        let said = warnings(&strict);
        assert!(
            said.iter().any(|w| w.contains(&format!(
                "path \"/orders/{{order.id}}\" written as \"/orders/{{{written}}}\" in the Strict profile (validators \
                 know variable names of [A-Za-z0-9_-] only, each once); x-apigateway-request-path keeps it; its path \
                 parameters, and the backend parameters and policy conditions that name them, take the names of the \
                 written path"
            ))),
            "{said:#?}"
        );
        // The Apig profile: every name as stored.
        let doc = json(&export_of(&catalog, dialect, Scope::All, Profile::Apig));
        let (path, get) = op(&doc, "API_getOrder");
        assert_eq!(path, "/orders/{order.id}");
        assert_eq!(get["x-apigateway-backend-policies"][0]["conditions"][0]["parameter"], "order.id");
    }
}

#[test]
fn a_name_that_is_also_another_locations_parameter_keeps_meaning_that_one() {
    let catalog = catalog("strict-names");
    for dialect in DIALECTS {
        let doc = json(&export_of(&catalog, dialect, Scope::Proxy, Profile::Strict));
        let (_, get) = op(&doc, "API_getItem");
        assert_eq!(param_names(get, "path"), [format!("id_x-{:016x}", fnv1a(b"id.x"))]);
        assert_eq!(param_names(get, "query"), ["id.x"]);
        assert_eq!(get["x-apigateway-backend"]["parameters"][0]["value"], "id.x");
    }
}

#[test]
fn paths_of_one_shape_share_one_path_item_and_one_api_per_method() {
    let catalog = catalog("strict-names");
    for dialect in DIALECTS {
        let apig = json(&export_of(&catalog, dialect, Scope::Proxy, Profile::Apig));
        let files: BTreeSet<&str> = apig["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|p| p.starts_with("/files/"))
            .collect();
        assert_eq!(files, BTreeSet::from(["/files/{name}", "/files/{path+}", "/files/{rest+}"]));
        let strict = export_of(&catalog, dialect, Scope::Proxy, Profile::Strict);
        let doc = json(&strict);
        let item = &doc["paths"]["/files/{name}"];
        let methods: BTreeSet<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(methods, BTreeSet::from(["get", "put"]));
        assert!(!doc["paths"].as_object().unwrap().keys().any(|p| p.starts_with("/files/") && p != "/files/{name}"));
        // The exact path names the variables; the greedy one follows, its APIG path kept.
        assert_eq!(item["get"]["summary"], "API_getFile");
        let put = &item["put"];
        assert_eq!(put["x-apigateway-request-path"], "/files/{path+}");
        assert_eq!(param_names(put, "path"), ["name"]);
        assert_eq!(put["x-apigateway-backend"]["parameters"][0]["value"], "name");
        let said = warnings(&strict);
        assert!(
            said.iter().any(|w| w
                == "API \"API_getFileTree\" (api-files-rest): left out of the Strict profile: its path \
                    \"/files/{rest+}\" and the path \"/files/{name}\" of API \"API_getFile\", which has the same \
                    method, are one OpenAPI path there (OpenAPI has no greedy path variables, and paths that differ \
                    only in variable names are the same path)"),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|w| w.starts_with(
                "API \"API_putFile\" (api-files-put): path \"/files/{path+}\" written as \"/files/{name}\" in the \
                 Strict profile (OpenAPI has no greedy path variables; paths that differ only in variable names are \
                 one OpenAPI path, named as \"/files/{name}\" is)"
            )),
            "{said:#?}"
        );
        assert_eq!(said.iter().filter(|w| w.contains("left out")).count(), 1, "{said:#?}");
    }
}

#[test]
fn a_name_crafted_as_another_names_short_form_does_not_take_it() {
    let catalog = catalog("strict-names");
    let crafted = format!("order_id-{:016x}", fnv1a(b"order.id"));
    let scheme = format!("auth_front-{:016x}", fnv1a(b"auth.front"));
    for dialect in DIALECTS {
        let strict = export_of(&catalog, dialect, Scope::Proxy, Profile::Strict);
        let doc = json(&strict);
        let (path, twins) = op(&doc, "API_twins");
        assert_eq!(path, format!("/twins/{{{crafted}}}/{{{crafted}-2}}"));
        let values: Vec<&str> = twins["x-apigateway-backend"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["value"].as_str().unwrap())
            .collect();
        assert_eq!(values, [crafted.clone(), format!("{crafted}-2")]);
        // Security schemes: the crafted authorizer keeps its name, `auth.front` takes the next.
        let schemes = if dialect == Dialect::Swagger2 {
            &doc["securityDefinitions"]
        } else {
            &doc["components"]["securitySchemes"]
        };
        let uri = |name: &str| {
            schemes[name]["x-apigateway-authorizer"]["authorizer_uri"].as_str().unwrap_or_default().to_owned()
        };
        assert!(uri(&scheme).ends_with(":crafted"), "{schemes}");
        assert!(uri(&format!("{scheme}-2")).ends_with(":auth"), "{schemes}");
        assert_eq!(
            op(&doc, "API_getOrder").1["security"][0].as_object().unwrap().keys().next().unwrap(),
            &format!("{scheme}-2")
        );
        let said = warnings(&strict);
        for (what, name, written, taken) in [
            ("path variable", "order.id", format!("{crafted}-2"), crafted.clone()),
            ("name", "auth.front", format!("{scheme}-2"), scheme.clone()),
        ] {
            let expected = format!(
                "{what} \"{name}\" written as \"{written}\" in the Strict profile: its short form \"{taken}\" is another name in the document"
            );
            assert!(said.iter().any(|w| w.ends_with(&expected)), "{expected}\n{said:#?}");
        }
    }
}

/// A Strict JSON export reads as the same tree through PyYAML, as openapi-spec-validator reads it.
fn reads_as_yaml(text: &str) -> String {
    let python = oracles().join("venv/bin/python");
    let read =
        "import json, sys, yaml\nloader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\ntext = sys.stdin.read()\n\
                try:\n    print('same' if yaml.load(text, Loader=loader) == json.loads(text) else 'different')\n\
                except yaml.YAMLError as e:\n    print('refused')";
    oracle_output(&python, &["-c", read], text).trim().to_owned()
}

#[test]
fn paths_too_long_for_a_key_are_shortened_and_keep_their_variables() {
    let catalog = long_names_catalog();
    let literal = format!("/{}", "l".repeat(1_100));
    let vars_shape = format!("/long/{{}}/{}/{{}}", "s".repeat(1_100));
    let wide_shape = "/wide/{}/{}";
    for dialect in DIALECTS {
        let strict = export_of(&catalog, dialect, Scope::All, Profile::Strict);
        assert_eq!(reads_as_yaml(strict.content()), "same", "{dialect:?}");
        let doc = json(&strict);
        let paths: BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        assert!(paths.iter().all(|p| p.len() < 1_000), "{paths:?}");
        // A literal path: its short form, which another API's path already is: `-2`.
        let crafted = long_path_base(&literal);
        assert_eq!(op(&doc, "API_crafted").0, crafted);
        let (path, lit) = op(&doc, "API_literal");
        assert_eq!(path, format!("{crafted}-2"));
        assert_eq!(lit["x-apigateway-request-path"], literal.as_str());
        // Variables kept after the short form, named as they would be in a path of their own.
        let xy = format!("x_y-{:016x}", fnv1a(b"x.y"));
        let (path, vars) = op(&doc, "API_vars");
        assert_eq!(path, format!("{}/{{id}}/{{{xy}}}", long_path_base(&vars_shape)));
        assert_eq!(param_names(vars, "path"), ["id", xy.as_str()]);
        if dialect == Dialect::OpenApi3 {
            assert_eq!(vars["x-apigateway-backend-policies"][0]["conditions"][0]["parameter"], xy.as_str());
        }
        // Variables whose names are too long even so: `p1`, `p2`, followed by what names them.
        let (path, wide) = op(&doc, "API_wide");
        assert_eq!(path, format!("{}/{{p1}}/{{p2}}", long_path_base(wide_shape)));
        assert_eq!(param_names(wide, "path"), ["p1", "p2"]);
        assert_eq!(wide["x-apigateway-backend"]["parameters"][0]["value"], "p1");
        // Too many variables for any key: left out.
        assert!(doc["paths"].as_object().unwrap().values().all(|item| item
            .as_object()
            .unwrap()
            .values()
            .all(|o| o["summary"] != "API_many")));
        let said = warnings(&strict);
        assert!(
            said.iter().any(|w| w
                .starts_with("API \"API_many\" (a4): left out of the Strict profile: its path \"/many/{v0}/{v1}")
                && w.ends_with("has too many variables to be written as a key YAML readers take (1,024 characters)")),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|w| w.starts_with("API \"API_literal\" (a1): path \"/llll")
                && w.contains("(YAML readers, which read JSON too, take no key over 1,024 characters)")),
            "{said:#?}"
        );
        assert!(said.iter().any(|w| w.starts_with("API \"API_literal\" (a1): path \"/llll")
            && w.ends_with(&format!("written as \"{crafted}-2\" in the Strict profile: its short form \"{crafted}\" is another name in the document"))), "{said:#?}");
        let apig = json(&export_of(&catalog, dialect, Scope::All, Profile::Apig));
        strict_names_follow(&doc, &apig).unwrap();
    }
    // `wide` is not itself long: only its variables make it so.
    assert!(wide_shape.len() < 40);
}

#[test]
fn keys_crafted_as_another_keys_short_form_do_not_take_it() {
    let catalog = long_names_catalog();
    let (throttle, error, response) = ("t".repeat(2_000), "E".repeat(2_000), "R".repeat(2_000));
    for dialect in DIALECTS {
        let strict = export_of(&catalog, dialect, Scope::All, Profile::Strict);
        let doc = json(&strict);
        let root = if dialect == Dialect::Swagger2 { &doc } else { &doc["components"] };
        let limits = &root["x-apigateway-ratelimits"];
        let (short, next) = (short_form(&throttle), format!("{}-2", short_form(&throttle)));
        assert_eq!(limits[&short]["api-limit"], 20, "the crafted policy keeps its name: {limits}");
        assert_eq!(limits[&next]["api-limit"], 10, "{limits}");
        assert_eq!(op(&doc, "API_vars").1["x-apigateway-ratelimit"], next.as_str());
        assert_eq!(op(&doc, "API_wide").1["x-apigateway-ratelimit"], short.as_str());
        let responses = &root["x-apigateway-responses"];
        let (short, next) = (short_form(&response), format!("{}-2", short_form(&response)));
        let kinds: BTreeSet<&str> = responses[&next].as_object().unwrap().keys().map(String::as_str).collect();
        let (error_short, error_next) = (short_form(&error), format!("{}-2", short_form(&error)));
        assert_eq!(kinds, BTreeSet::from([error_short.as_str(), error_next.as_str()]), "{responses}");
        assert!(responses[&short]["THROTTLED"].is_object(), "{responses}");
        assert_eq!(op(&doc, "API_vars").1["x-apigateway-response"], next.as_str());
        let said = warnings(&strict);
        let taken = said.iter().filter(|w| w.contains("is another name in the document")).count();
        // The throttling policy, the gateway response, its error type, and the literal path.
        assert_eq!(taken, 4, "{said:#?}");
    }
}
