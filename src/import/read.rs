//! The document's bytes → its tree, within the limits: JSON or YAML, nesting, sizes, the dialect.

use super::tree::{Map, Value};

use super::{map, yaml, Limits};
use crate::quote::{Cut, Quoted};
use crate::{ApiError, Dialect};

/// The document's bytes → its tree, within the limits, and whether a list or object of it may
/// be past the limits that [`check_tree`] checks (when not, that walk is not needed).
pub(super) fn read<'d>(document: &'d [u8], limits: &Limits) -> Result<(Value<'d>, bool), ApiError> {
    if document.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::empty_document());
    }
    if document.len() > limits.max_bytes {
        return Err(too_long(format!("{} bytes, at most {} are allowed", document.len(), limits.max_bytes)));
    }
    let text = std::str::from_utf8(document)
        .map_err(|e| format_error(format!("the document is not UTF-8 text (byte {})", e.valid_up_to())))?;
    let max_depth = limits.max_depth.min(128);
    let budget = document.len().min(limits.max_bytes - document.len());
    let widest = limits.max_entries.min(limits.max_parameters);
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.starts_with('{') || start.starts_with('[') {
        match super::tree::from_json(start, widest, max_depth) {
            Ok(v) => return Ok(v),
            Err(json) => {
                // Perhaps YAML in flow style; if not, the JSON error is the one to report.
                return match yaml::parse_noting(text, max_depth, budget, widest) {
                    Ok(v) => Ok(v),
                    Err(e) if e.limit.is_some() => Err(yaml_error(e, limits)),
                    Err(_) => Err(format_error(format!(
                        "line {} column {}: {}",
                        json.line(),
                        json.column(),
                        crate::quote::cut_quoted_runs(json.to_string().split(" at line ").next().unwrap_or_default())
                    ))),
                };
            }
        }
    }
    yaml::parse_noting(text, max_depth, budget, widest).map_err(|e| yaml_error(e, limits))
}

fn yaml_error(e: yaml::Error, limits: &Limits) -> ApiError {
    let at = format!("line {} column {}: {}", e.line, e.column, e.message);
    match e.limit {
        Some(yaml::Limit::Size) => too_long(format!("{at} (at most {} bytes)", limits.max_bytes)),
        _ => format_error(at),
    }
}

fn format_error(why: String) -> ApiError {
    ApiError::document_format(&why)
}

fn too_long(why: String) -> ApiError {
    ApiError::document_too_long(&why)
}

fn syntax(at: &str, why: String) -> ApiError {
    ApiError::document_syntax(at, &why)
}

/// `swagger: "2.0"` or `openapi: 3.0.x`.
pub(super) fn dialect(doc: &Map<'_>) -> Result<Dialect, ApiError> {
    if let Some(v) = map::get(doc, "swagger") {
        return match map::text(v).as_deref() {
            Some("2.0") | Some("2") => Ok(Dialect::Swagger2),
            _ => Err(syntax("swagger", format!("version {} is not supported: 2.0 is", shown(v)))),
        };
    }
    if let Some(v) = map::get(doc, "openapi") {
        return match map::text(v) {
            Some(t) if t == "3.0" || t.starts_with("3.0.") => Ok(Dialect::OpenApi3),
            _ => Err(syntax("openapi", format!("version {} is not supported: 3.0.x is", shown(v)))),
        };
    }
    Err(syntax("", "neither `swagger: \"2.0\"` nor `openapi: 3.0.x`: not a Swagger or OpenAPI document".to_owned()))
}

fn shown(v: &Value<'_>) -> String {
    map::text(v).map_or_else(|| map::kind(v).to_owned(), |t| Quoted(&t).to_string())
}

/// One step of the path to a node: a member's key or a list's index.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The path to a node as messages write it (`paths./a.get.parameters.[1]`); built only for an error.
fn located(at: &[Step<'_>]) -> String {
    let parts: Vec<String> = at
        .iter()
        .map(|step| match step {
            Step::Key(k) => Cut(k).to_string(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    parts.join(".")
}

/// Depth (JSON) and the size of every list and object but `paths`.
pub(super) fn check_tree(tree: &Value<'_>, limits: &Limits) -> Result<(), ApiError> {
    fn walk<'v>(
        v: &'v Value<'v>,
        at: &mut Vec<Step<'v>>,
        depth: usize,
        limits: &Limits,
        under_paths: bool,
    ) -> Result<(), ApiError> {
        crate::work::step();
        let len = match v {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => return Ok(()),
        };
        if depth > limits.max_depth.min(128) {
            return Err(format_error(format!(
                "{}: nesting deeper than {} levels",
                located(at),
                limits.max_depth.min(128)
            )));
        }
        let parameters = matches!(at.last(), Some(Step::Key("parameters")));
        let (limit, what) = if parameters {
            (limits.max_parameters, "parameters")
        } else if under_paths {
            (usize::MAX, "")
        } else {
            (limits.max_entries, "entries")
        };
        if len > limit {
            return Err(too_long(format!("{}: {len} {what}, at most {limit} are allowed", located(at))));
        }
        match v {
            Value::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    at.push(Step::Index(i));
                    walk(item, at, depth + 1, limits, false)?;
                    at.pop();
                }
            }
            Value::Object(o) => {
                for (k, item) in o {
                    at.push(Step::Key(k));
                    walk(item, at, depth + 1, limits, depth == 1 && k == "paths")?;
                    at.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(tree, &mut Vec::new(), 1, limits, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `paths` is bounded by the number of APIs, not by `max_entries`; any other object is.
    #[test]
    fn paths_are_exempt_from_the_entries_limit_and_nothing_else_is() {
        let limits = Limits::default();
        let many = |key: &str| {
            let members: Vec<String> = (0..1_001).map(|i| format!("\"/p{i}\": {{}}")).collect();
            format!("{{\"swagger\": \"2.0\", \"{key}\": {{{}}}}}", members.join(", "))
        };
        let paths = many("paths");
        let (tree, wide) = read(paths.as_bytes(), &limits).expect("reads");
        assert!(!wide);
        assert!(check_tree(&tree, &limits).is_ok());
        let other = many("definitions");
        let (tree, wide) = read(other.as_bytes(), &limits).expect("reads");
        assert!(wide, "the reader must not skip the check");
        let e = check_tree(&tree, &limits).expect_err("1,001 entries");
        assert_eq!(e.kind(), crate::ApiErrorKind::DocumentTooLong, "{e}");
    }
}
