//! APIG's export and import endpoints over HTTP/1.1, on `apig_export::task` (axum on tokio):
//!
//! ```text
//! cargo run --example gateway -- --listen 127.0.0.1:8080 [--catalog FILE] [--workers N] [--grace-ms N]
//!     [--postgres URL [--postgres-schema NAME] [--lease-ms N] [--poll-ms N]
//!         [--max-connections N] [--connection-wait-ms N]]   (feature `postgres`)
//! ```
//!
//! - `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-export[?oas_version=3.0]`:
//!   202 `{"task_id": …}`;
//! - `GET /v2/{project_id}/apigw/instances/{instance_id}/async-tasks/{task_id}`: the task;
//! - `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export[?oas_version=3.0]`: the
//!   file itself, named by a safe `Content-Disposition` (the catalog's names never become a header
//!   as they are);
//! - `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/async-import`: 202
//!   `{"task_id": …}`; the task's query answers `task_type` `import_api` with APIG's import
//!   response;
//! - `POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/import`: 200 with APIG's import
//!   response.
//!
//! An import's body is APIG's form, `multipart/form-data` with the document in the part
//! `file_name` and the fields `is_create_group`, `group_id`, `extend_mode`, `api_mode`,
//! `mock_mode`, or a JSON object of the same fields (`apig_export::import::ImportRequest`). The
//! gateway serves one catalog to every tenant: an import replaces it, and the exports that
//! follow (the tasks submitted after it landed, the synchronous ones) read the new one.
//!
//! Every refusal is APIG's status and error body; a request body over 1 MiB gets 413. With
//! `--postgres`, tasks live in that database and every gateway started on it shares them: submit
//! on one, query on another; a task whose gateway dies is run again by another after its lease.
//! The catalog then lives in that database too (`PostgresCatalog`, named by a hash of the
//! `--catalog` file's bytes and seeded from it by the first gateway): every gateway started with
//! the same file serves the same catalog, and an import run by any of them is what all of them
//! export next.
//! A gateway's task store opens at most `--max-connections` to the database (16 by default, plus
//! one listening; the catalog keeps one more of its own); a request that finds them all busy for `--connection-wait-ms` (5 seconds by
//! default) gets 500 APIG.9999.
//! The catalog defaults to `fixtures/catalogs/demo.json`. The address is printed on stdout once
//! listening (`--listen 127.0.0.1:0` picks a free port); SIGTERM or Ctrl-C stops accepting
//! connections, lets the requests in flight finish (`--grace-ms`, 10 seconds by default), then
//! drains the runner (30 seconds at most) and exits 0.
//!
//! ```text
//! $ curl -s -XPOST 'http://127.0.0.1:8080/v2/p1/apigw/instances/i1/openapi/async-export?oas_version=3.0' \
//!     -d '{"env_id":"DEFAULT_ENVIRONMENT_RELEASE_ID","group_id":"f1e2d3c4b5a697887766554433221100"}'
//! {"task_id":"0f6c…"}
//! $ curl -s http://127.0.0.1:8080/v2/p1/apigw/instances/i1/async-tasks/0f6c…
//! {"task_id":"0f6c…","task_status":"succeed","task_type":"export_api","task_result":"{\"FileName\":…}"}
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use apig_export::task::{Catalogs, Reply, Runner, RunnerConfig, SharedCatalog, Shutdown, Tenant};
use apig_export::{ApiError, Catalog};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

/// The largest request body read.
const BODY_LIMIT: usize = 1 << 20;

struct Gateway {
    runner: Runner,
    catalogs: Arc<dyn Catalogs>,
}

impl Gateway {
    /// The catalog the tenant's exports read now.
    fn catalog(&self, tenant: &Tenant) -> Result<Arc<Catalog>, ApiError> {
        self.catalogs.current(tenant).map(|(_, catalog)| catalog)
    }
}

type Shared = State<Arc<Gateway>>;

/// A JSON reply with its status.
fn json(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn reply(reply: Reply) -> Response {
    json(reply.status, reply.body)
}

fn api_error(e: &ApiError) -> Response {
    json(e.status(), e.to_json())
}

/// The query's `oas_version`, if given.
fn oas_version(query: &Option<String>) -> Option<String> {
    query.as_deref()?.split('&').find_map(|pair| pair.strip_prefix("oas_version=")).map(str::to_owned)
}

/// The request body, at most [`BODY_LIMIT`] bytes: a larger `Content-Length` is refused before
/// any of the body is read, a longer body as soon as it passes the limit.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, Response> {
    // APIG's answer to a body it cannot use (APIG.2000), with the status that says why. The rest
    // of the body is not read: the connection closes after the reply.
    let refuse = || {
        let mut refused = json(413, r#"{"error_code":"APIG.2000","error_msg":"Parameter error"}"#.to_owned());
        refused.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        refused
    };
    let announced = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(refuse());
    }
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| refuse())
}

/// Runs `f` on a thread that may block (a database round trip, an export).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|_| api_error(&ApiError::system_error()))
}

async fn submit(
    State(gateway): Shared,
    Path((project, instance)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let oas = oas_version(&query);
    let tenant = Tenant::new(project, instance);
    blocking(move || match gateway.catalog(&tenant) {
        Ok(catalog) => reply(gateway.runner.handle_submit(&tenant, &catalog, oas.as_deref(), &body)),
        Err(e) => api_error(&e),
    })
    .await
    .unwrap_or_else(|e| e)
}

async fn query(State(gateway): Shared, Path((project, instance, task_id)): Path<(String, String, String)>) -> Response {
    let tenant = Tenant::new(project, instance);
    blocking(move || reply(gateway.runner.handle_query(&tenant, &task_id))).await.unwrap_or_else(|e| e)
}

async fn export(
    State(gateway): Shared,
    Path((project, instance)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let oas = oas_version(&query);
    let tenant = Tenant::new(project, instance);
    let exported = blocking(move || {
        gateway.catalog(&tenant).and_then(|catalog| gateway.runner.export_now(&catalog, oas.as_deref(), &body))
    })
    .await;
    match exported {
        Ok(Ok(exported)) => {
            let content_type = if exported.file_type() == ".json" { "application/json" } else { "application/yaml" };
            // The safe value is ASCII by construction; a header that still does not parse is
            // left out rather than sent broken.
            let disposition = HeaderValue::from_str(&exported.content_disposition()).ok();
            let mut response =
                (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], exported.content().to_owned()).into_response();
            if let Some(disposition) = disposition {
                response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
            }
            response
        }
        Ok(Err(e)) => api_error(&e),
        Err(refused) => refused,
    }
}

/// The request's `Content-Type`, if it is text.
fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

async fn submit_import(
    State(gateway): Shared,
    Path((project, instance)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    serve_import(gateway, Tenant::new(project, instance), headers, body, Runner::handle_import_submit).await
}

async fn import(
    State(gateway): Shared,
    Path((project, instance)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    serve_import(gateway, Tenant::new(project, instance), headers, body, Runner::handle_import).await
}

/// Reads an import's body within the limit and hands it, with its `Content-Type`, to `handle`
/// (the asynchronous submission or the synchronous import) off the server's threads.
async fn serve_import(
    gateway: Arc<Gateway>,
    tenant: Tenant,
    headers: HeaderMap,
    body: Body,
    handle: fn(&Runner, &Tenant, Option<&str>, &[u8]) -> Reply,
) -> Response {
    let body = match read_body(&headers, body).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let content_type = content_type(&headers);
    blocking(move || reply(handle(&gateway.runner, &tenant, content_type.as_deref(), &body)))
        .await
        .unwrap_or_else(|e| e)
}

async fn not_found() -> Response {
    json(
        404,
        r#"{"error_code":"APIG.0101","error_msg":"The API does not exist or has not been published in the environment"}"#
            .to_owned(),
    )
}

/// Resolves when SIGTERM or Ctrl-C arrives.
async fn stop_signal() {
    let ctrl_c = async {
        drop(tokio::signal::ctrl_c().await);
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => drop(term.recv().await),
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

struct Options {
    listen: SocketAddr,
    catalog: String,
    workers: Option<usize>,
    postgres: Option<String>,
    schema: Option<String>,
    lease_ms: Option<u64>,
    poll_ms: Option<u64>,
    max_connections: Option<usize>,
    connection_wait_ms: Option<u64>,
    grace_ms: u64,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
        catalog: concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalogs/demo.json").to_owned(),
        workers: None,
        postgres: None,
        schema: None,
        lease_ms: None,
        poll_ms: None,
        max_connections: None,
        connection_wait_ms: None,
        grace_ms: 10_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|_| format!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--listen" => options.listen = value()?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--catalog" => options.catalog = value()?,
            "--workers" => options.workers = Some(usize::try_from(number(value()?)?).map_err(|e| e.to_string())?),
            "--postgres" => options.postgres = Some(value()?),
            "--postgres-schema" => options.schema = Some(value()?),
            "--lease-ms" => options.lease_ms = Some(number(value()?)?),
            "--poll-ms" => options.poll_ms = Some(number(value()?)?),
            "--max-connections" => {
                options.max_connections = Some(usize::try_from(number(value()?)?).map_err(|e| e.to_string())?);
            }
            "--connection-wait-ms" => options.connection_wait_ms = Some(number(value()?)?),
            "--grace-ms" => options.grace_ms = number(value()?)?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

#[cfg(feature = "postgres")]
fn with_store(config: RunnerConfig, options: &Options) -> Result<RunnerConfig, String> {
    use apig_export::task::postgres::PostgresConfig;
    let Some(url) = &options.postgres else { return Ok(config) };
    let mut store = PostgresConfig::new(url.clone());
    if let Some(schema) = &options.schema {
        store = store.with_schema(schema.clone());
    }
    if let Some(ms) = options.lease_ms {
        store = store.with_lease(Duration::from_millis(ms));
    }
    if let Some(ms) = options.poll_ms {
        store = store.with_poll(Duration::from_millis(ms));
    }
    if let Some(max) = options.max_connections {
        store = store.with_max_connections(max);
    }
    if let Some(ms) = options.connection_wait_ms {
        store = store.with_connection_wait(Duration::from_millis(ms));
    }
    Ok(config.with_postgres(store))
}

/// Where imports land: the catalog in this process, or, with `--postgres`, in the database.
#[cfg(feature = "postgres")]
fn catalogs(catalog: Catalog, file: &[u8], options: &Options) -> Result<Arc<dyn Catalogs>, String> {
    use apig_export::task::postgres::{PostgresCatalog, PostgresConfig};
    let Some(url) = &options.postgres else { return Ok(Arc::new(SharedCatalog::new(catalog))) };
    let mut store = PostgresConfig::new(url.clone());
    if let Some(schema) = &options.schema {
        store = store.with_schema(schema.clone());
    }
    // FNV-1a of the file: gateways started with the same file share one catalog.
    let hash = file.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let name = format!("{hash:016x}");
    let shared = PostgresCatalog::open(&store, &name, &catalog).map_err(|e| format!("cannot open the catalog: {e}"))?;
    Ok(Arc::new(shared))
}

#[cfg(not(feature = "postgres"))]
fn catalogs(catalog: Catalog, _file: &[u8], _options: &Options) -> Result<Arc<dyn Catalogs>, String> {
    Ok(Arc::new(SharedCatalog::new(catalog)))
}

#[cfg(not(feature = "postgres"))]
fn with_store(config: RunnerConfig, options: &Options) -> Result<RunnerConfig, String> {
    match options.postgres {
        Some(_) => Err("--postgres needs the example built with `--features postgres`".into()),
        None => Ok(config),
    }
}

fn main() {
    let options = options().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let file = std::fs::read(&options.catalog).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", options.catalog);
        std::process::exit(2);
    });
    let catalog = Catalog::from_json(&file).unwrap_or_else(|e| {
        eprintln!("invalid catalog {}: {e:#}", options.catalog);
        std::process::exit(2);
    });
    let catalogs = catalogs(catalog, &file, &options).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let mut config = RunnerConfig::default().with_catalogs(Arc::clone(&catalogs));
    if let Some(workers) = options.workers {
        config = config.with_workers(workers);
    }
    let runner = with_store(config, &options).and_then(|config| Runner::new(config).map_err(|e| e.to_string()));
    let runner = runner.unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let gateway = Arc::new(Gateway { runner, catalogs });
    let app = Router::new()
        .route("/v2/{project}/apigw/instances/{instance}/openapi/async-export", post(submit))
        .route("/v2/{project}/apigw/instances/{instance}/async-tasks/{task_id}", get(query))
        .route("/v2/{project}/apigw/instances/{instance}/openapi/export", post(export))
        .route("/v2/{project}/apigw/instances/{instance}/openapi/async-import", post(submit_import))
        .route("/v2/{project}/apigw/instances/{instance}/openapi/import", post(import))
        .fallback(not_found)
        .with_state(Arc::clone(&gateway));
    let served = tokio::runtime::Builder::new_multi_thread().enable_all().build().and_then(|runtime| {
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind(options.listen).await?;
            println!("listening on http://{}", listener.local_addr()?);
            // After the signal, requests in flight have the grace period to finish; a client
            // that holds its connection open does not hold the gateway.
            let grace = Duration::from_millis(options.grace_ms);
            let (stopping, stopped) = tokio::sync::watch::channel(false);
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                stop_signal().await;
                stopping.send_replace(true);
            });
            let grace = async move {
                let mut stopped = stopped;
                drop(stopped.wait_for(|stopped| *stopped).await);
                tokio::time::sleep(grace).await;
            };
            tokio::select! {
                served = serve => served,
                () = grace => Ok(()),
            }
        })
    });
    let report = gateway.runner.shutdown(Shutdown::Drain, Duration::from_secs(30));
    eprintln!("stopped: {report:?}");
    if let Err(e) = served {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
