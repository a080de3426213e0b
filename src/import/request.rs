//! APIG's import request on the wire: the document and the form fields, as `multipart/form-data`
//! (APIG's form) or as a JSON object of the same fields.

use crate::ApiError;

use super::ImportOptions;

/// Parts of a `multipart/form-data` body read at most; a body with more is refused (APIG.2000).
const MAX_PARTS: usize = 32;
/// Bytes of one part's header block at most.
const MAX_PART_HEADERS: usize = 8 * 1024;
/// The form field that carries the document, as APIG names it.
const FILE_FIELD: &str = "file_name";

/// An import as APIG's `POST …/openapi/import` and `…/openapi/async-import` take it: the
/// document's bytes and [`ImportOptions`] read from the form fields.
///
/// [`ImportRequest::parse`] reads the body by its `Content-Type`:
///
/// - `multipart/form-data` (APIG's form): the fields `is_create_group`, `group_id`,
///   `extend_mode`, `api_mode`, `mock_mode`, `simple_mode` as text, and the document in the part
///   named `file_name` (a file part; its own file name and type are not used). Parts with other
///   names are skipped; a field given twice takes its last value.
/// - `application/json`: an object with the same members; a boolean field may be a JSON boolean
///   or the text `true`/`false`, and `file_name` is the document as a string.
///
/// ```
/// use apig_export::import::ImportRequest;
///
/// let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"api_mode\"\r\n\r\noverride\r\n\
/// --XyZ\r\nContent-Disposition: form-data; name=\"file_name\"; filename=\"shop.yaml\"\r\n\
/// Content-Type: application/yaml\r\n\r\nswagger: '2.0'\r\n--XyZ--\r\n";
/// let request = ImportRequest::parse(Some("multipart/form-data; boundary=XyZ"), body)?;
/// assert_eq!(request.document(), b"swagger: '2.0'");
///
/// let request = ImportRequest::parse(Some("application/json"), br#"{"is_create_group": false, "group_id": "g1", "file_name": "swagger: '2.0'"}"#)?;
/// assert_eq!(request.document(), b"swagger: '2.0'");
///
/// let missing = ImportRequest::parse(Some("application/json"), br#"{"api_mode": "merge"}"#).unwrap_err();
/// assert_eq!(missing.error_code(), "APIG.2001");
/// # Ok::<(), apig_export::ApiError>(())
/// ```
#[derive(Clone)]
pub struct ImportRequest {
    document: Vec<u8>,
    options: ImportOptions,
}

impl std::fmt::Debug for ImportRequest {
    /// The document's length, not its bytes (it may be megabytes).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRequest")
            .field("document_bytes", &self.document.len())
            .field("options", &self.options)
            .finish()
    }
}

impl ImportRequest {
    /// A request from a document and options already made.
    pub fn new(document: impl Into<Vec<u8>>, options: ImportOptions) -> ImportRequest {
        ImportRequest { document: document.into(), options }
    }

    /// Reads a request body by its `Content-Type` header (see the type's docs).
    ///
    /// # Errors
    ///
    /// 400 APIG.2000 for a content type other than the two, a malformed multipart body (no or a
    /// bad boundary, a part without a name, more than 32 parts), or a JSON body that is not an
    /// object; 400 APIG.2001 without a `file_name` (or, `is_create_group=false`, without a
    /// `group_id`); 400 APIG.2012 for a field value of the wrong type or outside its values.
    /// The document itself is not read here: [`crate::import::import`] answers for it.
    pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<ImportRequest, ApiError> {
        let content_type = content_type.unwrap_or_default();
        let (media, params) = content_type.split_once(';').unwrap_or((content_type, ""));
        let media = media.trim();
        if media.eq_ignore_ascii_case("multipart/form-data") {
            let boundary = parameters(params)
                .into_iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
                .map(|(_, value)| value)
                .filter(|b| !b.is_empty() && b.len() <= 70)
                .ok_or_else(ApiError::parameter_error)?;
            Self::from_multipart(boundary.as_bytes(), body)
        } else if media.eq_ignore_ascii_case("application/json") {
            Self::from_json(body)
        } else {
            Err(ApiError::parameter_error())
        }
    }

    fn from_multipart(boundary: &[u8], body: &[u8]) -> Result<ImportRequest, ApiError> {
        let parts = multipart(boundary, body).ok_or_else(ApiError::parameter_error)?;
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut document = None;
        for (name, content) in parts {
            if name == FILE_FIELD {
                document = Some(content);
            } else if is_field(&name) {
                let value = std::str::from_utf8(content).map_err(|_| ApiError::invalid(&name))?;
                fields.push((name, value.to_owned()));
            }
        }
        let options = ImportOptions::from_fields(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())))?;
        let document = document.ok_or_else(|| ApiError::missing(FILE_FIELD))?;
        Ok(ImportRequest { document: document.to_vec(), options })
    }

    fn from_json(body: &[u8]) -> Result<ImportRequest, ApiError> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| ApiError::parameter_error())?;
        let serde_json::Value::Object(members) = value else {
            return Err(ApiError::parameter_error());
        };
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut document = None;
        for (name, value) in members {
            if name == FILE_FIELD {
                match value {
                    serde_json::Value::String(text) => document = Some(text.into_bytes()),
                    _ => return Err(ApiError::invalid(FILE_FIELD)),
                }
            } else if is_field(&name) {
                let text = match value {
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return Err(ApiError::invalid(&name)),
                };
                fields.push((name, text));
            }
        }
        let options = ImportOptions::from_fields(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())))?;
        let document = document.ok_or_else(|| ApiError::missing(FILE_FIELD))?;
        Ok(ImportRequest { document, options })
    }

    /// The document's bytes.
    pub fn document(&self) -> &[u8] {
        &self.document
    }

    /// The options.
    pub fn options(&self) -> &ImportOptions {
        &self.options
    }

    /// The document and the options, taken.
    pub fn into_parts(self) -> (Vec<u8>, ImportOptions) {
        (self.document, self.options)
    }
}

/// Whether `name` is one of APIG's option fields.
fn is_field(name: &str) -> bool {
    matches!(name, "is_create_group" | "group_id" | "extend_mode" | "api_mode" | "mock_mode" | "simple_mode")
}

/// The `; name=value` parameters of a header value, values unquoted (`None` inside: malformed,
/// and the parameter is left out).
fn parameters(params: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = params;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return out;
        }
        let Some((name, after)) = rest.split_once('=') else { return out };
        let name = name.trim().to_owned();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            // A quoted string: `\x` stands for x; it ends at the first unescaped quote.
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    other => value.push(other),
                }
            }
            let Some(end) = end else { return out };
            (value, quoted.get(end..).unwrap_or_default())
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after.get(..end).unwrap_or_default().trim().to_owned(), after.get(end..).unwrap_or_default())
        };
        out.push((name, value));
        rest = next;
    }
}

/// The parts of a `multipart/form-data` body (RFC 7578, CRLF line ends), each as its field name
/// and content; `None` when the body is malformed.
fn multipart<'b>(boundary: &[u8], body: &'b [u8]) -> Option<Vec<(String, &'b [u8])>> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    // The first delimiter: at the start, or after a preamble ending in CRLF.
    let mut at = if body.starts_with(&delimiter) {
        delimiter.len()
    } else {
        let mut inner = b"\r\n".to_vec();
        inner.extend_from_slice(&delimiter);
        find(body, &inner, 0)? + inner.len()
    };
    let mut inner = b"\r\n".to_vec();
    inner.extend_from_slice(&delimiter);
    let mut parts = Vec::new();
    loop {
        let rest = body.get(at..)?;
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        // Transport padding, then CRLF.
        let padding = rest.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        at += padding;
        if !body.get(at..)?.starts_with(b"\r\n") {
            return None;
        }
        at += 2;
        if parts.len() == MAX_PARTS {
            return None;
        }
        // A part without headers has no name: malformed.
        if body.get(at..)?.starts_with(b"\r\n") {
            return None;
        }
        let headers_end = find(body.get(..body.len().min(at + MAX_PART_HEADERS + 4))?, b"\r\n\r\n", at)?;
        let headers = body.get(at..headers_end)?;
        let name = part_name(headers)?;
        let content_start = headers_end + 4;
        let content_end = find(body, &inner, content_start)?;
        parts.push((name, body.get(content_start..content_end)?));
        at = content_end + inner.len();
    }
}

/// The field name of a part from its header block (`Content-Disposition: form-data; name=…`).
fn part_name(headers: &[u8]) -> Option<String> {
    let headers = std::str::from_utf8(headers).ok()?;
    headers.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if !name.trim().eq_ignore_ascii_case("content-disposition") {
            return None;
        }
        let (kind, params) = value.split_once(';').unwrap_or((value, ""));
        if !kind.trim().eq_ignore_ascii_case("form-data") {
            return None;
        }
        parameters(params).into_iter().find(|(n, _)| n.eq_ignore_ascii_case("name")).map(|(_, v)| v)
    })
}

/// The first index of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let window = haystack.get(from..)?;
    if needle.is_empty() || window.len() < needle.len() {
        return None;
    }
    let first = *needle.first()?;
    let mut at = 0;
    while at + needle.len() <= window.len() {
        let offset = window.get(at..)?.iter().position(|&b| b == first)?;
        at += offset;
        if window.get(at..at + needle.len())? == needle {
            return Some(from + at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, file, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(file) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("content-disposition: form-data; name={name}\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    }

    #[test]
    fn multipart_fields_and_file() {
        let document = b"{\"swagger\": \"2.0\",\r\n \"x\": \"--not-the-boundary\"}\r\n";
        let body = form(
            "b0undary",
            &[
                ("is_create_group", None, b"false"),
                ("group_id", None, b"g1"),
                ("other", None, b"\xff"),
                ("file_name", Some("a;b\\\".json"), document),
            ],
        );
        let request = ImportRequest::parse(Some("Multipart/Form-Data; boundary=\"b0undary\""), &body).unwrap();
        assert_eq!(request.document(), document);
        assert_eq!(request.options().group_id.as_deref(), Some("g1"));
        assert!(!request.options().create_group);
        // An empty file is a document: the import refuses it (APIG.3609), not the form.
        let empty =
            ImportRequest::parse(Some("multipart/form-data; boundary=x"), &form("x", &[("file_name", Some("f"), b"")]));
        assert_eq!(empty.unwrap().document(), b"");
    }

    #[test]
    fn malformed_forms_are_apig_errors() {
        let code =
            |content_type: &str, body: &[u8]| ImportRequest::parse(Some(content_type), body).unwrap_err().error_code();
        let mp = "multipart/form-data; boundary=x";
        assert_eq!(code("text/plain", b"swagger: '2.0'"), "APIG.2000");
        assert_eq!(code("multipart/form-data", b""), "APIG.2000");
        assert_eq!(
            code(mp, b"--x\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\nunterminated"),
            "APIG.2000"
        );
        assert_eq!(code(mp, b"--x\r\nContent-Type: text/plain\r\n\r\nno name\r\n--x--"), "APIG.2000");
        let headless = b"--x\r\n\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\nd\r\n--x--";
        assert_eq!(code(mp, headless), "APIG.2000");
        assert_eq!(code(mp, &form("x", &[("api_mode", None, b"merge")])), "APIG.2001");
        assert_eq!(
            code(mp, &form("x", &[("api_mode", None, b"replace"), ("file_name", Some("f"), b"d")])),
            "APIG.2012"
        );
        assert_eq!(code(mp, &form("x", &[("mock_mode", None, b"\xff"), ("file_name", Some("f"), b"d")])), "APIG.2012");
        let many: Vec<(&str, Option<&str>, &[u8])> = (0..40).map(|_| ("other", None, &b"v"[..])).collect();
        assert_eq!(code(mp, &form("x", &many)), "APIG.2000");
        assert_eq!(code("application/json", b"[]"), "APIG.2000");
        assert_eq!(code("application/json", br#"{"file_name": 1}"#), "APIG.2012");
        assert_eq!(code("application/json", br#"{"mock_mode": 1, "file_name": ""}"#), "APIG.2012");
        assert_eq!(code("application/json", br#"{"is_create_group": false, "file_name": ""}"#), "APIG.2001");
        assert!(ImportRequest::parse(None, b"").is_err());
    }

    #[test]
    fn arbitrary_bodies_never_panic() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
            cases: std::env::var("APIG_EXPORT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
            ..Default::default()
        });
        let pieces = prop::collection::vec(
            prop_oneof![
                Just(b"--x".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\r\n\r\n".to_vec()),
                Just(b"Content-Disposition: form-data; name=\"file_name\"".to_vec()),
                Just(b"; name=\"".to_vec()),
                Just(b"--".to_vec()),
                prop::collection::vec(any::<u8>(), 0..8),
            ],
            0..24,
        );
        runner
            .run(&pieces, |pieces| {
                let body = pieces.concat();
                drop(ImportRequest::parse(Some("multipart/form-data; boundary=x"), &body));
                drop(ImportRequest::parse(Some("application/json"), &body));
                Ok(())
            })
            .unwrap();
    }
}
