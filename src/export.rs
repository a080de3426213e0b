//! The export itself: request + catalog → document, file name and warnings.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::render::{self, Document, Warning};
use crate::{default_version, select, ApiError, Catalog, Clock, ExportRequest, Format, Profile, SystemClock};

/// A flag that stops an export being written: checked before each path item, so writing ends
/// within one path item of [`CancelToken::cancel`]. Clones share the flag.
///
/// ```
/// use apig_export::{prepare, Cancelled, Catalog, CancelToken, ExportRequest, Settings};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let catalog = Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json")?)?;
/// let request = ExportRequest::parse(None, br#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "f1e2d3c4b5a697887766554433221100"}"#)?;
/// let cancel = CancelToken::new();
/// let prepared = prepare(&catalog, &request, &Settings::default().with_cancel(cancel.clone()))?;
/// cancel.cancel();
/// let err = prepared.write_to(&mut Vec::new()).unwrap_err();
/// assert!(Cancelled::is(&err)); // not `ErrorKind::Interrupted`, which callers retry
/// assert_eq!(err.kind(), std::io::ErrorKind::Other);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Stops every export written with this token (or a clone) at its next path item.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a write stopped when its [`CancelToken`] was cancelled: the error inside the
/// [`io::Error`] that [`Prepared::write_to`] returns, of kind [`io::ErrorKind::Other`].
///
/// Cancellation is not reported as [`io::ErrorKind::Interrupted`]: that kind means "try again",
/// and writing loops such as [`Write::write_all`] retry it. Tell a cancellation from the sink's
/// own errors with [`Cancelled::is`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cancelled;

impl Cancelled {
    /// Whether `error` reports a cancelled export (and not the sink's own failure).
    pub fn is(error: &io::Error) -> bool {
        error.get_ref().is_some_and(|inner| inner.is::<Cancelled>())
    }
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("export cancelled")
    }
}

impl std::error::Error for Cancelled {}

impl From<Cancelled> for io::Error {
    fn from(cancelled: Cancelled) -> io::Error {
        io::Error::other(cancelled)
    }
}

/// How to export, beyond what the request says: the profile, the clock for the default version,
/// and a token that can cancel the writing.
#[derive(Clone, Debug)]
pub struct Settings {
    profile: Profile,
    clock: Arc<dyn Clock>,
    cancel: Option<CancelToken>,
    warning_limit: usize,
}

impl Default for Settings {
    /// The Apig profile, the system clock, no cancellation, up to 1,000 warnings listed.
    fn default() -> Settings {
        Settings {
            profile: Profile::Apig,
            clock: Arc::new(SystemClock),
            cancel: None,
            warning_limit: render::MAX_LISTED,
        }
    }
}

impl Settings {
    /// Sets the profile.
    pub fn with_profile(mut self, profile: Profile) -> Settings {
        self.profile = profile;
        self
    }

    /// Sets the clock used for the default version.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Settings {
        self.clock = clock;
        self
    }

    /// Exports prepared with these settings stop writing when `token` is cancelled: the write
    /// fails with [`Cancelled`] ([`export`]: APIG.9999) before the next path item.
    pub fn with_cancel(mut self, token: CancelToken) -> Settings {
        self.cancel = Some(token);
        self
    }

    /// Lists at most `limit` warnings (at most 1,000, the default), then one that counts the rest;
    /// with 0 warnings are only counted, and none of their text is built: for exports whose
    /// warnings nobody reads (the task runner's).
    pub fn with_warning_limit(mut self, limit: usize) -> Settings {
        self.warning_limit = limit.min(render::MAX_LISTED);
        self
    }

    /// The cancel token, if any: an injected export function of the task runner checks it to
    /// stop early.
    pub fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }
}

/// A validated export whose bytes have not been written yet.
///
/// Every check has passed and every warning is known once this exists: writing can fail only if
/// the sink does. Each path item is rendered while it is written and dropped right after, so
/// writing a large group needs little memory besides the catalog; it can be written any number
/// of times.
#[derive(Debug)]
pub struct Prepared<'c> {
    doc: Document<'c>,
    file_name: String,
    format: Format,
    profile: Profile,
    warnings: Vec<Warning>,
}

impl Prepared<'_> {
    /// `{group name}-{environment name}-{define}-{version}`, byte for byte as APIG writes it: it
    /// may hold `/`, `..`, controls or bidirectional overrides from the catalog and the request.
    /// Use [`Prepared::safe_file_name`] or [`Prepared::content_disposition`] to name a file.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The file name with its extension, safe as one path component and to display (see
    /// [`Exported::safe_file_name`]).
    pub fn safe_file_name(&self) -> String {
        crate::file_name::safe(&self.file_name, self.format.file_type())
    }

    /// A `Content-Disposition` header value naming the file (see [`Exported::content_disposition`]).
    pub fn content_disposition(&self) -> String {
        crate::file_name::content_disposition(&self.file_name, self.format.file_type())
    }

    /// `.json`, `.yaml` or `.yml`.
    pub fn file_type(&self) -> &'static str {
        self.format.file_type()
    }

    /// What the target dialect or profile has no place for and was left out or changed, each
    /// naming its API; nothing is dropped without one.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Streams the document to `out`.
    ///
    /// # Errors
    ///
    /// The sink's own errors, and [`Cancelled`] (kind [`io::ErrorKind::Other`], see
    /// [`Cancelled::is`]) when the settings' cancel token was cancelled: what was written so far
    /// is an incomplete document.
    pub fn write_to<W: Write>(&self, out: &mut W) -> io::Result<()> {
        let written = crate::emit::write(&self.doc, self.format, self.profile, out);
        match (&written, &self.doc.cancel) {
            (Err(_), Some(token)) if token.is_cancelled() => Err(Cancelled.into()),
            _ => written,
        }
    }

    /// Writes the document into memory.
    ///
    /// # Errors
    ///
    /// APIG.9999 if writing fails, which an in-memory sink does not.
    pub fn into_exported(self) -> Result<Exported, ApiError> {
        let mut content = Vec::with_capacity(4096);
        self.write_to(&mut content).map_err(|e| ApiError::system_error().caused_by(e))?;
        let content = String::from_utf8(content).map_err(|e| ApiError::system_error().caused_by(e))?;
        Ok(Exported {
            file_name: self.file_name,
            file_type: self.format.file_type(),
            content,
            profile: self.profile,
            warnings: self.warnings,
        })
    }
}

/// A finished export: the file APIG would hand out, plus what was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    file_name: String,
    file_type: &'static str,
    content: String,
    profile: Profile,
    warnings: Vec<Warning>,
}

impl Exported {
    /// `{group name}-{environment name}-{define}-{version}`, byte for byte as APIG writes it (the
    /// task result's `FileName`): it may hold `/`, `..`, controls or bidirectional overrides from
    /// the catalog and the request. To name a file or a download, use [`Exported::safe_file_name`]
    /// or [`Exported::content_disposition`].
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The file name with its extension as one path component every common file system accepts
    /// and that displays as it is: bidirectional controls removed; controls, `/ \ : * ? " < > |`
    /// and line separators replaced by `_`; no leading dots or spaces; Windows device names
    /// prefixed with `_`; at most 200 bytes.
    ///
    /// ```
    /// # use apig_export::{export, Catalog, ExportRequest, Settings};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let catalog = Catalog::from_json(br#"{
    ///   "groups": [{"id": "g1", "name": "../../etc\r\nX-Evil: 1", "sl_domain": "g.example.com"}],
    ///   "environments": [{"id": "RELEASE", "name": "RELEASE"}]
    /// }"#)?;
    /// let request = ExportRequest::parse(None, br#"{"env_id": "RELEASE", "group_id": "g1", "version": "v1"}"#)?;
    /// let exported = export(&catalog, &request, &Settings::default())?;
    /// assert_eq!(exported.file_name(), "../../etc\r\nX-Evil: 1-RELEASE-spec-v1");
    /// assert_eq!(exported.safe_file_name(), "_.._etc__X-Evil_ 1-RELEASE-spec-v1.json");
    /// assert_eq!(
    ///     exported.content_disposition(),
    ///     "attachment; filename=\"_.._etc__X-Evil_ 1-RELEASE-spec-v1.json\"; \
    ///      filename*=UTF-8''_.._etc__X-Evil_%201-RELEASE-spec-v1.json"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn safe_file_name(&self) -> String {
        crate::file_name::safe(&self.file_name, self.file_type)
    }

    /// A `Content-Disposition` header value for a download of the file (RFC 6266): `attachment`,
    /// `filename="…"` with the [safe name](Exported::safe_file_name) in ASCII (every other
    /// character as `_`), and `filename*=UTF-8''…` with the safe name percent-encoded.
    pub fn content_disposition(&self) -> String {
        crate::file_name::content_disposition(&self.file_name, self.file_type)
    }

    /// `.json`, `.yaml` or `.yml`.
    pub fn file_type(&self) -> &'static str {
        self.file_type
    }

    /// The document.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// What was left out, and why.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The `task_result` string of a finished asynchronous export:
    /// `{"FileName":"…","FileType":"…","Comment":"<the document>"}`.
    pub fn task_result(&self) -> String {
        crate::emit::task_result(&self.file_name, self.file_type, &self.content, self.profile)
    }
}

/// Checks that `request` can be served from `catalog` (its group, environment and `apis` exist),
/// in the order and with the errors of [`prepare`], without selecting or rendering anything: what
/// the task runner checks at submission.
pub(crate) fn check(catalog: &Catalog, request: &ExportRequest) -> Result<(), ApiError> {
    select::resolve(catalog, request).map(|_| ())
}

/// Validates `request` against `catalog` and settles what the document leaves out, without writing it.
///
/// # Errors
///
/// The lookup errors APIG answers, in this order: unknown group (APIG.3001), unknown environment
/// (APIG.3003), an id in `apis` that is unknown, of another group, or not published (APIG.3002).
pub fn prepare<'c>(
    catalog: &'c Catalog,
    request: &ExportRequest,
    settings: &Settings,
) -> Result<Prepared<'c>, ApiError> {
    let selection = select::select(catalog, request)?;
    let version: Cow<'_, str> = match request.version() {
        Some(v) => Cow::Owned(v.to_owned()),
        None => Cow::Owned(default_version(settings.clock())),
    };
    let file_name = format!("{}-{}-{}-{}", selection.group.name, selection.env.name, request.scope(), version);
    let (doc, warnings) = render::render(
        selection,
        request.dialect(),
        request.scope(),
        settings.profile,
        version,
        settings.cancel.clone(),
        settings.warning_limit,
    );
    Ok(Prepared { doc, file_name, format: request.format(), profile: settings.profile, warnings })
}

/// Exports: [`prepare`] and write into memory.
///
/// # Errors
///
/// As [`prepare`].
pub fn export(catalog: &Catalog, request: &ExportRequest, settings: &Settings) -> Result<Exported, ApiError> {
    prepare(catalog, request, settings)?.into_exported()
}
