//! YAML output against its oracle, js-yaml 4.1.0 itself (installed by `scripts/oracles.sh`):
//! every golden and thousands of generated documents must come out byte for byte as
//! `dump(JSON.parse(json))` writes them, and read back to the JSON export's tree.

mod common;

use apig_export::strategies::{export_request, hostile_catalog, json_tree};
use apig_export::{export, Format, Profile};
use common::*;
use proptest::strategy::Strategy;

fn compare(label: &str, ours: &[String], jsons: &[String]) {
    let theirs = js_yaml_dump(jsons);
    let mut failures = Vec::new();
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        if o != t {
            failures.push(format!(
                "{label} #{i}: {}\n  json: {}",
                first_diff(o, t),
                jsons[i].chars().take(2000).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from js-yaml:\n{}",
        failures.len(),
        ours.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn every_golden_is_what_js_yaml_writes() {
    let (mut ours, mut jsons) = (Vec::new(), Vec::new());
    for &(stem, _) in CATALOGS {
        for dialect in DIALECTS {
            for scope in SCOPES {
                for profile in PROFILES {
                    jsons.push(String::from_utf8(read(&golden_path(stem, dialect, scope, profile, "json"))).unwrap());
                    ours.push(String::from_utf8(read(&golden_path(stem, dialect, scope, profile, "yaml"))).unwrap());
                }
            }
        }
    }
    assert_eq!(ours.len(), CATALOGS.len() * 16);
    compare("golden", &ours, &jsons);
}

#[test]
fn generated_trees_are_what_js_yaml_writes() {
    let trees = generate(json_tree(), cases(2000));
    let jsons: Vec<String> = trees.iter().map(|t| serde_json::to_string(t).unwrap()).collect();
    let ours: Vec<String> = trees.iter().map(|t| apig_export::yaml::to_string(t).unwrap()).collect();
    compare("tree", &ours, &jsons);
    assert!(jsons.iter().any(|j| j.contains("\"0\":") || j.contains("\"1\":")), "array-index keys are exercised");
}

/// Generated hostile catalogs, exported with generated requests, in JSON and YAML.
fn generated_exports(n: u32) -> Vec<(String, String)> {
    let strategy = hostile_catalog().prop_flat_map(|catalog| {
        let requests = export_request(&catalog);
        (proptest::strategy::Just(catalog), requests, proptest::bool::ANY)
    });
    generate(strategy, n)
        .into_iter()
        .map(|(catalog, request, strict)| {
            let settings = settings(if strict { Profile::Strict } else { Profile::Apig });
            let json = export(&catalog, &request.clone().with_format(Format::Json), &settings).unwrap();
            let yaml = export(&catalog, &request.with_format(Format::Yaml), &settings).unwrap();
            (json.content().to_owned(), yaml.content().to_owned())
        })
        .collect()
}

#[test]
fn generated_exports_are_what_js_yaml_writes_and_read_back_identically() {
    let docs = generated_exports(cases(2000));
    let (jsons, ours): (Vec<String>, Vec<String>) = docs.into_iter().unzip();
    compare("export", &ours, &jsons);
    // Read-back: our YAML parsed by serde_yaml is the JSON export's tree.
    let mut quirks = 0;
    for (i, (json, yaml)) in jsons.iter().zip(&ours).enumerate() {
        let from_json: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_yaml: serde_json::Value = serde_yaml::from_str(yaml)
            .unwrap_or_else(|e| panic!("export #{i}: serde_yaml cannot read our YAML: {e}\n{yaml}"));
        let mut path = Vec::new();
        same_tree(&from_json, &from_yaml, &mut path, &mut quirks).unwrap_or_else(|e| panic!("export #{i}: {e}"));
    }
    eprintln!("read-back: {} documents, {quirks} string(s) of the form +.5 read back as numbers", jsons.len());
}

#[test]
fn the_read_back_exception_is_exactly_the_js_yaml_quirk() {
    // js-yaml itself writes these unquoted, and our emitter must too (byte fidelity)...
    let jsons: Vec<String> =
        ["+.5", "+.5e3", "-.5", "+5", "+.5_"].iter().map(|s| serde_json::json!({ "k": s }).to_string()).collect();
    let theirs = js_yaml_dump(&jsons);
    assert_eq!(theirs, ["k: +.5\n", "k: +.5e3\n", "k: '-.5'\n", "k: '+5'\n", "k: +.5_\n"]);
    // ...and the exception admits nothing else.
    for s in ["+.5", "+.5e3", "+.5E-3"] {
        assert!(is_signed_dot_float(s), "{s}");
    }
    for s in ["-.5", ".5", "+5", "+.5_", "+.", "+.5e", "+.5.5"] {
        assert!(!is_signed_dot_float(s), "{s}");
    }
}

#[test]
fn the_oracle_can_disagree() {
    // A YAML writer that does not quote YAML 1.1 booleans must fail the comparison.
    let jsons = vec![r#"{"a": "yes"}"#.to_owned()];
    let theirs = js_yaml_dump(&jsons);
    assert_eq!(theirs[0], "a: 'yes'\n");
    assert_ne!(theirs[0], "a: yes\n");
}
