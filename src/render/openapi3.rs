//! OpenAPI 3.0: root in the fixed order `openapi, info, servers, paths, components`, every other
//! object with its keys in byte order (kin-openapi), so field order below is byte order.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::ext::{self, AuthOptDoc, AuthorizerDoc};
use super::swagger2::{host, location};
use super::{
    opt, Bounds, Context, Document, Operation, OperationExt, Param, Root as AnyRoot, Scalar, Schemes, Security, Shared,
    Tags, Url, CORS_HEADER, RESPONSE_DESCRIPTION,
};
use crate::model::{ContentType, Method};
use crate::Profile;

/// The `openapi` member.
pub(crate) const OPENAPI_VERSION: &str = "3.0.3";

#[derive(Debug, Serialize)]
pub(crate) struct Root<'a> {
    openapi: &'static str,
    info: Info<'a>,
    servers: Vec<Server>,
    paths: super::Paths<'a, PathItem<'a>>,
    components: Components<'a>,
}

impl Root<'_> {
    /// Makes the paths stop at `token` (see [`crate::CancelToken`]).
    pub(super) fn set_cancel(&mut self, token: crate::CancelToken) {
        self.paths.cancel = Some(token);
    }
}

#[derive(Debug, Serialize)]
struct Info<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    title: &'a str,
    version: Cow<'a, str>,
}

#[derive(Debug, Serialize)]
struct Server {
    url: Url,
}

#[derive(Debug, Default, Serialize)]
struct PathItem<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    delete: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    get: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    put: Option<Op<'a>>,
    #[serde(rename = "x-apigateway-any-method", skip_serializing_if = "Option::is_none")]
    any: Option<Op<'a>>,
}

impl<'a> super::PathItem<'a> for PathItem<'a> {
    type Op = Op<'a>;
    type State = State<'a>;

    fn render(state: &State<'a>, op: &Operation<'a>) -> Op<'a> {
        operation(&state.cx, &state.urls, op)
    }

    fn slot(&mut self, method: Method) -> &mut Option<Op<'a>> {
        match method {
            Method::Get => &mut self.get,
            Method::Put => &mut self.put,
            Method::Post => &mut self.post,
            Method::Delete => &mut self.delete,
            Method::Options => &mut self.options,
            Method::Head => &mut self.head,
            Method::Patch => &mut self.patch,
            Method::Any => &mut self.any,
        }
    }
}

#[derive(Debug)]
struct Op<'a> {
    description: &'a str,
    operation_id: Cow<'a, str>,
    parameters: Vec<Parameter<'a>>,
    request_body: Option<RequestBody<'a>>,
    responses: BTreeMap<&'static str, Response<'a>>,
    security: Option<Security<'a>>,
    servers: Vec<Server>,
    summary: Option<&'a str>,
    tags: Tags<'a>,
    ext: OperationExt<'a>,
}

impl Serialize for Op<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Op", 21)?;
        if !self.description.is_empty() {
            s.serialize_field("description", self.description)?;
        }
        s.serialize_field("operationId", &self.operation_id)?;
        if !self.parameters.is_empty() {
            s.serialize_field("parameters", &self.parameters)?;
        }
        opt(&mut s, "requestBody", &self.request_body)?;
        s.serialize_field("responses", &self.responses)?;
        opt(&mut s, "security", &self.security)?;
        s.serialize_field("servers", &self.servers)?;
        opt(&mut s, "summary", &self.summary)?;
        if !self.tags.is_empty() {
            s.serialize_field("tags", &self.tags)?;
        }
        self.ext.write_fields(&mut s)?;
        s.end()
    }
}

#[derive(Debug, Serialize)]
struct RequestBody<'a> {
    content: BTreeMap<&'static str, MediaType<'a>>,
}

#[derive(Debug, Serialize)]
struct MediaType<'a> {
    schema: BodySchema<'a>,
}

#[derive(Debug, Serialize)]
struct BodySchema<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Response<'a> {
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<BTreeMap<&'static str, Header>>,
    #[serde(rename = "x-apigateway-result-failure-sample", skip_serializing_if = "Option::is_none")]
    failure_sample: Option<&'a str>,
    #[serde(rename = "x-apigateway-result-normal-sample", skip_serializing_if = "Option::is_none")]
    normal_sample: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Header {
    schema: HeaderSchema,
}

#[derive(Debug, Serialize)]
struct HeaderSchema {
    default: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn cors_headers() -> Option<BTreeMap<&'static str, Header>> {
    Some(BTreeMap::from([(CORS_HEADER, Header { schema: HeaderSchema { default: "*", kind: "string" } })]))
}

#[derive(Debug, Serialize)]
struct Parameter<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<Scalar<'a>>,
    #[serde(rename = "in")]
    location: &'static str,
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
    schema: ParamSchema<'a>,
    #[serde(rename = "x-apigateway-orchestrations")]
    orchestrations: Vec<&'a str>,
    #[serde(rename = "x-apigateway-pass-through")]
    pass_through: &'static str,
}

#[derive(Debug, Serialize)]
struct ParamSchema<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<Scalar<'a>>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    enumeration: Option<Vec<Scalar<'a>>>,
    #[serde(rename = "maxLength", skip_serializing_if = "Option::is_none")]
    max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum: Option<i64>,
    #[serde(rename = "minLength", skip_serializing_if = "Option::is_none")]
    min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<i64>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Components<'a> {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    responses: BTreeMap<&'static str, Response<'a>>,
    #[serde(rename = "securitySchemes", skip_serializing_if = "BTreeMap::is_empty")]
    security_schemes: BTreeMap<Cow<'a, str>, SecurityScheme<'a>>,
    #[serde(rename = "x-apigateway-access-controls", skip_serializing_if = "BTreeMap::is_empty")]
    access_controls: BTreeMap<Cow<'a, str>, ext::AccessControl<'a>>,
    #[serde(rename = "x-apigateway-ratelimits", skip_serializing_if = "BTreeMap::is_empty")]
    ratelimits: BTreeMap<Cow<'a, str>, ext::RateLimit<'a>>,
    #[serde(rename = "x-apigateway-responses", skip_serializing_if = "Option::is_none")]
    responses_ext: Option<ext::ResponsesMap<'a>>,
}

#[derive(Debug, Serialize)]
struct SecurityScheme<'a> {
    #[serde(rename = "in")]
    location: &'static str,
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "x-apigateway-auth-opt", skip_serializing_if = "Option::is_none")]
    auth_opt: Option<AuthOptDoc>,
    #[serde(rename = "x-apigateway-auth-type")]
    auth_type: &'static str,
    #[serde(rename = "x-apigateway-authorizer", skip_serializing_if = "Option::is_none")]
    authorizer: Option<AuthorizerDoc<'a>>,
}

impl<'a> SecurityScheme<'a> {
    fn fixed(name: &'static str, auth_type: &'static str, header: bool) -> SecurityScheme<'a> {
        SecurityScheme {
            location: "header",
            name,
            kind: "apiKey",
            auth_opt: header.then_some(AuthOptDoc { appcode_auth_type: "header" }),
            auth_type,
            authorizer: None,
        }
    }
}

/// The root's URL schemes: those of the exported APIs, `https` when there are none.
fn root_schemes(shared: &Shared<'_>) -> Schemes {
    if shared.schemes == Schemes::default() {
        Schemes { http: false, https: true }
    } else {
        shared.schemes
    }
}

/// What rendering an operation needs: the context and the server URLs.
pub(crate) struct State<'a> {
    cx: Context<'a>,
    urls: Urls,
}

/// The two server URLs of the group's domain, built once and shared by every operation.
struct Urls {
    http: Url,
    https: Url,
}

impl Urls {
    fn servers(&self, schemes: Schemes) -> Vec<Server> {
        schemes
            .names()
            .map(|n| Server { url: if n == "http" { self.http.clone() } else { self.https.clone() } })
            .collect()
    }
}

pub(crate) fn document<'a>(
    cx: Context<'a>,
    shared: Shared<'a>,
    ops: Vec<Operation<'a>>,
    version: Cow<'a, str>,
) -> Document<'a> {
    let domain = host(cx.group);
    let urls = Urls { http: format!("http://{domain}").into(), https: format!("https://{domain}").into() };
    let root_servers = urls.servers(root_schemes(&shared));
    let mut responses = BTreeMap::from([(
        "default",
        Response { description: RESPONSE_DESCRIPTION, headers: None, failure_sample: None, normal_sample: None },
    )]);
    if shared.any_cors {
        responses.insert(
            "default-cors",
            Response {
                description: RESPONSE_DESCRIPTION,
                headers: cors_headers(),
                failure_sample: None,
                normal_sample: None,
            },
        );
    }
    let mut security_schemes = BTreeMap::from([
        (Cow::Borrowed("apig-auth-app"), SecurityScheme::fixed("Authorization", "AppSigv1", false)),
        (Cow::Borrowed("apig-auth-app-header"), SecurityScheme::fixed("Authorization", "AppSigv1", true)),
        (Cow::Borrowed("apig-auth-iam"), SecurityScheme::fixed("unused", "IAM", false)),
    ]);
    for (name, details) in shared.authorizers {
        let mut scheme = SecurityScheme::fixed("unused", "AUTHORIZER", false);
        scheme.authorizer = details;
        security_schemes.insert(name, scheme);
    }
    if cx.profile == Profile::Strict {
        // Components nothing refers to draw linters' warnings: the Strict profile writes only the
        // security schemes operations use, and no `responses` (operations write theirs inline).
        security_schemes.retain(|name, _| shared.security_used.contains(name));
        responses.clear();
    }
    let root = Root {
        openapi: OPENAPI_VERSION,
        info: Info { description: &cx.group.remark, title: &cx.group.name, version },
        servers: root_servers,
        paths: super::Paths::new(ops, State { cx, urls }),
        components: Components {
            responses,
            security_schemes,
            access_controls: shared.access_controls,
            ratelimits: shared.ratelimits,
            responses_ext: cx.scope.has_policies().then_some(shared.responses),
        },
    };
    Document { root: AnyRoot::OpenApi3(Box::new(root)), trailer: None, cancel: None }
}

fn operation<'a>(cx: &Context<'a>, urls: &Urls, op: &Operation<'a>) -> Op<'a> {
    let api = op.api;
    let parameters = op.params().iter().map(|p| parameter(cx, op, p)).collect();
    let request_body = matches!(api.req_method, Method::Post | Method::Put | Method::Patch | Method::Any).then(|| {
        let media = api.content_type.map_or("application/json", ContentType::as_str);
        RequestBody {
            content: BTreeMap::from([(
                media,
                MediaType { schema: BodySchema { example: cx.body_example(api), kind: "object" } },
            )]),
        }
    });
    // A response key must be `default` or a status code to be valid OpenAPI; APIG writes `default-cors`.
    let key = if api.cors && cx.profile == Profile::Apig { "default-cors" } else { "default" };
    let response = Response {
        description: RESPONSE_DESCRIPTION,
        headers: if api.cors { cors_headers() } else { None },
        failure_sample: Some(&api.result_failure_sample),
        normal_sample: Some(&api.result_normal_sample),
    };
    Op {
        description: &api.remark,
        operation_id: cx.operation_id(api),
        parameters,
        request_body,
        responses: BTreeMap::from([(key, response)]),
        security: cx.security(op),
        servers: urls.servers(Schemes::of(api.req_protocol)),
        summary: cx.summary(op),
        tags: Tags { all: &api.tags, unique: cx.profile == Profile::Strict },
        ext: cx.operation_ext(op),
    }
}

fn parameter<'a>(cx: &Context<'a>, op: &Operation<'a>, p: &Param<'a>) -> Parameter<'a> {
    let Bounds { maximum, minimum, max_length, min_length } = cx.bounds(p);
    let (default, enumeration) = cx.values(p);
    let super::ParamFacts { kind, pass_through, description, required } = p.facts();
    // kin-openapi writes minLength only when it is above zero.
    let min_length = if cx.profile == Profile::Apig { min_length.filter(|v| *v > 0) } else { min_length };
    Parameter {
        description,
        example: cx.example(p),
        location: location(p.location()),
        name: op.param_name(p),
        required: required.then_some(true),
        schema: ParamSchema { default, enumeration, max_length, maximum, min_length, minimum, kind },
        orchestrations: cx.orchestrations(p),
        pass_through,
    }
}
