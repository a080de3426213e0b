//! Golden files: every fixture catalog exported in every dialect, scope and profile, compared
//! byte for byte with `fixtures/expected/`.
//!
//! `UPDATE_GOLDEN=1 cargo test --test export golden` rewrites the expected files (review the diff before
//! committing it); with `CI` set the switch is refused, so CI only ever compares.

use std::fmt::Write as _;

use crate::common::*;
use apig_export::Format;

fn updating() -> bool {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    assert!(!(update && std::env::var_os("CI").is_some()), "UPDATE_GOLDEN is refused in CI");
    update
}

fn check(path: &std::path::Path, actual: &str, failures: &mut Vec<String>) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(path) {
        Err(e) => failures.push(format!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display())),
        Ok(expected) if expected != actual => {
            failures.push(format!("{}: {}", path.display(), first_diff(actual, &expected)));
        }
        Ok(_) => {}
    }
}

fn goldens_for(format: Format, ext: &str) -> usize {
    let mut failures = Vec::new();
    let mut compared = 0;
    for &(stem, version) in CATALOGS {
        let catalog = catalog(stem);
        let request = request_for(&catalog, version);
        let mut warnings = String::new();
        for dialect in DIALECTS {
            for scope in SCOPES {
                for profile in PROFILES {
                    let exported = run(&catalog, &request, dialect, scope, format, profile);
                    check(&golden_path(stem, dialect, scope, profile, ext), exported.content(), &mut failures);
                    compared += 1;
                    if profile == apig_export::Profile::Apig {
                        writeln!(warnings, "## {}-{scope}", dialect_tag(dialect)).unwrap();
                        for w in exported.warnings() {
                            writeln!(warnings, "{w}").unwrap();
                        }
                    }
                }
            }
        }
        if format == Format::Json {
            check(&root().join("fixtures/expected").join(stem).join("warnings.txt"), &warnings, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{} golden file(s) differ:\n{}", failures.len(), failures.join("\n"));
    compared
}

#[test]
fn json_goldens_match_byte_for_byte() {
    let compared = goldens_for(Format::Json, "json");
    assert_eq!(compared, CATALOGS.len() * 16);
}

#[test]
fn yaml_goldens_match_byte_for_byte() {
    let compared = goldens_for(Format::Yaml, "yaml");
    assert_eq!(compared, CATALOGS.len() * 16);
}

#[test]
fn yml_is_the_same_yaml_with_another_file_type() {
    let catalog = catalog("demo");
    let request = request_for(&catalog, None);
    for dialect in DIALECTS {
        let yaml = run(&catalog, &request, dialect, apig_export::Scope::All, Format::Yaml, apig_export::Profile::Apig);
        let yml = run(&catalog, &request, dialect, apig_export::Scope::All, Format::Yml, apig_export::Profile::Apig);
        assert_eq!(yaml.content(), yml.content());
        assert_eq!((yaml.file_type(), yml.file_type()), (".yaml", ".yml"));
        assert_eq!(yaml.file_name(), yml.file_name());
    }
}

#[test]
fn same_input_gives_identical_bytes() {
    for &(stem, version) in CATALOGS {
        for dialect in DIALECTS {
            for scope in SCOPES {
                for profile in PROFILES {
                    // A fresh catalog parse each time: nothing may depend on allocation or hashing.
                    let a = run(
                        &catalog(stem),
                        &request_for(&catalog(stem), version),
                        dialect,
                        scope,
                        Format::Json,
                        profile,
                    );
                    let b = run(
                        &catalog(stem),
                        &request_for(&catalog(stem), version),
                        dialect,
                        scope,
                        Format::Json,
                        profile,
                    );
                    assert_eq!(a, b, "{stem} {dialect:?} {scope} {profile}");
                }
            }
        }
    }
}
