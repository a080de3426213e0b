//! The export request and every error APIG answers for it, each message pinned.

use crate::common::*;
use apig_export::{
    export, prepare, ApiError, ApiErrorKind, CancelToken, Dialect, ExportRequest, Format, Scope, Settings,
};

fn parse(query: Option<&str>, body: &str) -> Result<ExportRequest, ApiError> {
    ExportRequest::parse(query, body.as_bytes())
}

fn err(query: Option<&str>, body: &str) -> (u16, String, String) {
    let e = parse(query, body).expect_err(body);
    (e.status(), e.error_code().to_owned(), e.error_msg().to_owned())
}

fn missing(name: &str) -> (u16, String, String) {
    (
        400,
        "APIG.2001".into(),
        format!(
            "The request parameters must be specified,parameterName:{name}. Please refer to the support documentation"
        ),
    )
}

fn invalid(name: &str) -> (u16, String, String) {
    (
        400,
        "APIG.2012".into(),
        format!("Invalid parameter value,parameterName:{name}. Please refer to the support documentation"),
    )
}

#[test]
fn body_that_is_not_a_json_object_is_2000() {
    for body in ["", "   ", "null", "[]", "\"x\"", "1", "{", "{\"env_id\": \"e\"", "{} trailing", "\u{feff}{}"] {
        assert_eq!(err(None, body), (400, "APIG.2000".into(), "Parameter error".into()), "{body:?}");
    }
    assert_eq!(ExportRequest::parse(None, b"\xff\xfe{}").unwrap_err().error_code(), "APIG.2000");
}

#[test]
fn env_id_and_group_id_missing_or_empty_is_2001_env_first() {
    assert_eq!(err(None, "{}"), missing("env_id"));
    assert_eq!(err(None, r#"{"group_id": "g"}"#), missing("env_id"));
    assert_eq!(err(None, r#"{"env_id": "", "group_id": "g"}"#), missing("env_id"));
    assert_eq!(err(None, r#"{"env_id": null, "group_id": "g"}"#), missing("env_id"));
    assert_eq!(err(None, r#"{"env_id": "e"}"#), missing("group_id"));
    assert_eq!(err(None, r#"{"group_id": "", "env_id": "e"}"#), missing("group_id"));
    // env_id is checked before group_id whatever the body order.
    assert_eq!(err(None, r#"{"group_id": "", "env_id": ""}"#), missing("env_id"));
    // A wrong type is an invalid value, not a missing one.
    assert_eq!(err(None, r#"{"env_id": 1, "group_id": "g"}"#), invalid("env_id"));
    assert_eq!(err(None, r#"{"env_id": "e", "group_id": ["g"]}"#), invalid("group_id"));
}

#[test]
fn wrong_types_and_values_are_2012() {
    let with = |extra: &str| format!(r#"{{"env_id": "e", "group_id": "g", {extra}}}"#);
    for (extra, name) in [
        (r#""define": "full""#, "define"),
        (r#""define": "SPEC""#, "define"),
        (r#""define": """#, "define"),
        (r#""define": 1"#, "define"),
        (r#""type": "xml""#, "type"),
        (r#""type": true"#, "type"),
        (r#""version": 7"#, "version"),
        (r#""version": "a\u0001b""#, "version"),
        (r#""version": "tab\there""#, "version"),
        (r#""apis": "a1""#, "apis"),
        (r#""apis": [1]"#, "apis"),
        (r#""apis": ["a", ""]"#, "apis"),
        (r#""apis": {"a": 1}"#, "apis"),
    ] {
        assert_eq!(err(None, &with(extra)), invalid(name), "{extra}");
    }
    let long = "v".repeat(65);
    assert_eq!(err(None, &with(&format!(r#""version": "{long}""#))), invalid("version"));
    let sixty_four = "版".repeat(64);
    assert!(parse(None, &with(&format!(r#""version": "{sixty_four}""#))).is_ok(), "64 characters, not bytes");
    for q in ["", "2", "3.1", "2.0 ", "v3"] {
        assert_eq!(err(Some(q), &with(r#""define": "all""#)), invalid("oas_version"), "{q:?}");
    }
}

#[test]
fn the_first_bad_parameter_in_body_order_is_reported() {
    assert_eq!(err(None, r#"{"env_id": "e", "group_id": "g", "type": "x", "define": "y"}"#), invalid("type"));
    assert_eq!(err(None, r#"{"define": "y", "env_id": "e", "group_id": "g", "type": "x"}"#), invalid("define"));
    assert_eq!(err(None, r#"{"apis": 1, "version": 2, "env_id": "e", "group_id": "g"}"#), invalid("apis"));
    // Body parameters come before the query's oas_version; env_id/group_id before everything.
    assert_eq!(err(Some("9"), r#"{"env_id": "e", "group_id": "g", "define": "y"}"#), invalid("define"));
    assert_eq!(err(Some("9"), r#"{"define": "y", "group_id": "g"}"#), missing("env_id"));
}

#[test]
fn defaults_nulls_and_unknown_members() {
    let r = parse(
        None,
        r#"{"env_id": "e", "group_id": "g", "define": null, "type": null, "version": "", "extra": {"x": 1}}"#,
    )
    .unwrap();
    assert_eq!(r.dialect(), Dialect::Swagger2);
    assert_eq!(r.scope(), Scope::Spec);
    assert_eq!(r.format(), Format::Json);
    assert_eq!(r.version(), None);
    assert!(r.apis().is_empty());
    let r = parse(
        Some("3.0"),
        r#"{"env_id": "e", "group_id": "g", "define": "dev", "type": "yml", "version": "v1", "apis": ["b", "a", "b"]}"#,
    )
    .unwrap();
    assert_eq!(
        (r.dialect(), r.scope(), r.format(), r.version()),
        (Dialect::OpenApi3, Scope::Dev, Format::Yml, Some("v1"))
    );
    assert_eq!(r.apis(), ["b", "a"], "duplicates count once, request order kept");
}

#[test]
fn lookups_fail_with_their_codes_in_order() {
    let catalog = catalog("demo");
    let rel = "DEFAULT_ENVIRONMENT_RELEASE_ID";
    let group = "f1e2d3c4b5a697887766554433221100";
    let lookup = |body: String| {
        let request = parse(None, &body).expect("valid request");
        let e = export(&catalog, &request, &Settings::default()).expect_err(&body);
        (e.status(), e.error_code().to_owned(), e.error_msg().to_owned())
    };
    assert_eq!(
        lookup(r#"{"env_id": "nope", "group_id": "missing-group", "apis": ["x"]}"#.to_owned()),
        (404, "APIG.3001".into(), "API group missing-group does not exist".into())
    );
    assert_eq!(
        lookup(format!(r#"{{"env_id": "nope", "group_id": "{group}", "apis": ["x"]}}"#)),
        (404, "APIG.3003".into(), "Environment nope does not exist".into())
    );
    for api in ["unknown-api", "api-draft", "api-report"] {
        // unknown; a draft never published; published only in TEST.
        assert_eq!(
            lookup(format!(r#"{{"env_id": "{rel}", "group_id": "{group}", "apis": ["api-echo", "{api}"]}}"#)),
            (404, "APIG.3002".into(), format!("API {api} does not exist"))
        );
    }
    // dev exports drafts: an unpublished API of the group is fine there.
    let request = parse(
        None,
        &format!(r#"{{"env_id": "{rel}", "group_id": "{group}", "define": "dev", "apis": ["api-draft"]}}"#),
    )
    .unwrap();
    let exported = export(&catalog, &request, &settings(apig_export::Profile::Apig)).unwrap();
    assert!(exported.content().contains("API_newDraft"));
}

#[test]
fn api_of_another_group_is_3002() {
    let mut data = catalog("demo").into_data();
    let mut other = data.groups[0].clone();
    other.id = "other-group".into();
    other.name = "other".into();
    other.gateway_responses.clear();
    data.groups.push(other);
    let catalog = apig_export::Catalog::new(data).unwrap();
    let request =
        parse(None, r#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "other-group", "apis": ["api-echo"]}"#)
            .unwrap();
    let e = export(&catalog, &request, &Settings::default()).unwrap_err();
    assert_eq!((e.status(), e.error_code(), e.error_msg()), (404, "APIG.3002", "API api-echo does not exist"));
}

#[test]
fn system_error() {
    let e = ApiError::system_error();
    assert_eq!((e.status(), e.error_code(), e.error_msg()), (500, "APIG.9999", "System error"));
}

/// Every kind an error can be, reached the way a caller meets it, with its status and code.
#[test]
fn each_error_has_a_kind_to_branch_on() {
    let catalog = catalog("demo");
    let request = |body: &str| parse(None, body).and_then(|r| export(&catalog, &r, &Settings::default()).map(|_| ()));
    // The task runner's own kinds (TaskNotFound, Throttled) are reached through it in the service
    // tests.
    let cases: [(Result<(), ApiError>, ApiErrorKind, u16, &str); 7] = [
        (request("[]"), ApiErrorKind::ParameterError, 400, "APIG.2000"),
        (request(r#"{"group_id": "g"}"#), ApiErrorKind::MissingParameter, 400, "APIG.2001"),
        (request(r#"{"env_id": "e", "group_id": "g", "define": 1}"#), ApiErrorKind::InvalidParameter, 400, "APIG.2012"),
        (
            request(r#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "nope"}"#),
            ApiErrorKind::GroupNotFound,
            404,
            "APIG.3001",
        ),
        (
            request(r#"{"env_id": "nope", "group_id": "f1e2d3c4b5a697887766554433221100"}"#),
            ApiErrorKind::EnvironmentNotFound,
            404,
            "APIG.3003",
        ),
        (
            request(
                r#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "f1e2d3c4b5a697887766554433221100", "apis": ["nope"]}"#,
            ),
            ApiErrorKind::ApiNotFound,
            404,
            "APIG.3002",
        ),
        (Err(ApiError::system_error()), ApiErrorKind::SystemError, 500, "APIG.9999"),
    ];
    for (result, kind, status, code) in cases {
        let e = result.expect_err(code);
        assert_eq!((e.kind(), e.status(), e.error_code()), (kind, status, code), "{e}");
        assert_eq!((kind.status(), kind.error_code()), (status, code));
    }
}

/// A system error keeps what caused it, for `source()`; the body does not show it.
#[test]
fn a_system_error_keeps_its_cause() {
    let catalog = catalog("demo");
    let request =
        parse(None, r#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "f1e2d3c4b5a697887766554433221100"}"#)
            .unwrap();
    let token = CancelToken::new();
    let prepared = prepare(&catalog, &request, &Settings::default().with_cancel(token.clone())).unwrap();
    token.cancel();
    let e = prepared.into_exported().unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::SystemError);
    let cause = std::error::Error::source(&e).expect("the cause is kept");
    assert!(cause.to_string().contains("cancelled"), "{cause}");
    assert_eq!(e.to_json(), ApiError::system_error().to_json());
}

#[test]
fn error_bodies_are_apig_json() {
    let e = parse(None, r#"{"env_id": "e", "group_id": "g", "define": "x"}"#).unwrap_err();
    assert_eq!(
        e.to_json(),
        r#"{"error_code":"APIG.2012","error_msg":"Invalid parameter value,parameterName:define. Please refer to the support documentation"}"#
    );
    // Ids with quotes and control characters stay valid JSON.
    let catalog = catalog("demo");
    let request = ExportRequest::new("a\"b\\c\u{1}\n", "DEFAULT_ENVIRONMENT_RELEASE_ID");
    let e = export(&catalog, &request, &Settings::default()).unwrap_err();
    let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
    assert_eq!(v["error_msg"], "API group a\"b\\c\u{1}\n does not exist");
    assert_eq!(e.to_string(), "404 APIG.3001: API group a\"b\\c\u{1}\n does not exist");
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ApiError>();
    assert_send_sync::<ExportRequest>();
    assert_send_sync::<apig_export::Catalog>();
    assert_send_sync::<apig_export::CatalogError>();
    assert_send_sync::<apig_export::Exported>();
    assert_send_sync::<Settings>();
}

#[test]
fn echoed_ids_are_cut_so_bodies_stay_small() {
    let catalog = catalog("demo");
    let rel = "DEFAULT_ENVIRONMENT_RELEASE_ID";
    let group = "f1e2d3c4b5a697887766554433221100";
    let long = "é".repeat(5_000_000);
    let kept = "é".repeat(80);
    for (body, message) in [
        (
            format!(r#"{{"env_id": "{rel}", "group_id": "{long}"}}"#),
            format!("API group {kept}… (10000000 bytes) does not exist"),
        ),
        (
            format!(r#"{{"env_id": "{long}", "group_id": "{group}"}}"#),
            format!("Environment {kept}… (10000000 bytes) does not exist"),
        ),
        (
            format!(r#"{{"env_id": "{rel}", "group_id": "{group}", "apis": ["{long}"]}}"#),
            format!("API {kept}… (10000000 bytes) does not exist"),
        ),
    ] {
        let request = parse(None, &body).unwrap();
        let e = export(&catalog, &request, &Settings::default()).unwrap_err();
        assert_eq!(e.error_msg(), message);
        assert!(e.to_json().len() < 1024);
    }
    let request = ExportRequest::new("\u{1}".repeat(1_000_000), "DEFAULT_ENVIRONMENT_RELEASE_ID");
    let e = export(&catalog, &request, &Settings::default()).unwrap_err();
    assert!(e.to_json().len() < 1024, "{}", e.to_json());
    assert!(e.to_string().len() < 1024);
}
