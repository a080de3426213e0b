//! Scope semantics: scopes are monotone, and nothing D7 protects ever leaves the catalog.

use std::collections::BTreeSet;

use crate::common::*;
use apig_export::{export, Format, Scope};

#[test]
fn scopes_are_monotone() {
    let mut checked = 0;
    for &(stem, version) in CATALOGS.iter().chain([("sentinel", None)].iter()) {
        let catalog = catalog(stem);
        let request = request_for(&catalog, version);
        for dialect in DIALECTS {
            for profile in PROFILES {
                let paths = |scope| {
                    let exported = run(&catalog, &request, dialect, scope, Format::Json, profile);
                    let mut out = BTreeSet::new();
                    key_paths(&serde_json::from_str(exported.content()).unwrap(), "", &mut out);
                    out
                };
                let (spec, proxy, all) = (paths(Scope::Spec), paths(Scope::Proxy), paths(Scope::All));
                let lost: Vec<_> = spec.difference(&proxy).collect();
                assert!(lost.is_empty(), "{stem} {dialect:?} {profile}: in spec, not in proxy: {lost:?}");
                let lost: Vec<_> = proxy.difference(&all).collect();
                assert!(lost.is_empty(), "{stem} {dialect:?} {profile}: in proxy, not in all: {lost:?}");
                assert!(spec.len() < proxy.len() && proxy.len() <= all.len());
                checked += 1;
            }
        }
    }
    assert_eq!(checked, (CATALOGS.len() + 1) * 4);
}

#[test]
fn nothing_protected_leaves_the_catalog() {
    let catalog = catalog("sentinel");
    let text = String::from_utf8(read(&root().join("fixtures/catalogs/sentinel.json"))).unwrap();
    // The fixture really carries its sentinels.
    assert!(text.matches("LEAK-").count() > 20 && text.contains("OTHER-ENV-") && text.contains("DRAFT-ONLY-"));
    let request = request_for(&catalog, None);
    let mut exports = 0;
    for dialect in DIALECTS {
        for scope in SCOPES {
            for format in [Format::Json, Format::Yaml, Format::Yml] {
                for profile in PROFILES {
                    let r = request.clone().with_dialect(dialect).with_scope(scope).with_format(format);
                    let exported = export(&catalog, &r, &settings(profile)).unwrap();
                    let warnings: Vec<String> = exported.warnings().iter().map(ToString::to_string).collect();
                    let everything =
                        [exported.content(), exported.file_name(), &exported.task_result(), &warnings.join("\n")]
                            .concat();
                    let what = format!("{dialect:?} {scope} {format} {profile}");
                    assert!(!everything.contains("LEAK-"), "{what}: a protected field leaked");
                    assert!(!everything.contains("OTHER-ENV-"), "{what}: a policy of another environment leaked");
                    assert_eq!(
                        everything.contains("DRAFT-ONLY-"),
                        scope == Scope::Dev,
                        "{what}: drafts belong in dev and only there"
                    );
                    exports += 1;
                }
            }
        }
    }
    assert_eq!(exports, 2 * 4 * 3 * 2);
}
