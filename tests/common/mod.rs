//! Helpers shared by the integration tests.
//! Included by each of the five test binaries, each of which uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use apig_export::{export, Catalog, Dialect, ExportRequest, Exported, FixedClock, Format, Profile, Scope, Settings};

/// The crate root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/`, the data the tests read (see `fixtures/README.md` for where each file comes from).
pub(crate) fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// The golden catalogs: file stem under `fixtures/catalogs/`, and the `version` to request
/// (`None`: the default version from [`clock`]).
pub(crate) const CATALOGS: &[(&str, Option<&str>)] = &[
    ("demo", None),
    ("params-auth", None),
    ("cors-any", None),
    ("hostile", None),
    ("strict-names", None),
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

/// Loads a JSON Schema file under `fixtures/schemas`.
pub(crate) fn schema(name: &str) -> serde_json::Value {
    serde_json::from_slice(&read(&fixtures().join("schemas").join(name))).expect("schema is JSON")
}

/// `.oracles/` (installed by `scripts/oracles.sh`), or `$APIG_EXPORT_ORACLES`.
pub(crate) fn oracles() -> PathBuf {
    std::env::var_os("APIG_EXPORT_ORACLES").map_or_else(|| root().join(".oracles"), PathBuf::from)
}

/// Runs js-yaml 4.1.0 `dump(JSON.parse(doc))` on every document, in one Node process.
/// A missing Node or js-yaml fails the test: the oracle is never skipped.
pub(crate) fn js_yaml_dump(docs: &[String]) -> Vec<String> {
    let module = oracles().join("node/node_modules/js-yaml");
    assert!(
        module.join("package.json").exists(),
        "the js-yaml oracle is missing at {}: run scripts/oracles.sh (scripts/test.sh does)",
        module.display()
    );
    let version: serde_json::Value = serde_json::from_slice(&read(&module.join("package.json"))).unwrap();
    assert_eq!(version["version"], "4.1.0", "the oracle must be js-yaml 4.1.0");
    let script = "const y = require(process.argv[1]); const docs = JSON.parse(require('fs').readFileSync(0, 'utf8')); \
                  process.stdout.write(JSON.stringify(docs.map(d => y.dump(JSON.parse(d)))));";
    let input = serde_json::to_string(docs).unwrap();
    let out = run_oracle(Path::new("node"), &["-e", script, module.to_str().unwrap()], &input);
    assert!(out.status.success(), "js-yaml failed: {}", String::from_utf8_lossy(&out.stderr));
    let dumped: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dumped.len(), docs.len());
    dumped
}

/// Reads YAML text with a YAML 1.2 reader (serde_yaml) into a JSON value: the one place tests read
/// YAML.
pub(crate) fn read_yaml(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// How many generated cases a property runs: `$APIG_EXPORT_CASES`, else `default`.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("APIG_EXPORT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `n` values of `strategy` from a fixed seed (the run is reproducible).
pub(crate) fn generate<S: proptest::strategy::Strategy>(strategy: S, n: u32) -> Vec<S::Value> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n).map(|_| strategy.new_tree(&mut runner).expect("strategy produces a value").current()).collect()
}

/// The first differing line of two texts, for failure messages.
pub(crate) fn first_diff(ours: &str, theirs: &str) -> String {
    match ours.lines().zip(theirs.lines()).position(|(a, b)| a != b) {
        Some(n) => format!(
            "line {}: ours {:?} / oracle {:?}",
            n + 1,
            ours.lines().nth(n).unwrap_or(""),
            theirs.lines().nth(n).unwrap_or("")
        ),
        None => format!("lengths: ours {} bytes / oracle {} bytes", ours.len(), theirs.len()),
    }
}

/// Compares the JSON tree with the YAML read back. The one allowed difference is js-yaml 4.1.0's:
/// it writes strings of the form `+.5` / `+.5e3` unquoted (its float pattern has no sign before
/// a leading dot), which YAML 1.2 readers read as numbers. Anything else is a failure.
pub(crate) fn same_tree(
    json: &serde_json::Value,
    yaml: &serde_json::Value,
    path: &mut Vec<String>,
    quirks: &mut usize,
) -> Result<(), String> {
    use serde_json::Value;
    match (json, yaml) {
        (Value::Object(a), Value::Object(b)) => {
            if a.len() != b.len() || a.keys().any(|k| !b.contains_key(k)) {
                return Err(format!("keys differ at /{}", path.join("/")));
            }
            for (k, v) in a {
                path.push(k.clone());
                same_tree(v, &b[k], path, quirks)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (n, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(n.to_string());
                same_tree(x, y, path, quirks)?;
                path.pop();
            }
            Ok(())
        }
        (Value::String(s), Value::Number(n)) if is_signed_dot_float(s) && s.parse::<f64>().ok() == n.as_f64() => {
            *quirks += 1;
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("at /{}: JSON {a} but YAML reads {b}", path.join("/"))),
    }
}

/// `^\+\.[0-9]+([eE][-+]?[0-9]+)?$`
pub(crate) fn is_signed_dot_float(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("+.") else { return false };
    let (digits, exp) = rest.split_once(['e', 'E']).map_or((rest, None), |(d, e)| (d, Some(e)));
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && exp_ok
}

/// Every key path of a JSON document (`/paths/~1a/get/parameters/0/name`).
pub(crate) fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.insert(path.clone());
                key_paths(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                key_paths(v, &format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A fresh empty folder under the system's temporary folder, unique to this process and `name`,
/// removed with everything in it when the value is dropped, also when the test fails.
pub(crate) struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// See [`TempDir`].
pub(crate) fn tempdir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("apig-export-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    TempDir(dir)
}

/// Runs an oracle program with `stdin` as its input and returns what it printed (standard output,
/// then standard error). A missing program fails the test: an oracle is never skipped.
pub(crate) fn oracle_output(program: &Path, args: &[&str], stdin: &str) -> String {
    let out = run_oracle(program, args, stdin);
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Runs an oracle program with `stdin` as its input (written from another thread, so a large
/// input cannot deadlock against a full output pipe). The one place tests start an oracle.
pub(crate) fn run_oracle(program: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    // A bare name (`node`) is looked up on PATH; a missing one fails at spawn below.
    assert!(
        program.components().count() == 1 || program.exists(),
        "the oracle {} is missing: run scripts/oracles.sh (scripts/test.sh does)",
        program.display()
    );
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let mut input = child.stdin.take().expect("piped stdin");
    let bytes = stdin.as_bytes().to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let out = child.wait_with_output().expect("the oracle runs");
    writer.join().expect("writer thread").expect("stdin written");
    out
}

/// The operations of an export by API name (the Apig profile's `operationId`, the Strict
/// profile's `summary`), each with its path key.
pub(crate) fn operations_by_name(
    doc: &serde_json::Value,
) -> std::collections::BTreeMap<String, (String, serde_json::Value)> {
    let mut out = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if method.starts_with("x-") && method != "x-apigateway-any-method" {
                continue;
            }
            let name = op.get("summary").or_else(|| op.get("operationId")).and_then(|n| n.as_str()).unwrap_or_default();
            out.insert(name.to_owned(), (path.clone(), op.clone()));
        }
    }
    out
}

/// The names an operation's extensions give request parameters: `REQUEST` backend parameters'
/// values and `param` conditions' parameters, in document order.
pub(crate) fn references(op: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let backends = std::iter::once(&op["x-apigateway-backend"])
        .chain(op["x-apigateway-backend-policies"].as_array().into_iter().flatten());
    for backend in backends {
        for p in backend["parameters"].as_array().into_iter().flatten().filter(|p| p["origin"] == "REQUEST") {
            out.push(p["value"].as_str().unwrap_or_default().to_owned());
        }
        for c in backend["conditions"].as_array().into_iter().flatten().filter(|c| c["origin"] == "param") {
            out.push(c["parameter"].as_str().unwrap_or_default().to_owned());
        }
    }
    out
}

/// The variables of a path template, in order, without a greedy `+`.
pub(crate) fn template_variables(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|v| v.strip_suffix('+').unwrap_or(v).to_owned())
        .collect()
}

/// Checks that a Strict export says what the Apig export of the same request says about names:
/// every Strict operation's `x-apigateway-request-path` (else its path) is its APIG path; mapping
/// the written path's variables back, in order, to that path's gives APIG's path parameters and
/// references; and a reference resolves to a parameter of its operation exactly when it does in
/// the Apig export. Returns how many operations were written under another path.
pub(crate) fn strict_names_follow(strict: &serde_json::Value, apig: &serde_json::Value) -> Result<usize, String> {
    let (strict, apig) = (operations_by_name(strict), operations_by_name(apig));
    let mut rewritten = 0;
    for (name, (path, op)) in &strict {
        let (apig_path, apig_op) = apig.get(name).ok_or_else(|| format!("{name:?}: not in the Apig export"))?;
        let request_path = op.get("x-apigateway-request-path").and_then(|p| p.as_str()).unwrap_or(path);
        if request_path != apig_path {
            return Err(format!("{name:?}: APIG path {request_path:?} in Strict, {apig_path:?} in Apig"));
        }
        rewritten += usize::from(path != apig_path);
        let (written, stored) = (template_variables(path), template_variables(apig_path));
        if written.len() != stored.len() {
            return Err(format!("{name:?}: {path:?} and {apig_path:?} have different variables"));
        }
        let back: std::collections::BTreeMap<&str, &str> =
            written.iter().map(String::as_str).zip(stored.iter().map(String::as_str)).collect();
        let params = |op: &serde_json::Value, restore: bool| -> Vec<(String, String)> {
            let mut out: Vec<(String, String)> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let (n, at) = (p["name"].as_str().unwrap_or_default(), p["in"].as_str().unwrap_or_default());
                    let n = if restore && at == "path" { back.get(n).copied().unwrap_or(n) } else { n };
                    (n.to_owned(), at.to_owned())
                })
                .collect();
            out.sort();
            out
        };
        if params(op, true) != params(apig_op, false) {
            return Err(format!(
                "{name:?}: parameters {:?} restore to {:?}, Apig has {:?}",
                params(op, false),
                params(op, true),
                params(apig_op, false)
            ));
        }
        let resolves = |op: &serde_json::Value, r: &str| params(op, false).iter().any(|(n, _)| n == r);
        let (ours, theirs) = (references(op), references(apig_op));
        let restored: Vec<String> =
            ours.iter()
                .map(|r| {
                    if resolves(op, r) {
                        back.get(r.as_str()).map_or(r.clone(), |s| (*s).to_owned())
                    } else {
                        r.clone()
                    }
                })
                .collect();
        if restored != theirs {
            return Err(format!("{name:?}: references {ours:?} restore to {restored:?}, Apig has {theirs:?}"));
        }
        for (r, t) in ours.iter().zip(&theirs) {
            if resolves(op, r) != resolves(apig_op, t) {
                return Err(format!("{name:?}: reference {r:?} resolves in one profile only (Apig: {t:?})"));
            }
        }
    }
    Ok(rewritten)
}

/// 64-bit FNV-1a, as the Strict profile hashes names into short forms.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A name's short form: its first 40 characters, `-` and 16 hex digits of its FNV-1a hash.
pub(crate) fn short_form(name: &str) -> String {
    format!("{}-{:016x}", name.chars().take(40).collect::<String>(), fnv1a(name.as_bytes()))
}

/// The start of the key the Strict profile writes for a path (its shape: variables as `{}`) too
/// long for a key: its first 40 characters (outside `[A-Za-z0-9._~/-]` as `_`), `-` and its hash.
pub(crate) fn long_path_base(shape: &str) -> String {
    let head: String = shape
        .chars()
        .take(40)
        .map(|c| if c.is_ascii_alphanumeric() || "._~/-".contains(c) { c } else { '_' })
        .collect();
    format!("{head}-{:016x}", fnv1a(shape.as_bytes()))
}

/// Paths and keys too long for a YAML key, and names crafted to equal others' short forms:
/// - `API_literal`: a literal path of 1,100 characters, whose short form `API_crafted`'s path takes;
/// - `API_vars`: a long path with `{id}` and `{x.y}` (named by a policy condition), a throttling
///   policy and a gateway response of 2,000 characters, the response with an error type of 2,000
///   characters and another named as its short form;
/// - `API_wide`: two variables of 600 characters (one named by a backend parameter), a throttling
///   policy and a gateway response named as the others' short forms;
/// - `API_many`: 300 variables, too many for any key.
pub(crate) fn long_names_catalog() -> Catalog {
    let literal = format!("/{}", "l".repeat(1_100));
    let (a, b) = ("a".repeat(600), "b".repeat(600));
    let many: String = (0..300).map(|i| format!("/{{v{i}}}")).collect();
    let (throttle, error) = ("t".repeat(2_000), "E".repeat(2_000));
    let path_param =
        |name: &str| serde_json::json!({"name": name, "type": "STRING", "location": "PATH", "required": 1});
    let api = |id: &str, name: &str, uri: &str, params: Vec<serde_json::Value>| {
        serde_json::json!({"id": id, "group_id": "g1", "name": name, "req_method": "GET", "req_uri": uri,
            "backend_type": "HTTP", "req_params": params,
            "backend_api": {"url_domain": "backend.internal:8080", "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/b", "timeout": 5000}})
    };
    let mut vars = api(
        "a2",
        "API_vars",
        &format!("/long/{{id}}/{}/{{x.y}}", "s".repeat(1_100)),
        vec![path_param("id"), path_param("x.y")],
    );
    vars["response_id"] = "r1".into();
    vars["policy_https"] = serde_json::json!([{"name": "policy_xy", "effect_mode": "ANY", "url_domain": "xy.internal:8080",
        "req_protocol": "HTTP", "req_method": "GET", "req_uri": "/xy",
        "conditions": [{"condition_origin": "param", "req_param_name": "x.y", "condition_type": "exact", "condition_value": "1"}]}]);
    let mut wide = api("a3", "API_wide", &format!("/wide/{{{a}}}/{{{b}}}"), vec![path_param(&a), path_param(&b)]);
    wide["backend_params"] =
        serde_json::json!([{"origin": "REQUEST", "name": "first", "location": "QUERY", "value": a}]);
    wide["response_id"] = "r2".into();
    let many_params: Vec<serde_json::Value> = (0..300).map(|i| path_param(&format!("v{i}"))).collect();
    let apis = vec![
        api("a1", "API_literal", &literal, vec![]),
        vars,
        wide,
        api("a4", "API_many", &format!("/many{many}"), many_params),
        api("a5", "API_crafted", &long_path_base(&literal), vec![]),
    ];
    let publications: Vec<serde_json::Value> = ["a1", "a2", "a3", "a4", "a5"]
        .iter()
        .map(|id| serde_json::json!({"api_id": id, "env_id": "RELEASE"}))
        .collect();
    let response = |id: &str, name: &str, kinds: &[&str]| {
        let entries: serde_json::Map<String, serde_json::Value> =
            kinds.iter().map(|k| ((*k).to_owned(), serde_json::json!({"status": 429, "body": "{}"}))).collect();
        serde_json::json!({"id": id, "name": name, "responses": entries})
    };
    let response_name = "R".repeat(2_000);
    let data = serde_json::json!({
        "groups": [{"id": "g1", "name": "long_names", "sl_domain": "long.apic.cn-north-4.huaweicloudapis.com",
                    "gateway_responses": [
                        response("r1", &response_name, &[&error, &short_form(&error)]),
                        response("r2", &short_form(&response_name), &["THROTTLED"])
                    ]}],
        "environments": [{"id": "RELEASE", "name": "RELEASE"}],
        "throttles": [
            {"id": "t1", "name": throttle, "api_call_limits": 10, "time_interval": 1, "time_unit": "SECOND"},
            {"id": "t2", "name": short_form(&throttle), "api_call_limits": 20, "time_interval": 1, "time_unit": "SECOND"}
        ],
        "apis": apis,
        "publications": publications,
        "throttle_bindings": [
            {"throttle_id": "t1", "api_id": "a2", "env_id": "RELEASE"},
            {"throttle_id": "t2", "api_id": "a3", "env_id": "RELEASE"}
        ]
    });
    Catalog::from_json(data.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The base a round trip imports into: `catalog` without the group's APIs, their publications
/// and bindings (the group, its domains and gateway responses, and every policy, authorizer,
/// VPC channel, plug-in and orchestration rule stay).
pub(crate) fn without_apis(catalog: &Catalog, group_id: &str) -> Catalog {
    let mut data = catalog.data().clone();
    let gone: std::collections::BTreeSet<apig_export::model::Text> =
        data.apis.iter().filter(|a| a.group_id == group_id).map(|a| a.id.clone()).collect();
    data.apis.retain(|a| !gone.contains(&a.id));
    data.publications.retain(|p| !gone.contains(&p.api_id));
    data.throttle_bindings.retain(|b| !gone.contains(&b.api_id));
    data.acl_bindings.retain(|b| !gone.contains(&b.api_id));
    data.plugin_bindings.retain(|b| !gone.contains(&b.api_id));
    Catalog::new(data).unwrap_or_else(|e| panic!("the base stays valid: {e:#}"))
}

/// Export → import (into the same group, publishing into the same environment) → export:
/// `Ok` with the first document and the import when the second export is the first byte for
/// byte, `Err` with the first difference otherwise.
pub(crate) fn round_trip(
    catalog: &Catalog,
    request: &ExportRequest,
    profile: Profile,
) -> Result<(Exported, apig_export::import::Imported), String> {
    use apig_export::import::{import, ImportOptions};
    let first = export(catalog, request, &settings(profile)).map_err(|e| format!("first export: {e}"))?;
    let base = without_apis(catalog, request.group_id());
    let options = ImportOptions::new().into_group(request.group_id()).with_publish_to(request.env_id());
    let imported = import(&base, first.content().as_bytes(), &options).map_err(|e| format!("import: {e}"))?;
    let second = export(imported.catalog(), request, &settings(profile)).map_err(|e| format!("second export: {e}"))?;
    if second.content() != first.content() {
        return Err(format!(
            "{} (ours: the second export, oracle: the first)\nimport response: {}",
            first_diff(second.content(), first.content()),
            cut(&imported.response().to_json(), 2000)
        ));
    }
    Ok((first, imported))
}

/// `s` cut to at most `max` bytes, on a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> String {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}
