//! Request bytes: the first line is the query `oas_version` (absent when empty), the rest the
//! body. Every input gives a request or a D8 error whose body is JSON; never a panic.
#![no_main]

use apig_export::{export, Catalog, ExportRequest, Settings};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn demo() -> &'static Catalog {
    static DEMO: OnceLock<Catalog> = OnceLock::new();
    DEMO.get_or_init(|| Catalog::from_json(include_bytes!("../../fixtures/catalogs/demo.json")).expect("demo catalog"))
}

fuzz_target!(|data: &[u8]| {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[][..], data),
    };
    let query = std::str::from_utf8(query).ok().filter(|q| !q.is_empty());
    match ExportRequest::parse(query, body) {
        Ok(request) => match export(demo(), &request, &Settings::default()) {
            Ok(exported) => assert!(!exported.content().is_empty()),
            Err(e) => {
                assert!(matches!(e.error_code(), "APIG.3001" | "APIG.3002" | "APIG.3003"));
                let _: serde_json::Value = serde_json::from_str(&e.to_json()).expect("JSON error body");
            }
        },
        Err(e) => {
            assert_eq!(e.status(), 400);
            let _: serde_json::Value = serde_json::from_str(&e.to_json()).expect("JSON error body");
        }
    }
});
