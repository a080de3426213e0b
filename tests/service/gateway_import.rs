//! The gateway example's import endpoints over real HTTP: APIG's multipart form to
//! `…/openapi/async-import` and `…/openapi/import`, then exports from the same gateway write the
//! imported APIs. With the `postgres` feature, two gateways on one database: an import submitted
//! to one is exported by the other. No sleeps (polling waits on HTTP replies).

use serde_json::Value;

use crate::gateway::{agent, oversized_post, poll, send, Gateway};
use crate::import::{document, form};
use crate::{GROUP, RELEASE};

const TASKS: &str = "/v2/p1/apigw/instances/i1";

/// POSTs `body` with its content type: status and body.
fn post(agent: &ureq::Agent, url: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut response =
        agent.post(url).header("Content-Type", content_type).send(body).unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let text = response.body_mut().with_config().limit(1 << 30).read_to_string().unwrap();
    (response.status().as_u16(), text)
}

/// Submits an import to `gateway` and polls it to its end: the import response.
fn import_async(gateway: &Gateway, agent: &ureq::Agent, doc: &str) -> Value {
    let (content_type, body) = form(&[("is_create_group", "false"), ("group_id", GROUP)], doc);
    let (status, reply) = post(agent, &gateway.url(&format!("{TASKS}/openapi/async-import")), &content_type, &body);
    assert_eq!(status, 202, "{reply}");
    let id = serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned();
    let view = poll(agent, &gateway.url(&format!("{TASKS}/async-tasks/{id}")));
    assert_eq!(
        (view["task_type"].as_str(), view["task_status"].as_str()),
        (Some("import_api"), Some("succeed")),
        "{view}"
    );
    serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap()
}

/// Exports the demo group's drafts (`dev`) from `gateway` through a task: the document's paths.
fn export_async(gateway: &Gateway, agent: &ureq::Agent) -> Vec<String> {
    let body = format!(r#"{{"env_id":"{RELEASE}","group_id":"{GROUP}","define":"dev"}}"#);
    let (status, _, _, reply) =
        send(agent, "POST", &gateway.url(&format!("{TASKS}/openapi/async-export")), body.as_bytes());
    assert_eq!(status, 202, "{reply}");
    let id = serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned();
    let view = poll(agent, &gateway.url(&format!("{TASKS}/async-tasks/{id}")));
    assert_eq!(
        (view["task_type"].as_str(), view["task_status"].as_str()),
        (Some("export_api"), Some("succeed")),
        "{view}"
    );
    let file: Value = serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap();
    let doc: Value = serde_json::from_str(file["Comment"].as_str().unwrap()).unwrap();
    doc["paths"].as_object().unwrap().keys().cloned().collect()
}

#[test]
fn an_async_import_over_http_shows_in_the_next_export() {
    let gateway = Gateway::start(&["--workers", "2", "--grace-ms", "200"]);
    let agent = agent();
    assert!(!export_async(&gateway, &agent).iter().any(|p| p.starts_with("/imported")));
    let result = import_async(&gateway, &agent, &document("x", &["/imported/a", "/imported/b"], true));
    assert_eq!(result["group_id"], GROUP);
    assert_eq!(result["success"].as_array().unwrap().len(), 2, "{result}");
    assert_eq!(result["failure"][0]["error_code"], "APIG.3023", "{result}");
    let paths = export_async(&gateway, &agent);
    assert!(paths.iter().any(|p| p == "/imported/a") && paths.iter().any(|p| p == "/imported/b"), "{paths:?}");
    // The synchronous import: the response itself; the same document again conflicts (merge).
    let (content_type, body) = form(
        &[("is_create_group", "false"), ("group_id", GROUP)],
        &document("x", &["/imported/a", "/imported/c"], false),
    );
    let (status, reply) = post(&agent, &gateway.url(&format!("{TASKS}/openapi/import")), &content_type, &body);
    assert_eq!(status, 200, "{reply}");
    let response: Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(response["success"][0]["path"], "/imported/c", "{response}");
    assert_eq!(response["failure"][0]["error_code"], "APIG.3301", "{response}");
    // The synchronous export sees it too.
    let body = format!(r#"{{"env_id":"{RELEASE}","group_id":"{GROUP}","define":"dev"}}"#);
    let (status, _, _, file) = send(&agent, "POST", &gateway.url(&format!("{TASKS}/openapi/export")), body.as_bytes());
    assert_eq!(status, 200);
    assert!(file.contains("\"/imported/c\""));
    // APIG's error bodies: a form without the file, a refused document (synchronously: the
    // error itself; asynchronously: the failed task), a body over the limit.
    let (content_type, body) = form(&[("api_mode", "merge")], "");
    let without_file = String::from_utf8(body).unwrap().replace("name=\"file_name\"", "name=\"other\"");
    let (status, reply) =
        post(&agent, &gateway.url(&format!("{TASKS}/openapi/async-import")), &content_type, without_file.as_bytes());
    assert_eq!(status, 400, "{reply}");
    assert!(reply.contains("\"APIG.2001\"") && reply.contains("file_name"), "{reply}");
    let (content_type, body) = form(&[], "{\"swagger\": \"2.0\", \"info\": {\"title\": \"demo_shop\"}, \"paths\": {}}");
    let (status, reply) = post(&agent, &gateway.url(&format!("{TASKS}/openapi/import")), &content_type, &body);
    assert_eq!(status, 400);
    assert!(reply.starts_with(r#"{"error_code":"APIG.3201""#), "{reply}");
    let (status, reply) = post(&agent, &gateway.url(&format!("{TASKS}/openapi/async-import")), &content_type, &body);
    assert_eq!(status, 202);
    let id = serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned();
    let view = poll(&agent, &gateway.url(&format!("{TASKS}/async-tasks/{id}")));
    assert_eq!(view["task_status"], "failed");
    assert!(view["task_result"].as_str().unwrap().starts_with(r#"{"error_code":"APIG.3201""#), "{view}");
    let (status, reply) =
        post(&agent, &gateway.url(&format!("{TASKS}/openapi/import")), "text/yaml", b"swagger: '2.0'");
    assert_eq!((status, reply.as_str()), (400, r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#));
    // A body over the limit (1 MiB, as the export's) is refused before it is read.
    oversized_post(
        &gateway.url(""),
        &format!("{TASKS}/openapi/async-import"),
        &format!("Content-Type: {content_type}\r\n"),
    );
    assert!(gateway.terminate().success());
}

#[cfg(feature = "postgres")]
#[test]
fn an_import_on_one_gateway_is_exported_by_another() {
    let url = std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
        "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
    );
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalogs/demo.json");
    let node = || {
        Gateway::start(&[
            "--postgres",
            &url,
            "--postgres-schema",
            "gateway_import",
            "--catalog",
            catalog,
            "--workers",
            "1",
            "--poll-ms",
            "100",
        ])
    };
    let (a, b) = (node(), node());
    let agent = agent();
    let result = import_async(&a, &agent, &document("x", &["/imported/shared"], false));
    assert_eq!(result["success"][0]["path"], "/imported/shared", "{result}");
    assert!(export_async(&b, &agent).iter().any(|p| p == "/imported/shared"));
    // And the other way round, synchronously.
    let (content_type, body) =
        form(&[("is_create_group", "false"), ("group_id", GROUP)], &document("x", &["/imported/back"], false));
    let (status, reply) = post(&agent, &b.url(&format!("{TASKS}/openapi/import")), &content_type, &body);
    assert_eq!(status, 200, "{reply}");
    let paths = export_async(&a, &agent);
    assert!(paths.iter().any(|p| p == "/imported/back") && paths.iter().any(|p| p == "/imported/shared"), "{paths:?}");
    assert!(a.terminate().success());
    assert!(b.terminate().success());
}
