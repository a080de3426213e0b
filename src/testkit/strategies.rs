//! proptest strategies for testing code that uses this crate (feature `proptest`).
//!
//! - [`hostile_string`]: strings that break naive YAML and JSON writers.
//! - [`json_tree`]: arbitrary JSON documents built from hostile strings and edge-case numbers.
//! - [`hostile_catalog`]: valid catalogs whose every free-text field, name and map key is hostile.
//! - [`export_request`]: valid export requests for a catalog (every dialect, scope, format).
//!
//! ```
//! use apig_export::testkit::strategies::hostile_catalog;
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

use crate::model::{CatalogData, ParamType, Text};
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
    serde_json::from_str(include_str!("../../fixtures/catalogs/demo.json")).unwrap_or_default()
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
        group.name = unique(next(), g).into();
        group.remark = next().into();
        for (r, resp) in group.gateway_responses.iter_mut().enumerate() {
            resp.name = unique(next(), r).into();
            let entries = std::mem::take(&mut resp.responses);
            for (e, (_, mut entry)) in entries.into_iter().enumerate() {
                entry.body = next().into();
                resp.responses.insert(unique(next(), e), entry);
            }
        }
    }
    for (i, t) in data.throttles.iter_mut().enumerate() {
        t.name = unique(next(), i).into();
        for s in &mut t.specials {
            s.object_id = next().into();
        }
    }
    for (i, a) in data.acls.iter_mut().enumerate() {
        a.acl_name = unique(next(), i).into();
        a.acl_value = next().into();
    }
    for (i, a) in data.authorizers.iter_mut().enumerate() {
        a.name = unique(next(), i).into();
        a.authorizer_uri = next().into();
        a.authorizer_alias_uri = next().into();
        for id in &mut a.identities {
            id.validation = next().into();
        }
    }
    for (i, p) in data.plugins.iter_mut().enumerate() {
        p.plugin_name = unique(next(), i).into();
    }
    for (i, v) in data.vpc_channels.iter_mut().enumerate() {
        v.name = unique(next(), i).into();
    }
    for (i, o) in data.orchestrations.iter_mut().enumerate() {
        o.orchestration_name = unique(next(), i).into();
    }
    let apis = data
        .apis
        .iter_mut()
        .chain(data.publications.iter_mut().filter_map(|p| p.definition.as_mut()))
        .map(std::sync::Arc::make_mut);
    for (i, api) in apis.enumerate() {
        api.name = unique(next(), i).into();
        api.remark = next().into();
        api.body_remark = next().into();
        api.result_normal_sample = next().into();
        api.result_failure_sample = next().into();
        api.tags = vec![next().into(), next().into()];
        for p in &mut api.req_params {
            p.remark = next().into();
            p.sample_value = next().into();
            if p.param_type == ParamType::String {
                p.default_value = next().into();
                p.enumerations = next().replace(',', ";").into();
                if p.enumerations.trim().is_empty() {
                    p.enumerations = Text::default();
                }
            }
        }
        for b in &mut api.backend_params {
            b.remark = next().into();
            if b.origin != crate::model::BackendParamOrigin::Request {
                b.value = next().into();
            }
        }
        if let Some(b) = &mut api.backend_api {
            b.remark = next().into();
            b.req_uri = next().into();
            if b.vpc_channel_status != crate::model::VpcChannelUse::Channel {
                b.url_domain = format!("h{}", next()).into();
            }
        }
        if let Some(m) = &mut api.mock_info {
            m.result_content = next().into();
            m.remark = next().into();
        }
        if let Some(f) = &mut api.func_info {
            f.function_urn = format!("urn:{}", next()).into();
            f.remark = next().into();
        }
        for c in api.policy_https.iter_mut().flat_map(|p| &mut p.policy.conditions) {
            c.condition_value = next().into();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated catalogs: every enum value, empty and huge collections, hostile text everywhere.

use crate::model::{
    Acl, AclBinding, AclEntityType, AclType, Api, AppCodeAuthType, AuthOpt, AuthType, Authorizer, AuthorizerKind,
    BackendApi, BackendParam, BackendParamLocation, BackendParamOrigin, BackendProtocol, BackendType, Condition,
    ConditionOrigin, ConditionType, ContentType, EffectMode, Environment, ErrorResponse, FuncInfo, FuncProtocol,
    GatewayResponse, Group, Identity, IdentityLocation, InvocationType, KeyValue, MatchMode, Method, MockInfo,
    NetworkType, Orchestration, ParamLocation, Plugin, PluginBinding, PolicyCommon, PolicyFunction, PolicyHttp,
    PolicyMock, Publication, ReqParam, ReqProtocol, SpecialType, Throttle, ThrottleBinding, ThrottleSpecial, TimeUnit,
    UrlDomain, VpcChannel, VpcChannelInfo, VpcMember,
};

const METHODS: [Method; 8] =
    [Method::Get, Method::Post, Method::Put, Method::Delete, Method::Head, Method::Patch, Method::Options, Method::Any];
const NUMBERS: [&str; 8] = ["0", "-1", "2.5", "1e3", "+7", ".5", "123456789", "-0.25E-2"];
const ERROR_TYPES: [&str; 6] =
    ["AUTH_FAILURE", "THROTTLED", "NOT_FOUND", "DEFAULT_4XX", "DEFAULT_5XX", "BACKEND_TIMEOUT"];

/// Random choices for one API; the catalog is built from them so that it is valid by construction.
#[derive(Clone, Debug)]
struct ApiPlan {
    method: Method,
    protocol: ReqProtocol,
    auth: u8,
    backend: u8,
    swa: bool,
    twin: bool,
    path_params: u8,
    greedy: bool,
    /// Path variables named with a dot (`p0.d`), as APIG allows and some validators do not.
    dotted: bool,
    /// Another API of the same path shape, its variables named otherwise: 1 with another method,
    /// 2 with the same method and the last variable's greedy `+` flipped.
    sibling: u8,
    params: Vec<(bool, ParamLocation, bool, bool, u8)>,
    backend_params: Vec<(BackendParamOrigin, BackendParamLocation)>,
    policies: Vec<(EffectMode, Vec<(ConditionOrigin, ConditionType)>)>,
    flags: (bool, bool, Option<ContentType>, Option<bool>, u8, bool),
    bindings: (Option<usize>, Vec<usize>, Vec<usize>, bool),
    choices: (InvocationType, NetworkType, FuncProtocol, BackendProtocol, AppCodeAuthType),
}

fn api_plan() -> impl Strategy<Value = ApiPlan> {
    use proptest::sample::select;
    let param = (
        any::<bool>(),
        select(&[ParamLocation::Header, ParamLocation::Query, ParamLocation::Cookie][..]),
        any::<bool>(),
        any::<bool>(),
        any::<u8>(),
    );
    let condition = (
        select(
            &[
                ConditionOrigin::Param,
                ConditionOrigin::Source,
                ConditionOrigin::System,
                ConditionOrigin::Cookie,
                ConditionOrigin::FrontendAuthorizer,
                ConditionOrigin::Orchestration,
            ][..],
        ),
        select(&[ConditionType::Exact, ConditionType::Enum, ConditionType::Pattern][..]),
    );
    let shape = (
        select(&METHODS[..]),
        select(&[ReqProtocol::Http, ReqProtocol::Https, ReqProtocol::Both, ReqProtocol::Grpcs][..]),
        0u8..5,
        0u8..9,
        any::<bool>(),
        proptest::bool::weighted(0.15),
        0u8..3,
        any::<bool>(),
        proptest::bool::weighted(0.2),
        prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
    );
    let parts = (
        vec(param, 0..5),
        vec(
            (
                select(&[BackendParamOrigin::Request, BackendParamOrigin::Constant, BackendParamOrigin::System][..]),
                select(&[BackendParamLocation::Header, BackendParamLocation::Path, BackendParamLocation::Query][..]),
            ),
            0..4,
        ),
        vec((select(&[EffectMode::All, EffectMode::Any][..]), vec(condition, 1..4)), 0..3),
    );
    let flags = (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(select(
            &[ContentType::Json, ContentType::Xml, ContentType::FormData, ContentType::Text][..],
        )),
        proptest::option::of(any::<bool>()),
        0u8..4,
        proptest::bool::weighted(0.2),
    );
    let bindings = (proptest::option::of(0usize..4), vec(0usize..4, 0..3), vec(0usize..4, 0..3), any::<bool>());
    let choices = (
        select(&[InvocationType::Sync, InvocationType::Async][..]),
        select(&[NetworkType::V1, NetworkType::V2][..]),
        select(&[FuncProtocol::Https, FuncProtocol::Grpcs][..]),
        select(&[BackendProtocol::Http, BackendProtocol::Https][..]),
        select(&[AppCodeAuthType::Disable, AppCodeAuthType::Header][..]),
    );
    (shape, parts, flags, bindings, choices).prop_map(
        |(
            (method, protocol, auth, backend, swa, twin, path_params, greedy, dotted, sibling),
            (params, backend_params, policies),
            flags,
            bindings,
            choices,
        )| {
            ApiPlan {
                method,
                protocol,
                auth,
                backend,
                swa,
                twin,
                path_params,
                greedy,
                dotted,
                sibling,
                params,
                backend_params,
                policies,
                flags,
                bindings,
                choices,
            }
        },
    )
}

/// Generated catalog data (valid by construction; [`catalog`] validates it).
pub fn catalog_data() -> impl Strategy<Value = CatalogData> {
    catalog_data_sized(0..8)
}

/// Generated catalog data with many APIs (150 to 300).
pub fn huge_catalog_data() -> impl Strategy<Value = CatalogData> {
    catalog_data_sized(150..300)
}

/// A generated, validated catalog (see [`catalog_data`]).
pub fn catalog() -> impl Strategy<Value = Catalog> {
    catalog_data().prop_filter_map("generated catalogs are valid by construction", |d| Catalog::new(d).ok())
}

fn catalog_data_sized(apis: std::ops::Range<usize>) -> impl Strategy<Value = CatalogData> {
    use proptest::sample::select;
    let policy_kinds = (
        vec(
            (
                select(&[TimeUnit::Second, TimeUnit::Minute, TimeUnit::Hour, TimeUnit::Day][..]),
                any::<bool>(),
                proptest::option::of(0u64..100),
                vec(select(&[SpecialType::App, SpecialType::User][..]), 0..3),
            ),
            0..4,
        ),
        vec(
            (
                select(&[AclType::Permit, AclType::Deny][..]),
                select(&[AclEntityType::Ip, AclEntityType::Domain, AclEntityType::DomainId][..]),
            ),
            0..4,
        ),
        vec(
            (
                select(&[AuthorizerKind::Frontend, AuthorizerKind::Backend][..]),
                vec(select(&[IdentityLocation::Header, IdentityLocation::Query][..]), 0..3),
                select(&[NetworkType::V1, NetworkType::V2][..]),
            ),
            0..4,
        ),
        0usize..4,
        0usize..3,
    );
    (vec(api_plan(), apis), policy_kinds, vec(hostile_string(), 48), any::<bool>(), vec(select(&ERROR_TYPES[..]), 0..4))
        .prop_map(|(plans, kinds, texts, second_env, errors)| build(&plans, &kinds, &texts, second_env, &errors))
}

type Kinds = (
    Vec<(TimeUnit, bool, Option<u64>, Vec<SpecialType>)>,
    Vec<(AclType, AclEntityType)>,
    Vec<(AuthorizerKind, Vec<IdentityLocation>, NetworkType)>,
    usize,
    usize,
);

#[allow(clippy::too_many_lines)]
fn build(plans: &[ApiPlan], kinds: &Kinds, texts: &[String], second_env: bool, errors: &[&str]) -> CatalogData {
    let mut n = 0usize;
    let mut text = || {
        n += 1;
        texts.get(n % texts.len().max(1)).cloned().unwrap_or_default()
    };
    let (throttle_kinds, acl_kinds, authorizer_kinds, plugins, orchestrations) = kinds;
    let group_id = "g1".to_owned();
    let release = "DEFAULT_ENVIRONMENT_RELEASE_ID".to_owned();
    let mut data = CatalogData::default();
    let mut responses =
        vec![GatewayResponse { id: "r0".into(), name: "default".into(), default: true, ..Default::default() }];
    if !errors.is_empty() {
        let mut custom =
            GatewayResponse { id: "r1".into(), name: format!("{}#r", text()).into(), ..Default::default() };
        for (i, kind) in errors.iter().enumerate() {
            let headers =
                if i == 0 { vec![KeyValue { key: "X-Error".into(), value: text().into() }] } else { Vec::new() };
            let status = [400u16, 401, 429, 500, 504, 200].get(i).copied().unwrap_or(500);
            custom
                .responses
                .insert((*kind).to_owned(), ErrorResponse { status, body: text().into(), headers, default: i == 3 });
        }
        responses.push(custom);
    }
    data.groups.push(Group {
        id: group_id.clone().into(),
        name: format!("{}#g", text()).into(),
        remark: text().into(),
        sl_domain: "0123456789abcdef0123456789abcdef.apic.cn-north-4.huaweicloudapis.com".into(),
        url_domains: if second_env {
            vec![UrlDomain { id: "d1".into(), domain: "api.example.com".into() }]
        } else {
            Vec::new()
        },
        gateway_responses: responses,
    });
    data.environments.push(Environment { id: release.clone().into(), name: "RELEASE".into(), remark: text().into() });
    if second_env {
        data.environments.push(Environment {
            id: "e2".into(),
            name: format!("{}#e", text()).into(),
            remark: String::new().into(),
        });
    }
    for (i, (unit, shared, optional, specials)) in throttle_kinds.iter().enumerate() {
        data.throttles.push(Throttle {
            id: format!("t{i}").into(),
            name: format!("{}#t{i}", text()).into(),
            throttle_type: if *shared {
                crate::model::ThrottleType::Shared
            } else {
                crate::model::ThrottleType::PerApi
            },
            api_call_limits: 100,
            user_call_limits: *optional,
            app_call_limits: optional.map(|v| v / 2),
            ip_call_limits: None,
            time_interval: 1 + i as u64,
            time_unit: *unit,
            remark: text().into(),
            specials: specials
                .iter()
                .map(|t| ThrottleSpecial { object_type: *t, object_id: text().into(), call_limits: 5 })
                .collect(),
        });
    }
    for (i, (acl_type, entity)) in acl_kinds.iter().enumerate() {
        data.acls.push(Acl {
            id: format!("a{i}").into(),
            acl_name: format!("{}#a{i}", text()).into(),
            acl_type: *acl_type,
            acl_value: text().into(),
            entity_type: *entity,
        });
    }
    for (i, (kind, identities, network)) in authorizer_kinds.iter().enumerate() {
        data.authorizers.push(Authorizer {
            id: format!("z{i}").into(),
            name: format!("{}#z{i}", text()).into(),
            authorizer_kind: *kind,
            authorizer_uri: format!("urn:{}", text()).into(),
            network_type: *network,
            authorizer_version: text().into(),
            identities: identities
                .iter()
                .map(|l| Identity { name: text().into(), location: *l, validation: text().into() })
                .collect(),
            user_data: text().into(),
            timeout: 1000,
            ..Default::default()
        });
    }
    for i in 0..*plugins {
        data.plugins.push(Plugin {
            plugin_id: format!("p{i}").into(),
            plugin_name: format!("{}#p{i}", text()).into(),
            ..Default::default()
        });
    }
    for i in 0..*orchestrations {
        data.orchestrations.push(Orchestration {
            orchestration_id: format!("o{i}").into(),
            orchestration_name: format!("{}#o{i}", text()).into(),
        });
    }
    data.vpc_channels.push(VpcChannel {
        id: "v0".into(),
        name: format!("{}#v", text()).into(),
        members: vec![VpcMember { host: "10.0.0.1".into(), port: 80, weight: 1 }],
    });
    let frontend: Vec<&Authorizer> =
        data.authorizers.iter().filter(|a| a.authorizer_kind == AuthorizerKind::Frontend).collect();
    let frontend: Vec<Text> = frontend.iter().map(|a| a.id.clone()).collect();
    let backend_authorizer =
        data.authorizers.iter().find(|a| a.authorizer_kind == AuthorizerKind::Backend).map(|a| a.id.clone());

    for (i, plan) in plans.iter().enumerate() {
        let mut api = Api {
            id: format!("api{i}").into(),
            group_id: group_id.clone().into(),
            name: format!("{}#{i}", text()).into(),
            ..Default::default()
        };
        api.req_method = plan.method;
        api.req_protocol = plan.protocol;
        api.match_mode = if plan.swa { MatchMode::Swa } else { MatchMode::Normal };
        let (cors, private, content_type, base64, response, repeat_tag) = plan.flags;
        api.cors = cors;
        api.api_type = if private { crate::model::ApiType::Private } else { crate::model::ApiType::Public };
        api.content_type = content_type;
        api.is_send_fg_body_base64 = base64;
        api.response_id = match response {
            1 => Some("r0".into()),
            2 if !errors.is_empty() => Some("r1".into()),
            _ => None,
        };
        api.remark = text().into();
        api.body_remark = text().into();
        api.result_normal_sample = text().into();
        api.result_failure_sample = text().into();
        api.tags = if repeat_tag {
            // A tag listed twice, as APIG stores it: one of the Apig profile's documented quirks.
            let tag = Some(text()).filter(|t| !t.is_empty()).unwrap_or_else(|| "tag".to_owned());
            vec![tag.clone().into(), tag.into()]
        } else {
            vec![text(), text()].into_iter().filter(|t| !t.is_empty()).map(Text::from).collect()
        };
        // Path: /r{i}/{p0}/{p1}[/{rest+}], or with `.d` after each name.
        let dot = if plan.dotted { ".d" } else { "" };
        let mut uri = format!("/r{i}");
        let mut names: Vec<String> = Vec::new();
        for p in 0..plan.path_params {
            uri.push_str(&format!("/{{p{p}{dot}}}"));
            names.push(format!("p{p}{dot}"));
        }
        if plan.greedy {
            uri.push_str(&format!("/{{rest{dot}+}}"));
            names.push(format!("rest{dot}"));
        }
        api.req_uri = uri.into();
        for name in &names {
            api.req_params.push(ReqParam {
                name: name.clone().into(),
                location: ParamLocation::Path,
                required: crate::model::Requirement::Required,
                sample_value: text().into(),
                remark: text().into(),
                ..Default::default()
            });
        }
        for (j, (number, location, required, pass, pick)) in plan.params.iter().enumerate() {
            let name = format!("{}{j}", if *number { "n" } else { "s" });
            let mut p = ReqParam {
                name: name.clone().into(),
                location: *location,
                required: if *required {
                    crate::model::Requirement::Required
                } else {
                    crate::model::Requirement::Optional
                },
                pass_through: if *pass { crate::model::PassThrough::Always } else { crate::model::PassThrough::Never },
                remark: text().into(),
                sample_value: text().into(),
                ..Default::default()
            };
            let k = usize::from(*pick);
            if *number {
                p.param_type = ParamType::Number;
                p.default_value = NUMBERS.get(k % NUMBERS.len()).copied().unwrap_or("0").to_owned().into();
                p.enumerations = [k, k + 3]
                    .iter()
                    .map(|x| NUMBERS.get(x % NUMBERS.len()).copied().unwrap_or("1"))
                    .collect::<Vec<_>>()
                    .join(",")
                    .into();
                p.min_num = -(k as i64);
                p.max_num = k as i64 * 10;
            } else {
                p.default_value = text().into();
                let values = text().replace(',', ";");
                p.enumerations =
                    if values.trim().is_empty() || k % 2 == 0 { String::new().into() } else { values.into() };
                p.min_size = (k % 3) as u64;
                p.max_size = k as u64;
            }
            if !data.orchestrations.is_empty() && k % 4 == 0 {
                p.orchestrations = data.orchestrations.iter().map(|o| o.orchestration_id.clone()).collect();
            }
            api.req_params.push(p);
        }
        let param_names: Vec<Text> = api.req_params.iter().map(|p| p.name.clone()).collect();
        let (invocation, network, func_protocol, backend_protocol, app_code) = plan.choices;
        api.auth_type = match plan.auth {
            1 | 2 => AuthType::App,
            3 => AuthType::Iam,
            4 if !frontend.is_empty() => AuthType::Authorizer,
            _ => AuthType::None,
        };
        if plan.auth == 2 {
            api.auth_opt = AuthOpt { app_code_auth_type: app_code };
        }
        if api.auth_type == AuthType::Authorizer {
            api.authorizer_id = frontend.get(i % frontend.len().max(1)).cloned();
        }
        let backend_params = |text: &mut dyn FnMut() -> String| -> Vec<BackendParam> {
            plan.backend_params
                .iter()
                .enumerate()
                .map(|(j, (origin, location))| {
                    let request = *origin == BackendParamOrigin::Request && !param_names.is_empty();
                    BackendParam {
                        origin: if request || *origin != BackendParamOrigin::Request {
                            *origin
                        } else {
                            BackendParamOrigin::Constant
                        },
                        name: format!("b{j}").into(),
                        remark: text().into(),
                        location: *location,
                        value: if request {
                            param_names.get(j % param_names.len()).cloned().unwrap_or_default()
                        } else {
                            text().into()
                        },
                    }
                })
                .collect()
        };
        api.backend_params = backend_params(&mut text);
        let http = |vpc: bool, text: &mut dyn FnMut() -> String| BackendApi {
            url_domain: if vpc { String::new().into() } else { "backend.example.com:8443".into() },
            req_protocol: backend_protocol,
            remark: text().into(),
            req_method: plan.method,
            req_uri: format!("/b/{}", text()).into(),
            timeout: 5000,
            enable_client_ssl: vpc,
            retry_count: Some("-1".into()),
            vpc_channel_info: vpc.then(|| VpcChannelInfo {
                vpc_channel_id: "v0".into(),
                vpc_channel_proxy_host: text().into(),
                cascade_flag: vpc,
            }),
            vpc_channel_status: if vpc {
                crate::model::VpcChannelUse::Channel
            } else {
                crate::model::VpcChannelUse::Address
            },
            authorizer_id: if vpc { backend_authorizer.clone() } else { None },
        };
        let func = |text: &mut dyn FnMut() -> String| FuncInfo {
            function_urn: format!("urn:fss:{}", text()).into(),
            remark: text().into(),
            invocation_type: invocation,
            network_type: network,
            version: "latest".into(),
            alias_urn: text().into(),
            timeout: 3000,
            authorizer_id: None,
            req_protocol: func_protocol,
        };
        let mock = |text: &mut dyn FnMut() -> String| MockInfo {
            remark: text().into(),
            result_content: text().into(),
            status_code: Some(200),
            headers: vec![KeyValue { key: "X-Mock".into(), value: text().into() }],
            authorizer_id: None,
        };
        api.backend_type = match plan.backend {
            0..=1 => BackendType::Http,
            2..=3 => BackendType::Function,
            4..=6 => BackendType::Mock,
            7 => BackendType::Http,
            _ => BackendType::Grpc,
        };
        match api.backend_type {
            BackendType::Http => api.backend_api = Some(http(plan.backend == 1, &mut text)),
            BackendType::Function => api.func_info = Some(func(&mut text)),
            BackendType::Mock => api.mock_info = Some(mock(&mut text)),
            _ => {
                api.backend_api = Some(BackendApi {
                    url_domain: "grpc.example.com".into(),
                    req_protocol: BackendProtocol::Grpcs,
                    ..http(false, &mut text)
                })
            }
        }
        for (k, (effect_mode, conditions)) in plan.policies.iter().enumerate() {
            let policy = PolicyCommon {
                name: format!("policy_{k}").into(),
                effect_mode: *effect_mode,
                backend_params: backend_params(&mut text),
                conditions: conditions
                    .iter()
                    .map(|(origin, kind)| {
                        let origin = if *origin == ConditionOrigin::Param && param_names.is_empty() {
                            ConditionOrigin::Source
                        } else {
                            *origin
                        };
                        let mut c = Condition {
                            condition_origin: origin,
                            condition_value: text().into(),
                            ..Default::default()
                        };
                        match origin {
                            ConditionOrigin::Param => {
                                c.req_param_name = param_names.first().cloned().unwrap_or_default()
                            }
                            ConditionOrigin::System => c.sys_param_name = "req_method".into(),
                            ConditionOrigin::Cookie => c.cookie_param_name = "session".into(),
                            ConditionOrigin::FrontendAuthorizer => c.frontend_authorizer_param_name = "level".into(),
                            ConditionOrigin::Orchestration => {
                                c.mapped_param_name = "mapped".into();
                                c.mapped_param_location = "header".into();
                            }
                            ConditionOrigin::Source => {}
                        }
                        c.condition_type = (origin != ConditionOrigin::Source).then_some(*kind);
                        c
                    })
                    .collect(),
            };
            match api.backend_type {
                BackendType::Http => api.policy_https.push(PolicyHttp { policy, backend: http(k % 2 == 1, &mut text) }),
                BackendType::Function => {
                    api.policy_functions.push(PolicyFunction { policy, function: func(&mut text) })
                }
                BackendType::Mock => api.policy_mocks.push(PolicyMock { policy, mock: mock(&mut text) }),
                _ => {}
            }
        }
        let (throttle, acls, plugins, differ) = &plan.bindings;
        let published = plan.flags.4 != 0 || plan.bindings.3;
        if published {
            let definition = (*differ).then(|| {
                let mut snapshot = api.clone();
                snapshot.remark = format!("published: {}", text()).into();
                std::sync::Arc::new(snapshot)
            });
            data.publications.push(Publication { api_id: api.id.clone(), env_id: release.clone().into(), definition });
            if let Some(t) = throttle.filter(|t| *t < data.throttles.len()) {
                data.throttle_bindings.push(ThrottleBinding {
                    throttle_id: format!("t{t}").into(),
                    api_id: api.id.clone(),
                    env_id: release.clone().into(),
                });
            }
            let mut bound = std::collections::BTreeSet::new();
            for a in acls.iter().filter(|a| **a < data.acls.len() && bound.insert(**a)) {
                data.acl_bindings.push(AclBinding {
                    acl_id: format!("a{a}").into(),
                    api_id: api.id.clone(),
                    env_id: release.clone().into(),
                });
            }
            let mut bound = std::collections::BTreeSet::new();
            for p in plugins.iter().filter(|p| **p < data.plugins.len() && bound.insert(**p)) {
                data.plugin_bindings.push(PluginBinding {
                    plugin_id: format!("p{p}").into(),
                    api_id: api.id.clone(),
                    env_id: release.clone().into(),
                });
            }
            if second_env && i % 2 == 0 {
                data.publications.push(Publication { api_id: api.id.clone(), env_id: "e2".into(), definition: None });
            }
        }
        let sibling = (plan.sibling > 0 && !names.is_empty()).then(|| sibling(&api, &names, plan.sibling, i, text()));
        let twin = plan.twin.then(|| {
            let mut twin = api.clone();
            twin.id = format!("api{i}-twin").into();
            twin.name = format!("{}#{i}t", text()).into();
            twin.match_mode = if plan.swa { MatchMode::Normal } else { MatchMode::Swa };
            twin
        });
        data.apis.push(std::sync::Arc::new(api));
        if let Some(twin) = twin {
            if published {
                data.publications.push(Publication {
                    api_id: twin.id.clone(),
                    env_id: release.clone().into(),
                    definition: None,
                });
            }
            data.apis.push(std::sync::Arc::new(twin));
        }
        if let Some(sibling) = sibling {
            if published {
                data.publications.push(Publication {
                    api_id: sibling.id.clone(),
                    env_id: release.clone().into(),
                    definition: None,
                });
            }
            data.apis.push(std::sync::Arc::new(sibling));
        }
    }
    data
}

/// An API of `api`'s path shape with its path variables (`names`) renamed (`x` appended),
/// everything that names them following: with the next method (`kind` 1), or with the same
/// method and the last variable's greedy `+` flipped (`kind` 2).
fn sibling(api: &Api, names: &[String], kind: u8, i: usize, text: String) -> Api {
    let mut sibling = api.clone();
    sibling.id = format!("api{i}-sibling").into();
    sibling.name = format!("{text}#{i}s").into();
    let renamed = |name: &str| names.iter().any(|n| n == name).then(|| format!("{name}x"));
    let mut segments: Vec<String> = api
        .req_uri
        .split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(inner) => {
                let name = inner.strip_suffix('+').unwrap_or(inner);
                format!("{{{}{}}}", renamed(name).unwrap_or_default(), &inner[name.len()..])
            }
            None => segment.to_owned(),
        })
        .collect();
    if kind == 2 {
        if let Some(last) = segments.last_mut() {
            *last = match last.strip_suffix("+}") {
                Some(plain) => format!("{plain}}}"),
                None => last.replace('}', "+}"),
            };
        }
    } else {
        let at = METHODS.iter().position(|m| *m == api.req_method).unwrap_or(0);
        sibling.req_method = METHODS.get((at + 1) % METHODS.len()).copied().unwrap_or(Method::Get);
    }
    sibling.req_uri = segments.join("/").into();
    for p in &mut sibling.req_params {
        if let Some(name) = renamed(&p.name).filter(|_| p.location == ParamLocation::Path) {
            p.name = name.into();
        }
    }
    let backend_params = std::iter::once(&mut sibling.backend_params)
        .chain(sibling.policy_https.iter_mut().map(|p| &mut p.policy.backend_params))
        .chain(sibling.policy_functions.iter_mut().map(|p| &mut p.policy.backend_params))
        .chain(sibling.policy_mocks.iter_mut().map(|p| &mut p.policy.backend_params));
    for b in backend_params.flatten().filter(|b| b.origin == BackendParamOrigin::Request) {
        if let Some(name) = renamed(&b.value) {
            b.value = name.into();
        }
    }
    let conditions = sibling
        .policy_https
        .iter_mut()
        .map(|p| &mut p.policy.conditions)
        .chain(sibling.policy_functions.iter_mut().map(|p| &mut p.policy.conditions))
        .chain(sibling.policy_mocks.iter_mut().map(|p| &mut p.policy.conditions));
    for c in conditions.flatten().filter(|c| c.condition_origin == ConditionOrigin::Param) {
        if let Some(name) = renamed(&c.req_param_name) {
            c.req_param_name = name.into();
        }
    }
    sibling
}
