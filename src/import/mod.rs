//! Import: a Swagger 2.0 or OpenAPI 3.0 document, JSON or YAML, read back into a catalog, with
//! APIG's import options and answers.
//!
//! [`import`] is pure: the document's bytes, a base [`Catalog`] and [`ImportOptions`] in; a new
//! catalog and APIG's response body out ([`Imported`]), or the error body APIG answers when it
//! refuses the whole document. The base catalog is not changed.
//!
//! ```
//! use apig_export::import::{import, ImportOptions};
//! use apig_export::Catalog;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let document = br#"
//! swagger: "2.0"
//! info: {title: shop, version: "1.0"}
//! paths:
//!   /ping:
//!     get:
//!       operationId: ping
//!       x-apigateway-backend:
//!         type: MOCK
//!         mockEndpoints: {result-content: pong}
//! "#;
//! // Into an empty catalog: a new group named `info.title`, the API a draft.
//! let imported = import(&Catalog::new(Default::default())?, document, &ImportOptions::new())?;
//! let response = imported.response();
//! assert_eq!(response.success().len(), 1);
//! assert_eq!(imported.catalog().data().groups[0].name, "shop");
//! assert!(response.to_json().starts_with(r#"{"group_id":""#));
//! # Ok(())
//! # }
//! ```
//!
//! What an import reads, what it creates and what it refuses is described in the README
//! ("Importing").

mod build;
mod map;
mod options;
mod read;
mod request;
mod tree;
mod yaml;

use serde::Serialize;
use tree::{Map, Value};

use crate::model::{Catalog, Group};
use crate::ApiError;
use build::{Build, Entry, Outcome};
use map::Fail;
pub use options::{ImportOptions, Limits, Mode};
pub use request::ImportRequest;

/// An import's result: the new catalog and APIG's response body.
#[derive(Debug, Clone)]
pub struct Imported {
    catalog: Catalog,
    response: ImportResponse,
}

impl Imported {
    /// The catalog with the imported definitions.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The catalog, taken.
    pub fn into_catalog(self) -> Catalog {
        self.catalog
    }

    /// APIG's response.
    pub fn response(&self) -> &ImportResponse {
        &self.response
    }
}

/// APIG's import response: `{group_id, success, failure, ignore, swagger}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportResponse {
    group_id: String,
    success: Vec<ImportSuccess>,
    failure: Vec<ImportFailure>,
    ignore: Vec<ImportIgnored>,
    swagger: SwaggerResult,
}

impl ImportResponse {
    /// The group imported into.
    pub fn group_id(&self) -> &str {
        &self.group_id
    }
    /// The APIs created or updated, in document order.
    pub fn success(&self) -> &[ImportSuccess] {
        &self.success
    }
    /// The APIs not imported, each with APIG's error code and a located message.
    pub fn failure(&self) -> &[ImportFailure] {
        &self.failure
    }
    /// The operations skipped (methods APIG has none of, such as `trace`).
    pub fn ignore(&self) -> &[ImportIgnored] {
        &self.ignore
    }
    /// The body as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An API created or updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSuccess {
    id: String,
    method: &'static str,
    path: String,
    action: &'static str,
}

impl ImportSuccess {
    /// The API's id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its method (`GET`, …, `ANY`).
    pub fn method(&self) -> &str {
        self.method
    }
    /// Its path.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// `create` or `update`.
    pub fn action(&self) -> &str {
        self.action
    }
}

/// An API not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportFailure {
    method: &'static str,
    path: String,
    error_code: &'static str,
    error_msg: String,
}

impl ImportFailure {
    /// Its method.
    pub fn method(&self) -> &str {
        self.method
    }
    /// Its path.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// APIG's error code (`APIG.3301`, `APIG.3023`, …).
    pub fn error_code(&self) -> &str {
        self.error_code
    }
    /// What is wrong, and where in the document (at most 1 KiB).
    pub fn error_msg(&self) -> &str {
        &self.error_msg
    }
}

/// An operation skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIgnored {
    method: &'static str,
    path: String,
}

impl ImportIgnored {
    /// Its method, as the document writes it.
    pub fn method(&self) -> &str {
        self.method
    }
    /// Its path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// `swagger`: the imported document's id and `Success`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct SwaggerResult {
    id: String,
    result: &'static str,
}

/// Imports `document` into a copy of `base`.
///
/// # Errors
///
/// The whole document is refused, with APIG's status and body, when it is empty (400
/// APIG.3609), longer than [`Limits::max_bytes`] or with a list past its limit (400 APIG.3603),
/// neither JSON nor YAML or nested past [`Limits::max_depth`] (400 APIG.3600, with line and
/// column), not a Swagger 2.0 / OpenAPI 3.0 document or malformed outside its operations (400
/// APIG.3602, with the member's location), with more than [`Limits::max_apis`] operations (403
/// APIG.3127); when the group to import into does not exist (404 APIG.3001) or a new group's
/// name is taken (400 APIG.3201); and when the environment to publish into does not exist (404
/// APIG.3003). Problems of one API are not errors: it is listed in the response's `failure`.
pub fn import(base: &Catalog, document: &[u8], options: &ImportOptions) -> Result<Imported, ApiError> {
    let limits = options.limits;
    let (tree, wide) = read::read(document, &limits)?;
    let Value::Object(doc) = &tree else {
        return Err(ApiError::document_syntax(
            "",
            &format!("the document must be an object, got {}", map::kind(&tree)),
        ));
    };
    let dialect = read::dialect(doc)?;
    if wide {
        read::check_tree(&tree, &limits)?;
    }
    let paths = match map::get(doc, "paths") {
        None => None,
        Some(Value::Object(p)) => Some(p),
        Some(other) => {
            return Err(ApiError::document_syntax("paths", &format!("expected an object, got {}", map::kind(other))))
        }
    };
    let empty = Map::new();
    let paths = paths.unwrap_or(&empty);
    let ops = map::operations(paths).map_err(|(at, why)| ApiError::document_syntax(&at, &why))?;
    let count = ops.len().max(paths.len());
    if count > limits.max_apis {
        return Err(ApiError::too_many_apis(count, limits.max_apis));
    }
    let root = map::Root::read(doc, dialect).map_err(|(at, why)| ApiError::document_syntax(&at, &why))?;

    // The group.
    let data = base.data();
    let (group, new_group) = if options.create_group {
        let info = map::get(doc, "info").and_then(Value::as_object);
        let title = info.and_then(|i| map::get(i, "title")).and_then(map::text).unwrap_or_default();
        if title.is_empty() {
            return Err(ApiError::document_syntax("info.title", "a new group is named info.title, which must be set"));
        }
        if data.groups.iter().any(|g| g.name == *title) {
            return Err(ApiError::group_name_exists(&title));
        }
        let remark = info.and_then(|i| map::get(i, "description")).and_then(map::text).unwrap_or_default();
        (Group { name: title.into_owned().into(), remark: remark.into_owned().into(), ..Group::default() }, true)
    } else {
        let id = options.group_id.as_deref().unwrap_or_default();
        let group = data.groups.iter().find(|g| g.id == id).ok_or_else(|| ApiError::group_not_found(id))?;
        (group.clone(), false)
    };
    if let Some(env) = &options.publish_to {
        if !data.environments.iter().any(|e| &e.id == env) {
            return Err(ApiError::environment_not_found(env));
        }
    }

    // Each operation on its own.
    let mut entries: Vec<Entry> = Vec::with_capacity(ops.len());
    for op in &ops {
        crate::work::step();
        let path = format!("{}{}", root.base_path, op.path);
        let entry = match op.method {
            None => Entry { method: "TRACE", path, outcome: Outcome::Ignored },
            Some(method) => match map::operation(&root, op, method, options.mock_mode) {
                Ok(parsed) => Entry {
                    method: method.as_str(),
                    path: parsed.api.req_uri.to_string(),
                    outcome: Outcome::Ready(Box::new(parsed)),
                },
                Err(fail) => Entry { method: method.as_str(), path, outcome: Outcome::Failed(fail) },
            },
        };
        entries.push(entry);
    }

    // Into the catalog; what the catalog's own checks reject is moved to `failure`, and the
    // rest built again (each round removes at least one API).
    let seed = build::fnv(build::FNV_OFFSET, document);
    loop {
        let mut build = Build::new(base, &group, new_group, seed, options, &root);
        let outcomes = build.run(&mut entries);
        match Catalog::new(build.data) {
            Ok(catalog) => {
                return Ok(Imported {
                    catalog,
                    response: build::respond(&entries, outcomes, build.group_id.to_string(), seed),
                });
            }
            Err(err) => {
                let mut moved = false;
                for issue in err.issues() {
                    for i in build.attribution.entries_of(issue.location()) {
                        if let Some(entry) = entries.get_mut(i) {
                            if matches!(entry.outcome, Outcome::Ready(_)) {
                                entry.outcome = Outcome::Failed(Fail::new(
                                    "APIG.2012",
                                    format!("Invalid parameter value. {}: {}", entry.path, issue.message()),
                                ));
                                moved = true;
                            }
                        }
                    }
                }
                if !moved {
                    let first = err.issues().first().map(ToString::to_string).unwrap_or_default();
                    return Err(ApiError::document_syntax(
                        "",
                        &format!("the document's definitions are inconsistent: {first}"),
                    ));
                }
                // The drafts moved into the rejected catalog: the rest are read again.
                for (entry, op) in entries.iter_mut().zip(&ops) {
                    let Some(method) = op.method.filter(|_| matches!(entry.outcome, Outcome::Ready(_))) else {
                        continue;
                    };
                    entry.outcome = match map::operation(&root, op, method, options.mock_mode) {
                        Ok(parsed) => Outcome::Ready(Box::new(parsed)),
                        Err(fail) => Outcome::Failed(fail),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Work at n and 4n for the shapes that could hurt: many APIs, many parameters, long
    //! multi-line scalars, many aliases. The steps may grow 4× times the growth of log n.

    use super::*;
    use crate::model::CatalogData;
    use crate::ApiErrorKind;
    use crate::{export, ExportRequest, Format, Scope, Settings};

    fn steps(document: &[u8], base: &Catalog, options: &ImportOptions) -> u64 {
        crate::work::take();
        let imported = import(base, document, options).expect("imports");
        assert!(imported.response().failure().is_empty(), "{}", imported.response().to_json());
        crate::work::take()
    }

    #[test]
    fn apis_the_catalog_rejects_fail_and_the_rest_are_built_again_whole() {
        // `/a/{x}/b/{x}` passes the operation's own checks (each variable is a PATH parameter)
        // but the catalog rejects a repeated variable: a second build without it.
        let document = br#"{"swagger": "2.0", "info": {"title": "shop"}, "paths": {
            "/ok": {"get": {"operationId": "ok", "description": "kept", "tags": ["t"],
                "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {"result-content": "pong"}}}},
            "/a/{x}/b/{x}": {"get": {"operationId": "twice",
                "parameters": [{"name": "x", "in": "path", "required": true, "type": "string"}]}}}}"#;
        let imported = import(&Catalog::new(CatalogData::default()).expect("empty"), document, &ImportOptions::new())
            .expect("imports");
        let response = imported.response();
        assert_eq!(response.success().len(), 1, "{}", response.to_json());
        assert_eq!(response.success()[0].path(), "/ok");
        assert_eq!(response.failure().len(), 1, "{}", response.to_json());
        assert_eq!(response.failure()[0].error_code(), "APIG.2012");
        assert!(response.failure()[0].error_msg().contains("appears twice"), "{}", response.to_json());
        let apis = &imported.catalog().data().apis;
        assert_eq!(apis.len(), 1);
        assert_eq!((apis[0].name.as_str(), apis[0].remark.as_str()), ("ok", "kept"));
        assert_eq!(apis[0].tags.len(), 1);
        assert_eq!(apis[0].mock_info.as_ref().map(|m| m.result_content.as_str()), Some("pong"));
    }

    /// Locations are written only into a message, step by step: keys cut as before, list items
    /// as `[i]`, a security scheme by its name.
    #[test]
    fn failures_name_where_in_the_document() {
        let document = br#"{"swagger": "2.0", "info": {"title": "shop"},
            "securityDefinitions": {"auth": {"type": "apiKey", "name": "a", "in": "header",
                "x-apigateway-auth-type": "AUTHORIZER",
                "x-apigateway-authorizer": {"identities": [{"name": "h", "location": "BODY"}]}}},
            "paths": {
            "/a": {"get": {"operationId": "a", "x-apigateway-backend": {"type": "MOCK", "mockEndpoints": {}},
                "x-apigateway-backend-policies": [{"type": "MOCK", "name": "p", "mockEndpoints": {},
                    "conditions": [{"origin": "param", "parameter": "q", "type": "exact", "value": "1"},
                                   {"origin": "bogus"}]}]}},
            "/b": {"get": {"operationId": "b", "security": [{"auth": []}]}}}}"#;
        let imported = import(&Catalog::new(CatalogData::default()).expect("empty"), document, &ImportOptions::new())
            .expect("imports");
        let failure = imported.response().failure();
        assert_eq!(failure.len(), 2, "{}", imported.response().to_json());
        assert!(
            failure[0]
                .error_msg()
                .contains("parameterName:origin. paths./a.get.x-apigateway-backend-policies[0].conditions[1].origin: "),
            "{}",
            failure[0].error_msg()
        );
        assert!(
            failure[1].error_msg().contains("security scheme auth.identities[0].location: "),
            "{}",
            failure[1].error_msg()
        );
    }

    /// The walk that checks nesting and sizes runs only when a reader saw a list or object that
    /// may pass them: every shape that does pass is still refused, in JSON and in YAML, including
    /// the ones the YAML reader does not count itself (a flow pair, a repeated alias). The
    /// documents that pass by nesting have no object wider than the limits.
    #[test]
    fn limits_hold_when_the_readers_skip_the_walk() {
        let limits = Limits { max_depth: 6, max_parameters: 3, max_entries: 5, ..Limits::default() };
        let options = ImportOptions::new().with_limits(limits);
        let empty = Catalog::new(CatalogData::default()).expect("empty");
        let refused =
            |document: &str| import(&empty, document.as_bytes(), &options).map(|_| ()).expect_err(document).kind();
        let op = "\"/a\": {\"get\": {\"operationId\": \"a\"}}";
        for (document, kind) in [
            (r#"{"swagger": "2.0", "info": {"title": "t"}, "x": [[[[[{"a": 1}]]]]]}"#.to_owned(), ApiErrorKind::DocumentFormat),
            ("swagger: '2.0'\ninfo: {title: t}\nx: [[[[[a: 1]]]]]\n".to_owned(), ApiErrorKind::DocumentFormat),
            ("swagger: '2.0'\na: &x [[1]]\nb: [[[[*x]]]]\n".to_owned(), ApiErrorKind::DocumentFormat),
            ("swagger: '2.0'\ninfo: {title: t}\nx: [1, 2, 3, 4, 5, 6]\n".to_owned(), ApiErrorKind::DocumentTooLong),
            ("swagger: '2.0'\ninfo: {title: t}\nx:\n  - 1\n  - 2\n  - 3\n  - 4\n  - 5\n  - 6\n".to_owned(), ApiErrorKind::DocumentTooLong),
            (
                format!(r#"{{"swagger": "2.0", "info": {{"title": "t"}}, "paths": {{{op}}}, "x": {{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}}}}"#),
                ApiErrorKind::DocumentTooLong,
            ),
            (
                r#"{"swagger": "2.0", "info": {"title": "t"}, "paths": {"/a": {"get": {"operationId": "a", "parameters": [
                    {"name": "p", "in": "query"}, {"name": "q", "in": "query"}, {"name": "r", "in": "query"},
                    {"name": "s", "in": "query"}]}}}}"#
                    .to_owned(),
                ApiErrorKind::DocumentTooLong,
            ),
        ] {
            assert_eq!(refused(&document), kind, "{document}");
        }
        // Within the limits: read, not refused (`paths` is not held to `max_entries`).
        let paths: Vec<String> =
            (0..6).map(|i| format!("\"/p{i}\": {{\"get\": {{\"operationId\": \"p{i}\"}}}}")).collect();
        let document = format!(r#"{{"swagger": "2.0", "info": {{"title": "t"}}, "paths": {{{}}}}}"#, paths.join(", "));
        let imported =
            import(&empty, document.as_bytes(), &options.clone().with_limits(Limits { max_apis: 10, ..limits }))
                .expect("within the limits");
        assert_eq!(imported.response().success().len(), 6);
        let paths: Vec<String> = (0..6).map(|i| format!("  /p{i}:\n    get:\n      operationId: p{i}\n")).collect();
        let document = format!("swagger: '2.0'\ninfo: {{title: t}}\npaths:\n{}", paths.concat());
        let imported =
            import(&empty, document.as_bytes(), &options.clone().with_limits(Limits { max_apis: 10, ..limits }))
                .expect("within the limits");
        assert_eq!(imported.response().success().len(), 6);
        let document = format!("{document}x:\n  - 1\n  - 2\n  - 3\n  - 4\n  - 5\n  - 6\n");
        assert_eq!(refused(&document), ApiErrorKind::DocumentTooLong);
    }

    fn assert_linear(name: &str, small: u64, large: u64) {
        // 4× the work, with room for a logarithmic factor (sorting, indexing).
        assert!(large <= small * 5, "{name}: {small} steps at n, {large} at 4n");
    }

    fn unlimited() -> ImportOptions {
        let limits = Limits {
            max_apis: 100_000,
            max_parameters: 100_000,
            max_entries: 100_000,
            max_bytes: 1 << 30,
            ..Limits::default()
        };
        ImportOptions::new().with_limits(limits)
    }

    #[test]
    fn work_grows_linearly_with_the_document() {
        for format in [Format::Json, Format::Yaml] {
            let doc = |n: usize| {
                let catalog = crate::testkit::synthetic::catalog(n);
                let request =
                    ExportRequest::new(crate::testkit::synthetic::GROUP_ID, crate::testkit::synthetic::ENV_ID)
                        .with_scope(Scope::All)
                        .with_format(format);
                let exported = export(&catalog, &request, &Settings::default()).expect("exports");
                let mut base = catalog.into_data();
                base.apis.clear();
                base.publications.clear();
                base.throttle_bindings.clear();
                base.acl_bindings.clear();
                base.plugin_bindings.clear();
                (exported.content().to_owned(), Catalog::new(base).expect("valid"))
            };
            let options = unlimited().into_group(crate::testkit::synthetic::GROUP_ID);
            let ((small, base_s), (large, base_l)) = (doc(100), doc(400));
            assert_linear(
                "APIs",
                steps(small.as_bytes(), &base_s, &options),
                steps(large.as_bytes(), &base_l, &options),
            );
        }
        let params = |n: usize| {
            let list: Vec<String> =
                (0..n).map(|i| format!("      - {{name: p{i}, in: query, type: string, enum: [a, b]}}\n")).collect();
            format!(
                "swagger: '2.0'\ninfo: {{title: t}}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n{}",
                list.concat()
            )
        };
        let empty = Catalog::new(CatalogData::default()).expect("empty");
        assert_linear(
            "parameters",
            steps(params(500).as_bytes(), &empty, &unlimited()),
            steps(params(2000).as_bytes(), &empty, &unlimited()),
        );
        let lines = |n: usize| {
            let body: String = (0..n).map(|i| format!("        line {i} of a long description\n")).collect();
            format!("swagger: '2.0'\ninfo: {{title: t}}\npaths:\n  /a:\n    get:\n      operationId: a\n      description: >-\n{body}      x-apigateway-cors: true\n")
        };
        assert_linear(
            "folded lines",
            steps(lines(1000).as_bytes(), &empty, &unlimited()),
            steps(lines(4000).as_bytes(), &empty, &unlimited()),
        );
        let aliases = |n: usize| {
            let refs: String = (0..n).map(|i| format!("  a{i}: *tag\n")).collect();
            format!("swagger: '2.0'\ninfo: {{title: t}}\nx-tag: &tag [x, y, z]\nx-many:\n{refs}")
        };
        assert_linear(
            "aliases",
            steps(aliases(500).as_bytes(), &empty, &unlimited()),
            steps(aliases(2000).as_bytes(), &empty, &unlimited()),
        );
    }
}
