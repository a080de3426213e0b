//! Import of APIG's own files: the user guide's eight import examples and the real exports,
//! into an empty catalog; whole-document errors; hostile documents.

use apig_export::import::{import, ImportOptions, Limits, Mode};
use apig_export::model::{BackendType, CatalogData};
use apig_export::{export, ApiError, ApiErrorKind, Catalog, Dialect, ExportRequest, Format, Scope};

use crate::common::*;

fn empty() -> Catalog {
    Catalog::new(CatalogData::default()).unwrap()
}

fn sample(path: &str) -> Vec<u8> {
    read(&fixtures().join(path))
}

/// A document, the APIs in its `success`, and its failures as (code, "method path").
type Example = (&'static str, usize, &'static [(&'static str, &'static str)]);

const EXAMPLES: &[Example] = &[
    ("import/otc-import-http-swagger2.yaml", 1, &[]),
    ("import/otc-import-http-oas3.yaml", 1, &[]),
    // The HTTP-VPC examples name a VPC channel (`userVpc`) that must already exist.
    ("import/otc-import-http-vpc-swagger2.yaml", 0, &[("APIG.3023", "ANY /http-vpc")]),
    ("import/otc-import-http-vpc-oas3.yaml", 0, &[("APIG.3023", "ANY /http-vpc")]),
    ("import/otc-import-function-swagger2.yaml", 1, &[]),
    ("import/otc-import-function-oas3.yaml", 1, &[]),
    ("import/otc-import-mock-swagger2.yaml", 1, &[]),
    ("import/otc-import-mock-oas3.yaml", 1, &[]),
    ("samples/otc-2023-swagger2-all-mock.json", 1, &[]),
    ("samples/huawei-2019-v1-swagger2-all-http.json", 0, &[("APIG.3023", "GET /test/{path}")]),
    ("samples/gen-openapi-2026-oas3-proxy-function.yaml", 4, &[]),
];

#[test]
fn the_user_guide_examples_and_real_exports_import_into_an_empty_catalog() {
    for &(file, successes, failures) in EXAMPLES {
        let imported = import(&empty(), &sample(file), &ImportOptions::new()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let response = imported.response();
        assert_eq!(response.success().len(), successes, "{file}: {}", response.to_json());
        let got: Vec<(String, String)> = response
            .failure()
            .iter()
            .map(|f| (f.error_code().to_owned(), format!("{} {}", f.method(), f.path())))
            .collect();
        let want: Vec<(String, String)> = failures.iter().map(|(c, p)| ((*c).to_owned(), (*p).to_owned())).collect();
        assert_eq!(got, want, "{file}: {}", response.to_json());
        assert!(response.ignore().is_empty());
        // Drafts only, in a new group named info.title.
        let data = imported.catalog().data();
        assert_eq!(data.groups.len(), 1);
        assert_eq!(data.groups[0].id, response.group_id());
        assert!(data.publications.is_empty());
        assert_eq!(data.apis.len(), successes);
        for s in response.success() {
            assert_eq!(s.action(), "create");
            assert!(data
                .apis
                .iter()
                .any(|a| a.id == s.id() && a.req_uri == s.path() && a.req_method.as_str() == s.method()));
        }
    }
}

/// With the objects they name, the examples that failed import too.
#[test]
fn with_the_vpc_channel_they_name_every_example_imports() {
    let base =
        Catalog::from_json(br#"{"vpc_channels": [{"id": "v1", "name": "userVpc"}, {"id": "v2", "name": "VPC_n9ct"}]}"#)
            .unwrap();
    for &(file, successes, failures) in EXAMPLES {
        let imported = import(&base, &sample(file), &ImportOptions::new()).unwrap();
        assert_eq!(
            imported.response().success().len(),
            successes + failures.len(),
            "{file}: {}",
            imported.response().to_json()
        );
    }
}

/// The user guide's OpenAPI 3.0 examples, imported and exported again, give their own trees
/// back, but for these normalisations: `openapi` 3.0.3, `info.version` the request's, servers
/// from the group's domain, a `requestBody` on ANY operations, parameters in name order with
/// `x-apigateway-orchestrations: []`, backend parameters in name order, the function backend's
/// `req_protocol`, the CORS header in the operation's own response too, the CORS response of
/// `components` only when an API uses CORS, and the fixed
/// security schemes always all three.
#[test]
fn the_oas3_examples_export_back_to_their_own_trees() {
    let base = Catalog::from_json(
        br#"{"vpc_channels": [{"id": "v1", "name": "userVpc"}], "environments": [{"id": "RELEASE", "name": "RELEASE"}]}"#,
    )
    .unwrap();
    for file in ["http", "http-vpc", "function", "mock"] {
        let file = format!("import/otc-import-{file}-oas3.yaml");
        let text = sample(&file);
        let imported = import(&base, &text, &ImportOptions::new().with_publish_to("RELEASE")).unwrap();
        let group = imported.response().group_id().to_owned();
        let request = ExportRequest::new(group, "RELEASE")
            .with_dialect(Dialect::OpenApi3)
            .with_scope(Scope::All)
            .with_format(Format::Yaml)
            .with_version("1.0")
            .unwrap();
        let exported = export(imported.catalog(), &request, &settings(apig_export::Profile::Apig)).unwrap();
        let mut original = read_yaml(std::str::from_utf8(&text).unwrap()).unwrap();
        let mut again = read_yaml(exported.content()).unwrap();
        for tree in [&mut original, &mut again] {
            normalise(tree);
        }
        assert_eq!(again, original, "{file}:\n{}", exported.content());
    }
}

/// The normalisations listed above, applied to either tree.
fn normalise(tree: &mut serde_json::Value) {
    use serde_json::Value;
    let obj = tree.as_object_mut().unwrap();
    obj.remove("openapi");
    obj.remove("servers");
    obj["info"].as_object_mut().unwrap().remove("version");
    let components = obj["components"].as_object_mut().unwrap();
    components.remove("responses");
    components["securitySchemes"].as_object_mut().unwrap().remove("apig-auth-app-header");
    if components.get("x-apigateway-responses") == Some(&serde_json::json!({})) {
        components.remove("x-apigateway-responses");
    }
    for item in obj["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            let op = op.as_object_mut().unwrap();
            op.remove("servers");
            op.remove("requestBody");
            for response in op["responses"].as_object_mut().unwrap().values_mut() {
                response.as_object_mut().unwrap().remove("headers");
            }
            if let Some(Value::Array(params)) = op.get_mut("parameters") {
                params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
                for p in params {
                    p.as_object_mut().unwrap().remove("x-apigateway-orchestrations");
                }
            }
            if let Some(backend) = op.get_mut("x-apigateway-backend").and_then(Value::as_object_mut) {
                if let Some(Value::Array(params)) = backend.get_mut("parameters") {
                    params.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
                }
                if let Some(f) = backend.get_mut("functionEndpoints").and_then(Value::as_object_mut) {
                    f.remove("req_protocol");
                }
            }
        }
    }
}

#[test]
fn options_decide_conflicts_groups_and_backends() {
    let file = sample("import/otc-import-mock-oas3.yaml");
    let first = import(&empty(), &file, &ImportOptions::new()).unwrap();
    // The same title again: the group name exists.
    let err = import(first.catalog(), &file, &ImportOptions::new()).unwrap_err();
    assert_eq!((err.status(), err.error_code()), (400, "APIG.3201"));
    let group = first.response().group_id().to_owned();
    // Into the group: merge keeps the API (a failure), override updates it, keeping its id.
    let merged = import(first.catalog(), &file, &ImportOptions::new().into_group(&group)).unwrap();
    assert_eq!(merged.response().failure()[0].error_code(), "APIG.3301");
    let updated =
        import(first.catalog(), &file, &ImportOptions::new().into_group(&group).with_api_mode(Mode::Override)).unwrap();
    assert_eq!(updated.response().success()[0].action(), "update");
    assert_eq!(updated.response().success()[0].id(), first.response().success()[0].id());
    // Unknown group and environment.
    assert_eq!(
        import(&empty(), &file, &ImportOptions::new().into_group("nope")).unwrap_err().error_code(),
        "APIG.3001"
    );
    assert_eq!(
        import(&empty(), &file, &ImportOptions::new().with_publish_to("nope")).unwrap_err().error_code(),
        "APIG.3003"
    );
    // Mock mode: the function example gets a mock backend.
    let function = sample("import/otc-import-function-swagger2.yaml");
    let mocked = import(&empty(), &function, &ImportOptions::new().with_mock_mode(true)).unwrap();
    assert_eq!(mocked.catalog().data().apis[0].backend_type, BackendType::Mock);
    // The base catalog is never changed, and the same input gives the same output.
    let again = import(&empty(), &file, &ImportOptions::new()).unwrap();
    assert_eq!(again.response(), first.response());
    assert_eq!(again.catalog().data(), first.catalog().data());
}

#[test]
fn objects_a_document_names_must_exist() {
    let doc = br#"{"swagger": "2.0", "info": {"title": "t"}, "paths": {"/a": {"get": {
        "operationId": "a", "x-apigateway-plugins": ["p1"],
        "parameters": [{"name": "q", "in": "query", "type": "string", "x-apigateway-orchestrations": ["o1"]}],
        "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {"result-content": "x"}}}},
      "/b": {"get": {"operationId": "b", "security": [{"my_authorizer": []}],
        "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {}}}},
      "/c": {"get": {"operationId": "c", "x-apigateway-ratelimit": "t1",
        "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {}}}},
      "/d/{id}": {"get": {"operationId": "d", "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {}}}},
      "/e": {"trace": {"operationId": "e"}, "get": {"operationId": "e2",
        "x-apigateway-backend": {"type": "HTTP", "httpEndpoints": {"address": "x"}, "parameters": [{"name": "b", "in": "QUERY", "origin": "REQUEST", "value": "missing"}]}}}},
      "securityDefinitions": {"my_authorizer": {"type": "apiKey", "name": "unused", "in": "header", "x-apigateway-auth-type": "AUTHORIZER"}}}"#;
    let imported = import(&empty(), doc, &ImportOptions::new()).unwrap();
    let codes: Vec<&str> = imported.response().failure().iter().map(|f| f.error_code()).collect();
    assert_eq!(
        codes,
        ["APIG.3095", "APIG.3081", "APIG.3005", "APIG.2026", "APIG.2028"],
        "{}",
        imported.response().to_json()
    );
    assert_eq!(imported.response().ignore()[0].method(), "TRACE");
    for f in imported.response().failure() {
        assert!(f.error_msg().len() < 1024 && f.error_msg().contains(f.path()), "{}", f.error_msg());
    }
    // With them, the plug-in and orchestration rule resolve.
    let base = Catalog::from_json(
        br#"{"plugins": [{"plugin_id": "pid", "plugin_name": "p1"}], "orchestrations": [{"orchestration_id": "oid", "orchestration_name": "o1"}]}"#,
    )
    .unwrap();
    let imported = import(&base, doc, &ImportOptions::new()).unwrap();
    assert_eq!(imported.response().success()[0].path(), "/a");
    assert_eq!(imported.catalog().data().apis[0].req_params[0].orchestrations, ["oid"]);
}

#[test]
fn whole_document_errors() {
    let code = |doc: &[u8], options: &ImportOptions| import(&empty(), doc, options).unwrap_err();
    let o = ImportOptions::new();
    let e = code(b"  \n", &o);
    assert_eq!((e.status(), e.error_code()), (400, "APIG.3609"));
    let e = code(b"{\"swagger\": \"2.0\",", &o);
    assert_eq!(e.error_code(), "APIG.3600");
    assert!(e.error_msg().contains("line 1 column"), "{e}");
    let e = code(b"a: [1,\n", &o);
    assert_eq!(e.error_code(), "APIG.3600");
    let e = code(b"openapi: 3.1.0\n", &o);
    assert_eq!(e.error_code(), "APIG.3602");
    let e = code(b"swagger: '2.0'\npaths: []\n", &o);
    assert_eq!(e.error_code(), "APIG.3602");
    assert!(e.error_msg().contains("paths"), "{e}");
    let e = code(b"{\"swagger\": \"2.0\"}", &o);
    assert_eq!(e.error_code(), "APIG.3602");
    assert!(e.error_msg().contains("info.title"), "{e}");
    let mut limits = Limits::default();
    limits.max_bytes = 10;
    let e = code(b"swagger: '2.0'\n", &o.clone().with_limits(limits));
    assert_eq!(e.error_code(), "APIG.3603");
    // Too many APIs: 300 by default, configurable.
    let mut many = String::from("swagger: '2.0'\ninfo: {title: t}\npaths:\n");
    for i in 0..301 {
        many.push_str(&format!("  /p{i}:\n    get: {{operationId: p{i}}}\n"));
    }
    let e = code(many.as_bytes(), &o);
    assert_eq!((e.status(), e.error_code()), (403, "APIG.3127"));
    let mut limits = Limits::default();
    limits.max_apis = 400;
    let imported = import(&empty(), many.as_bytes(), &o.clone().with_limits(limits)).unwrap();
    assert_eq!(imported.response().success().len(), 301);
}

#[test]
fn hostile_documents_are_refused_fast_and_located() {
    let o = ImportOptions::new();
    let e = |doc: String| import(&empty(), doc.as_bytes(), &o).unwrap_err();
    // 100,000-deep nesting, in YAML flow and block style and in JSON.
    for doc in [
        format!("a: {}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("{}x\n", "- ".repeat(100_000)),
        (0..3_000).map(|i| format!("{}k:\n", " ".repeat(i))).collect(),
        format!("{{\"a\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        let err = e(doc);
        assert_eq!(err.error_code(), "APIG.3600", "{err}");
        assert!(err.error_msg().contains("line") && err.error_msg().contains("nesting deeper"), "{err}");
        assert!(err.to_json().len() < 64 * 1024);
    }
    // Billion laughs: aliases cannot expand past the document's size.
    let mut bomb = String::from("swagger: '2.0'\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 0..9 {
        let p = if i == 0 { "a".to_owned() } else { format!("b{}", i - 1) };
        bomb.push_str(&format!("b{i}: &b{i} [{}]\n", vec![format!("*{p}"); 10].join(", ")));
    }
    let err = e(bomb);
    assert_eq!(err.error_code(), "APIG.3603", "{err}");
    // A list past its limit.
    let params: Vec<String> =
        (0..101).map(|i| format!("{{\"name\": \"p{i}\", \"in\": \"query\", \"type\": \"string\"}}")).collect();
    let doc = format!("{{\"swagger\": \"2.0\", \"info\": {{\"title\": \"t\"}}, \"paths\": {{\"/a\": {{\"get\": {{\"operationId\": \"a\", \"parameters\": [{}]}}}}}}}}", params.join(","));
    let err = e(doc);
    assert_eq!(err.error_code(), "APIG.3603");
    assert!(err.error_msg().contains("paths./a.get.parameters: 101 parameters"), "{err}");
}

/// What a call gave, and the kind, status, code and start of the message it must have.
type Case = (Result<(), ApiError>, ApiErrorKind, u16, &'static str, &'static str);

/// Every error an import answers, reached the way a caller meets it, with its kind, status,
/// code and message.
#[test]
fn each_import_error_has_a_kind_to_branch_on() {
    let mock = sample("import/otc-import-mock-oas3.yaml");
    let first = import(&empty(), &mock, &ImportOptions::new()).unwrap();
    let o = ImportOptions::new();
    let (mut small, mut one_api) = (Limits::default(), Limits::default());
    small.max_bytes = 10;
    one_api.max_apis = 1;
    let (small, one_api) = (o.clone().with_limits(small), o.clone().with_limits(one_api));
    let two_apis =
        b"swagger: '2.0'\ninfo: {title: t}\npaths:\n  /a: {get: {operationId: a}}\n  /b: {get: {operationId: b}}\n";
    let ok = |r: Result<apig_export::import::Imported, ApiError>| r.map(|_| ());
    let cases: [Case; 10] = [
        (ok(import(&empty(), b" \n\t", &o)), ApiErrorKind::EmptyDocument, 400, "APIG.3609", "The input file is empty"),
        (
            ok(import(&empty(), b"a: [1,\n", &o)),
            ApiErrorKind::DocumentFormat,
            400,
            "APIG.3600",
            "Json or Yaml format error: line ",
        ),
        (
            ok(import(&empty(), b"openapi: 3.1.0\n", &o)),
            ApiErrorKind::DocumentSyntax,
            400,
            "APIG.3602",
            "Syntax error in the Swagger file. openapi: version \"3.1.0\" is not supported",
        ),
        (
            ok(import(&empty(), b"swagger: '2.0'\n", &small)),
            ApiErrorKind::DocumentTooLong,
            400,
            "APIG.3603",
            "The Swagger file content is too long: 15 bytes, at most 10 are allowed",
        ),
        (
            ok(import(&empty(), two_apis, &one_api)),
            ApiErrorKind::TooManyApis,
            403,
            "APIG.3127",
            "Too many APIs in one import: 2, at most 1 are allowed",
        ),
        (
            ok(import(first.catalog(), &mock, &o)),
            ApiErrorKind::GroupNameExists,
            400,
            "APIG.3201",
            "The API group name already exists: \"importHttpVpcEndpoint\"",
        ),
        (
            ok(import(&empty(), &mock, &o.clone().into_group("nope"))),
            ApiErrorKind::GroupNotFound,
            404,
            "APIG.3001",
            "API group nope does not exist",
        ),
        (
            ok(import(&empty(), &mock, &o.clone().with_publish_to("nope"))),
            ApiErrorKind::EnvironmentNotFound,
            404,
            "APIG.3003",
            "Environment nope does not exist",
        ),
        (
            ImportOptions::from_fields([("mock_mode", "yes")]).map(|_| ()),
            ApiErrorKind::InvalidParameter,
            400,
            "APIG.2012",
            "Invalid parameter value,parameterName:mock_mode.",
        ),
        (
            ImportOptions::from_fields([("is_create_group", "false")]).map(|_| ()),
            ApiErrorKind::MissingParameter,
            400,
            "APIG.2001",
            "The request parameters must be specified,parameterName:group_id.",
        ),
    ];
    for (result, kind, status, code, message) in cases {
        let e = result.expect_err(code);
        assert_eq!((e.kind(), e.status(), e.error_code()), (kind, status, code), "{e}");
        assert_eq!((kind.status(), kind.error_code()), (status, code));
        assert!(e.error_msg().starts_with(message), "{code}: {}", e.error_msg());
        assert_eq!(
            e.to_json(),
            format!(r#"{{"error_code":"{code}","error_msg":{}}}"#, serde_json::json!(e.error_msg()))
        );
    }
}
