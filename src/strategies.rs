//! proptest strategies for testing code that uses this crate (feature `proptest`).
//!
//! - [`hostile_string`]: strings that break naive YAML and JSON writers.
//! - [`json_tree`]: arbitrary JSON documents built from hostile strings and edge-case numbers.
//! - [`hostile_catalog`]: valid catalogs whose every free-text field, name and map key is hostile.
//! - [`export_request`]: valid export requests for a catalog (every dialect, scope, format).
//!
//! ```
//! use apig_export::strategies::hostile_catalog;
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let catalog = hostile_catalog().new_tree(&mut runner).unwrap().current();
//! assert!(!catalog.data().apis.is_empty());
//! ```

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

use crate::model::{CatalogData, ParamType};
use crate::{Catalog, Dialect, ExportRequest, Format, Scope};

/// Pieces that YAML 1.1 / 1.2 readers and naive writers get wrong.
const PIECES: &[&str] = &[
    // booleans and nulls, every case variant
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "~",
    "null",
    "Null",
    "NULL",
    "<<",
    // numbers in every notation
    "0",
    "-0",
    "+1",
    "007",
    "1_000",
    "0x1F",
    "0X1f",
    "0o17",
    "0b101",
    "0b",
    "1e3",
    "1E-3",
    "-1.5e+10",
    ".5",
    "5.",
    "+.5",
    ".inf",
    "-.INF",
    ".NaN",
    "1:20",
    "-1:20:30.5",
    "12:30",
    "1__0",
    "0_1",
    "1_",
    // timestamps
    "2024-01-01",
    "2024-1-2",
    "2024-01-02T03:04:05Z",
    "2024-01-02 03:04:05.123 +08:00",
    "2024-01-02t3:04:05-5",
    "2026-06-18-14:32:33",
    // indicators in every position
    ":",
    ": ",
    " :",
    "a:",
    "a: b",
    "a:b",
    "#",
    " #",
    "a #b",
    "a#b",
    "- ",
    "-",
    "--- ",
    "...",
    "?",
    "? x",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "=",
    // whitespace and control characters
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{7f}",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{b}",
    "\u{c}",
    "\\",
    // non-ASCII
    "é",
    "漢字",
    "🚀",
    "𝄞",
    "\u{fffd}",
    "\u{e000}",
    "\u{fffe}",
    // JSON / HTML specials
    "<",
    ">",
    "&",
    "</script>",
    "\\u0000",
    "{\"a\":1}",
];

fn long_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (20usize..120).prop_map(|n| "x".repeat(n)),
        (5usize..40).prop_map(|n| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")),
        (5usize..30).prop_map(|n| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join("  ")),
        (5usize..20)
            .prop_map(|n| (0..n).map(|i| format!("line {i} of a block with words")).collect::<Vec<_>>().join("\n")),
        (2usize..10).prop_map(|n| format!(" indented\n{}", "more words here ".repeat(n * 3))),
    ]
}

/// A string made of hostile pieces, arbitrary characters and long lines.
pub fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9 _./-]{0,8}",
        1 => any::<char>().prop_map(String::from),
        1 => long_line(),
    ];
    vec(piece, 0..5).prop_map(|parts| parts.concat())
}

/// A non-empty hostile string (for names, which must not be empty).
pub fn hostile_name() -> impl Strategy<Value = String> {
    hostile_string().prop_map(|s| if s.is_empty() { "_".to_owned() } else { s })
}

/// A JSON number: integers across the whole range, edge-case and arbitrary finite doubles.
fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        (-1000i64..1000).prop_map(Number::from),
        proptest::sample::select(
            &[0.5, -0.0, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456789.125, 1e-6, 2.5e20][..]
        )
        .prop_filter_map("finite", Number::from_f64),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
    ]
}

/// Keys: hostile strings, and keys JavaScript treats as array indices.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => hostile_string(),
        1 => (0u32..50).prop_map(|n| n.to_string()),
        1 => proptest::sample::select(&["0", "01", "4294967294", "4294967295", "-1", "1.0", "1e3"][..]).prop_map(str::to_owned),
    ]
}

/// An arbitrary JSON document (depth ≤ 4) of hostile strings, keys and numbers.
pub fn json_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => hostile_string().prop_map(Value::String),
        2 => number().prop_map(Value::Number),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..6).prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A valid catalog: the bundled demo catalog's shape, with every free-text field, name and map
/// key replaced by hostile strings (names stay unique and non-empty).
pub fn hostile_catalog() -> impl Strategy<Value = Catalog> {
    vec(hostile_string(), 64).prop_filter_map("planting keeps the catalog valid", |strings| {
        let mut data = demo();
        plant(&mut data, &strings);
        Catalog::new(data).ok()
    })
}

/// Valid requests for `catalog`'s first group in its RELEASE environment (or its first one).
pub fn export_request(catalog: &Catalog) -> impl Strategy<Value = ExportRequest> {
    let data = catalog.data();
    let group = data.groups.first().map(|g| g.id.clone()).unwrap_or_default();
    let env = data
        .environments
        .iter()
        .find(|e| e.name == "RELEASE")
        .or(data.environments.first())
        .map(|e| e.id.clone())
        .unwrap_or_default();
    let dialects = proptest::sample::select(&[Dialect::Swagger2, Dialect::OpenApi3][..]);
    let scopes = proptest::sample::select(&[Scope::Spec, Scope::Proxy, Scope::All, Scope::Dev][..]);
    let formats = proptest::sample::select(&[Format::Json, Format::Yaml, Format::Yml][..]);
    let version = prop_oneof![Just(String::new()), "[ -~]{1,64}".prop_filter("no control", |v| !v.contains('\u{7f}'))];
    (dialects, scopes, formats, version).prop_map(move |(d, s, f, v)| {
        let request = ExportRequest::new(group.clone(), env.clone()).with_dialect(d).with_scope(s).with_format(f);
        request.clone().with_version(&v).unwrap_or(request)
    })
}

fn demo() -> CatalogData {
    serde_json::from_str(include_str!("../fixtures/catalogs/demo.json")).unwrap_or_default()
}

/// Writes `strings` into the catalog's free text, names and keys, keeping it valid.
fn plant(data: &mut CatalogData, strings: &[String]) {
    let mut next = {
        let mut i = 0usize;
        move || {
            i += 1;
            strings.get(i % strings.len().max(1)).cloned().unwrap_or_default()
        }
    };
    let unique = |s: String, n: usize| format!("{s}#{n}");
    for (g, group) in data.groups.iter_mut().enumerate() {
        group.name = unique(next(), g);
        group.remark = next();
        for (r, resp) in group.gateway_responses.iter_mut().enumerate() {
            resp.name = unique(next(), r);
            let entries = std::mem::take(&mut resp.responses);
            for (e, (_, mut entry)) in entries.into_iter().enumerate() {
                entry.body = next();
                resp.responses.insert(unique(next(), e), entry);
            }
        }
    }
    for (i, t) in data.throttles.iter_mut().enumerate() {
        t.name = unique(next(), i);
        for s in &mut t.specials {
            s.object_id = next();
        }
    }
    for (i, a) in data.acls.iter_mut().enumerate() {
        a.acl_name = unique(next(), i);
        a.acl_value = next();
    }
    for (i, a) in data.authorizers.iter_mut().enumerate() {
        a.name = unique(next(), i);
        a.authorizer_uri = next();
        a.authorizer_alias_uri = next();
        for id in &mut a.identities {
            id.validation = next();
        }
    }
    for (i, p) in data.plugins.iter_mut().enumerate() {
        p.plugin_name = unique(next(), i);
    }
    for (i, v) in data.vpc_channels.iter_mut().enumerate() {
        v.name = unique(next(), i);
    }
    for (i, o) in data.orchestrations.iter_mut().enumerate() {
        o.orchestration_name = unique(next(), i);
    }
    let apis = data.apis.iter_mut().chain(data.publications.iter_mut().filter_map(|p| p.definition.as_mut()));
    for (i, api) in apis.enumerate() {
        api.name = unique(next(), i);
        api.remark = next();
        api.body_remark = next();
        api.result_normal_sample = next();
        api.result_failure_sample = next();
        api.tags = vec![next(), next()];
        for p in &mut api.req_params {
            p.remark = next();
            p.sample_value = next();
            if p.param_type == ParamType::String {
                p.default_value = next();
                p.enumerations = next().replace(',', ";");
                if p.enumerations.trim().is_empty() {
                    p.enumerations.clear();
                }
            }
        }
        for b in &mut api.backend_params {
            b.remark = next();
            if b.origin != crate::model::BackendParamOrigin::Request {
                b.value = next();
            }
        }
        if let Some(b) = &mut api.backend_api {
            b.remark = next();
            b.req_uri = next();
            if b.vpc_channel_status != 1 {
                b.url_domain = format!("h{}", next());
            }
        }
        if let Some(m) = &mut api.mock_info {
            m.result_content = next();
            m.remark = next();
        }
        if let Some(f) = &mut api.func_info {
            f.function_urn = format!("urn:{}", next());
            f.remark = next();
        }
        for c in api.policy_https.iter_mut().flat_map(|p| &mut p.policy.conditions) {
            c.condition_value = next();
        }
    }
}
