//! The snapshot that travels with a task: exporting it gives the bytes exporting the whole
//! catalog gives, and it carries none of the catalog's secrets nor what the request leaves out
//! (case counts from `APIG_EXPORT_CASES`).

use crate::common::*;
use apig_export::task::Snapshot;
use apig_export::testkit::strategies::{self, export_request};
use apig_export::{export, Profile, Scope};
use proptest::prelude::*;

fn config(default: u32) -> ProptestConfig {
    ProptestConfig { cases: cases(default), failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(64))]

    /// Any request on any generated catalog: the thawed snapshot exports the same bytes, file
    /// name and warnings, in both profiles; a request the catalog refuses is refused alike.
    #[test]
    fn a_thawed_snapshot_exports_what_the_catalog_exports(
        (catalog, request) in strategies::catalog().prop_flat_map(|c| { let r = export_request(&c); (Just(c), r) })
    ) {
        for profile in PROFILES {
            let whole = export(&catalog, &request, &settings(profile));
            match Snapshot::freeze(&catalog, &request, profile) {
                Err(e) => prop_assert_eq!(Err(e), whole),
                Ok(snapshot) => {
                    let bytes = snapshot.as_bytes().to_vec();
                    let (frozen, again, frozen_profile) = Snapshot::from_bytes(bytes).thaw().unwrap();
                    prop_assert_eq!(&again, &request);
                    prop_assert_eq!(frozen_profile, profile);
                    let thawed = export(&frozen, &again, &settings(profile));
                    prop_assert_eq!(thawed, whole);
                }
            }
        }
    }
}

#[test]
fn every_golden_export_comes_out_of_its_snapshot_and_nothing_protected_goes_in() {
    for &(stem, version) in CATALOGS.iter().chain([("sentinel", None)].iter()) {
        let catalog = catalog(stem);
        let base = request_for(&catalog, version);
        for dialect in DIALECTS {
            for scope in SCOPES {
                for profile in PROFILES {
                    let request = base.clone().with_dialect(dialect).with_scope(scope);
                    let snapshot = Snapshot::freeze(&catalog, &request, profile).unwrap();
                    let text = std::str::from_utf8(snapshot.as_bytes()).unwrap();
                    let what = format!("{stem} {dialect:?} {scope} {profile}");
                    for secret in [
                        "LEAK-app-key",
                        "LEAK-app-secret",
                        "LEAK-client-certificate",
                        "LEAK-private-key",
                        "LEAK-vpc-member-address",
                        "LEAK-plugin-content",
                        "LEAK-authorizer-user-data",
                    ] {
                        assert!(!text.contains(secret), "{what}: {secret} is in the snapshot");
                    }
                    assert!(!text.contains("OTHER-ENV-"), "{what}: another environment's policy is in the snapshot");
                    if stem == "sentinel" {
                        assert_eq!(text.contains("DRAFT-ONLY-"), scope == Scope::Dev, "{what}");
                    }
                    let (frozen, again, _) = snapshot.thaw().unwrap();
                    assert_eq!(
                        export(&frozen, &again, &settings(profile)),
                        export(&catalog, &request, &settings(profile)),
                        "{what}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_snapshot_follows_the_selection_not_the_catalog() {
    use apig_export::testkit::synthetic;
    let small = apig_export::ExportRequest::parse(
        None,
        format!(
            r#"{{"env_id": "{}", "group_id": "{}", "apis": ["{}"]}}"#,
            synthetic::ENV_ID,
            synthetic::GROUP_ID,
            "api00007"
        )
        .as_bytes(),
    )
    .unwrap();
    let sizes: Vec<usize> = [100, 1_000]
        .into_iter()
        .map(|n| Snapshot::freeze(&synthetic::catalog(n), &small, Profile::Apig).unwrap().as_bytes().len())
        .collect();
    assert_eq!(sizes[0], sizes[1], "one API selected: the same snapshot whatever the catalog's size");
    // Bytes that are not a snapshot are refused, not trusted.
    assert_eq!(Snapshot::from_bytes(b"{}".to_vec()).thaw().unwrap_err().error_code(), "APIG.9999");
}
