//! The wire error: what APIG answers when an export request or an import cannot be served, an
//! HTTP status and the body `{"error_code": "…", "error_msg": "…"}`.

use std::fmt;
use std::sync::Arc;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::quote::{Cut, Quoted};

/// Bytes an import's message may take (it quotes and locates, each part already cut).
const MAX_MESSAGE: usize = 4096;

fn bounded(message: String) -> String {
    crate::quote::truncate(message, MAX_MESSAGE)
}

/// An HTTP status plus APIG's error body `{"error_code": "…", "error_msg": "…"}`.
///
/// Every way an export request can fail, and every way an import can refuse a whole document, is
/// one of these, with the status, code and message APIG uses; [`ApiError::to_json`] gives the
/// body ready to send.
///
/// Bounded: an id echoed from the request (`API group {id} does not exist`) is cut after 80
/// characters with its length stated (`API group aaaa… (100000 bytes) does not exist`), so a body
/// stays under 1 KiB whatever the request; an import's message, which locates the problem in the
/// document, stays under 4 KiB.
///
/// ```
/// use apig_export::ExportRequest;
///
/// let err = ExportRequest::parse(None, br#"{"group_id": "g"}"#).unwrap_err();
/// assert_eq!(err.status(), 400);
/// assert_eq!(err.error_code(), "APIG.2001");
/// assert_eq!(
///     err.to_json(),
///     r#"{"error_code":"APIG.2001","error_msg":"The request parameters must be specified,parameterName:env_id. Please refer to the support documentation"}"#
/// );
/// ```
#[derive(Clone)]
pub struct ApiError {
    kind: ApiErrorKind,
    message: String,
    /// What caused a system error, when something did.
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Which error an [`ApiError`] is: one variant per error code, to branch on instead of the
/// code's text.
///
/// ```
/// use apig_export::{ApiErrorKind, ExportRequest};
///
/// let err = ExportRequest::parse(Some("4.0"), br#"{"env_id": "e", "group_id": "g"}"#).unwrap_err();
/// assert_eq!(err.kind(), ApiErrorKind::InvalidParameter);
/// assert_eq!((err.kind().status(), err.kind().error_code()), (400, "APIG.2012"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400 APIG.2000: the body is not a JSON object.
    ParameterError,
    /// 400 APIG.2001: a mandatory parameter (`env_id`, `group_id`) is missing or empty.
    MissingParameter,
    /// 400 APIG.2012: a parameter has a wrong type or value.
    InvalidParameter,
    /// 404 APIG.3001: unknown group.
    GroupNotFound,
    /// 404 APIG.3002: an API that is unknown, another group's, or not published in the
    /// environment.
    ApiNotFound,
    /// 404 APIG.3003: unknown environment.
    EnvironmentNotFound,
    /// 404 APIG.3093: an asynchronous task that is unknown, expired, or another tenant's.
    TaskNotFound,
    /// 429 APIG.0308: the task queue (or the tenant's share of it) is full.
    Throttled,
    /// 400 APIG.3609: the document to import is empty (or only white space).
    EmptyDocument,
    /// 400 APIG.3600: the document to import is neither JSON nor YAML, or nests deeper than the
    /// import allows; the message gives the line and column.
    DocumentFormat,
    /// 400 APIG.3602: the document to import is not a Swagger 2.0 / OpenAPI 3.0.x document, or is
    /// malformed outside its operations; the message names the member.
    DocumentSyntax,
    /// 400 APIG.3603: the document to import is longer than the import allows, or one of its
    /// lists or objects has more entries than allowed; the message says which.
    DocumentTooLong,
    /// 403 APIG.3127: the document to import has more APIs than one import allows (300 by
    /// default).
    TooManyApis,
    /// 400 APIG.3201: the group an import would create is named like an existing group.
    GroupNameExists,
    /// 500 APIG.9999: anything unexpected; [`std::error::Error::source`] gives the cause when
    /// there is one.
    SystemError,
}

impl ApiErrorKind {
    /// The HTTP status APIG answers with.
    pub fn status(self) -> u16 {
        match self {
            ApiErrorKind::ParameterError
            | ApiErrorKind::MissingParameter
            | ApiErrorKind::InvalidParameter
            | ApiErrorKind::EmptyDocument
            | ApiErrorKind::DocumentFormat
            | ApiErrorKind::DocumentSyntax
            | ApiErrorKind::DocumentTooLong
            | ApiErrorKind::GroupNameExists => 400,
            ApiErrorKind::TooManyApis => 403,
            ApiErrorKind::GroupNotFound
            | ApiErrorKind::ApiNotFound
            | ApiErrorKind::EnvironmentNotFound
            | ApiErrorKind::TaskNotFound => 404,
            ApiErrorKind::Throttled => 429,
            ApiErrorKind::SystemError => 500,
        }
    }

    /// APIG's error code, e.g. `APIG.2012`.
    pub fn error_code(self) -> &'static str {
        match self {
            ApiErrorKind::ParameterError => "APIG.2000",
            ApiErrorKind::MissingParameter => "APIG.2001",
            ApiErrorKind::InvalidParameter => "APIG.2012",
            ApiErrorKind::GroupNotFound => "APIG.3001",
            ApiErrorKind::ApiNotFound => "APIG.3002",
            ApiErrorKind::EnvironmentNotFound => "APIG.3003",
            ApiErrorKind::TaskNotFound => "APIG.3093",
            ApiErrorKind::Throttled => "APIG.0308",
            ApiErrorKind::EmptyDocument => "APIG.3609",
            ApiErrorKind::DocumentFormat => "APIG.3600",
            ApiErrorKind::DocumentSyntax => "APIG.3602",
            ApiErrorKind::DocumentTooLong => "APIG.3603",
            ApiErrorKind::TooManyApis => "APIG.3127",
            ApiErrorKind::GroupNameExists => "APIG.3201",
            ApiErrorKind::SystemError => "APIG.9999",
        }
    }
}

impl ApiError {
    fn new(kind: ApiErrorKind, message: String) -> ApiError {
        ApiError { kind, message, source: None }
    }

    /// 400 APIG.2000: the body is not a JSON object.
    pub(crate) fn parameter_error() -> ApiError {
        ApiError::new(ApiErrorKind::ParameterError, "Parameter error".to_owned())
    }

    /// 400 APIG.2001: a mandatory parameter is missing or empty.
    pub(crate) fn missing(name: &str) -> ApiError {
        ApiError::new(
            ApiErrorKind::MissingParameter,
            format!("The request parameters must be specified,parameterName:{name}. Please refer to the support documentation"),
        )
    }

    /// 400 APIG.2012: a parameter has a wrong type or value.
    pub(crate) fn invalid(name: &str) -> ApiError {
        ApiError::new(
            ApiErrorKind::InvalidParameter,
            format!("Invalid parameter value,parameterName:{name}. Please refer to the support documentation"),
        )
    }

    /// 404 APIG.3001: unknown group.
    pub(crate) fn group_not_found(id: &str) -> ApiError {
        ApiError::new(ApiErrorKind::GroupNotFound, format!("API group {} does not exist", Cut(id)))
    }

    /// 404 APIG.3003: unknown environment.
    pub(crate) fn environment_not_found(id: &str) -> ApiError {
        ApiError::new(ApiErrorKind::EnvironmentNotFound, format!("Environment {} does not exist", Cut(id)))
    }

    /// 404 APIG.3002: unknown API, another group's, or not published in the environment.
    pub(crate) fn api_not_found(id: &str) -> ApiError {
        ApiError::new(ApiErrorKind::ApiNotFound, format!("API {} does not exist", Cut(id)))
    }

    /// 404 APIG.3093: unknown, expired, or another tenant's task.
    pub(crate) fn task_not_found(id: &str) -> ApiError {
        ApiError::new(ApiErrorKind::TaskNotFound, format!("The asynchronous task {} does not exist", Cut(id)))
    }

    /// 429 APIG.0308: the task queue is full.
    pub(crate) fn throttled() -> ApiError {
        ApiError::new(ApiErrorKind::Throttled, "The throttling threshold has been reached".to_owned())
    }

    /// 429 APIG.0308: the documents of waiting imports would pass their bound: `max` bytes in
    /// all, `share` of them per tenant.
    pub(crate) fn throttled_bytes(max: usize, share: usize) -> ApiError {
        ApiError::new(
            ApiErrorKind::Throttled,
            format!(
                "The throttling threshold has been reached: waiting imports may hold {max} bytes of documents, {share} per tenant"
            ),
        )
    }

    /// 400 APIG.3609: the document to import is empty.
    pub(crate) fn empty_document() -> ApiError {
        ApiError::new(ApiErrorKind::EmptyDocument, "The input file is empty".to_owned())
    }

    /// 400 APIG.3600: the document is neither JSON nor YAML (`why` says where).
    pub(crate) fn document_format(why: &str) -> ApiError {
        ApiError::new(ApiErrorKind::DocumentFormat, bounded(format!("Json or Yaml format error: {why}")))
    }

    /// 400 APIG.3602: the document is not a Swagger/OpenAPI document, or malformed at `at` (a
    /// member's location; empty for the whole document).
    pub(crate) fn document_syntax(at: &str, why: &str) -> ApiError {
        let sep = if at.is_empty() { "" } else { ": " };
        ApiError::new(
            ApiErrorKind::DocumentSyntax,
            bounded(format!("Syntax error in the Swagger file. {at}{sep}{why}")),
        )
    }

    /// 400 APIG.3603: the document, or one of its lists, is too long (`why` says which).
    pub(crate) fn document_too_long(why: &str) -> ApiError {
        ApiError::new(ApiErrorKind::DocumentTooLong, bounded(format!("The Swagger file content is too long: {why}")))
    }

    /// 403 APIG.3127: `count` APIs where at most `max` may be imported at once.
    pub(crate) fn too_many_apis(count: usize, max: usize) -> ApiError {
        ApiError::new(
            ApiErrorKind::TooManyApis,
            format!("Too many APIs in one import: {count}, at most {max} are allowed"),
        )
    }

    /// 400 APIG.3201: a group named `name` exists.
    pub(crate) fn group_name_exists(name: &str) -> ApiError {
        ApiError::new(ApiErrorKind::GroupNameExists, format!("The API group name already exists: {}", Quoted(name)))
    }

    /// 500 APIG.9999: anything unexpected.
    pub fn system_error() -> ApiError {
        ApiError::new(ApiErrorKind::SystemError, "System error".to_owned())
    }

    /// The same error, caused by `source` (kept for [`std::error::Error::source`]; the body does
    /// not show it).
    pub(crate) fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> ApiError {
        self.source = Some(Arc::new(source));
        self
    }

    /// Which error this is.
    pub fn kind(&self) -> ApiErrorKind {
        self.kind
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// APIG's error code, e.g. `APIG.2012`.
    pub fn error_code(&self) -> &'static str {
        self.kind.error_code()
    }

    /// APIG's error message.
    pub fn error_msg(&self) -> &str {
        &self.message
    }

    /// The error body as compact JSON: `{"error_code":"…","error_msg":"…"}`.
    pub fn to_json(&self) -> String {
        // Serializing two strings into memory cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Serialize for ApiError {
    /// Serializes the body (`error_code`, `error_msg`); the status travels separately.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ApiError", 2)?;
        s.serialize_field("error_code", self.kind.error_code())?;
        s.serialize_field("error_msg", &self.message)?;
        s.end()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status(), self.error_code(), self.message)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiError({self})")
    }
}

impl PartialEq for ApiError {
    /// Equal when kind and message are (the cause is not compared).
    fn eq(&self, other: &ApiError) -> bool {
        self.kind == other.kind && self.message == other.message
    }
}

impl Eq for ApiError {}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_task_runners_errors() {
        let e = ApiError::task_not_found("0123abc");
        assert_eq!(
            (e.kind(), e.status(), e.error_code(), e.error_msg()),
            (ApiErrorKind::TaskNotFound, 404, "APIG.3093", "The asynchronous task 0123abc does not exist")
        );
        let e = ApiError::throttled();
        assert_eq!(
            (e.kind(), e.status(), e.error_code(), e.error_msg()),
            (ApiErrorKind::Throttled, 429, "APIG.0308", "The throttling threshold has been reached")
        );
        let e = ApiError::throttled_bytes(64 << 20, 16 << 20);
        assert_eq!(
            (e.status(), e.error_code(), e.error_msg()),
            (
                429,
                "APIG.0308",
                "The throttling threshold has been reached: waiting imports may hold 67108864 bytes of documents, 16777216 per tenant"
            )
        );
        // An id echoed from the request is bounded, and stays valid JSON.
        let e = ApiError::task_not_found(&"\u{1}\"".repeat(500_000));
        assert!(e.to_json().len() < 1024, "{}", e.to_json());
        assert!(serde_json::from_str::<serde_json::Value>(&e.to_json()).is_ok());
    }
}
