//! Swagger 2.0: go-openapi/spec (≤ v0.21) member order, vendor extensions last in byte order.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::Serialize;

use super::ext::{self, AuthOptDoc, AuthorizerDoc};
use super::{
    opt, Bounds, Context, Document, Operation, OperationExt, Param, Root as AnyRoot, Scalar, Security, Shared, Tags,
    CORS_HEADER, RESPONSE_DESCRIPTION,
};
use crate::model::{ContentType, Method};

#[derive(Debug, Serialize)]
pub(crate) struct Root<'a> {
    swagger: &'static str,
    info: Info<'a>,
    host: &'a str,
    paths: super::Paths<'a, PathItem<'a>>,
    responses: BTreeMap<&'static str, RootResponse>,
    #[serde(rename = "securityDefinitions")]
    security_definitions: BTreeMap<Cow<'a, str>, SecurityScheme<'a>>,
    #[serde(rename = "x-apigateway-access-controls", skip_serializing_if = "BTreeMap::is_empty")]
    access_controls: BTreeMap<Cow<'a, str>, ext::AccessControl<'a>>,
    #[serde(rename = "x-apigateway-ratelimits", skip_serializing_if = "BTreeMap::is_empty")]
    ratelimits: BTreeMap<Cow<'a, str>, ext::RateLimit<'a>>,
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

#[derive(Debug, Default, Serialize)]
struct PathItem<'a> {
    #[serde(rename = "x-apigateway-any-method", skip_serializing_if = "Option::is_none")]
    any: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    get: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    put: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<Op<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<Op<'a>>,
}

impl<'a> super::PathItem<'a> for PathItem<'a> {
    type Op = Op<'a>;
    type State = Context<'a>;

    fn render(state: &Context<'a>, op: &Operation<'a>) -> Op<'a> {
        operation(state, op)
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
    security: Option<Security<'a>>,
    description: &'a str,
    schemes: Vec<&'static str>,
    tags: Tags<'a>,
    summary: Option<&'a str>,
    operation_id: Cow<'a, str>,
    parameters: Vec<Parameter<'a>>,
    responses: Responses<'a>,
    ext: OperationExt<'a>,
}

impl Serialize for Op<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Op", 20)?;
        opt(&mut s, "security", &self.security)?;
        if !self.description.is_empty() {
            s.serialize_field("description", self.description)?;
        }
        s.serialize_field("schemes", &self.schemes)?;
        if !self.tags.is_empty() {
            s.serialize_field("tags", &self.tags)?;
        }
        opt(&mut s, "summary", &self.summary)?;
        s.serialize_field("operationId", &self.operation_id)?;
        if !self.parameters.is_empty() {
            s.serialize_field("parameters", &self.parameters)?;
        }
        s.serialize_field("responses", &self.responses)?;
        self.ext.write_fields(&mut s)?;
        s.end()
    }
}

#[derive(Debug, Serialize)]
struct Responses<'a> {
    default: RefResponse,
    #[serde(rename = "x-apigateway-result-failure-sample")]
    failure_sample: &'a str,
    #[serde(rename = "x-apigateway-result-normal-sample")]
    normal_sample: &'a str,
}

#[derive(Debug, Serialize)]
struct RefResponse {
    #[serde(rename = "$ref")]
    reference: &'static str,
}

#[derive(Debug, Serialize)]
struct RootResponse {
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<BTreeMap<&'static str, Header>>,
}

#[derive(Debug, Serialize)]
struct Header {
    #[serde(rename = "type")]
    kind: &'static str,
    default: &'static str,
}

#[derive(Debug, Serialize)]
struct Parameter<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<i64>,
    #[serde(rename = "maxLength", skip_serializing_if = "Option::is_none")]
    max_length: Option<u64>,
    #[serde(rename = "minLength", skip_serializing_if = "Option::is_none")]
    min_length: Option<u64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    enumeration: Option<Vec<Scalar<'a>>>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<Scalar<'a>>,
    #[serde(rename = "x-apigateway-orchestrations")]
    orchestrations: Vec<&'a str>,
    #[serde(rename = "x-apigateway-pass-through")]
    pass_through: &'static str,
    #[serde(rename = "x-apigateway-sample", skip_serializing_if = "Option::is_none")]
    sample: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    name: Cow<'a, str>,
    #[serde(rename = "in")]
    location: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    required: Option<bool>,
}

#[derive(Debug, Serialize)]
struct SecurityScheme<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    #[serde(rename = "in")]
    location: &'static str,
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
            kind: "apiKey",
            name,
            location: "header",
            auth_opt: header.then_some(AuthOptDoc { appcode_auth_type: "header" }),
            auth_type,
            authorizer: None,
        }
    }
}

pub(crate) fn document<'a>(
    cx: Context<'a>,
    shared: Shared<'a>,
    ops: Vec<Operation<'a>>,
    version: Cow<'a, str>,
) -> Document<'a> {
    let paths = super::Paths::new(ops, cx);
    let mut responses =
        BTreeMap::from([("default", RootResponse { description: RESPONSE_DESCRIPTION, headers: None })]);
    if shared.any_cors {
        let header = Header { kind: "string", default: "*" };
        responses.insert(
            "default-cors",
            RootResponse { description: RESPONSE_DESCRIPTION, headers: Some(BTreeMap::from([(CORS_HEADER, header)])) },
        );
    }
    let mut security_definitions = BTreeMap::from([
        (Cow::Borrowed("apig-auth-app"), SecurityScheme::fixed("Authorization", "AppSigv1", false)),
        (Cow::Borrowed("apig-auth-app-header"), SecurityScheme::fixed("Authorization", "AppSigv1", true)),
        (Cow::Borrowed("apig-auth-iam"), SecurityScheme::fixed("unused", "IAM", false)),
    ]);
    for (name, details) in shared.authorizers {
        let mut scheme = SecurityScheme::fixed("unused", "AUTHORIZER", false);
        scheme.authorizer = details;
        security_definitions.insert(name, scheme);
    }
    let root = Root {
        swagger: "2.0",
        info: Info { description: &cx.group.remark, title: &cx.group.name, version },
        host: host(cx.group),
        paths,
        responses,
        security_definitions,
        access_controls: shared.access_controls,
        ratelimits: shared.ratelimits,
    };
    Document {
        root: AnyRoot::Swagger2(Box::new(root)),
        trailer: cx.scope.has_policies().then_some(shared.responses),
        cancel: None,
    }
}

/// The exported host: the first bound custom domain, else the debugging sub-domain.
pub(crate) fn host(group: &crate::model::Group) -> &str {
    group.url_domains.first().map_or(group.sl_domain.as_str(), |d| d.domain.as_str())
}

fn operation<'a>(cx: &Context<'a>, op: &Operation<'a>) -> Op<'a> {
    let api = op.api;
    let parameters = op.params().iter().filter(|p| !cx.skipped(p)).map(|p| parameter(cx, op, p)).collect();
    let mut ext = cx.operation_ext(op);
    ext.content_type = api.content_type.map(ContentType::as_str);
    Op {
        security: cx.security(op),
        description: &api.remark,
        schemes: super::Schemes::of(api.req_protocol).names().collect(),
        tags: Tags { all: &api.tags, unique: cx.profile == crate::Profile::Strict },
        summary: cx.summary(op),
        operation_id: cx.operation_id(api),
        parameters,
        responses: Responses {
            default: RefResponse {
                reference: if api.cors { "#/responses/default-cors" } else { "#/responses/default" },
            },
            failure_sample: &api.result_failure_sample,
            normal_sample: &api.result_normal_sample,
        },
        ext,
    }
}

fn parameter<'a>(cx: &Context<'a>, op: &Operation<'a>, p: &Param<'a>) -> Parameter<'a> {
    let Bounds { maximum, minimum, max_length, min_length } = cx.bounds(p);
    let (default, enumeration) = cx.values(p);
    let super::ParamFacts { kind, pass_through, description, required } = p.facts();
    Parameter {
        maximum,
        minimum,
        max_length,
        min_length,
        enumeration,
        kind,
        default,
        orchestrations: cx.orchestrations(p),
        pass_through,
        sample: cx.sample(p),
        description,
        name: op.param_name(p),
        location: location(p.location()),
        required: required.then_some(true),
    }
}

pub(crate) fn param_type(t: crate::model::ParamType) -> &'static str {
    match t {
        crate::model::ParamType::String => "string",
        crate::model::ParamType::Number => "number",
    }
}

pub(crate) fn location(l: crate::model::ParamLocation) -> &'static str {
    match l {
        crate::model::ParamLocation::Header => "header",
        crate::model::ParamLocation::Path => "path",
        crate::model::ParamLocation::Query => "query",
        crate::model::ParamLocation::Cookie => "cookie",
    }
}
