//! What an export says about its input stays bounded by that input: warnings are listed up to
//! 1,000, each quoting at most 80 characters of a value, whatever the catalog holds.

use apig_export::model::ParamLocation;
use apig_export::testkit::synthetic;
use apig_export::{export, Catalog, Dialect, ExportRequest, Settings};

/// One API with a 20,000-character name and 20,000 parameters in `location` (about 790 KB of
/// JSON).
fn catalog(location: ParamLocation) -> Vec<u8> {
    synthetic::many_parameters(20_000, 20_000, location)
}

#[test]
fn twenty_thousand_cookie_parameters_give_a_bounded_list_of_warnings() {
    let bytes = catalog(ParamLocation::Cookie);
    assert!(bytes.len() > 700_000 && bytes.len() < 900_000, "{}", bytes.len());
    let catalog = Catalog::from_json(&bytes).unwrap();
    let request = ExportRequest::new(synthetic::GROUP_ID, synthetic::ENV_ID).with_dialect(Dialect::Swagger2);
    let exported = export(&catalog, &request, &Settings::default()).unwrap();
    let warnings = exported.warnings();
    assert_eq!(warnings.len(), 1_001);
    assert!(warnings[..1_000].iter().all(|w| w.api_id() == Some("a1") && w.message().starts_with("COOKIE parameter")));
    assert_eq!(
        warnings[1_000].to_string(),
        "export: 19000 more warning(s) not listed (this export lists 1000)",
        "nothing is lost without a word: the rest are counted"
    );
    let text: usize = warnings.iter().map(|w| w.to_string().len() + 1).sum();
    assert!(text <= 1 << 20, "{text} bytes of warnings");
    let first = warnings[0].to_string();
    assert_eq!(
        first,
        format!(
            "API \"{}…\" (20000 bytes) (a1): COOKIE parameter \"c0\" left out: Swagger 2.0 has no cookie parameters",
            "n".repeat(80)
        )
    );
    // An export whose warnings nobody reads (the task runner's) only counts them.
    let counted = export(&catalog, &request, &Settings::default().with_warning_limit(0)).unwrap();
    let texts: Vec<String> = counted.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(texts, ["export: 20000 more warning(s) not listed (this export lists 0)"]);
    assert_eq!(counted.content(), exported.content());
    let five = export(&catalog, &request, &Settings::default().with_warning_limit(5)).unwrap();
    assert_eq!(five.warnings().len(), 6);
    // The same parameters in HEADER need no warning; in OpenAPI 3.0 cookies have their place.
    let header = Catalog::from_json(&self::catalog(ParamLocation::Header)).unwrap();
    assert!(export(&header, &request, &Settings::default()).unwrap().warnings().is_empty());
    let oas3 = export(&catalog, &request.clone().with_dialect(Dialect::OpenApi3), &Settings::default()).unwrap();
    assert!(oas3.warnings().is_empty());
}
