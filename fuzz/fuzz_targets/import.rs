//! Import bytes: APIG's error body (bounded, with a location for the reader's errors) or a
//! response and a valid catalog, deterministically; never a panic, whatever the document.
#![no_main]

use apig_export::import::{import, ImportOptions};
use apig_export::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let base = Catalog::new(Default::default()).expect("empty catalog");
    let options = ImportOptions::new();
    match import(&base, data, &options) {
        Err(e) => {
            assert!(e.error_code().starts_with("APIG."));
            assert!(e.to_json().len() < 64 * 1024);
            if e.error_code() == "APIG.3600" {
                assert!(e.error_msg().contains("line") || e.error_msg().contains("UTF-8"), "{e}");
            }
        }
        Ok(imported) => {
            let again = import(&base, data, &options).expect("the same input imports the same");
            assert_eq!(again.response(), imported.response());
            for f in imported.response().failure() {
                assert!(f.error_msg().len() <= 1024);
            }
        }
    }
});
