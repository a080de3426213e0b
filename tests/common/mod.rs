//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use apig_export::{export, Catalog, Dialect, ExportRequest, Exported, FixedClock, Format, Profile, Scope, Settings};

/// The crate root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, the read-only reference material beside the repository.
pub(crate) fn shared() -> PathBuf {
    root().join("../shared")
}

/// The golden catalogs: file stem under `fixtures/catalogs/`, and the `version` to request
/// (`None`: the default version from [`clock`]).
pub(crate) const CATALOGS: &[(&str, Option<&str>)] = &[
    ("demo", None),
    ("params-auth", None),
    ("cors-any", None),
    ("hostile", None),
    ("otc-2023-mock", Some("2023-07-11-19:54:22")),
    ("gen-2026-function", Some("2026-06-18-14:32:33")),
    ("huawei-2019-http", Some("2019-09-12-17:38:10")),
];

pub(crate) const DIALECTS: [Dialect; 2] = [Dialect::Swagger2, Dialect::OpenApi3];
pub(crate) const SCOPES: [Scope; 4] = [Scope::Spec, Scope::Proxy, Scope::All, Scope::Dev];
pub(crate) const PROFILES: [Profile; 2] = [Profile::Apig, Profile::Strict];

/// The fixed clock of the golden files: 2024-05-06 10:11:12 UTC.
pub(crate) fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::from_ymd_hms(2024, 5, 6, 10, 11, 12).expect("valid date"))
}

pub(crate) fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub(crate) fn catalog(stem: &str) -> Catalog {
    let path = root().join("fixtures/catalogs").join(format!("{stem}.json"));
    Catalog::from_json(&read(&path)).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The group and environment a golden export uses: the first group and the RELEASE environment.
pub(crate) fn request_for(catalog: &Catalog, version: Option<&str>) -> ExportRequest {
    let data = catalog.data();
    let group = &data.groups[0].id;
    let env = &data.environments.iter().find(|e| e.name == "RELEASE").expect("RELEASE environment").id;
    let request = ExportRequest::new(group.clone(), env.clone());
    match version {
        Some(v) => request.with_version(v).expect("valid version"),
        None => request,
    }
}

pub(crate) fn settings(profile: Profile) -> Settings {
    Settings::default().with_profile(profile).with_clock(clock())
}

pub(crate) fn run(
    catalog: &Catalog,
    base: &ExportRequest,
    dialect: Dialect,
    scope: Scope,
    format: Format,
    profile: Profile,
) -> Exported {
    let request = base.clone().with_dialect(dialect).with_scope(scope).with_format(format);
    export(catalog, &request, &settings(profile)).unwrap_or_else(|e| panic!("export failed: {e}"))
}

pub(crate) fn dialect_tag(d: Dialect) -> &'static str {
    match d {
        Dialect::Swagger2 => "oas2",
        Dialect::OpenApi3 => "oas3",
        _ => unreachable!("new dialect"),
    }
}

/// `fixtures/expected/{stem}/{oas2|oas3}-{scope}-{profile}.{ext}`.
pub(crate) fn golden_path(stem: &str, dialect: Dialect, scope: Scope, profile: Profile, ext: &str) -> PathBuf {
    root().join("fixtures/expected").join(stem).join(format!("{}-{scope}-{profile}.{ext}", dialect_tag(dialect)))
}

/// Loads a JSON Schema file under `../shared/schemas`.
pub(crate) fn schema(name: &str) -> serde_json::Value {
    serde_json::from_slice(&read(&shared().join("schemas").join(name))).expect("schema is JSON")
}
