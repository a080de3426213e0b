//! Values of the `x-apigateway-*` extensions, the same in both dialects.
//!
//! Every object here is the value of an extension, which APIG's generator writes from a Go map:
//! its keys come in byte order, and the field declaration order here is that order.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    Acl, Authorizer, BackendApi, BackendParam, BackendParamOrigin, Condition, ConditionOrigin, FuncInfo,
    GatewayResponse, KeyValue, MockInfo, Throttle, VpcChannel,
};

/// `x-apigateway-backend`.
#[derive(Debug, Serialize)]
pub(crate) struct Backend<'a> {
    #[serde(flatten)]
    pub(crate) endpoints: Endpoints<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) parameters: Vec<BackendParameter<'a>>,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
}

/// One of the four endpoint objects, under its key.
#[derive(Debug, Serialize)]
pub(crate) enum Endpoints<'a> {
    #[serde(rename = "functionEndpoints")]
    Function(FunctionEndpoints<'a>),
    #[serde(rename = "httpEndpoints")]
    Http(HttpEndpoints<'a>),
    #[serde(rename = "httpVpcEndpoints")]
    HttpVpc(HttpVpcEndpoints<'a>),
    #[serde(rename = "mockEndpoints")]
    Mock(MockEndpoints<'a>),
}

impl Endpoints<'_> {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Endpoints::Function(_) => "FUNCTION",
            Endpoints::Http(_) => "HTTP",
            Endpoints::HttpVpc(_) => "HTTP-VPC",
            Endpoints::Mock(_) => "MOCK",
        }
    }
}

/// `httpEndpoints`.
#[derive(Debug, Serialize)]
pub(crate) struct HttpEndpoints<'a> {
    address: &'a str,
    description: &'a str,
    #[serde(rename = "enableClientSsl")]
    enable_client_ssl: bool,
    method: &'static str,
    path: &'a str,
    #[serde(rename = "retryCount")]
    retry_count: &'a str,
    scheme: &'static str,
    timeout: u64,
}

/// `httpVpcEndpoints`.
#[derive(Debug, Serialize)]
pub(crate) struct HttpVpcEndpoints<'a> {
    cascade_flag: bool,
    description: &'a str,
    #[serde(rename = "enableClientSsl")]
    enable_client_ssl: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    host: &'a str,
    method: &'static str,
    name: &'a str,
    path: &'a str,
    #[serde(rename = "retryCount")]
    retry_count: &'a str,
    scheme: &'static str,
    timeout: u64,
}

/// `functionEndpoints`.
#[derive(Debug, Serialize)]
pub(crate) struct FunctionEndpoints<'a> {
    #[serde(rename = "alias-urn")]
    alias_urn: &'a str,
    description: &'a str,
    #[serde(rename = "function-urn")]
    function_urn: &'a str,
    #[serde(rename = "invocation-type")]
    invocation_type: &'static str,
    #[serde(rename = "network-type")]
    network_type: &'static str,
    req_protocol: &'static str,
    timeout: u64,
    version: &'a str,
}

/// `mockEndpoints`.
#[derive(Debug, Serialize)]
pub(crate) struct MockEndpoints<'a> {
    description: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    headers: &'a [KeyValue],
    #[serde(rename = "result-content")]
    result_content: &'a str,
    #[serde(rename = "status-code", skip_serializing_if = "Option::is_none")]
    status_code: Option<u16>,
}

/// An element of the backend's (or a backend policy's) `parameters`.
#[derive(Debug, Serialize)]
pub(crate) struct BackendParameter<'a> {
    description: &'a str,
    #[serde(rename = "in")]
    location: &'static str,
    name: &'a str,
    origin: &'static str,
    value: Cow<'a, str>,
}

/// An element of `x-apigateway-backend-policies`.
#[derive(Debug, Serialize)]
pub(crate) struct BackendPolicy<'a> {
    pub(crate) conditions: Vec<PolicyCondition<'a>>,
    #[serde(rename = "effectMode")]
    pub(crate) effect_mode: &'static str,
    #[serde(flatten)]
    pub(crate) endpoints: Endpoints<'a>,
    pub(crate) name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) parameters: Vec<BackendParameter<'a>>,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
}

/// A condition of a backend policy: always the four keys `origin`, `parameter`, `type` and `value`
/// (`""` where not applicable), plus the mapped parameter of an `orchestration` condition.
#[derive(Debug, Serialize)]
pub(crate) struct PolicyCondition<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    mapped_param_location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mapped_param_name: Option<&'a str>,
    origin: &'static str,
    parameter: Cow<'a, str>,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

/// A value of `x-apigateway-ratelimits`.
#[derive(Debug, Serialize)]
pub(crate) struct RateLimit<'a> {
    #[serde(rename = "api-limit")]
    api_limit: u64,
    #[serde(rename = "app-limit", skip_serializing_if = "Option::is_none")]
    app_limit: Option<u64>,
    interval: u64,
    #[serde(rename = "ip-limit", skip_serializing_if = "Option::is_none")]
    ip_limit: Option<u64>,
    shared: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    special: Vec<RateLimitSpecial<'a>>,
    unit: &'static str,
    #[serde(rename = "user-limit", skip_serializing_if = "Option::is_none")]
    user_limit: Option<u64>,
}

/// An element of a rate limit's `special`.
#[derive(Debug, Serialize)]
pub(crate) struct RateLimitSpecial<'a> {
    instance: &'a str,
    limit: u64,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A value of `x-apigateway-access-controls`.
#[derive(Debug, Serialize)]
pub(crate) struct AccessControl<'a> {
    #[serde(rename = "acl-type")]
    acl_type: &'static str,
    #[serde(rename = "entity-type")]
    entity_type: &'static str,
    value: &'a str,
}

/// A value of `x-apigateway-responses`: customised entries by error type.
pub(crate) type GatewayResponseDoc<'a> = BTreeMap<Cow<'a, str>, ErrorResponseDoc<'a>>;

/// `x-apigateway-responses`, by response name.
pub(crate) type ResponsesMap<'a> = BTreeMap<Cow<'a, str>, GatewayResponseDoc<'a>>;

/// One customised entry of a gateway response.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorResponseDoc<'a> {
    body: BTreeMap<&'static str, &'a str>,
    status: u16,
}

/// `x-apigateway-authorizer` of a custom authorizer's security scheme.
#[derive(Debug, Serialize)]
pub(crate) struct AuthorizerDoc<'a> {
    auth_downgrade_enabled: bool,
    authorizer_alias_uri: &'a str,
    authorizer_type: &'static str,
    authorizer_uri: &'a str,
    authorizer_version: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identities: Vec<IdentityDoc<'a>>,
    need_body: bool,
    network_type: &'static str,
    retry_attempts: u64,
    timeout: u64,
    ttl: u64,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// An identity source of an authorizer.
#[derive(Debug, Serialize)]
pub(crate) struct IdentityDoc<'a> {
    location: &'static str,
    name: &'a str,
    validation: &'a str,
}

/// `x-apigateway-auth-opt` of `apig-auth-app-header`.
#[derive(Debug, Serialize)]
pub(crate) struct AuthOptDoc {
    #[serde(rename = "appcode-auth-type")]
    pub(crate) appcode_auth_type: &'static str,
}

pub(crate) fn http_endpoints(b: &BackendApi) -> HttpEndpoints<'_> {
    HttpEndpoints {
        address: &b.url_domain,
        description: &b.remark,
        enable_client_ssl: b.enable_client_ssl,
        method: b.req_method.as_str(),
        path: &b.req_uri,
        retry_count: retry_count(b),
        scheme: scheme(b),
        timeout: b.timeout,
    }
}

pub(crate) fn http_vpc_endpoints<'a>(b: &'a BackendApi, channel: &'a VpcChannel) -> HttpVpcEndpoints<'a> {
    let info = b.vpc_channel_info.as_ref();
    HttpVpcEndpoints {
        cascade_flag: info.is_some_and(|i| i.cascade_flag),
        description: &b.remark,
        enable_client_ssl: b.enable_client_ssl,
        host: info.map_or("", |i| i.vpc_channel_proxy_host.as_str()),
        method: b.req_method.as_str(),
        name: &channel.name,
        path: &b.req_uri,
        retry_count: retry_count(b),
        scheme: scheme(b),
        timeout: b.timeout,
    }
}

fn retry_count(b: &BackendApi) -> &str {
    b.retry_count.as_deref().unwrap_or("-1")
}

fn scheme(b: &BackendApi) -> &'static str {
    match b.req_protocol {
        crate::model::BackendProtocol::Http => "http",
        crate::model::BackendProtocol::Https => "https",
        crate::model::BackendProtocol::Grpcs => "grpcs",
    }
}

pub(crate) fn function_endpoints(f: &FuncInfo) -> FunctionEndpoints<'_> {
    FunctionEndpoints {
        alias_urn: &f.alias_urn,
        description: &f.remark,
        function_urn: &f.function_urn,
        invocation_type: f.invocation_type.as_str(),
        network_type: f.network_type.as_str(),
        req_protocol: f.req_protocol.as_str(),
        timeout: f.timeout,
        version: &f.version,
    }
}

pub(crate) fn mock_endpoints(m: &MockInfo) -> MockEndpoints<'_> {
    MockEndpoints {
        description: &m.remark,
        headers: &m.headers,
        result_content: &m.result_content,
        status_code: m.status_code,
    }
}

/// Backend parameters sorted by name (bytes), ties by location (`HEADER` < `PATH` < `QUERY` <
/// `COOKIE`), as APIG writes them. `reference` spells the request parameter a `REQUEST`
/// parameter's value names.
pub(crate) fn backend_parameters<'a>(
    params: &'a [BackendParam],
    reference: impl Fn(&'a str) -> Cow<'a, str>,
) -> Vec<BackendParameter<'a>> {
    let mut sorted: Vec<&BackendParam> = params.iter().collect();
    sorted.sort_by(|a, b| {
        crate::work::step();
        a.name.as_bytes().cmp(b.name.as_bytes()).then(a.location.cmp(&b.location))
    });
    sorted
        .into_iter()
        .inspect(|_| crate::work::step())
        .map(|p| BackendParameter {
            description: &p.remark,
            location: p.location.as_str(),
            name: &p.name,
            origin: p.origin.as_str(),
            value: if p.origin == BackendParamOrigin::Request { reference(&p.value) } else { Cow::Borrowed(&p.value) },
        })
        .collect()
}

/// A policy condition; `reference` spells the request parameter a `param` condition names.
pub(crate) fn condition<'a>(c: &'a Condition, reference: impl Fn(&'a str) -> Cow<'a, str>) -> PolicyCondition<'a> {
    let parameter = match c.condition_origin {
        ConditionOrigin::Param => reference(&c.req_param_name),
        ConditionOrigin::System => Cow::Borrowed(c.sys_param_name.as_str()),
        ConditionOrigin::Cookie => Cow::Borrowed(c.cookie_param_name.as_str()),
        ConditionOrigin::FrontendAuthorizer => Cow::Borrowed(c.frontend_authorizer_param_name.as_str()),
        ConditionOrigin::Orchestration => Cow::Borrowed(c.mapped_param_name.as_str()),
        ConditionOrigin::Source => Cow::Borrowed(""),
    };
    let orchestration = c.condition_origin == ConditionOrigin::Orchestration;
    PolicyCondition {
        mapped_param_location: orchestration.then_some(c.mapped_param_location.as_str()),
        mapped_param_name: orchestration.then_some(c.mapped_param_name.as_str()),
        origin: c.condition_origin.as_str(),
        parameter,
        kind: match c.condition_origin {
            ConditionOrigin::Source => "",
            _ => c.condition_type.map_or("", |t| t.as_str()),
        },
        value: &c.condition_value,
    }
}

pub(crate) fn rate_limit(t: &Throttle) -> RateLimit<'_> {
    RateLimit {
        api_limit: t.api_call_limits,
        app_limit: t.app_call_limits,
        interval: t.time_interval,
        ip_limit: t.ip_call_limits,
        shared: t.throttle_type == crate::model::ThrottleType::Shared,
        special: t
            .specials
            .iter()
            .map(|s| RateLimitSpecial { instance: &s.object_id, limit: s.call_limits, kind: s.object_type.as_str() })
            .collect(),
        unit: t.time_unit.as_str(),
        user_limit: t.user_call_limits,
    }
}

pub(crate) fn access_control(a: &Acl) -> AccessControl<'_> {
    AccessControl { acl_type: a.acl_type.as_str(), entity_type: a.entity_type.as_str(), value: &a.acl_value }
}

/// The customised entries of a gateway response (entries still at APIG's default are left out).
/// `key` spells each error type as a key of the profile.
pub(crate) fn gateway_response<'a>(
    r: &'a GatewayResponse,
    key: impl Fn(&'a str) -> Cow<'a, str>,
) -> GatewayResponseDoc<'a> {
    r.responses
        .iter()
        .filter(|(_, e)| !e.default)
        .map(|(kind, e)| {
            (
                key(kind.as_str()),
                ErrorResponseDoc { body: BTreeMap::from([("application/json", e.body.as_str())]), status: e.status },
            )
        })
        .collect()
}

pub(crate) fn authorizer(a: &Authorizer) -> AuthorizerDoc<'_> {
    AuthorizerDoc {
        auth_downgrade_enabled: a.auth_downgrade_enabled,
        authorizer_alias_uri: &a.authorizer_alias_uri,
        authorizer_type: a.authorizer_type.as_str(),
        authorizer_uri: &a.authorizer_uri,
        authorizer_version: &a.authorizer_version,
        identities: a
            .identities
            .iter()
            .map(|i| IdentityDoc { location: i.location.as_str(), name: &i.name, validation: &i.validation })
            .collect(),
        need_body: a.need_body,
        network_type: a.network_type.as_str(),
        retry_attempts: a.retry_attempts,
        timeout: a.timeout,
        ttl: a.ttl,
        kind: a.authorizer_kind.as_str(),
    }
}
