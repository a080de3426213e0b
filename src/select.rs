//! Which group, environment, API definitions and policy bindings an export covers.

use indexmap::IndexSet;

use crate::model::{Acl, Api, Bound, Catalog, Environment, Group, Plugin, Refs, Throttle};
use crate::{ApiError, ExportRequest, Scope};

/// What one export covers, borrowed from the catalog, in path order (by path, method, then
/// stored order: the order the catalog settled when it was built).
#[derive(Debug)]
pub(crate) struct Selection<'c> {
    pub(crate) catalog: &'c Catalog,
    pub(crate) group: &'c Group,
    pub(crate) env: &'c Environment,
    pub(crate) apis: Vec<Selected<'c>>,
}

/// One API to export: the definition (published snapshot, or draft for `dev`) and, for `all`,
/// the policies bound to it in the environment.
#[derive(Debug)]
pub(crate) struct Selected<'c> {
    pub(crate) api: &'c Api,
    pub(crate) throttle: Option<&'c Throttle>,
    /// Bound ACL policies, sorted by ACL name.
    pub(crate) acls: Refs<'c, Acl>,
    /// Bound plug-ins, in binding order.
    pub(crate) plugins: Refs<'c, Plugin>,
    /// Its position in stored order: what orders equal paths and methods.
    pub(crate) seq: usize,
}

impl<'c> Selected<'c> {
    fn new(api: &'c Api, bound: Bound<'c>, seq: usize) -> Selected<'c> {
        Selected { api, throttle: bound.throttle, acls: bound.acls, plugins: bound.plugins, seq }
    }
}

/// Resolves the request's group, environment and `apis` ids, without selecting anything.
///
/// # Errors
///
/// In this order: unknown group (APIG.3001), unknown environment (APIG.3003), then the first id
/// of `apis` that is unknown, of another group, or (except for `dev`) not published in the
/// environment (APIG.3002).
pub(crate) fn resolve<'c>(
    catalog: &'c Catalog,
    request: &ExportRequest,
) -> Result<(&'c Group, &'c Environment), ApiError> {
    let group = catalog.group(request.group_id()).ok_or_else(|| ApiError::group_not_found(request.group_id()))?;
    let env = catalog.environment(request.env_id()).ok_or_else(|| ApiError::environment_not_found(request.env_id()))?;
    let dev = request.scope() == Scope::Dev;
    for id in request.apis() {
        let known = catalog.api(id).is_some_and(|a| a.group_id == group.id);
        if !known || (!dev && catalog.published(id, &env.id).is_none()) {
            return Err(ApiError::api_not_found(id));
        }
    }
    Ok((group, env))
}

/// Resolves the request (see [`resolve`]) and selects what the export covers.
///
/// # Errors
///
/// As [`resolve`].
pub(crate) fn select<'c>(catalog: &'c Catalog, request: &ExportRequest) -> Result<Selection<'c>, ApiError> {
    let (group, env) = resolve(catalog, request)?;
    let dev = request.scope() == Scope::Dev;
    let wanted: IndexSet<&str> = request.apis().iter().map(String::as_str).collect();
    let wanted = |api: &Api| wanted.is_empty() || wanted.contains(api.id.as_str());
    let with_policies = request.scope().has_policies();
    let apis = if dev {
        catalog
            .drafts_of(&group.id)
            .filter(|(api, _)| wanted(api))
            .map(|(api, seq)| Selected::new(api, Bound::none(), seq))
            .collect()
    } else {
        catalog
            .published_in(&env.id, &group.id)
            .filter(|(api, _, _)| wanted(api))
            .map(|(api, bound, seq)| Selected::new(api, if with_policies { bound } else { Bound::none() }, seq))
            .collect()
    };
    Ok(Selection { catalog, group, env, apis })
}
