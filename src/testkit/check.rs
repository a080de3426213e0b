//! Semantic checks of an exported document that JSON Schemas cannot express.
//!
//! [`check`] reads a Swagger 2.0 or OpenAPI 3.0 document (JSON or YAML text is read as JSON here:
//! pass the JSON export) and reports:
//!
//! - a `$ref` that does not resolve inside the document;
//! - an `operationId` used twice;
//! - a path template variable without exactly one required `in: path` parameter, and a path
//!   parameter that is not a template variable (APIG's greedy `{name+}` is matched by a parameter
//!   named `name`, as APIG writes it, or `name+`, as OpenAPI reads it);
//! - a parameter `(name, in)` twice in one operation;
//! - a security requirement naming a scheme that is not defined;
//! - two paths that differ only in their variables' names (APIG's greedy `+` included), which
//!   OpenAPI says are the same path.
//!
//! Operations include APIG's `x-apigateway-any-method`.
//!
//! ```
//! let doc = r##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a/{id}": {"get": {
//!     "operationId": "op", "responses": {"default": {"$ref": "#/responses/nope"}}}}}}"##;
//! let findings = apig_export::testkit::check::check(doc).unwrap();
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].to_string(), "/paths/~1a~1{id}/get/responses/default: $ref \"#/responses/nope\" does not resolve");
//! assert_eq!(findings[1].to_string(), "/paths/~1a~1{id}/get: path variable \"id\" has 0 required path parameters");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::model::path_variables;

/// One problem found by [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pointer: String,
    message: String,
}

impl Finding {
    /// Where: a JSON Pointer into the document.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Why a document could not be checked at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError(String);

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckError {}

const METHODS: [&str; 9] =
    ["get", "put", "post", "delete", "options", "head", "patch", "trace", "x-apigateway-any-method"];

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Checks `document` (the text of a JSON export).
///
/// # Errors
///
/// Text that is not a JSON object.
pub fn check(document: &str) -> Result<Vec<Finding>, CheckError> {
    let doc: Value = serde_json::from_str(document).map_err(|e| CheckError(format!("not JSON: {e}")))?;
    if !doc.is_object() {
        return Err(CheckError("not a JSON object".to_owned()));
    }
    let mut findings = Vec::new();
    refs(&doc, &doc, &mut String::new(), &mut findings);
    let schemes = doc
        .get("securityDefinitions")
        .or_else(|| doc.pointer("/components/securitySchemes"))
        .and_then(Value::as_object);
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut shapes: BTreeMap<String, &str> = BTreeMap::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let shape = shape(path);
        if let Some(first) = shapes.get(&shape) {
            findings.push(Finding {
                pointer: format!("/paths/{}", escape(path)),
                message: format!("the path {first:?} differs only in variable names: they are the same path"),
            });
        } else {
            shapes.insert(shape, path);
        }
        let vars = path_variables(path).unwrap_or_default();
        let greedy = |var: &str| path.split('/').any(|segment| segment == format!("{{{var}+}}"));
        let matches = |var: &str, name: &str| name == var || (greedy(var) && name.strip_suffix('+') == Some(var));
        for (method, op) in item.as_object().into_iter().flatten().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let at = format!("/paths/{}/{}", escape(path), escape(method));
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                if let Some(first) = operation_ids.get(id) {
                    findings.push(Finding {
                        pointer: at.clone(),
                        message: format!("operationId {id:?} is also used at {first}"),
                    });
                } else {
                    operation_ids.insert(id, at.clone());
                }
            }
            let params: Vec<&Value> = op.get("parameters").and_then(Value::as_array).into_iter().flatten().collect();
            let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for p in &params {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
                *seen.entry((name, location)).or_default() += 1;
            }
            for ((name, location), count) in &seen {
                if *count > 1 {
                    findings.push(Finding {
                        pointer: at.clone(),
                        message: format!("parameter ({name:?}, {location}) appears {count} times"),
                    });
                }
            }
            for var in &vars {
                let required = params
                    .iter()
                    .filter(|p| {
                        p.get("in").and_then(Value::as_str) == Some("path")
                            && p.get("name").and_then(Value::as_str).is_some_and(|n| matches(var, n))
                            && p.get("required").and_then(Value::as_bool) == Some(true)
                    })
                    .count();
                if required != 1 {
                    findings.push(Finding {
                        pointer: at.clone(),
                        message: format!("path variable {var:?} has {required} required path parameters"),
                    });
                }
            }
            for p in params.iter().filter(|p| p.get("in").and_then(Value::as_str) == Some("path")) {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                if !vars.iter().any(|var| matches(var, name)) {
                    findings.push(Finding {
                        pointer: at.clone(),
                        message: format!("path parameter {name:?} is not in the path"),
                    });
                }
            }
            for requirement in op.get("security").and_then(Value::as_array).into_iter().flatten() {
                for name in requirement.as_object().into_iter().flatten().map(|(k, _)| k) {
                    if !schemes.is_some_and(|s| s.contains_key(name)) {
                        findings.push(Finding {
                            pointer: at.clone(),
                            message: format!("security scheme {name:?} is not defined"),
                        });
                    }
                }
            }
        }
    }
    Ok(findings)
}

/// `path` with every variable's name (and greedy `+`) left out.
fn shape(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') && s.ends_with('}') { "{}" } else { s }).collect::<Vec<_>>().join("/")
}

fn refs(root: &Value, v: &Value, pointer: &mut String, findings: &mut Vec<Finding>) {
    match v {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let resolved = target.strip_prefix('#').is_some_and(|p| root.pointer(p).is_some());
                if !resolved {
                    findings.push(Finding {
                        pointer: pointer.clone(),
                        message: format!("$ref {target:?} does not resolve"),
                    });
                }
            }
            for (k, child) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(k));
                refs(root, child, pointer, findings);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                refs(root, child, pointer, findings);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_differ_only_in_variable_names_are_one_path() {
        let op = |var: &str| serde_json::json!({"operationId": var, "parameters": [{"name": var, "in": "path", "required": true}]});
        let doc = serde_json::json!({"openapi": "3.0.3", "paths": {
            "/a/{p}": {"get": op("p")}, "/a/{q}": {"post": op("q")}, "/a/{p}/b": {"get": op("p2")}}});
        let mut doc = doc;
        doc["paths"]["/a/{p}/b"]["get"]["parameters"][0]["name"] = "p".into();
        let findings = check(&doc.to_string()).unwrap();
        let messages: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            ["/paths/~1a~1{q}: the path \"/a/{p}\" differs only in variable names: they are the same path"]
        );
    }
}
