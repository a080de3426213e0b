//! The wire error: what APIG answers when an export request cannot be served, an HTTP status
//! and the body `{"error_code": "…", "error_msg": "…"}`.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::quote::Cut;

/// An HTTP status plus APIG's error body `{"error_code": "…", "error_msg": "…"}`.
///
/// Every way an export request can fail is one of these, with the status, code and message
/// APIG uses; [`ApiError::to_json`] gives the body ready to send.
///
/// Bounded: an id echoed from the request (`API group {id} does not exist`) is cut after 80
/// characters with its length stated (`API group aaaa… (100000 bytes) does not exist`), so a body
/// stays under 1 KiB whatever the request.
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
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    status: u16,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// 400 APIG.2000: the body is not a JSON object.
    pub(crate) fn parameter_error() -> ApiError {
        ApiError { status: 400, code: "APIG.2000", message: "Parameter error".to_owned() }
    }

    /// 400 APIG.2001: a mandatory parameter is missing or empty.
    pub(crate) fn missing(name: &str) -> ApiError {
        ApiError {
            status: 400,
            code: "APIG.2001",
            message: format!(
                "The request parameters must be specified,parameterName:{name}. Please refer to the support documentation"
            ),
        }
    }

    /// 400 APIG.2012: a parameter has a wrong type or value.
    pub(crate) fn invalid(name: &str) -> ApiError {
        ApiError {
            status: 400,
            code: "APIG.2012",
            message: format!("Invalid parameter value,parameterName:{name}. Please refer to the support documentation"),
        }
    }

    /// 404 APIG.3001: unknown group.
    pub(crate) fn group_not_found(id: &str) -> ApiError {
        ApiError { status: 404, code: "APIG.3001", message: format!("API group {} does not exist", Cut(id)) }
    }

    /// 404 APIG.3003: unknown environment.
    pub(crate) fn environment_not_found(id: &str) -> ApiError {
        ApiError { status: 404, code: "APIG.3003", message: format!("Environment {} does not exist", Cut(id)) }
    }

    /// 404 APIG.3002: unknown API, another group's, or not published in the environment.
    pub(crate) fn api_not_found(id: &str) -> ApiError {
        ApiError { status: 404, code: "APIG.3002", message: format!("API {} does not exist", Cut(id)) }
    }

    /// 404 APIG.3093: unknown, expired, or another tenant's task.
    pub fn task_not_found(id: &str) -> ApiError {
        ApiError {
            status: 404,
            code: "APIG.3093",
            message: format!("The asynchronous task {} does not exist", Cut(id)),
        }
    }

    /// 429 APIG.0308: the task queue is full.
    pub fn throttled() -> ApiError {
        ApiError { status: 429, code: "APIG.0308", message: "The throttling threshold has been reached".to_owned() }
    }

    /// 500 APIG.9999: anything unexpected.
    pub fn system_error() -> ApiError {
        ApiError { status: 500, code: "APIG.9999", message: "System error".to_owned() }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// APIG's error code, e.g. `APIG.2012`.
    pub fn error_code(&self) -> &str {
        self.code
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
        s.serialize_field("error_code", self.code)?;
        s.serialize_field("error_msg", &self.message)?;
        s.end()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiError({self})")
    }
}

impl std::error::Error for ApiError {}
