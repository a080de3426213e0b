//! The catalog's plain data, with APIG's own field names.
//!
//! Every struct here deserializes from the JSON that APIG's management API returns for the
//! object (unknown fields are ignored, absent fields take the documented default, `null` is
//! treated as absent) and serializes back to the same shape. They carry no invariants of their
//! own: [`Catalog::new`](crate::Catalog::new) checks them.

use std::sync::Arc;

use indexmap::IndexMap;

pub use super::text::Text;
use serde::{Deserialize, Deserializer, Serialize};

/// Everything an export can draw on: one APIG instance's groups, environments, APIs, what is
/// published where, and the policies bound to published APIs.
///
/// The JSON form of this struct is the catalog file format (see `docs/catalog.md`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CatalogData {
    /// API groups.
    #[serde(deserialize_with = "nullable")]
    pub groups: Vec<Group>,
    /// Environments (instance-wide, as in APIG).
    #[serde(deserialize_with = "nullable")]
    pub environments: Vec<Environment>,
    /// The current (draft) definition of every API, each shared with the publications that
    /// publish it as it is (`Arc::make_mut` edits one).
    #[serde(deserialize_with = "nullable")]
    pub apis: Vec<Arc<Api>>,
    /// Which API is published in which environment, with the definition as published.
    #[serde(deserialize_with = "nullable")]
    pub publications: Vec<Publication>,
    /// Throttling policies.
    #[serde(deserialize_with = "nullable")]
    pub throttles: Vec<Throttle>,
    /// Throttling policies bound to published APIs, per environment.
    #[serde(deserialize_with = "nullable")]
    pub throttle_bindings: Vec<ThrottleBinding>,
    /// Access control (ACL) policies.
    #[serde(deserialize_with = "nullable")]
    pub acls: Vec<Acl>,
    /// ACL policies bound to published APIs, per environment.
    #[serde(deserialize_with = "nullable")]
    pub acl_bindings: Vec<AclBinding>,
    /// Custom authorizers.
    #[serde(deserialize_with = "nullable")]
    pub authorizers: Vec<Authorizer>,
    /// Plug-ins.
    #[serde(deserialize_with = "nullable")]
    pub plugins: Vec<Plugin>,
    /// Plug-ins bound to published APIs, per environment.
    #[serde(deserialize_with = "nullable")]
    pub plugin_bindings: Vec<PluginBinding>,
    /// VPC channels (load balance channels) that HTTP-VPC backends use.
    #[serde(deserialize_with = "nullable")]
    pub vpc_channels: Vec<VpcChannel>,
    /// Parameter orchestration rules.
    #[serde(deserialize_with = "nullable")]
    pub orchestrations: Vec<Orchestration>,
    /// Credentials (apps). Never exported.
    #[serde(deserialize_with = "nullable")]
    pub apps: Vec<App>,
    /// SSL certificates. Never exported.
    #[serde(deserialize_with = "nullable")]
    pub certificates: Vec<Certificate>,
}

/// An API group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Group {
    /// Group id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Group name: `info.title` and the first part of the file name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Description: `info.description` (omitted when empty).
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Debugging sub-domain, used as the host when no custom domain is bound.
    #[serde(deserialize_with = "nullable")]
    pub sl_domain: Text,
    /// Bound custom domains; the first is the exported host.
    #[serde(deserialize_with = "nullable")]
    pub url_domains: Vec<UrlDomain>,
    /// The group's gateway responses.
    #[serde(deserialize_with = "nullable")]
    pub gateway_responses: Vec<GatewayResponse>,
}

/// A custom domain bound to a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct UrlDomain {
    /// Domain id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// The domain name, without scheme or port.
    #[serde(deserialize_with = "nullable")]
    pub domain: Text,
}

/// A gateway response of a group: what the gateway answers for each error type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct GatewayResponse {
    /// Response id, referenced by [`Api::response_id`].
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Response name (`default` for the built-in one).
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Whether this is the group's default response.
    #[serde(deserialize_with = "nullable")]
    pub default: bool,
    /// Customised entries, by error type (`AUTH_FAILURE`, `THROTTLED`, …), in stored order.
    #[serde(deserialize_with = "nullable")]
    pub responses: IndexMap<String, ErrorResponse>,
}

/// One customised entry of a gateway response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// HTTP status (200–599, not 444).
    #[serde(deserialize_with = "nullable")]
    pub status: u16,
    /// Body template (JSON), e.g. `{"error_code":"$context.error.code"}`.
    #[serde(deserialize_with = "nullable")]
    pub body: Text,
    /// Custom response headers.
    #[serde(deserialize_with = "nullable")]
    pub headers: Vec<KeyValue>,
    /// Whether the entry still has APIG's default content.
    #[serde(deserialize_with = "nullable")]
    pub default: bool,
}

/// A `{key, value}` pair (response headers, mock headers).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct KeyValue {
    /// Header name.
    #[serde(deserialize_with = "nullable")]
    pub key: Text,
    /// Header value.
    #[serde(deserialize_with = "nullable")]
    pub value: Text,
}

/// An environment (e.g. the built-in `RELEASE`, id `DEFAULT_ENVIRONMENT_RELEASE_ID`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Environment {
    /// Environment id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Environment name, used in the file name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
}

/// An API as APIG's "show API details" returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Api {
    /// API id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Owning group id.
    #[serde(deserialize_with = "nullable")]
    pub group_id: Text,
    /// API name: the `operationId`.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// `1` public, `2` private.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub api_type: ApiType,
    /// API version label (not exported).
    #[serde(deserialize_with = "nullable")]
    pub version: Text,
    /// Frontend protocol.
    #[serde(deserialize_with = "nullable")]
    pub req_protocol: ReqProtocol,
    /// Frontend method.
    #[serde(deserialize_with = "nullable")]
    pub req_method: Method,
    /// Frontend path, with `{param}` / `{param+}` segments.
    #[serde(deserialize_with = "nullable")]
    pub req_uri: Text,
    /// Frontend authentication.
    #[serde(deserialize_with = "nullable")]
    pub auth_type: AuthType,
    /// Options of APP authentication.
    #[serde(deserialize_with = "nullable")]
    pub auth_opt: AuthOpt,
    /// Whether CORS is enabled.
    #[serde(deserialize_with = "nullable")]
    pub cors: bool,
    /// Path matching.
    #[serde(deserialize_with = "nullable")]
    pub match_mode: MatchMode,
    /// Backend kind.
    #[serde(deserialize_with = "nullable")]
    pub backend_type: BackendType,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Request body description (3.0 `requestBody` example).
    #[serde(deserialize_with = "nullable")]
    pub body_remark: Text,
    /// Example of a successful response.
    #[serde(deserialize_with = "nullable")]
    pub result_normal_sample: Text,
    /// Example of a failed response.
    #[serde(deserialize_with = "nullable")]
    pub result_failure_sample: Text,
    /// Frontend custom authorizer (with `auth_type` `AUTHORIZER`).
    pub authorizer_id: Option<Text>,
    /// Tags.
    #[serde(deserialize_with = "nullable")]
    pub tags: Vec<Text>,
    /// Gateway response of the group that this API uses.
    pub response_id: Option<Text>,
    /// Request content type.
    pub content_type: Option<ContentType>,
    /// Whether the body sent to FunctionGraph is Base64-encoded (APIG's default: true).
    pub is_send_fg_body_base64: Option<bool>,
    /// Mock backend.
    pub mock_info: Option<MockInfo>,
    /// FunctionGraph backend.
    pub func_info: Option<FuncInfo>,
    /// HTTP / HTTP-VPC backend.
    pub backend_api: Option<BackendApi>,
    /// Frontend request parameters.
    #[serde(deserialize_with = "nullable")]
    pub req_params: Vec<ReqParam>,
    /// Backend parameters of the default backend.
    #[serde(deserialize_with = "nullable")]
    pub backend_params: Vec<BackendParam>,
    /// HTTP backend policies.
    #[serde(deserialize_with = "nullable")]
    pub policy_https: Vec<PolicyHttp>,
    /// FunctionGraph backend policies.
    #[serde(deserialize_with = "nullable")]
    pub policy_functions: Vec<PolicyFunction>,
    /// Mock backend policies.
    #[serde(deserialize_with = "nullable")]
    pub policy_mocks: Vec<PolicyMock>,
}

/// `auth_opt` of an API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthOpt {
    /// AppCode simple authentication.
    #[serde(deserialize_with = "nullable")]
    pub app_code_auth_type: AppCodeAuthType,
}

/// A frontend request parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ReqParam {
    /// Parameter id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Parameter name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Value type.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub param_type: ParamType,
    /// Where the parameter is carried.
    #[serde(deserialize_with = "nullable")]
    pub location: ParamLocation,
    /// Default value, as stored (a number as text for `NUMBER`).
    #[serde(deserialize_with = "nullable")]
    pub default_value: Text,
    /// Example value.
    #[serde(deserialize_with = "nullable")]
    pub sample_value: Text,
    /// `1` required, `2` optional.
    #[serde(deserialize_with = "nullable")]
    pub required: Requirement,
    /// `1` validation enabled, `2` disabled.
    #[serde(deserialize_with = "nullable")]
    pub valid_enable: Validation,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Allowed values, comma-separated.
    #[serde(deserialize_with = "nullable")]
    pub enumerations: Text,
    /// Minimum (`NUMBER`); `0` means unset.
    #[serde(deserialize_with = "nullable")]
    pub min_num: i64,
    /// Maximum (`NUMBER`); `0` means unset.
    #[serde(deserialize_with = "nullable")]
    pub max_num: i64,
    /// Minimum length (`STRING`); `0` means unset.
    #[serde(deserialize_with = "nullable")]
    pub min_size: u64,
    /// Maximum length (`STRING`); `0` means unset.
    #[serde(deserialize_with = "nullable")]
    pub max_size: u64,
    /// Regular expression (not exported by APIG).
    #[serde(deserialize_with = "nullable")]
    pub regular: Text,
    /// JSON schema (not exported by APIG).
    #[serde(deserialize_with = "nullable")]
    pub json_schema: Text,
    /// `1` passed to the backend, `2` not (APIG's default: 1).
    #[serde(deserialize_with = "nullable")]
    pub pass_through: PassThrough,
    /// Orchestration rule ids, in priority order.
    #[serde(deserialize_with = "nullable")]
    pub orchestrations: Vec<Text>,
}

/// A backend parameter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BackendParam {
    /// Where the value comes from.
    #[serde(deserialize_with = "nullable")]
    pub origin: BackendParamOrigin,
    /// Name at the backend.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Where the parameter is sent.
    #[serde(deserialize_with = "nullable")]
    pub location: BackendParamLocation,
    /// `REQUEST`: the frontend parameter name; `CONSTANT`: the value; `SYSTEM`: the system parameter.
    #[serde(deserialize_with = "nullable")]
    pub value: Text,
}

/// The HTTP / HTTP-VPC backend of an API (`backend_api`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BackendApi {
    /// `host[:port]` (without VPC channel).
    #[serde(deserialize_with = "nullable")]
    pub url_domain: Text,
    /// Backend protocol.
    #[serde(deserialize_with = "nullable")]
    pub req_protocol: BackendProtocol,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Backend method.
    #[serde(deserialize_with = "nullable")]
    pub req_method: Method,
    /// Backend path.
    #[serde(deserialize_with = "nullable")]
    pub req_uri: Text,
    /// Timeout in ms.
    #[serde(deserialize_with = "null_is_5000")]
    pub timeout: u64,
    /// Whether two-way TLS is used towards the backend.
    #[serde(deserialize_with = "nullable")]
    pub enable_client_ssl: bool,
    /// Retries, `"-1"` to `"10"` (APIG's default `"-1"`).
    pub retry_count: Option<Text>,
    /// VPC channel settings.
    pub vpc_channel_info: Option<VpcChannelInfo>,
    /// `1` the VPC channel is used, `2` not.
    #[serde(deserialize_with = "nullable")]
    pub vpc_channel_status: VpcChannelUse,
    /// Backend custom authorizer (not exported).
    // Left out when unset: a backend policy flattens this struct beside `PolicyCommon`, whose
    // member has the same name, and a member written twice is not read in one pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer_id: Option<Text>,
}

/// `vpc_channel_info` of a backend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct VpcChannelInfo {
    /// The VPC channel used.
    #[serde(deserialize_with = "nullable")]
    pub vpc_channel_id: Text,
    /// Host header sent to the backend.
    #[serde(deserialize_with = "nullable")]
    pub vpc_channel_proxy_host: Text,
    /// Whether the channel is a cascading one.
    #[serde(deserialize_with = "nullable")]
    pub cascade_flag: bool,
}

/// The FunctionGraph backend of an API (`func_info`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FuncInfo {
    /// Function URN.
    #[serde(deserialize_with = "nullable")]
    pub function_urn: Text,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// `sync` or `async`.
    #[serde(deserialize_with = "nullable")]
    pub invocation_type: InvocationType,
    /// `V1` (non-VPC) or `V2` (VPC).
    #[serde(deserialize_with = "nullable")]
    pub network_type: NetworkType,
    /// Function version.
    #[serde(deserialize_with = "nullable")]
    pub version: Text,
    /// Function alias URN.
    #[serde(deserialize_with = "nullable")]
    pub alias_urn: Text,
    /// Timeout in ms.
    #[serde(deserialize_with = "nullable")]
    pub timeout: u64,
    /// Backend custom authorizer (not exported).
    // Left out when unset: a backend policy flattens this struct beside `PolicyCommon`, whose
    // member has the same name, and a member written twice is not read in one pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer_id: Option<Text>,
    /// `HTTPS` or `GRPCS`.
    #[serde(deserialize_with = "nullable")]
    pub req_protocol: FuncProtocol,
}

/// The mock backend of an API (`mock_info`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MockInfo {
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Response body.
    #[serde(deserialize_with = "nullable")]
    pub result_content: Text,
    /// Response status, when set.
    pub status_code: Option<u16>,
    /// Response headers.
    #[serde(deserialize_with = "nullable")]
    pub headers: Vec<KeyValue>,
    /// Backend custom authorizer (not exported).
    // Left out when unset: a backend policy flattens this struct beside `PolicyCommon`, whose
    // member has the same name, and a member written twice is not read in one pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer_id: Option<Text>,
}

/// Fields every backend policy has. The policy's backend custom authorizer is its backend's
/// `authorizer_id` (one member on the wire, read into the backend).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PolicyCommon {
    /// Policy name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// `ALL` conditions must hold, or `ANY`.
    #[serde(deserialize_with = "nullable")]
    pub effect_mode: EffectMode,
    /// Backend parameters of this policy's backend.
    #[serde(deserialize_with = "nullable")]
    pub backend_params: Vec<BackendParam>,
    /// Conditions.
    #[serde(deserialize_with = "nullable")]
    pub conditions: Vec<Condition>,
}

/// An HTTP / HTTP-VPC backend policy (`policy_https[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyHttp {
    /// Name, effect mode, parameters, conditions.
    #[serde(flatten)]
    pub policy: PolicyCommon,
    /// The policy's backend.
    #[serde(flatten)]
    pub backend: BackendApi,
}

/// A FunctionGraph backend policy (`policy_functions[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyFunction {
    /// Name, effect mode, parameters, conditions.
    #[serde(flatten)]
    pub policy: PolicyCommon,
    /// The policy's function.
    #[serde(flatten)]
    pub function: FuncInfo,
}

/// A mock backend policy (`policy_mocks[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PolicyMock {
    /// Name, effect mode, parameters, conditions.
    #[serde(flatten)]
    pub policy: PolicyCommon,
    /// The policy's mock response.
    #[serde(flatten)]
    pub mock: MockInfo,
}

/// A condition of a backend policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Condition {
    /// Frontend parameter (`param`).
    #[serde(deserialize_with = "nullable")]
    pub req_param_name: Text,
    /// System parameter (`system`): `req_path`, `req_method`.
    #[serde(deserialize_with = "nullable")]
    pub sys_param_name: Text,
    /// Cookie (`cookie`).
    #[serde(deserialize_with = "nullable")]
    pub cookie_param_name: Text,
    /// Authorizer result (`frontend_authorizer`).
    #[serde(deserialize_with = "nullable")]
    pub frontend_authorizer_param_name: Text,
    /// `exact`, `enum` or `pattern` (unset for `source`).
    pub condition_type: Option<ConditionType>,
    /// What the condition looks at.
    #[serde(deserialize_with = "nullable")]
    pub condition_origin: ConditionOrigin,
    /// Value to compare with (for `source`: IPs / CIDRs).
    #[serde(deserialize_with = "nullable")]
    pub condition_value: Text,
    /// Orchestrated parameter (`orchestration`).
    #[serde(deserialize_with = "nullable")]
    pub mapped_param_name: Text,
    /// Location of the orchestrated parameter (`orchestration`): `header` or `query`.
    #[serde(deserialize_with = "nullable")]
    pub mapped_param_location: Text,
}

/// Which API is published in which environment, with the definition as published.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Publication {
    /// The published API.
    #[serde(deserialize_with = "nullable")]
    pub api_id: Text,
    /// The environment it is published in.
    #[serde(deserialize_with = "nullable")]
    pub env_id: Text,
    /// The definition as published (its `id` and `group_id` may be left empty). Absent means
    /// "published as the current draft"; a validated [`Catalog`](crate::Catalog) always has it,
    /// then the draft itself, shared rather than copied.
    pub definition: Option<Arc<Api>>,
}

/// A throttling policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Throttle {
    /// Policy id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Policy name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// `1` per API, `2` shared by the bound APIs.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub throttle_type: ThrottleType,
    /// Calls allowed per interval, per API.
    #[serde(deserialize_with = "nullable")]
    pub api_call_limits: u64,
    /// Per user, when set.
    pub user_call_limits: Option<u64>,
    /// Per app, when set.
    pub app_call_limits: Option<u64>,
    /// Per source IP, when set.
    pub ip_call_limits: Option<u64>,
    /// Interval length.
    #[serde(deserialize_with = "null_is_1")]
    pub time_interval: u64,
    /// Interval unit.
    #[serde(deserialize_with = "nullable")]
    pub time_unit: TimeUnit,
    /// Description.
    #[serde(deserialize_with = "nullable")]
    pub remark: Text,
    /// Excluded (special) limits for single apps or users.
    #[serde(deserialize_with = "nullable")]
    pub specials: Vec<ThrottleSpecial>,
}

/// An excluded limit of a throttling policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ThrottleSpecial {
    /// `APP` or `USER`.
    #[serde(deserialize_with = "nullable")]
    pub object_type: SpecialType,
    /// App id or account id.
    #[serde(deserialize_with = "nullable")]
    pub object_id: Text,
    /// Calls allowed per interval.
    #[serde(deserialize_with = "nullable")]
    pub call_limits: u64,
}

/// A throttling policy bound to a published API in an environment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ThrottleBinding {
    /// Throttling policy id.
    #[serde(deserialize_with = "nullable")]
    pub throttle_id: Text,
    /// API id.
    #[serde(deserialize_with = "nullable")]
    pub api_id: Text,
    /// Environment id.
    #[serde(deserialize_with = "nullable")]
    pub env_id: Text,
}

/// An access control policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Acl {
    /// Policy id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Policy name.
    #[serde(deserialize_with = "nullable")]
    pub acl_name: Text,
    /// `PERMIT` or `DENY`.
    #[serde(deserialize_with = "nullable")]
    pub acl_type: AclType,
    /// Comma-separated values (IPs / CIDRs, domains, …).
    #[serde(deserialize_with = "nullable")]
    pub acl_value: Text,
    /// What the values are.
    #[serde(deserialize_with = "nullable")]
    pub entity_type: AclEntityType,
}

/// An ACL policy bound to a published API in an environment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AclBinding {
    /// ACL policy id.
    #[serde(deserialize_with = "nullable")]
    pub acl_id: Text,
    /// API id.
    #[serde(deserialize_with = "nullable")]
    pub api_id: Text,
    /// Environment id.
    #[serde(deserialize_with = "nullable")]
    pub env_id: Text,
}

/// A custom authorizer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Authorizer {
    /// Authorizer id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Authorizer name: the security scheme's key.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// `FRONTEND` or `BACKEND`.
    #[serde(rename = "type")]
    #[serde(deserialize_with = "nullable")]
    pub authorizer_kind: AuthorizerKind,
    /// Only `FUNC`.
    #[serde(deserialize_with = "nullable")]
    pub authorizer_type: AuthorizerType,
    /// Function URN.
    #[serde(deserialize_with = "nullable")]
    pub authorizer_uri: Text,
    /// `V1` or `V2`.
    #[serde(deserialize_with = "nullable")]
    pub network_type: NetworkType,
    /// Function version.
    #[serde(deserialize_with = "nullable")]
    pub authorizer_version: Text,
    /// Function alias URN.
    #[serde(deserialize_with = "nullable")]
    pub authorizer_alias_uri: Text,
    /// Identity sources.
    #[serde(deserialize_with = "nullable")]
    pub identities: Vec<Identity>,
    /// Cache time in seconds.
    #[serde(deserialize_with = "nullable")]
    pub ttl: u64,
    /// User data passed to the function. Never exported.
    #[serde(deserialize_with = "nullable")]
    pub user_data: Text,
    /// Whether the request body is sent to the function.
    #[serde(deserialize_with = "nullable")]
    pub need_body: bool,
    /// Relaxed mode.
    #[serde(deserialize_with = "nullable")]
    pub auth_downgrade_enabled: bool,
    /// Retries.
    #[serde(deserialize_with = "nullable")]
    pub retry_attempts: u64,
    /// Timeout in ms.
    #[serde(deserialize_with = "nullable")]
    pub timeout: u64,
}

/// An identity source of a custom authorizer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Identity {
    /// Parameter name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// `HEADER` or `QUERY`.
    #[serde(deserialize_with = "nullable")]
    pub location: IdentityLocation,
    /// Validation regular expression, or empty.
    #[serde(deserialize_with = "nullable")]
    pub validation: Text,
}

/// A plug-in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Plugin {
    /// Plug-in id.
    #[serde(deserialize_with = "nullable")]
    pub plugin_id: Text,
    /// Plug-in name (the only exported field).
    #[serde(deserialize_with = "nullable")]
    pub plugin_name: Text,
    /// Plug-in type (`cors`, `set_resp_headers`, …).
    #[serde(deserialize_with = "nullable")]
    pub plugin_type: Text,
    /// Plug-in scope.
    #[serde(deserialize_with = "nullable")]
    pub plugin_scope: Text,
    /// Plug-in configuration. Never exported.
    #[serde(deserialize_with = "nullable")]
    pub plugin_content: Text,
}

/// A plug-in bound to a published API in an environment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PluginBinding {
    /// Plug-in id.
    #[serde(deserialize_with = "nullable")]
    pub plugin_id: Text,
    /// API id.
    #[serde(deserialize_with = "nullable")]
    pub api_id: Text,
    /// Environment id.
    #[serde(deserialize_with = "nullable")]
    pub env_id: Text,
}

/// A VPC channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct VpcChannel {
    /// Channel id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Channel name (exported as the backend's `name`).
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// Backend servers. Never exported.
    #[serde(deserialize_with = "nullable")]
    pub members: Vec<VpcMember>,
}

/// A backend server of a VPC channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct VpcMember {
    /// Address. Never exported.
    #[serde(deserialize_with = "nullable")]
    pub host: Text,
    /// Port.
    #[serde(deserialize_with = "nullable")]
    pub port: u16,
    /// Weight.
    #[serde(deserialize_with = "nullable")]
    pub weight: u32,
}

/// A parameter orchestration rule (only its name is exported).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Orchestration {
    /// Rule id.
    #[serde(deserialize_with = "nullable")]
    pub orchestration_id: Text,
    /// Rule name.
    #[serde(deserialize_with = "nullable")]
    pub orchestration_name: Text,
}

/// A credential (app). Never exported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct App {
    /// App id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// App name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// App key.
    #[serde(deserialize_with = "nullable")]
    pub app_key: Text,
    /// App secret.
    #[serde(deserialize_with = "nullable")]
    pub app_secret: Text,
}

/// An SSL certificate (server or client). Never exported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Certificate {
    /// Certificate id.
    #[serde(deserialize_with = "nullable")]
    pub id: Text,
    /// Certificate name.
    #[serde(deserialize_with = "nullable")]
    pub name: Text,
    /// PEM certificate.
    #[serde(deserialize_with = "nullable")]
    pub cert_content: Text,
    /// PEM private key.
    #[serde(deserialize_with = "nullable")]
    pub private_key: Text,
}

impl Default for Api {
    fn default() -> Self {
        Api {
            id: Text::default(),
            group_id: Text::default(),
            name: Text::default(),
            api_type: ApiType::Public,
            version: Text::default(),
            req_protocol: ReqProtocol::default(),
            req_method: Method::default(),
            req_uri: Text::default(),
            auth_type: AuthType::default(),
            auth_opt: AuthOpt::default(),
            cors: false,
            match_mode: MatchMode::default(),
            backend_type: BackendType::default(),
            remark: Text::default(),
            body_remark: Text::default(),
            result_normal_sample: Text::default(),
            result_failure_sample: Text::default(),
            authorizer_id: None,
            tags: Vec::new(),
            response_id: None,
            content_type: None,
            is_send_fg_body_base64: None,
            mock_info: None,
            func_info: None,
            backend_api: None,
            req_params: Vec::new(),
            backend_params: Vec::new(),
            policy_https: Vec::new(),
            policy_functions: Vec::new(),
            policy_mocks: Vec::new(),
        }
    }
}

impl Default for ReqParam {
    fn default() -> Self {
        ReqParam {
            id: Text::default(),
            name: Text::default(),
            param_type: ParamType::default(),
            location: ParamLocation::default(),
            default_value: Text::default(),
            sample_value: Text::default(),
            required: Requirement::Optional,
            valid_enable: Validation::Disabled,
            remark: Text::default(),
            enumerations: Text::default(),
            min_num: 0,
            max_num: 0,
            min_size: 0,
            max_size: 0,
            regular: Text::default(),
            json_schema: Text::default(),
            pass_through: PassThrough::Always,
            orchestrations: Vec::new(),
        }
    }
}

impl Default for BackendApi {
    fn default() -> Self {
        BackendApi {
            url_domain: Text::default(),
            req_protocol: BackendProtocol::default(),
            remark: Text::default(),
            req_method: Method::default(),
            req_uri: Text::default(),
            timeout: 5000,
            enable_client_ssl: false,
            retry_count: None,
            vpc_channel_info: None,
            vpc_channel_status: VpcChannelUse::Address,
            authorizer_id: None,
        }
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            id: Text::default(),
            name: Text::default(),
            throttle_type: ThrottleType::PerApi,
            api_call_limits: 0,
            user_call_limits: None,
            app_call_limits: None,
            ip_call_limits: None,
            time_interval: 1,
            time_unit: TimeUnit::default(),
            remark: Text::default(),
            specials: Vec::new(),
        }
    }
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident default $default:ident { $($(#[$vm:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vm])*
                #[serde(rename = $wire)]
                $variant,
            )+
        }
        impl $name {
            /// APIG's spelling of the value.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $wire,)+ }
            }
        }
        impl Default for $name {
            fn default() -> Self {
                Self::$default
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// Frontend protocol of an API.
    ReqProtocol default Https {
        /// HTTP only.
        Http = "HTTP",
        /// HTTPS only (APIG's default).
        Https = "HTTPS",
        /// HTTP and HTTPS.
        Both = "BOTH",
        /// gRPC over TLS (not exportable).
        Grpcs = "GRPCS",
    }
);

wire_enum!(
    /// An HTTP method (`ANY` matches every method).
    Method default Get {
        /// GET.
        Get = "GET",
        /// POST.
        Post = "POST",
        /// PUT.
        Put = "PUT",
        /// DELETE.
        Delete = "DELETE",
        /// HEAD.
        Head = "HEAD",
        /// PATCH.
        Patch = "PATCH",
        /// OPTIONS.
        Options = "OPTIONS",
        /// Any method.
        Any = "ANY",
    }
);

wire_enum!(
    /// Frontend authentication of an API.
    AuthType default None {
        /// No authentication.
        None = "NONE",
        /// App (signature) authentication.
        App = "APP",
        /// IAM authentication.
        Iam = "IAM",
        /// Custom authorizer.
        Authorizer = "AUTHORIZER",
    }
);

wire_enum!(
    /// AppCode simple authentication of APP-authenticated APIs.
    AppCodeAuthType default Disable {
        /// Off.
        Disable = "DISABLE",
        /// AppCode in a header.
        Header = "HEADER",
    }
);

wire_enum!(
    /// Path matching of an API.
    MatchMode default Normal {
        /// Exact match.
        Normal = "NORMAL",
        /// Prefix match.
        Swa = "SWA",
    }
);

wire_enum!(
    /// Backend kind of an API.
    BackendType default Http {
        /// HTTP or HTTP-VPC backend (`backend_api`).
        Http = "HTTP",
        /// FunctionGraph backend (`func_info`).
        Function = "FUNCTION",
        /// Mock backend (`mock_info`).
        Mock = "MOCK",
        /// gRPC backend (not exportable).
        Grpc = "GRPC",
    }
);

wire_enum!(
    /// Request content type of an API.
    ContentType default Json {
        /// `application/json`.
        Json = "application/json",
        /// `application/xml`.
        Xml = "application/xml",
        /// `multipart/form-data`.
        FormData = "multipart/form-data",
        /// `text/plain`.
        Text = "text/plain",
    }
);

wire_enum!(
    /// Value type of a request parameter.
    ParamType default String {
        /// A string.
        String = "STRING",
        /// A number.
        Number = "NUMBER",
    }
);

wire_enum!(
    /// Where a request parameter is carried. Declaration order is the export's tie-break order.
    ParamLocation default Query {
        /// A header.
        Header = "HEADER",
        /// A path segment.
        Path = "PATH",
        /// The query string.
        Query = "QUERY",
        /// A cookie (no slot in Swagger 2.0).
        Cookie = "COOKIE",
    }
);

wire_enum!(
    /// Where a backend parameter's value comes from.
    BackendParamOrigin default Request {
        /// A frontend request parameter.
        Request = "REQUEST",
        /// A constant.
        Constant = "CONSTANT",
        /// A system parameter.
        System = "SYSTEM",
    }
);

wire_enum!(
    /// Where a backend parameter is sent. Declaration order is the export's tie-break order.
    BackendParamLocation default Query {
        /// A header.
        Header = "HEADER",
        /// A path segment.
        Path = "PATH",
        /// The query string.
        Query = "QUERY",
    }
);

wire_enum!(
    /// Protocol of an HTTP backend.
    BackendProtocol default Https {
        /// HTTP.
        Http = "HTTP",
        /// HTTPS.
        Https = "HTTPS",
        /// gRPC over TLS.
        Grpcs = "GRPCS",
    }
);

wire_enum!(
    /// FunctionGraph invocation.
    InvocationType default Sync {
        /// Synchronous.
        Sync = "sync",
        /// Asynchronous.
        Async = "async",
    }
);

wire_enum!(
    /// FunctionGraph network architecture.
    NetworkType default V1 {
        /// Non-VPC.
        V1 = "V1",
        /// VPC.
        V2 = "V2",
    }
);

wire_enum!(
    /// Protocol of a FunctionGraph backend.
    FuncProtocol default Https {
        /// HTTPS.
        Https = "HTTPS",
        /// gRPC over TLS.
        Grpcs = "GRPCS",
    }
);

wire_enum!(
    /// How the conditions of a backend policy combine.
    EffectMode default Any {
        /// Every condition must hold.
        All = "ALL",
        /// One condition suffices.
        Any = "ANY",
    }
);

wire_enum!(
    /// How a condition compares.
    ConditionType default Exact {
        /// Equality.
        Exact = "exact",
        /// One of a list.
        Enum = "enum",
        /// A regular expression.
        Pattern = "pattern",
    }
);

wire_enum!(
    /// What a condition looks at.
    ConditionOrigin default Param {
        /// A frontend request parameter.
        Param = "param",
        /// The source IP.
        Source = "source",
        /// A system parameter.
        System = "system",
        /// A cookie.
        Cookie = "cookie",
        /// A result of the frontend authorizer.
        FrontendAuthorizer = "frontend_authorizer",
        /// An orchestrated parameter.
        Orchestration = "orchestration",
    }
);

wire_enum!(
    /// Unit of a throttling interval.
    TimeUnit default Second {
        /// Seconds.
        Second = "SECOND",
        /// Minutes.
        Minute = "MINUTE",
        /// Hours.
        Hour = "HOUR",
        /// Days.
        Day = "DAY",
    }
);

wire_enum!(
    /// What an excluded throttling limit applies to.
    SpecialType default App {
        /// An app.
        App = "APP",
        /// A user (account).
        User = "USER",
    }
);

wire_enum!(
    /// Effect of an ACL policy.
    AclType default Permit {
        /// Allow the listed entities only.
        Permit = "PERMIT",
        /// Deny the listed entities.
        Deny = "DENY",
    }
);

wire_enum!(
    /// What the values of an ACL policy are.
    AclEntityType default Ip {
        /// IP addresses / CIDRs.
        Ip = "IP",
        /// Account names.
        Domain = "DOMAIN",
        /// Account ids.
        DomainId = "DOMAIN_ID",
    }
);

wire_enum!(
    /// Whether a custom authorizer guards frontends or backends.
    AuthorizerKind default Frontend {
        /// Frontend authorizer (a security scheme).
        Frontend = "FRONTEND",
        /// Backend authorizer.
        Backend = "BACKEND",
    }
);

wire_enum!(
    /// Implementation of a custom authorizer.
    AuthorizerType default Func {
        /// A FunctionGraph function.
        Func = "FUNC",
    }
);

wire_enum!(
    /// Where a custom authorizer reads an identity.
    IdentityLocation default Header {
        /// A header.
        Header = "HEADER",
        /// The query string.
        Query = "QUERY",
    }
);

/// Reads `null` as what an absent member gets (the type's default), anything else as a `T`: the
/// catalog treats `null` as absent while deserializing, without a pass that removes them.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `null` as 1 (the default of `time_interval`).
fn null_is_1<'de, D: Deserializer<'de>, T: Deserialize<'de> + From<u8>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_else(|| T::from(1)))
}

/// `null` as 5000 (a backend's default timeout, in milliseconds).
fn null_is_5000<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Option::<u64>::deserialize(d)?.unwrap_or(5000))
}

/// An enumeration APIG writes as the code `1` or `2`: decoded once, when the catalog is read, and
/// written back as the same code. Another code is kept as read, for validation to report with
/// every other problem of the catalog.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident default $default:ident {
        $(#[$m1:meta])* $one:ident = 1,
        $(#[$m2:meta])* $two:ident = 2 $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(#[$m1])*
            $one,
            $(#[$m2])*
            $two,
            /// Any other code, as read: [`Catalog::new`](crate::Catalog::new) rejects it (`must
            /// be 1 or 2`), so a validated catalog has none.
            Invalid(u8),
        }

        impl $name {
            /// APIG's code: `1` or `2`.
            pub fn code(self) -> u8 {
                match self {
                    Self::$one => 1,
                    Self::$two => 2,
                    Self::Invalid(code) => code,
                }
            }

            /// The code, when it is neither `1` nor `2`.
            pub fn invalid(self) -> Option<u8> {
                match self {
                    Self::Invalid(code) => Some(code),
                    _ => None,
                }
            }

            /// The value of APIG's code (`Invalid` unless it is `1` or `2`).
            pub fn from_code(code: u8) -> Self {
                match code {
                    1 => Self::$one,
                    2 => Self::$two,
                    _ => Self::Invalid(code),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::$default
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u8(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from_code(u8::deserialize(deserializer)?))
            }
        }
    };
}

coded_enum!(
    /// Who may call an API (`type`).
    ApiType default Public {
        /// `1`: public.
        Public = 1,
        /// `2`: private.
        Private = 2,
    }
);

coded_enum!(
    /// Whether a request parameter is required (`required`).
    Requirement default Optional {
        /// `1`: required.
        Required = 1,
        /// `2`: optional.
        Optional = 2,
    }
);

coded_enum!(
    /// Whether a request parameter's value is validated (`valid_enable`).
    Validation default Disabled {
        /// `1`: validated.
        Enabled = 1,
        /// `2`: not validated.
        Disabled = 2,
    }
);

coded_enum!(
    /// Whether a request parameter is passed to the backend (`pass_through`).
    PassThrough default Always {
        /// `1`: always passed.
        Always = 1,
        /// `2`: never passed.
        Never = 2,
    }
);

coded_enum!(
    /// How an HTTP backend is reached (`vpc_channel_status`).
    VpcChannelUse default Address {
        /// `1`: through a VPC channel.
        Channel = 1,
        /// `2`: at its address (`url_domain`).
        Address = 2,
    }
);

coded_enum!(
    /// How a throttling policy counts (`type`).
    ThrottleType default PerApi {
        /// `1`: per API.
        PerApi = 1,
        /// `2`: shared by the bound APIs.
        Shared = 2,
    }
);

impl CatalogData {
    /// Gives back the spare capacity of every list (a list read from JSON grows by doubling, so
    /// up to half of it is spare), before the catalog is kept. Definitions shared with a
    /// publication are left as they are.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.groups.shrink_to_fit();
        for g in &mut self.groups {
            g.url_domains.shrink_to_fit();
            g.gateway_responses.shrink_to_fit();
            for r in &mut g.gateway_responses {
                r.responses.shrink_to_fit();
                r.responses.values_mut().for_each(|e| e.headers.shrink_to_fit());
            }
        }
        self.environments.shrink_to_fit();
        // The definitions themselves are copied to their exact sizes when they are laid out.
        self.apis.shrink_to_fit();
        self.publications.shrink_to_fit();
        self.throttles.shrink_to_fit();
        self.throttles.iter_mut().for_each(|t| t.specials.shrink_to_fit());
        self.throttle_bindings.shrink_to_fit();
        self.acls.shrink_to_fit();
        self.acl_bindings.shrink_to_fit();
        self.authorizers.shrink_to_fit();
        self.authorizers.iter_mut().for_each(|a| a.identities.shrink_to_fit());
        self.plugins.shrink_to_fit();
        self.plugin_bindings.shrink_to_fit();
        self.vpc_channels.shrink_to_fit();
        self.vpc_channels.iter_mut().for_each(|v| v.members.shrink_to_fit());
        self.orchestrations.shrink_to_fit();
        self.apps.shrink_to_fit();
        self.certificates.shrink_to_fit();
    }
}
