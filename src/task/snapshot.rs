//! The snapshot that travels with a task (see [`Snapshot`]).

use std::sync::Arc;

use indexmap::IndexSet;
use serde::{Deserialize, Serialize};

use crate::model::{
    AclBinding, Api, Authorizer, CatalogData, Orchestration, PluginBinding, Publication, Text, ThrottleBinding,
    VpcChannel,
};
use crate::{select, ApiError, Catalog, ExportRequest, Profile, Scope};

/// What a task's export needs, frozen at submission.
///
/// A task must export the catalog as it was when it was submitted, on whichever node runs it.
/// In one process the runner simply keeps the catalog it was given (a catalog is immutable and
/// shared). A store shared by several nodes cannot point at one process's memory, so the task
/// carries a [`Snapshot`]: the request, the profile, and the part of the catalog the export reads,
/// selected at submission and serialized as compact JSON of the catalog format (the same
/// [`CatalogData`] shape `Catalog::from_json` reads):
///
/// - the group (with its gateway responses) and the environment;
/// - the definitions the request selects: for `spec`, `proxy` and `all`, each as published in the
///   environment (written as a draft published as it is, so it is stored once); for `dev`, the
///   drafts;
/// - for `all`, the throttling, ACL and plug-in policies bound to those definitions there, with
///   their bindings, in binding order;
/// - the custom authorizers, VPC channels and orchestration rules they name.
///
/// Nothing else: no other group, API or policy, and none of the secrets that never leave the
/// catalog (authorizer user data, VPC channel members, plug-in contents, apps, certificates). Thawing
/// validates the snapshot as any catalog is validated, and exporting it gives the same bytes as
/// exporting the whole catalog at submission (a property test holds this over generated
/// catalogs, requests and profiles). Its size follows the selection, not the catalog.
///
/// ```
/// use apig_export::task::Snapshot;
/// use apig_export::{export, Catalog, ExportRequest, Profile, Settings};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let catalog = Catalog::from_json(&std::fs::read("fixtures/catalogs/demo.json")?)?;
/// let request = ExportRequest::parse(Some("3.0"), br#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "f1e2d3c4b5a697887766554433221100", "define": "all", "version": "v1"}"#)?;
/// let snapshot = Snapshot::freeze(&catalog, &request, Profile::Apig)?;
/// let (frozen, again, profile) = Snapshot::from_bytes(snapshot.as_bytes().to_vec()).thaw()?;
/// assert_eq!((&again, profile), (&request, Profile::Apig));
/// let settings = Settings::default();
/// assert_eq!(export(&frozen, &again, &settings)?, export(&catalog, &request, &settings)?);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot(Vec<u8>);

/// The serialized form.
#[derive(Serialize, Deserialize)]
struct Frozen {
    /// The format's version.
    v: u32,
    oas_version: String,
    /// The request body, as APIG's wire form.
    request: Body,
    profile: String,
    catalog: CatalogData,
}

#[derive(Serialize, Deserialize)]
struct Body {
    env_id: String,
    group_id: String,
    define: String,
    #[serde(rename = "type")]
    format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    apis: Vec<String>,
}

const VERSION: u32 = 1;

impl Snapshot {
    /// Freezes what exporting `request` from `catalog` in `profile` needs.
    ///
    /// # Errors
    ///
    /// The request's lookup errors (as [`crate::prepare`]); APIG.9999 if serializing fails.
    pub fn freeze(catalog: &Catalog, request: &ExportRequest, profile: Profile) -> Result<Snapshot, ApiError> {
        let selection = select::select(catalog, request)?;
        let env_id = &selection.env.id;
        let mut data = CatalogData::default();
        let mut group = selection.group.clone();
        group.url_domains.shrink_to_fit();
        data.groups.push(group);
        data.environments.push(selection.env.clone());
        let mut chosen: Vec<&select::Selected<'_>> = selection.apis.iter().collect();
        // Stored order: what orders definitions of equal path and method.
        chosen.sort_by_key(|s| s.seq);
        let (mut authorizers, mut channels, mut rules) = (IndexSet::new(), IndexSet::new(), IndexSet::new());
        let (mut throttles, mut acls, mut plugins) = (IndexSet::new(), IndexSet::new(), IndexSet::new());
        for selected in chosen {
            let api = selected.api;
            references(api, &mut authorizers, &mut channels, &mut rules);
            data.apis.push(Arc::new(api.clone()));
            if request.scope() != Scope::Dev {
                data.publications.push(Publication {
                    api_id: api.id.clone(),
                    env_id: env_id.clone(),
                    ..Publication::default()
                });
            }
            if let Some(throttle) = selected.throttle {
                if throttles.insert(throttle.id.as_str()) {
                    data.throttles.push(throttle.clone());
                }
                let binding = ThrottleBinding {
                    throttle_id: throttle.id.clone(),
                    api_id: api.id.clone(),
                    env_id: env_id.clone(),
                };
                data.throttle_bindings.push(binding);
            }
            for acl in selected.acls.iter() {
                if acls.insert(acl.id.as_str()) {
                    data.acls.push(acl.clone());
                }
                let binding = AclBinding { acl_id: acl.id.clone(), api_id: api.id.clone(), env_id: env_id.clone() };
                data.acl_bindings.push(binding);
            }
            for plugin in selected.plugins.iter() {
                if plugins.insert(plugin.plugin_id.as_str()) {
                    let mut kept = plugin.clone();
                    kept.plugin_content = Text::default();
                    data.plugins.push(kept);
                }
                let binding = PluginBinding {
                    plugin_id: plugin.plugin_id.clone(),
                    api_id: api.id.clone(),
                    env_id: env_id.clone(),
                };
                data.plugin_bindings.push(binding);
            }
        }
        let all = catalog.data();
        data.authorizers = all
            .authorizers
            .iter()
            .filter(|a| authorizers.contains(a.id.as_str()))
            .map(|a| Authorizer { user_data: Text::default(), ..a.clone() })
            .collect();
        data.vpc_channels = all
            .vpc_channels
            .iter()
            .filter(|c| channels.contains(c.id.as_str()))
            .map(|c| VpcChannel { members: Vec::new(), ..c.clone() })
            .collect();
        data.orchestrations = all
            .orchestrations
            .iter()
            .filter(|o| rules.contains(o.orchestration_id.as_str()))
            .map(Orchestration::clone)
            .collect();
        let frozen = Frozen {
            v: VERSION,
            oas_version: request.dialect().as_str().to_owned(),
            request: Body {
                env_id: request.env_id().to_owned(),
                group_id: request.group_id().to_owned(),
                define: request.scope().as_str().to_owned(),
                format: request.format().as_str().to_owned(),
                version: request.version().map(str::to_owned),
                apis: request.apis().to_vec(),
            },
            profile: profile.as_str().to_owned(),
            catalog: data,
        };
        serde_json::to_vec(&frozen).map(Snapshot).map_err(|_| ApiError::system_error())
    }

    /// A snapshot read back from storage.
    pub fn from_bytes(bytes: Vec<u8>) -> Snapshot {
        Snapshot(bytes)
    }

    /// The serialized snapshot (compact JSON).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The catalog, request and profile frozen in it.
    ///
    /// # Errors
    ///
    /// APIG.9999 for bytes that are not a snapshot of this format, or whose catalog or request
    /// does not validate.
    pub fn thaw(&self) -> Result<(Catalog, ExportRequest, Profile), ApiError> {
        let frozen: Frozen = serde_json::from_slice(&self.0).map_err(|_| ApiError::system_error())?;
        if frozen.v != VERSION {
            return Err(ApiError::system_error());
        }
        let body = serde_json::to_vec(&frozen.request).map_err(|_| ApiError::system_error())?;
        let request = ExportRequest::parse(Some(&frozen.oas_version), &body).map_err(|_| ApiError::system_error())?;
        let profile = Profile::from_name(&frozen.profile).ok_or_else(ApiError::system_error)?;
        let catalog = Catalog::new(frozen.catalog).map_err(|_| ApiError::system_error())?;
        Ok((catalog, request, profile))
    }
}

/// Adds the ids of the authorizers, VPC channels and orchestration rules `api` names.
fn references<'a>(
    api: &'a Api,
    authorizers: &mut IndexSet<&'a str>,
    channels: &mut IndexSet<&'a str>,
    rules: &mut IndexSet<&'a str>,
) {
    let mut authorizer = |id: &'a Option<Text>| {
        if let Some(id) = id {
            authorizers.insert(id.as_str());
        }
    };
    authorizer(&api.authorizer_id);
    let backends = api.backend_api.iter().chain(api.policy_https.iter().map(|p| &p.backend));
    for backend in backends {
        authorizer(&backend.authorizer_id);
        if let Some(info) = &backend.vpc_channel_info {
            channels.insert(info.vpc_channel_id.as_str());
        }
    }
    for function in api.func_info.iter().chain(api.policy_functions.iter().map(|p| &p.function)) {
        authorizer(&function.authorizer_id);
    }
    for mock in api.mock_info.iter().chain(api.policy_mocks.iter().map(|p| &p.mock)) {
        authorizer(&mock.authorizer_id);
    }
    for param in &api.req_params {
        rules.extend(param.orchestrations.iter().map(Text::as_str));
    }
}
