//! Catalog bytes: a located error or a catalog that exports in every dialect and scope without
//! panicking, deterministically.
#![no_main]

use apig_export::{export, Catalog, Dialect, ExportRequest, Format, Scope, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Catalog::from_json(data) {
        Err(e) => {
            assert!(!e.issues().is_empty());
            assert!(!e.to_string().is_empty());
        }
        Ok(catalog) => {
            let data = catalog.data();
            for group in data.groups.iter().take(2) {
                for env in data.environments.iter().take(2) {
                    for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
                        for scope in [Scope::Spec, Scope::All, Scope::Dev] {
                            for format in [Format::Json, Format::Yaml] {
                                let request = ExportRequest::new(group.id.clone(), env.id.clone())
                                    .with_dialect(dialect)
                                    .with_scope(scope)
                                    .with_format(format)
                                    .with_version("v")
                                    .expect("valid version");
                                let a = export(&catalog, &request, &Settings::default()).expect("lookups resolve");
                                let b = export(&catalog, &request, &Settings::default()).expect("lookups resolve");
                                assert_eq!(a, b);
                            }
                        }
                    }
                }
            }
        }
    }
});
