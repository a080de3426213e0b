//! The HTTP gateway example (`examples/gateway.rs`) as a client sees it: real processes on
//! loopback, a real HTTP client. With the `postgres` feature, two gateways share one database
//! (the server `scripts/with-postgres.sh` starts): submit on one, query on the other; one is
//! killed (`SIGKILL`) during an export and the other finishes the task after the lease; both
//! are stopped (`SIGTERM`) with tasks queued and one started later finishes them; 2,000
//! submissions from 8 threads. Every loop is bounded; no sleeps (polling waits on HTTP replies).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::*;

use crate::{GROUP, RELEASE};

fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples")
        .join(format!("gateway{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing: build it with `cargo build --examples`", path.display());
    path
}

/// A running gateway: the process and its base URL.
pub(crate) struct Gateway {
    child: Child,
    base: String,
}

impl Gateway {
    pub(crate) fn start(args: &[&str]) -> Gateway {
        let mut child = Command::new(example())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base =
            line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("gateway said {line:?}")).to_owned();
        Gateway { child, base }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGTERM, then the exit status.
    pub(crate) fn terminate(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            drop(self.child.kill());
            drop(self.child.wait());
        }
    }
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// Status, headers we look at, and body.
pub(crate) fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: &[u8],
) -> (u16, Option<String>, Option<String>, String) {
    let response = match method {
        "GET" => agent.get(url).call(),
        _ => agent.post(url).send(body),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (disposition, content_type) = (header("content-disposition"), header("content-type"));
    let body = response.body_mut().with_config().limit(1 << 30).read_to_string().unwrap();
    (response.status().as_u16(), disposition, content_type, body)
}

fn body(extra: &str) -> String {
    format!(r#"{{"env_id":"{RELEASE}","group_id":"{GROUP}"{extra}}}"#)
}

/// Polls the task until it has ended (bounded); its last view.
pub(crate) fn poll(agent: &ureq::Agent, url: &str) -> Value {
    for _ in 0..1_000_000 {
        let (status, _, _, body) = send(agent, "GET", url, b"");
        assert_eq!(status, 200, "{body}");
        let view: Value = serde_json::from_str(&body).unwrap();
        if view["task_status"] == "succeed" || view["task_status"] == "failed" {
            return view;
        }
    }
    panic!("the task at {url} never ended");
}

#[test]
fn the_gateway_serves_apig_over_http_and_stops_on_sigterm() {
    let gateway = Gateway::start(&["--workers", "2", "--grace-ms", "200"]);
    let agent = agent();
    let tasks = "/v2/p1/apigw/instances/i1";
    let (status, _, content_type, reply) = send(
        &agent,
        "POST",
        &gateway.url(&format!("{tasks}/openapi/async-export?oas_version=3.0")),
        body(r#","define":"proxy","type":"yaml""#).as_bytes(),
    );
    assert_eq!((status, content_type.as_deref()), (202, Some("application/json")), "{reply}");
    let id = serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned();
    let view = poll(&agent, &gateway.url(&format!("{tasks}/async-tasks/{id}")));
    assert_eq!(view["task_status"], "succeed");
    let result: Value = serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap();
    assert_eq!(result["FileType"], ".yaml");
    assert!(result["Comment"].as_str().unwrap().starts_with("openapi: 3.0.3\n"));
    // Another tenant, an unknown id: APIG's 404.
    let (status, _, _, reply) =
        send(&agent, "GET", &gateway.url(&format!("/v2/p2/apigw/instances/i1/async-tasks/{id}")), b"");
    assert_eq!(
        (status, reply),
        (404, format!(r#"{{"error_code":"APIG.3093","error_msg":"The asynchronous task {id} does not exist"}}"#))
    );
    // Bad requests: APIG's error bodies.
    let (status, _, _, reply) =
        send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/async-export")), br#"{"group_id":"g"}"#);
    assert_eq!((status, reply.contains("\"APIG.2001\"")), (400, true), "{reply}");
    let (status, _, _, reply) =
        send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/async-export?oas_version=9")), body("").as_bytes());
    assert_eq!((status, reply.contains("\"APIG.2012\"")), (400, true), "{reply}");
    let (status, _, _, reply) = send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/export")), b"[]");
    assert_eq!((status, reply.as_str()), (400, r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#));
    // A body over the limit is refused before it is read: a client announcing 2 MiB gets the
    // refusal after sending a part of it (an HTTP client library would fail its write once the
    // gateway closes the connection).
    let reply = oversized_post(&gateway.base, &format!("{tasks}/openapi/async-export"), "");
    assert!(reply.to_ascii_lowercase().contains("connection: close"), "{reply}");
    let (status, _, _, reply) = send(&agent, "GET", &gateway.url("/v2/p1/nothing/here"), b"");
    assert_eq!((status, reply.contains("\"APIG.0101\"")), (404, true));
    // The synchronous export: the file itself, named safely.
    let hostile = body(r#","version":"v/../1\";x=\u202e""#);
    let (status, disposition, content_type, file) =
        send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/export")), hostile.as_bytes());
    assert_eq!(status, 200, "{file}");
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert!(file.starts_with("{\n\t\"swagger\": \"2.0\""));
    let catalog = catalog("demo");
    let request = apig_export::ExportRequest::parse(None, hostile.as_bytes()).unwrap();
    let expected = apig_export::export(&catalog, &request, &apig_export::Settings::default()).unwrap();
    assert_eq!(expected.file_name(), "demo_shop-RELEASE-spec-v/../1\";x=\u{202e}");
    assert_eq!(file, expected.content());
    let disposition = disposition.unwrap();
    assert_eq!(disposition, expected.content_disposition());
    assert!(
        disposition.starts_with("attachment; filename=\"demo_shop-RELEASE-spec-v_.._1_;x=.json\""),
        "{disposition}"
    );
    // SIGTERM: a clean stop, even with a client holding a connection open mid-request.
    let address = gateway.base.strip_prefix("http://").unwrap().to_owned();
    let mut held = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(
        &mut held,
        format!("POST {tasks}/openapi/export HTTP/1.1\r\nHost: {address}\r\nContent-Length: 100\r\n\r\n{{").as_bytes(),
    )
    .unwrap();
    assert!(gateway.terminate().success());
    drop(held);
}

/// Announces a 2 MiB body to `path` over a raw socket (extra `headers` end in CRLF), sends 4 KiB
/// of it, and returns the whole reply, after checking that it is APIG's 413 refusal: the gateway
/// answers before reading the body and closes the connection.
pub(crate) fn oversized_post(base: &str, path: &str, headers: &str) -> String {
    use std::io::{Read, Write};
    let address = base.strip_prefix("http://").unwrap().trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: {}\r\n\r\n", 2 << 20);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&[b' '; 4096]).unwrap();
    let mut reply = Vec::new();
    drop(stream.read_to_end(&mut reply));
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert!(reply.starts_with("HTTP/1.1 413 "), "{reply}");
    assert!(reply.ends_with(r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#), "{reply}");
    reply
}

#[cfg(feature = "postgres")]
mod shared {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::*;
    use crate::postgres::one_waits_for_a_lock;

    fn url() -> String {
        std::env::var("APIG_EXPORT_POSTGRES_URL").expect(
            "APIG_EXPORT_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test.sh does)",
        )
    }

    /// A gateway on the test database; `lease_ms` short where a killed node's task must be
    /// taken over soon, the default (30 s) where no task should ever run twice.
    fn node(schema: &str, catalog: &str, workers: &str, lease_ms: Option<&str>) -> Gateway {
        let url = url();
        let mut args = vec![
            "--postgres",
            &url,
            "--postgres-schema",
            schema,
            "--catalog",
            catalog,
            "--workers",
            workers,
            "--poll-ms",
            "100",
        ];
        if let Some(lease) = lease_ms {
            args.extend(["--lease-ms", lease]);
        }
        Gateway::start(&args)
    }

    /// status, attempts of a task.
    /// The demo catalog's path, and a synthetic catalog of `apis` APIs written into `dir`.
    fn demo_and_synthetic(dir: &std::path::Path, apis: usize) -> (std::path::PathBuf, std::path::PathBuf) {
        let big = dir.join("big.json");
        std::fs::write(&big, serde_json::to_vec(&apig_export::testkit::synthetic::catalog_data(apis)).unwrap())
            .unwrap();
        (fixtures().join("catalogs/demo.json"), big)
    }

    fn row(schema: &str, project: &str, id: &str) -> (i16, i32) {
        let mut db = postgres::Client::connect(&url(), postgres::NoTls).unwrap();
        let row = db
            .query_one(
                &format!(
                    "SELECT status, attempts FROM {schema}.apig_export_tasks WHERE project_id = $1 AND task_id = $2"
                ),
                &[&project, &id],
            )
            .unwrap();
        (row.get(0), row.get(1))
    }

    #[test]
    fn a_task_submitted_on_a_killed_gateway_is_finished_by_another() {
        let schema = "gateway_kill";
        let dir = tempdir("gateway-kill");
        // Large enough that its export takes seconds: the kill lands inside it.
        let (demo, big) = demo_and_synthetic(&dir, 8_000);
        let (demo, big) = (demo.to_str().unwrap(), big.to_str().unwrap());
        let agent = agent();
        // Two nodes: submit on one, query on the other.
        let (a, b) = (node(schema, demo, "1", Some("1000")), node(schema, demo, "1", Some("1000")));
        let submit = |on: &Gateway, project: &str, body: &str| -> String {
            let (status, _, _, reply) = send(
                &agent,
                "POST",
                &on.url(&format!("/v2/{project}/apigw/instances/i1/openapi/async-export")),
                body.as_bytes(),
            );
            assert_eq!(status, 202, "{reply}");
            serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned()
        };
        let id = submit(&a, "p1", &body(r#","define":"all""#));
        let view = poll(&agent, &b.url(&format!("/v2/p1/apigw/instances/i1/async-tasks/{id}")));
        let (_, _, _, on_a) = send(&agent, "GET", &a.url(&format!("/v2/p1/apigw/instances/i1/async-tasks/{id}")), b"");
        assert_eq!(serde_json::from_str::<Value>(&on_a).unwrap(), view);
        let (status, _, _, _) =
            send(&agent, "GET", &b.url(&format!("/v2/p2/apigw/instances/i1/async-tasks/{id}")), b"");
        assert_eq!(status, 404, "another tenant");
        assert!(a.terminate().success() && b.terminate().success());

        // A node alone takes a large task; it is killed during the export.
        let a = node(schema, big, "1", Some("1000"));
        let synthetic = format!(
            r#"{{"env_id":"{}","group_id":"{}","define":"all"}}"#,
            apig_export::testkit::synthetic::ENV_ID,
            apig_export::testkit::synthetic::GROUP_ID
        );
        let id = submit(&a, "p1", &synthetic);
        let task = format!("/v2/p1/apigw/instances/i1/async-tasks/{id}");
        let mut seen = String::new();
        for _ in 0..1_000_000 {
            let (_, _, _, reply) = send(&agent, "GET", &a.url(&task), b"");
            seen = serde_json::from_str::<Value>(&reply).unwrap()["task_status"].as_str().unwrap().to_owned();
            if seen != "waiting" {
                break;
            }
        }
        assert_eq!(seen, "processing");
        let mut a = a;
        a.child.kill().unwrap(); // SIGKILL: no shutdown, the lease is left to run out
        a.child.wait().unwrap();
        assert_eq!(row(schema, "p1", &id), (1, 1), "killed while processing its first attempt");
        // Another node finishes it once the lease has passed, from the task's own snapshot.
        let b = node(schema, demo, "1", Some("1000"));
        let view = poll(&agent, &b.url(&task));
        assert_eq!(view["task_status"], "succeed", "{}", view["task_result"]);
        assert_eq!(row(schema, "p1", &id), (2, 2), "succeed on the second attempt");
        let catalog = apig_export::testkit::synthetic::catalog(8_000);
        let request = apig_export::ExportRequest::parse(None, synthetic.as_bytes()).unwrap();
        let result: Value = serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap();
        let version = result["FileName"].as_str().unwrap().rsplit("-all-").next().unwrap().to_owned();
        let request = request.with_version(&version).unwrap();
        let expected = apig_export::export(&catalog, &request, &apig_export::Settings::default()).unwrap();
        assert_eq!(result["Comment"].as_str().unwrap(), expected.content(), "the export of the catalog at submission");
        assert!(b.terminate().success());
    }

    #[test]
    fn stop_both_gateways_start_one_and_every_queued_task_finishes() {
        let schema = "gateway_restart";
        let dir = tempdir("gateway-restart");
        // Exports that take a while, so that tasks are still queued when the gateways stop.
        let (demo, big) = demo_and_synthetic(&dir, 1_000);
        let (demo, big) = (demo.to_str().unwrap(), big.to_str().unwrap());
        let nodes = [node(schema, big, "1", None), node(schema, big, "1", None)];
        let variants =
            [(Some("3.0"), r#","type":"yaml""#), (Some("2.0"), ""), (None, r#","type":"yml""#), (Some("3.0"), "")];
        let synthetic = |extra: &str| {
            format!(
                r#"{{"env_id":"{}","group_id":"{}","define":"all"{extra}}}"#,
                apig_export::testkit::synthetic::ENV_ID,
                apig_export::testkit::synthetic::GROUP_ID
            )
        };
        // Eight submissions at once, four on each gateway: each gateway's one worker takes one.
        let ids: Vec<(usize, String)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|n| {
                    let (nodes, variants, synthetic) = (&nodes, &variants, &synthetic);
                    s.spawn(move || {
                        let (oas, extra) = variants[n % variants.len()];
                        let query = oas.map(|v| format!("?oas_version={v}")).unwrap_or_default();
                        let path = format!("/v2/p{}/apigw/instances/i1/openapi/async-export{query}", n % 2);
                        let (status, _, _, reply) =
                            send(&agent(), "POST", &nodes[n % 2].url(&path), synthetic(extra).as_bytes());
                        assert_eq!(status, 202, "{reply}");
                        (n, serde_json::from_str::<Value>(&reply).unwrap()["task_id"].as_str().unwrap().to_owned())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Stop both: each finishes the export it runs; the waiting tasks stay in the database.
        for node in nodes {
            assert!(node.terminate().success());
        }
        let mut db = postgres::Client::connect(&url(), postgres::NoTls).unwrap();
        let statuses: Vec<i16> = db
            .query(&format!("SELECT status FROM {schema}.apig_export_tasks"), &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(statuses.len(), 8);
        assert!(statuses.iter().all(|s| *s == 0 || *s == 2), "waiting or succeeded, none lost: {statuses:?}");
        let waiting = statuses.iter().filter(|s| **s == 0).count();
        assert!(waiting >= 1, "some tasks were still queued when both stopped: {statuses:?}");
        eprintln!("{waiting} of 8 tasks waiting while no gateway ran");
        // One gateway, serving another catalog now, finishes every task from its snapshot.
        let one = node(schema, demo, "2", None);
        let catalog = apig_export::testkit::synthetic::catalog(1_000);
        let agent = agent();
        for (n, id) in &ids {
            let view = poll(&agent, &one.url(&format!("/v2/p{}/apigw/instances/i1/async-tasks/{id}", n % 2)));
            assert_eq!(view["task_status"], "succeed", "{}", view["task_result"]);
            let result: Value = serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap();
            // The default version is the submitting gateway's clock at submission.
            let version = result["FileName"].as_str().unwrap().rsplit("-all-").next().unwrap().to_owned();
            let (oas, extra) = variants[n % variants.len()];
            let request = apig_export::ExportRequest::parse(oas, synthetic(extra).as_bytes())
                .unwrap()
                .with_version(&version)
                .unwrap();
            let expected = apig_export::export(&catalog, &request, &apig_export::Settings::default()).unwrap();
            assert_eq!(
                view["task_result"].as_str().unwrap(),
                expected.task_result(),
                "the synchronous export of the catalog at submission"
            );
        }
        assert!(one.terminate().success());
    }

    #[test]
    fn a_gateway_whose_connections_are_all_busy_answers_apig_9999_after_the_wait() {
        let (schema, name) = ("gateway_pool", "apig_gateway_pool");
        let url = url();
        let named = format!("{url}{}application_name={name}", if url.contains('?') { '&' } else { '?' });
        let gateway = Gateway::start(&[
            "--postgres",
            &named,
            "--postgres-schema",
            schema,
            "--workers",
            "1",
            "--max-connections",
            "1",
            "--connection-wait-ms",
            "200",
        ]);
        // The test holds the queue's lock: a submission takes the gateway's only connection and
        // waits for the lock inside its transaction.
        let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let lock = format!("hashtext('{schema}.apig_export_tasks')");
        db.execute(&format!("SELECT pg_advisory_lock({lock})"), &[]).unwrap();
        let tasks = "/v2/p1/apigw/instances/i1";
        std::thread::scope(|s| {
            let held = s.spawn(|| {
                send(&agent(), "POST", &gateway.url(&format!("{tasks}/openapi/async-export")), body("").as_bytes())
            });
            one_waits_for_a_lock(&mut db, name);
            // Every other request waits for the connection, then gets APIG's 500.
            let agent = agent();
            let system_error = r#"{"error_code":"APIG.9999","error_msg":"System error"}"#;
            let (status, _, _, reply) =
                send(&agent, "GET", &gateway.url(&format!("{tasks}/async-tasks/{:032}", 1)), b"");
            assert_eq!((status, reply.as_str()), (500, system_error));
            let (status, _, _, reply) =
                send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/async-export")), body("").as_bytes());
            assert_eq!((status, reply.as_str()), (500, system_error));
            // The synchronous export needs no connection.
            let (status, _, _, _) =
                send(&agent, "POST", &gateway.url(&format!("{tasks}/openapi/export")), body("").as_bytes());
            assert_eq!(status, 200);
            db.execute(&format!("SELECT pg_advisory_unlock({lock})"), &[]).unwrap();
            let (status, _, _, reply) = held.join().unwrap();
            assert_eq!(status, 202, "once the lock is let go, the held submission goes through: {reply}");
        });
        assert!(gateway.terminate().success());
    }

    #[test]
    fn two_thousand_submissions_over_http_to_two_gateways() {
        let schema = "gateway_load";
        let demo = fixtures().join("catalogs/demo.json");
        let demo = demo.to_str().unwrap();
        let nodes = [node(schema, demo, "2", None), node(schema, demo, "2", None)];
        let tenants = ["t0", "t1", "t2", "t3"];
        let variants = [
            (Some("2.0"), r#","define":"all""#),
            (Some("3.0"), r#","type":"yaml""#),
            (None, r#","define":"dev","type":"yml""#),
            (Some("3.0"), r#","define":"proxy""#),
        ];
        // Per submission: (thread, tenant, variant, Ok(task id) | Err(status)).
        let outcomes: Vec<(usize, usize, Result<String, u16>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    let (nodes, variants) = (&nodes, &variants);
                    s.spawn(move || {
                        let agent = agent();
                        (0..250)
                            .map(|i| {
                                let (tenant, variant) = ((t + i) % 4, (t * 3 + i) % 4);
                                let (oas, extra) = variants[variant];
                                let query = oas.map(|v| format!("?oas_version={v}")).unwrap_or_default();
                                let on = &nodes[i % 2];
                                let path =
                                    format!("/v2/{}/apigw/instances/i1/openapi/async-export{query}", tenants[tenant]);
                                let (status, _, _, reply) =
                                    send(&agent, "POST", &on.url(&path), body(extra).as_bytes());
                                let outcome = match status {
                                    202 => Ok(serde_json::from_str::<Value>(&reply).unwrap()["task_id"]
                                        .as_str()
                                        .unwrap()
                                        .to_owned()),
                                    other => {
                                        assert_eq!((other, reply.contains("APIG.0308")), (429, true), "{reply}");
                                        Err(other)
                                    }
                                };
                                (tenant, variant, outcome)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(outcomes.len(), 2_000);
        let catalog = Arc::new(catalog("demo"));
        let agent = agent();
        let mut accepted = BTreeSet::new();
        for (n, (tenant, variant, outcome)) in outcomes.iter().enumerate() {
            let Ok(id) = outcome else { continue };
            assert!(accepted.insert(id.clone()), "task ids are distinct");
            // Queried on the node that did not take the submission.
            let on = &nodes[(n + 1) % 2];
            let view = poll(&agent, &on.url(&format!("/v2/{}/apigw/instances/i1/async-tasks/{id}", tenants[*tenant])));
            assert_eq!(view["task_status"], "succeed");
            let (oas, extra) = variants[*variant];
            let result: Value = serde_json::from_str(view["task_result"].as_str().unwrap()).unwrap();
            // The default version is the gateway's clock at submission.
            let define = ["all", "spec", "dev", "proxy"][*variant];
            let version =
                result["FileName"].as_str().unwrap().strip_prefix(&format!("demo_shop-RELEASE-{define}-")).unwrap();
            let request =
                apig_export::ExportRequest::parse(oas, body(&format!(r#"{extra},"version":"{version}""#)).as_bytes())
                    .unwrap();
            let expected = apig_export::export(&catalog, &request, &apig_export::Settings::default()).unwrap();
            assert_eq!(
                view["task_result"].as_str().unwrap(),
                expected.task_result(),
                "identical to the synchronous export"
            );
            let other = tenants[(tenant + 1) % 4];
            let (status, _, _, _) =
                send(&agent, "GET", &on.url(&format!("/v2/{other}/apigw/instances/i1/async-tasks/{id}")), b"");
            assert_eq!(status, 404, "no other tenant sees it");
        }
        assert!(accepted.len() >= 1_024, "each tenant has at least its share (256) accepted: {}", accepted.len());
        // Every accepted task ended exactly once: one row each, terminal, on its first attempt.
        let mut db = postgres::Client::connect(&url(), postgres::NoTls).unwrap();
        let rows = db.query(&format!("SELECT task_id, status, attempts FROM {schema}.apig_export_tasks"), &[]).unwrap();
        let stored: BTreeSet<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
        assert_eq!(stored, accepted, "no task lost, none added");
        let again: Vec<(String, i16, i32)> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .filter(|(_, status, attempts)| (*status, *attempts) != (2, 1))
            .collect();
        assert!(again.is_empty(), "every task succeeded on its first attempt: {again:?}");
        eprintln!("{} accepted, {} refused (429)", accepted.len(), 2_000 - accepted.len());
        for node in nodes {
            assert!(node.terminate().success());
        }
    }
}
