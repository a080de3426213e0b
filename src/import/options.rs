//! APIG's import options and this library's limits on what a document may hold.

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// What an import does when a name it brings already exists: keep what exists, or overwrite it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mode {
    /// Keep what exists (APIG's default): an API that exists fails with APIG.3301; an existing
    /// policy, authorizer or gateway response is used as it is.
    #[default]
    Merge,
    /// Overwrite: an API with the same method, path and match mode is updated (its id kept); a
    /// policy, authorizer or gateway response of the same name takes the document's settings.
    Override,
}

impl Mode {
    /// `merge` or `override`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Merge => "merge",
            Mode::Override => "override",
        }
    }

    /// Parses `merge` or `override`.
    pub fn from_name(s: &str) -> Option<Mode> {
        match s {
            "merge" => Some(Mode::Merge),
            "override" => Some(Mode::Override),
            _ => None,
        }
    }
}

/// Bounds on what a document may hold; a document past one is refused whole, never imported in
/// part.
///
/// ```
/// let mut limits = apig_export::import::Limits::default();
/// assert_eq!(limits.max_apis, 300);
/// limits.max_apis = 10_000;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes of the document (APIG.3603); aliases of a YAML document count as the text they
    /// repeat, and may at most double it. Default 20 MiB.
    pub max_bytes: usize,
    /// Nesting of objects and lists (APIG.3600, where the nesting passes it). Default 64, at
    /// most 128 (the JSON reader's own bound).
    pub max_depth: usize,
    /// Operations, and path items, of one document (APIG.3127). Default 300, as APIG.
    pub max_apis: usize,
    /// Entries of one `parameters` list (request or backend parameters; APIG.3603). Default 100.
    pub max_parameters: usize,
    /// Entries of any other object or list, `paths` aside (APIG.3603). Default 1,000.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_bytes: 20 << 20, max_depth: 64, max_apis: 300, max_parameters: 100, max_entries: 1_000 }
    }
}

/// APIG's import options (`multipart/form-data` fields), and one of this library's:
/// [`ImportOptions::with_publish_to`].
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub(super) create_group: bool,
    pub(super) group_id: Option<String>,
    pub(super) extend_mode: Mode,
    pub(super) api_mode: Mode,
    pub(super) mock_mode: bool,
    pub(super) publish_to: Option<String>,
    pub(super) limits: Limits,
    pub(super) domain_suffix: String,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            create_group: true,
            group_id: None,
            extend_mode: Mode::Merge,
            api_mode: Mode::Merge,
            mock_mode: false,
            publish_to: None,
            limits: Limits::default(),
            domain_suffix: "apic.huaweicloudapis.com".to_owned(),
        }
    }
}

impl ImportOptions {
    /// APIG's defaults: a new group named `info.title`, `merge` for APIs and extended
    /// definitions, the document's backends, nothing published.
    pub fn new() -> ImportOptions {
        ImportOptions::default()
    }

    /// Imports into the existing group `group_id` (`is_create_group=false`).
    pub fn into_group(mut self, group_id: impl Into<String>) -> ImportOptions {
        self.create_group = false;
        self.group_id = Some(group_id.into());
        self
    }

    /// What to do with APIs that exist (`api_mode`).
    pub fn with_api_mode(mut self, mode: Mode) -> ImportOptions {
        self.api_mode = mode;
        self
    }

    /// What to do with policies, authorizers and gateway responses that exist (`extend_mode`).
    pub fn with_extend_mode(mut self, mode: Mode) -> ImportOptions {
        self.extend_mode = mode;
        self
    }

    /// Gives every imported API a mock backend instead of the document's (`mock_mode`).
    pub fn with_mock_mode(mut self, mock: bool) -> ImportOptions {
        self.mock_mode = mock;
        self
    }

    /// Beyond APIG: publishes every imported API into environment `env_id` (its definition as
    /// imported) and binds there the throttling policy, ACL and plug-ins the document names, so
    /// that an `all` export of that environment writes the document again.
    pub fn with_publish_to(mut self, env_id: impl Into<String>) -> ImportOptions {
        self.publish_to = Some(env_id.into());
        self
    }

    /// The document's bounds.
    pub fn with_limits(mut self, limits: Limits) -> ImportOptions {
        self.limits = limits;
        self
    }

    /// The debugging sub-domain of a new group is `{group id}.{suffix}` (default
    /// `apic.huaweicloudapis.com`).
    pub fn with_domain_suffix(mut self, suffix: impl Into<String>) -> ImportOptions {
        self.domain_suffix = suffix.into();
        self
    }

    /// The bounds in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Options from APIG's form fields (`is_create_group`, `group_id`, `extend_mode`,
    /// `api_mode`, `mock_mode`, `simple_mode`), with this library's defaults for the rest; other
    /// fields (the file's) are skipped.
    ///
    /// # Errors
    ///
    /// APIG.2012 for a value that is not one of the field's, APIG.2001 when `is_create_group`
    /// is false without a `group_id`.
    ///
    /// ```
    /// use apig_export::import::ImportOptions;
    /// let options = ImportOptions::from_fields([("is_create_group", "false"), ("group_id", "g1"), ("api_mode", "override")])?;
    /// let err = ImportOptions::from_fields([("api_mode", "replace")]).unwrap_err();
    /// assert_eq!(err.error_code(), "APIG.2012");
    /// # Ok::<(), apig_export::ApiError>(())
    /// ```
    pub fn from_fields<'f>(fields: impl IntoIterator<Item = (&'f str, &'f str)>) -> Result<ImportOptions, ApiError> {
        let mut options = ImportOptions::new();
        let boolean = |name: &str, v: &str| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ApiError::invalid(name)),
        };
        let mode = |name: &str, v: &str| Mode::from_name(v).ok_or_else(|| ApiError::invalid(name));
        for (name, value) in fields {
            match name {
                "is_create_group" => options.create_group = boolean(name, value)?,
                "group_id" => options.group_id = Some(value.to_owned()).filter(|v| !v.is_empty()),
                "extend_mode" => options.extend_mode = mode(name, value)?,
                "api_mode" => options.api_mode = mode(name, value)?,
                "mock_mode" => options.mock_mode = boolean(name, value)?,
                "simple_mode" => {
                    boolean(name, value)?;
                }
                _ => {}
            }
        }
        if !options.create_group && options.group_id.is_none() {
            return Err(ApiError::missing("group_id"));
        }
        Ok(options)
    }
}

/// [`ImportOptions`] as a task stored in a shared store keeps them (compact JSON).
#[derive(Serialize, Deserialize)]
struct Stored {
    create_group: bool,
    group_id: Option<String>,
    extend_mode: String,
    api_mode: String,
    mock_mode: bool,
    publish_to: Option<String>,
    limits: [usize; 5],
    domain_suffix: String,
}

impl ImportOptions {
    /// The options as compact JSON, every one of them (for a task that another process runs).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn to_stored(&self) -> Vec<u8> {
        let l = self.limits;
        let stored = Stored {
            create_group: self.create_group,
            group_id: self.group_id.clone(),
            extend_mode: self.extend_mode.as_str().to_owned(),
            api_mode: self.api_mode.as_str().to_owned(),
            mock_mode: self.mock_mode,
            publish_to: self.publish_to.clone(),
            limits: [l.max_bytes, l.max_depth, l.max_apis, l.max_parameters, l.max_entries],
            domain_suffix: self.domain_suffix.clone(),
        };
        serde_json::to_vec(&stored).unwrap_or_default()
    }

    /// Options [`ImportOptions::to_stored`] wrote; `None` for anything else.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn from_stored(bytes: &[u8]) -> Option<ImportOptions> {
        let s: Stored = serde_json::from_slice(bytes).ok()?;
        let [max_bytes, max_depth, max_apis, max_parameters, max_entries] = s.limits;
        Some(ImportOptions {
            create_group: s.create_group,
            group_id: s.group_id,
            extend_mode: Mode::from_name(&s.extend_mode)?,
            api_mode: Mode::from_name(&s.api_mode)?,
            mock_mode: s.mock_mode,
            publish_to: s.publish_to,
            limits: Limits { max_bytes, max_depth, max_apis, max_parameters, max_entries },
            domain_suffix: s.domain_suffix,
        })
    }
}
