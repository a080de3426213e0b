//! Three validators people run, pinned and installed by `scripts/oracles.sh`, on every
//! Strict-profile golden and on generated Strict exports, JSON and YAML, both dialects:
//! openapi-spec-validator (PyPI) and @apidevtools/swagger-parser (npm) with zero findings, and
//! Redocly CLI (npm) with zero findings under its `spec` ruleset and, under `recommended` (its
//! default), zero findings but those of [`UNAVOIDABLE`], each checked to be the case its reason
//! names. A missing validator fails the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use apig_export::testkit::strategies::catalog;
use apig_export::{export, Format, Profile};

fn validator() -> PathBuf {
    let exe = oracles().join("venv/bin/openapi-spec-validator");
    assert!(
        exe.exists(),
        "openapi-spec-validator is missing at {}: run scripts/oracles.sh (scripts/test.sh does)",
        exe.display()
    );
    exe
}

/// Validates `files`, a few hundred per run (a command line has a length limit); returns the
/// lines that are not `<file>: OK`.
fn validate(files: &[PathBuf]) -> Vec<String> {
    files.chunks(500).flat_map(validate_batch).collect()
}

fn validate_batch(files: &[PathBuf]) -> Vec<String> {
    let out = Command::new(validator()).args(files).output().expect("run openapi-spec-validator");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let oks = stdout.lines().filter(|l| l.ends_with(": OK")).count();
    let mut problems: Vec<String> = stdout.lines().filter(|l| !l.ends_with(": OK")).map(str::to_owned).collect();
    if oks != files.len() || !out.status.success() {
        problems.push(format!(
            "{oks} of {} files OK, exit {:?}: {}",
            files.len(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    problems
}

/// Redocly `recommended` warnings that APIG's data leaves no way to avoid, and why (the README's
/// "How it is verified" lists the same). [`unavoidable`] checks that a finding is the case named.
const UNAVOIDABLE: &[(&str, &str)] = &[
    ("info-license", "an API group has no licence in APIG"),
    ("operation-4xx-response", "APIG has no responses by status: an operation's only response is `default`"),
    ("no-server-example.com", "the group's own domain is under example.com (the test data's are)"),
    (
        "no-unused-components",
        "a security scheme only `x-apigateway-any-method` operations use: Redocly does not read those as \
         operations, and OpenAPI has no method ANY",
    ),
];

/// Whether Redocly's finding `rule` at `pointer` (`#/…`) in `doc` is the unavoidable case of
/// [`UNAVOIDABLE`].
fn unavoidable(doc: &serde_json::Value, rule: &str, pointer: &str) -> bool {
    let Some(at) = pointer.strip_prefix('#') else { return false };
    let found = doc.pointer(at);
    match rule {
        "info-license" => at == "/info" && found.is_some_and(|info| info.get("license").is_none()),
        "operation-4xx-response" => {
            at.starts_with("/paths/")
                && at.ends_with("/responses")
                && found
                    .and_then(serde_json::Value::as_object)
                    .is_some_and(|r| r.keys().filter(|k| !k.starts_with("x-")).map(String::as_str).eq(["default"]))
        }
        "no-server-example.com" => found.and_then(serde_json::Value::as_str).is_some_and(|url| {
            url.split_once("://").is_some_and(|(_, host)| host == "example.com" || host.ends_with(".example.com"))
        }),
        "no-unused-components" => at.strip_prefix("/components/securitySchemes/").is_some_and(|name| {
            let name = name.replace("~1", "/").replace("~0", "~");
            let uses = |op: &serde_json::Value| {
                op["security"].as_array().into_iter().flatten().any(|r| r.get(&name).is_some())
            };
            let items = doc["paths"].as_object().into_iter().flatten().map(|(_, item)| item);
            let (any, other): (Vec<_>, Vec<_>) = items
                .flat_map(|item| item.as_object().into_iter().flatten())
                .partition(|(method, _)| *method == "x-apigateway-any-method");
            any.iter().any(|(_, op)| uses(op)) && !other.iter().any(|(_, op)| uses(op))
        }),
        _ => false,
    }
}

/// Reads a JSON or YAML document.
fn document(file: &Path) -> serde_json::Value {
    let text = String::from_utf8(read(file)).unwrap();
    if file.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml::from_str(&text).unwrap()
    }
}

/// Redocly CLI's findings on `files` under `ruleset` that count: every one for `spec`; for
/// `recommended`, every one but the [`UNAVOIDABLE`] cases. Also counts, per rule, the findings
/// that do not count (`allowed`).
fn redocly(files: &[PathBuf], ruleset: &str) -> Vec<String> {
    redocly_counting(files, ruleset, &mut std::collections::BTreeMap::new())
}

fn redocly_counting(
    files: &[PathBuf],
    ruleset: &str,
    allowed: &mut std::collections::BTreeMap<String, usize>,
) -> Vec<String> {
    let exe = oracles().join("node/node_modules/.bin/redocly");
    assert!(exe.exists(), "Redocly CLI is missing at {}: run scripts/oracles.sh", exe.display());
    let mut problems = Vec::new();
    for batch in files.chunks(500) {
        let out = Command::new(&exe)
            .args([
                "lint",
                "--extends",
                ruleset,
                "--format",
                "json",
                "--max-problems",
                "100000",
                "--lint-config",
                "off",
            ])
            .args(batch)
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .output()
            .expect("run redocly");
        // One JSON report per file, one after the other.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let reports: Vec<serde_json::Value> =
            serde_json::Deserializer::from_str(&stdout).into_iter().collect::<Result<_, _>>().unwrap_or_else(|e| {
                panic!("redocly's report is not JSON ({e}): {stdout:.2000}{}", String::from_utf8_lossy(&out.stderr))
            });
        assert_eq!(reports.len(), batch.len(), "one report per file: {}", String::from_utf8_lossy(&out.stderr));
        for (file, report) in batch.iter().zip(&reports) {
            let problems_here = report["problems"].as_array().filter(|p| !p.is_empty());
            let doc = problems_here.map(|_| document(file));
            for p in problems_here.into_iter().flatten() {
                let (rule, severity) = (p["ruleId"].as_str().unwrap_or(""), p["severity"].as_str().unwrap_or(""));
                let pointer = p["location"][0]["pointer"].as_str().unwrap_or("");
                let excused = ruleset == "recommended"
                    && severity == "warn"
                    && UNAVOIDABLE.iter().any(|(r, _)| *r == rule)
                    && doc.as_ref().is_some_and(|doc| unavoidable(doc, rule, pointer));
                if excused {
                    *allowed.entry(rule.to_owned()).or_default() += 1;
                } else {
                    problems.push(format!("{}: {rule} ({severity}) at {pointer}: {}", file.display(), p["message"]));
                }
            }
        }
    }
    problems
}

/// @apidevtools/swagger-parser's `validate` (schema and semantics) on every file, in one Node
/// process; the files it rejects, with why.
fn swagger_parser(files: &[PathBuf]) -> Vec<String> {
    let module = oracles().join("node/node_modules/@apidevtools/swagger-parser");
    assert!(module.exists(), "swagger-parser is missing at {}: run scripts/oracles.sh", module.display());
    let script = "const P = require(process.argv[1]); const files = JSON.parse(require('fs').readFileSync(0, 'utf8'));\
                  (async () => { const out = []; for (const f of files) { try { await P.validate(f); } \
                  catch (e) { out.push(f + ': ' + String(e.message).slice(0, 500)); } } \
                  process.stdout.write(JSON.stringify(out)); })();";
    let paths: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    let out = oracle_output(
        std::path::Path::new("node"),
        &["-e", script, module.to_str().unwrap()],
        &serde_json::to_string(&paths).unwrap(),
    );
    // The report is the first thing printed; whatever Node adds on stderr comes after it.
    serde_json::Deserializer::from_str(&out)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("swagger-parser's report is not JSON: {out:.2000}"))
}

/// Every validator's findings on `files`, labelled; prints the count per validator, and the
/// unavoidable Redocly warnings per rule.
fn every_validator(files: &[PathBuf]) -> Vec<String> {
    let mut allowed = std::collections::BTreeMap::new();
    let runs: [(&str, Vec<String>); 4] = [
        ("openapi-spec-validator", validate(files)),
        ("swagger-parser", swagger_parser(files)),
        ("redocly spec", redocly(files, "spec")),
        ("redocly recommended", redocly_counting(files, "recommended", &mut allowed)),
    ];
    let mut all = Vec::new();
    for (name, problems) in runs {
        eprintln!("{name}: {} documents, {} findings", files.len(), problems.len());
        all.extend(problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    eprintln!("redocly recommended, unavoidable warnings: {allowed:?}");
    all
}

#[test]
fn every_strict_golden_has_zero_findings() {
    let mut files = Vec::new();
    for &(stem, _) in CATALOGS {
        for dialect in DIALECTS {
            for scope in SCOPES {
                for ext in ["json", "yaml"] {
                    files.push(golden_path(stem, dialect, scope, Profile::Strict, ext));
                }
            }
        }
    }
    assert_eq!(files.len(), CATALOGS.len() * 16);
    let problems = every_validator(&files);
    assert!(problems.is_empty(), "{}", problems.iter().take(60).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn generated_strict_exports_have_zero_findings() {
    let dir = tempdir("validator");
    let mut files = Vec::new();
    // Each document costs the validators tens of milliseconds (openapi-spec-validator most), so
    // the batch grows with APIG_EXPORT_CASES up to 500 catalogs: 8,000 documents per validator.
    for (n, catalog) in generate(catalog(), cases(24).min(500)).into_iter().enumerate() {
        let base = request_for(&catalog, None);
        for dialect in DIALECTS {
            for scope in SCOPES {
                for (format, ext) in [(Format::Json, "json"), (Format::Yaml, "yaml")] {
                    let request = base.clone().with_dialect(dialect).with_scope(scope).with_format(format);
                    let exported = export(&catalog, &request, &settings(Profile::Strict)).unwrap();
                    let path = dir.join(format!("{n}-{}-{scope}.{ext}", dialect_tag(dialect)));
                    std::fs::write(&path, exported.content()).unwrap();
                    files.push(path);
                }
            }
        }
    }
    let problems = every_validator(&files);
    drop(dir);
    assert!(problems.is_empty(), "{}", problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn long_and_crafted_names_have_zero_findings() {
    // Paths too long for a key, and keys crafted to equal others' short forms (`tests/export/strict.rs`
    // pins what the Strict profile writes for them).
    let dir = tempdir("long-names");
    let catalog = long_names_catalog();
    let base = request_for(&catalog, None);
    let mut files = Vec::new();
    for dialect in DIALECTS {
        for scope in SCOPES {
            for (format, ext) in [(Format::Json, "json"), (Format::Yaml, "yaml")] {
                let request = base.clone().with_dialect(dialect).with_scope(scope).with_format(format);
                let exported = export(&catalog, &request, &settings(Profile::Strict)).unwrap();
                let path = dir.join(format!("long-{}-{scope}.{ext}", dialect_tag(dialect)));
                std::fs::write(&path, exported.content()).unwrap();
                files.push(path);
            }
        }
    }
    let problems = every_validator(&files);
    drop(dir);
    assert!(problems.is_empty(), "{}", problems.iter().take(40).cloned().collect::<Vec<_>>().join("\n"));
}

#[test]
fn the_validator_reports_invalid_documents() {
    // The Apig profile's CORS response key is one of its documented quirks: the validator sees it.
    let bad = golden_path("cors-any", apig_export::Dialect::OpenApi3, apig_export::Scope::Spec, Profile::Apig, "json");
    let problems = validate(&[bad]);
    assert!(!problems.is_empty());
    assert!(problems.iter().any(|p| p.contains("default-cors")), "{problems:#?}");
    let _: &Path = &root();
    // The other two see what the Strict profile corrects: swagger-parser the greedy `{path+}`
    // documented by a parameter `path`, Redocly a variable name outside [A-Za-z0-9_.-].
    let greedy = golden_path("demo", apig_export::Dialect::Swagger2, apig_export::Scope::Spec, Profile::Apig, "json");
    let found = swagger_parser(&[greedy]);
    assert!(
        found.len() == 1 && found[0].contains("no corresponding {default_swa_path} in the path string"),
        "{found:#?}"
    );
    let hostile =
        golden_path("hostile", apig_export::Dialect::OpenApi3, apig_export::Scope::Spec, Profile::Apig, "json");
    let found = redocly(std::slice::from_ref(&hostile), "spec");
    assert!(found.iter().any(|p| p.contains("path-parameters-defined")), "{found:#?}");
    // Under `recommended`, warnings count too, such as security schemes nothing uses (the Apig
    // profile writes all three fixed ones), but not the checked unavoidable cases (no licence,
    // no 4xx response, example.com servers).
    let mut allowed = std::collections::BTreeMap::new();
    let found = redocly_counting(&[hostile], "recommended", &mut allowed);
    assert!(
        found.iter().any(|p| p.contains("no-unused-components (warn) at #/components/securitySchemes/apig-auth-iam")),
        "{found:#?}"
    );
    assert!(!found.iter().any(|p| p.contains("info-license") || p.contains("operation-4xx-response")), "{found:#?}");
    assert!(allowed.contains_key("info-license") && allowed.contains_key("operation-4xx-response"), "{allowed:?}");
}

/// The Apig profile's documented quirks, each undone here; what remains must validate cleanly.
///
/// 1. `default-cors` as an operation response key (3.0) — breaks "a Responses key is `default`, a
///    status code or `x-…`" (official schema).
/// 2. Validation bounds written as `0` when unset — a `maxLength: 0` contradicts any non-empty
///    default, `maximum: 0` any positive one — breaks "a default validates against its schema".
/// 3. NUMBER `default` / `enum` written as strings — breaks "a default is of the parameter's type".
/// 4. A greedy `{name+}` path variable documented by a parameter `name` — breaks "every path
///    variable has a path parameter of that name" (OpenAPI reads the variable as `name+`).
/// 5. A default its own enumeration or bounds forbid, written as stored — breaks "a default
///    validates against its schema".
/// 6. Raw U+007F–U+009F, U+FFFE, U+FFFF in JSON strings — breaks "the file is
///    readable as YAML", which validators that read JSON through a YAML parser require.
///
/// One more is left as it is and allowed by name: paths that differ only in their variables'
/// names or a `+` (`apig_export::testkit::check` finds them; openapi-spec-validator does not look).
fn undo_apig_quirks(doc: &mut serde_json::Value) {
    use serde_json::Value;
    let paths: Vec<String> = doc["paths"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    for path in paths {
        let item = &mut doc["paths"][&path];
        for (_, op) in item.as_object_mut().unwrap().iter_mut() {
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                if let Some(cors) = responses.remove("default-cors") {
                    responses.insert("default".into(), cors); // 1
                }
            }
            for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default().to_owned();
                if p["in"] == "path" && path.split('/').any(|s| s == format!("{{{name}+}}")) {
                    p["name"] = Value::from(format!("{name}+")); // 4
                }
                let number =
                    p.get("type").or_else(|| p.pointer("/schema/type")).and_then(Value::as_str) == Some("number");
                let target = if p.get("schema").is_some() { p.get_mut("schema").unwrap() } else { &mut *p };
                let obj = target.as_object_mut().unwrap();
                for bound in ["maximum", "minimum", "maxLength", "minLength"] {
                    if obj.get(bound) == Some(&Value::from(0)) {
                        obj.remove(bound); // 2
                    }
                }
                if number {
                    let as_number = |v: &Value| v.as_str().and_then(|s| s.trim().parse::<f64>().ok()).map(Value::from);
                    if let Some(d) = obj.get("default").and_then(as_number) {
                        obj.insert("default".into(), d); // 3
                    }
                    if let Some(e) = obj
                        .get("enum")
                        .and_then(Value::as_array)
                        .map(|e| e.iter().filter_map(as_number).collect::<Vec<_>>())
                    {
                        obj.insert("enum".into(), Value::from(e)); // 3
                    }
                }
                let default_ok = match (obj.get("default"), obj.get("enum").and_then(Value::as_array)) {
                    (Some(d), Some(values)) => {
                        values.iter().any(|v| v == d || (v.as_f64().is_some() && v.as_f64() == d.as_f64()))
                    }
                    _ => true,
                };
                let len_ok = obj.get("default").and_then(Value::as_str).is_none_or(|d| {
                    let n = d.chars().count() as u64;
                    obj.get("maxLength").and_then(Value::as_u64).is_none_or(|m| n <= m)
                        && obj.get("minLength").and_then(Value::as_u64).is_none_or(|m| n >= m)
                });
                let num_ok = obj.get("default").and_then(Value::as_f64).is_none_or(|d| {
                    obj.get("maximum").and_then(Value::as_f64).is_none_or(|m| d <= m)
                        && obj.get("minimum").and_then(Value::as_f64).is_none_or(|m| d >= m)
                });
                if !(default_ok && len_ok && num_ok) {
                    obj.remove("default"); // 5
                }
            }
        }
    }
}

#[test]
fn apig_goldens_validate_but_for_the_documented_quirks() {
    let dir = tempdir("quirks");
    let validators = [
        jsonschema::draft4::new(&schema("swagger-2.0.schema.json")).unwrap(),
        jsonschema::draft4::new(&schema("openapi-3.0.schema.json")).unwrap(),
    ];
    let (mut files, mut demo_with_quirks) = (Vec::new(), 0);
    for &(stem, _) in CATALOGS {
        for (d, dialect) in DIALECTS.into_iter().enumerate() {
            for scope in SCOPES {
                let path = golden_path(stem, dialect, scope, Profile::Apig, "json");
                let mut doc: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
                let before = doc.clone();
                undo_apig_quirks(&mut doc);
                demo_with_quirks += usize::from(stem == "demo" && before != doc);
                let findings: Vec<String> =
                    validators[d].iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
                assert!(findings.is_empty(), "{}: {findings:?}", path.display());
                let semantic = apig_export::testkit::check::check(&serde_json::to_string(&before).unwrap()).unwrap();
                let unexplained: Vec<String> = semantic
                    .iter()
                    .filter(|f| !f.message().ends_with("differs only in variable names: they are the same path"))
                    .map(ToString::to_string)
                    .collect();
                assert!(unexplained.is_empty(), "{}: {unexplained:?}", path.display());
                // serde_json escapes nothing YAML forbids... so write the text with quirk 6 undone.
                let text = serde_json::to_string_pretty(&doc).unwrap();
                let text: String = text
                    .chars()
                    .map(|c| match c {
                        '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                            format!("\\u{:04x}", u32::from(c))
                        } // 6
                        c => c.to_string(),
                    })
                    .collect();
                let file = dir.join(format!("{stem}-{}-{scope}.json", dialect_tag(dialect)));
                std::fs::write(&file, text).unwrap();
                files.push(file);
            }
        }
    }
    let problems = validate(&files);
    drop(dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The quirks are real: every Apig export of the demo (which has parameters) carries some.
    assert_eq!(demo_with_quirks, 8);
}
