//! A deterministic synthetic catalog for benchmarks and load tests: one group with `n` realistic
//! APIs, every one published in RELEASE.
//!
//! Each API has 6 request parameters of mixed kinds (path, query, header; string and number, with
//! defaults, enumerations and bounds), an HTTP backend with 4 backend parameters (request,
//! constant, system), one HTTP-VPC backend policy with 2 conditions, a throttling policy, an ACL
//! and a plug-in bound in RELEASE, and result samples of a few hundred bytes.
//!
//! ```
//! let catalog = apig_export::testkit::synthetic::catalog(100);
//! assert_eq!(catalog.data().apis.len(), 100);
//! let request = apig_export::ExportRequest::new(apig_export::testkit::synthetic::GROUP_ID, apig_export::testkit::synthetic::ENV_ID)
//!     .with_scope(apig_export::Scope::All);
//! let exported = apig_export::export(&catalog, &request, &apig_export::Settings::default())?;
//! assert!(exported.content().contains("API_00099"));
//! # Ok::<(), apig_export::ApiError>(())
//! ```

use crate::model::Api;
use crate::model::{
    Acl, AclBinding, AuthType, BackendApi, BackendParam, BackendParamLocation, BackendParamOrigin, BackendProtocol,
    CatalogData, Condition, ConditionOrigin, ConditionType, EffectMode, Environment, Group, Method, ParamLocation,
    ParamType, Plugin, PluginBinding, PolicyCommon, PolicyHttp, Publication, ReqParam, ReqProtocol, Text, Throttle,
    ThrottleBinding, TimeUnit, UrlDomain, VpcChannel, VpcChannelInfo, VpcMember,
};
use crate::Catalog;

/// The synthetic group's id.
pub const GROUP_ID: &str = "5a1e0f3c9b7d4e2a8c6f1b3d5e7a9c0b";
/// The synthetic environment's id (RELEASE).
pub const ENV_ID: &str = "DEFAULT_ENVIRONMENT_RELEASE_ID";

const METHODS: [Method; 4] = [Method::Get, Method::Post, Method::Put, Method::Delete];

/// The catalog data of `n` APIs (deterministic: the same `n` gives the same data).
pub fn catalog_data(n: usize) -> CatalogData {
    let mut data = CatalogData::default();
    data.groups.push(Group {
        id: GROUP_ID.into(),
        name: "synthetic_shop".into(),
        remark: "A synthetic group of realistic APIs".into(),
        sl_domain: format!("{GROUP_ID}.apic.cn-north-4.huaweicloudapis.com").into(),
        url_domains: vec![UrlDomain { id: "d1".into(), domain: "api.synthetic.example.com".into() }],
        ..Default::default()
    });
    data.environments.push(Environment { id: ENV_ID.into(), name: "RELEASE".into(), remark: Text::default() });
    data.vpc_channels.push(VpcChannel {
        id: "vpc1".into(),
        name: "VPC_synthetic".into(),
        members: vec![VpcMember { host: "192.168.0.10".into(), port: 8080, weight: 1 }],
    });
    for t in 0..5u64 {
        data.throttles.push(Throttle {
            id: format!("th{t}").into(),
            name: format!("tp_synthetic_{t}").into(),
            api_call_limits: 100 * (t + 1),
            app_call_limits: Some(50),
            time_interval: 1,
            time_unit: TimeUnit::Second,
            ..Default::default()
        });
    }
    for a in 0..3 {
        data.acls.push(Acl {
            id: format!("acl{a}").into(),
            acl_name: format!("acl_synthetic_{a}").into(),
            acl_value: "10.0.0.0/8".into(),
            ..Default::default()
        });
        data.plugins.push(Plugin {
            plugin_id: format!("pl{a}").into(),
            plugin_name: format!("Plugin_synthetic_{a}").into(),
            ..Default::default()
        });
    }
    let normal_sample = format!(
        "{{\"items\":[{}],\"total\":3,\"page\":1}}",
        ["{\"id\":1001,\"name\":\"synthetic item\",\"price\":12.5,\"tags\":[\"a\",\"b\"]}"; 3].join(",")
    );
    let failure_sample = "{\"error_code\":\"SYN.0404\",\"error_msg\":\"The item does not exist or you have no permission to read it\",\"request_id\":\"0123456789abcdef\"}";
    for i in 0..n {
        let id = format!("api{i:05}");
        let api = Api {
            id: id.clone().into(),
            group_id: GROUP_ID.into(),
            name: format!("API_{i:05}").into(),
            req_protocol: if i % 3 == 0 { ReqProtocol::Both } else { ReqProtocol::Https },
            req_method: METHODS.get(i % 4).copied().unwrap_or_default(),
            req_uri: format!("/svc{}/items{i}/{{id}}", i % 10).into(),
            auth_type: [AuthType::App, AuthType::Iam, AuthType::None].get(i % 3).copied().unwrap_or_default(),
            remark: format!("Synthetic API number {i}: reads one item of the catalogue with paging and language").into(),
            body_remark: "{\"name\":\"synthetic item\",\"price\":12.5,\"tags\":[\"a\",\"b\"],\"stock\":{\"warehouse\":\"north\",\"count\":7}}".into(),
            result_normal_sample: normal_sample.clone().into(),
            result_failure_sample: failure_sample.into(),
            tags: vec!["synthetic".into(), format!("svc{}", i % 10).into()],
            req_params: vec![
                param("id", ParamType::String, ParamLocation::Path, 1, "", "", (0, 0, 1, 36)),
                param("limit", ParamType::Number, ParamLocation::Query, 2, "20", "10,20,50", (1, 100, 0, 0)),
                param("offset", ParamType::Number, ParamLocation::Query, 2, "0", "", (0, 100_000, 0, 0)),
                param("X-Request-Id", ParamType::String, ParamLocation::Header, 1, "", "", (0, 0, 8, 64)),
                param("lang", ParamType::String, ParamLocation::Query, 2, "en", "en,zh,de", (0, 0, 0, 0)),
                ReqParam { pass_through: crate::model::PassThrough::Never, ..param("X-Session", ParamType::String, ParamLocation::Header, 2, "", "", (0, 0, 0, 128)) },
            ],
            backend_api: Some(BackendApi {
                url_domain: format!("backend{}.synthetic.example.com:8443", i % 5).into(),
                req_protocol: BackendProtocol::Https,
                req_method: METHODS.get(i % 4).copied().unwrap_or_default(),
                req_uri: "/v1/items/{id}".into(),
                timeout: 5000,
                retry_count: Some("-1".into()),
                ..Default::default()
            }),
            backend_params: vec![
                backend_param(BackendParamOrigin::Request, "id", BackendParamLocation::Path, "id"),
                backend_param(BackendParamOrigin::Request, "limit", BackendParamLocation::Query, "limit"),
                backend_param(BackendParamOrigin::Constant, "X-Caller", BackendParamLocation::Header, "apig"),
                backend_param(BackendParamOrigin::System, "X-Source-Ip", BackendParamLocation::Header, "$context.sourceIp"),
            ],
            policy_https: vec![PolicyHttp {
                policy: PolicyCommon {
                    name: "policy_zh".into(),
                    effect_mode: EffectMode::All,
                    backend_params: vec![backend_param(BackendParamOrigin::Request, "id", BackendParamLocation::Path, "id")],
                    conditions: vec![
                        Condition {
                            condition_origin: ConditionOrigin::Param,
                            req_param_name: "lang".into(),
                            condition_type: Some(ConditionType::Exact),
                            condition_value: "zh".into(),
                            ..Default::default()
                        },
                        Condition { condition_origin: ConditionOrigin::Source, condition_value: "10.0.0.0/8".into(), ..Default::default() },
                    ],
                },
                backend: BackendApi {
                    req_uri: "/v1/zh/items/{id}".into(),
                    vpc_channel_status: crate::model::VpcChannelUse::Channel,
                    vpc_channel_info: Some(VpcChannelInfo { vpc_channel_id: "vpc1".into(), ..Default::default() }),
                    ..Default::default()
                },
            }],
            ..Default::default()
        };
        data.apis.push(std::sync::Arc::new(api));
        data.publications.push(Publication { api_id: id.clone().into(), env_id: ENV_ID.into(), definition: None });
        data.throttle_bindings.push(ThrottleBinding {
            throttle_id: format!("th{}", i % 5).into(),
            api_id: id.clone().into(),
            env_id: ENV_ID.into(),
        });
        data.acl_bindings.push(AclBinding {
            acl_id: format!("acl{}", i % 3).into(),
            api_id: id.clone().into(),
            env_id: ENV_ID.into(),
        });
        data.plugin_bindings.push(PluginBinding {
            plugin_id: format!("pl{}", i % 3).into(),
            api_id: id.into(),
            env_id: ENV_ID.into(),
        });
    }
    data
}

/// The validated catalog of `n` APIs.
///
/// # Panics
///
/// Never for any `n`: the data is valid by construction (a test checks it).
#[allow(clippy::expect_used)]
pub fn catalog(n: usize) -> Catalog {
    Catalog::new(catalog_data(n)).expect("the synthetic catalog is valid by construction")
}

fn param(
    name: &str,
    param_type: ParamType,
    location: ParamLocation,
    required: u8,
    default: &str,
    enumerations: &str,
    (min_num, max_num, min_size, max_size): (i64, i64, u64, u64),
) -> ReqParam {
    ReqParam {
        name: name.into(),
        param_type,
        location,
        required: crate::model::Requirement::from_code(required),
        default_value: default.into(),
        enumerations: enumerations.into(),
        sample_value: format!("sample-{name}").into(),
        remark: format!("the {name} parameter").into(),
        min_num,
        max_num,
        min_size,
        max_size,
        ..Default::default()
    }
}

fn backend_param(origin: BackendParamOrigin, name: &str, location: BackendParamLocation, value: &str) -> BackendParam {
    BackendParam { origin, name: name.into(), remark: String::new().into(), location, value: value.into() }
}

/// A catalog file (JSON) of one API whose name is `name_chars` characters long, with `params`
/// string parameters `c0`, `c1`, … in `location`, published in [`ENV_ID`] of group [`GROUP_ID`],
/// every other member left out: the shape that makes an export warn once per parameter when the
/// dialect has no place for them (COOKIE in Swagger 2.0), beside the same shape that warns about
/// nothing (HEADER). 20,000 parameters and a 20,000-character name take about 790 KB.
///
/// ```
/// use apig_export::model::ParamLocation;
/// use apig_export::testkit::synthetic;
///
/// let catalog = apig_export::Catalog::from_json(&synthetic::many_parameters(3, 10, ParamLocation::Cookie))?;
/// assert_eq!(catalog.data().apis[0].req_params.len(), 3);
/// # Ok::<(), apig_export::CatalogError>(())
/// ```
pub fn many_parameters(params: usize, name_chars: usize, location: ParamLocation) -> Vec<u8> {
    let params: Vec<serde_json::Value> =
        (0..params).map(|i| serde_json::json!({"name": format!("c{i}"), "location": location})).collect();
    let catalog = serde_json::json!({
        "groups": [{"id": GROUP_ID, "name": "shop", "sl_domain": "shop.example.com"}],
        "environments": [{"id": ENV_ID, "name": "RELEASE"}],
        "apis": [{"id": "a1", "group_id": GROUP_ID, "name": "n".repeat(name_chars), "req_method": "GET",
                  "req_uri": "/ping", "backend_type": "MOCK", "mock_info": {"result_content": "pong"},
                  "req_params": params}],
        "publications": [{"api_id": "a1", "env_id": ENV_ID}]
    });
    // A tree of strings and numbers always serializes.
    serde_json::to_vec(&catalog).unwrap_or_default()
}
