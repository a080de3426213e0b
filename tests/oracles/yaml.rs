//! YAML output against its oracle, js-yaml 4.1.0 itself (installed by `scripts/oracles.sh`):
//! every golden and thousands of generated documents must come out byte for byte as
//! `dump(JSON.parse(json))` writes them, and read back to the JSON export's tree.

use crate::common::*;
use apig_export::testkit::strategies::{export_request, hostile_catalog, json_tree};
use apig_export::{export, Format, Profile};
use proptest::strategy::Strategy;

/// Checks one document against js-yaml's: identical, except that a Strict document may
/// single-quote a plain number-like scalar. Returns how many scalars it quoted.
fn matches_js_yaml(label: &str, ours: &str, theirs: &str, strict: bool) -> Result<usize, String> {
    if ours == theirs {
        return Ok(0);
    }
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    if !strict || o.len() != t.len() || ours.ends_with('\n') != theirs.ends_with('\n') {
        return Err(format!("{label}: {}", first_diff(ours, theirs)));
    }
    let mut quoted = 0;
    for (a, b) in o.iter().zip(&t).filter(|(a, b)| a != b) {
        let plain = b.rsplit_once(' ').map_or(*b, |(_, v)| v.trim_start_matches("- "));
        let same_but_quoted = a.strip_suffix(format!("'{plain}'").as_str()) == b.strip_suffix(plain);
        if !(same_but_quoted && is_number_like(plain)) {
            return Err(format!("{label}: {a:?} vs js-yaml {b:?}"));
        }
        quoted += 1;
    }
    Ok(quoted)
}

fn compare(label: &str, ours: &[String], jsons: &[String]) {
    let theirs = js_yaml_dump(jsons);
    let mut failures = Vec::new();
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        if o != t {
            failures.push(format!(
                "{label} #{i}: {}\n  json: {}",
                first_diff(o, t),
                jsons[i].chars().take(2000).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from js-yaml:\n{}",
        failures.len(),
        ours.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn every_golden_is_what_js_yaml_writes() {
    let (mut ours, mut jsons, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for &(stem, _) in CATALOGS {
        for dialect in DIALECTS {
            for scope in SCOPES {
                for profile in PROFILES {
                    jsons.push(String::from_utf8(read(&golden_path(stem, dialect, scope, profile, "json"))).unwrap());
                    ours.push(String::from_utf8(read(&golden_path(stem, dialect, scope, profile, "yaml"))).unwrap());
                    labels.push((golden_path(stem, dialect, scope, profile, "yaml"), profile == Profile::Strict));
                }
            }
        }
    }
    assert_eq!(ours.len(), CATALOGS.len() * 16);
    let theirs = js_yaml_dump(&jsons);
    let failures: Vec<String> = ours
        .iter()
        .zip(&theirs)
        .zip(&labels)
        .filter_map(|((o, t), (path, strict))| matches_js_yaml(&path.display().to_string(), o, t, *strict).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_trees_are_what_js_yaml_writes() {
    let trees = generate(json_tree(), cases(2000));
    let jsons: Vec<String> = trees.iter().map(|t| serde_json::to_string(t).unwrap()).collect();
    let ours: Vec<String> = trees.iter().map(|t| apig_export::yaml::to_string(t).unwrap()).collect();
    compare("tree", &ours, &jsons);
    assert!(jsons.iter().any(|j| j.contains("\"0\":") || j.contains("\"1\":")), "array-index keys are exercised");
}

/// Generated hostile catalogs, exported with generated requests, in JSON and YAML; and whether
/// the profile is Strict.
fn generated_exports(n: u32) -> Vec<(String, String, bool)> {
    let strategy = hostile_catalog().prop_flat_map(|catalog| {
        let requests = export_request(&catalog);
        (proptest::strategy::Just(catalog), requests, proptest::bool::ANY)
    });
    generate(strategy, n)
        .into_iter()
        .map(|(catalog, request, strict)| {
            let settings = settings(if strict { Profile::Strict } else { Profile::Apig });
            let json = export(&catalog, &request.clone().with_format(Format::Json), &settings).unwrap();
            let yaml = export(&catalog, &request.with_format(Format::Yaml), &settings).unwrap();
            (json.content().to_owned(), yaml.content().to_owned(), strict)
        })
        .collect()
}

#[test]
fn generated_exports_are_what_js_yaml_writes_and_read_back_identically() {
    let docs = generated_exports(cases(2000));
    let jsons: Vec<String> = docs.iter().map(|d| d.0.clone()).collect();
    let theirs = js_yaml_dump(&jsons);
    let (mut strict_docs, mut strict_quoted) = (0, 0);
    for (i, ((json, ours, strict), theirs)) in docs.iter().zip(&theirs).enumerate() {
        strict_docs += usize::from(*strict);
        match matches_js_yaml(&format!("export #{i}"), ours, theirs, *strict) {
            Ok(quoted) => strict_quoted += quoted,
            Err(e) => panic!("{e}\n{json}"),
        }
    }
    assert!(strict_docs > 0);
    eprintln!("{strict_docs} Strict documents, {strict_quoted} number-like scalars quoted beyond js-yaml");
    // Read-back through a YAML 1.2 reader (serde_yaml): exact for Strict; for Apig, exact but
    // for js-yaml's `+.5` quirk.
    let mut quirks = 0;
    for (i, (json, yaml, strict)) in docs.iter().enumerate() {
        let from_json: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_yaml: serde_json::Value =
            read_yaml(yaml).unwrap_or_else(|e| panic!("export #{i}: serde_yaml cannot read our YAML: {e}\n{yaml}"));
        if *strict {
            assert_eq!(from_yaml, from_json, "Strict export #{i}: YAML and JSON carry different trees");
        } else {
            same_tree(&from_json, &from_yaml, &mut Vec::new(), &mut quirks)
                .unwrap_or_else(|e| panic!("export #{i}: {e}"));
        }
    }
    eprintln!("read-back: {} documents, {quirks} Apig string(s) of the form +.5 read back as numbers", docs.len());
    // Through a YAML 1.1 reader (PyYAML, as openapi-spec-validator uses): exact for Strict; for
    // Apig, exact but for js-yaml's trailing-underscore quirk (`1_` is a number to YAML 1.1).
    let mut sample: Vec<(&String, &String, bool)> = docs.iter().step_by(3).map(|(j, y, s)| (j, y, *s)).collect();
    // A JSON file is YAML too, and validators read it so: Strict JSON reads back exactly as well.
    sample.extend(docs.iter().filter(|d| d.2).step_by(3).map(|(j, _, _)| (j, j, true)));
    let problems = pyyaml_read_back(&sample);
    assert!(problems.is_empty(), "PyYAML reads another tree:\n{}", problems.join("\n"));
}

/// The Strict profile's own quoting rule, restated: optional sign, a digit or a dot, then only
/// number-notation characters.
fn is_number_like(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all = |t: &str, ok: fn(char) -> bool| !t.is_empty() && t.chars().all(|c| ok(c) || c == '_');
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return all(hex, |c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        return all(oct, |c| ('0'..='7').contains(&c));
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return all(bin, |c| c == '0' || c == '1');
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i).unwrap_or_default(), body.get(i + 1..)),
        None => (body, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    let dot = mantissa.find('.');
    mantissa.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && mantissa.chars().all(|c| c.is_ascii_digit() || "_.:".contains(c))
        && mantissa.matches('.').count() <= 1
        && dot.is_none_or(|d| !mantissa.get(d..).unwrap_or_default().contains(':'))
        && exponent_ok
}

/// Loads each YAML with PyYAML's safe loader and compares it with the JSON; returns the mismatches.
fn pyyaml_read_back(docs: &[(&String, &String, bool)]) -> Vec<String> {
    let python = oracles().join("venv/bin/python");
    assert!(python.exists(), "the PyYAML oracle is missing at {}: run scripts/oracles.sh", python.display());
    let script = r#"
import json, sys, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
out = []
def diff(a, b, path, strict):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return f"{path}: key {k!r} missing"
            d = diff(a[k], b[k], f"{path}/{k}", strict)
            if d:
                return d
        return None if len(a) == len(b) else f"{path}: extra keys"
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, z) in enumerate(zip(a, b)):
            d = diff(x, z, f"{path}/{n}", strict)
            if d:
                return d
        return None
    if a == b and type(a) == type(b):
        return None
    if not strict and isinstance(a, str) and a.endswith("_") and isinstance(b, (int, float)) and not isinstance(b, bool):
        return None  # js-yaml's trailing-underscore quirk, Apig profile only
    return f"{path}: JSON {a!r} but YAML 1.1 reads {b!r}"
for i, (j, y, strict) in enumerate(json.load(sys.stdin)):
    try:
        d = diff(json.loads(j), yaml.load(y, Loader=Loader), "", strict)
    except Exception as e:
        d = f"PyYAML cannot read it: {e}"
    if d:
        out.append(f"document {i}: {d}")
json.dump(out, sys.stdout)
"#;
    let out = run_oracle(&python, &["-c", script], &serde_json::to_string(docs).unwrap());
    assert!(out.status.success(), "PyYAML failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn pyyaml_sees_yaml_1_1_misquoting() {
    // The YAML 1.1 reader must be able to disagree: an unquoted `yes` is a boolean to it.
    let json = r#"{"a": "yes"}"#.to_owned();
    let wrong = "a: yes\n".to_owned();
    let right = "a: 'yes'\n".to_owned();
    assert_eq!(pyyaml_read_back(&[(&json, &wrong, false)]).len(), 1);
    assert!(pyyaml_read_back(&[(&json, &right, false)]).is_empty());
    // The trailing-underscore quirk is admitted for Apig documents only.
    let json = r#"{"a": "1_"}"#.to_owned();
    let plain = "a: 1_\n".to_owned();
    assert!(pyyaml_read_back(&[(&json, &plain, false)]).is_empty());
    assert_eq!(pyyaml_read_back(&[(&json, &plain, true)]).len(), 1);
}

#[test]
fn the_read_back_exception_is_exactly_the_js_yaml_quirk() {
    // js-yaml itself writes these unquoted, and our emitter must too (byte fidelity)...
    let jsons: Vec<String> =
        ["+.5", "+.5e3", "-.5", "+5", "+.5_"].iter().map(|s| serde_json::json!({ "k": s }).to_string()).collect();
    let theirs = js_yaml_dump(&jsons);
    assert_eq!(theirs, ["k: +.5\n", "k: +.5e3\n", "k: '-.5'\n", "k: '+5'\n", "k: +.5_\n"]);
    // ...and the exception admits nothing else.
    for s in ["+.5", "+.5e3", "+.5E-3"] {
        assert!(is_signed_dot_float(s), "{s}");
    }
    for s in ["-.5", ".5", "+5", "+.5_", "+.", "+.5e", "+.5.5"] {
        assert!(!is_signed_dot_float(s), "{s}");
    }
}

#[test]
fn the_oracle_can_disagree() {
    // A YAML writer that does not quote YAML 1.1 booleans must fail the comparison.
    let jsons = vec![r#"{"a": "yes"}"#.to_owned()];
    let theirs = js_yaml_dump(&jsons);
    assert_eq!(theirs[0], "a: 'yes'\n");
    assert_ne!(theirs[0], "a: yes\n");
}
