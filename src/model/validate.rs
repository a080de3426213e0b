//! Whole-catalog validation, run once by [`Catalog::new`](super::Catalog::new).

use std::fmt;

use indexmap::{IndexMap, IndexSet};

use super::data::*;
use super::index::{resolve_published, Bindings, Index, Many};
use super::{path_variables, CatalogError, Issues, Lookup};
use crate::quote::{Cut, Quoted};
use crate::work::step;

/// Names of the security schemes every export defines; an authorizer may not take one.
pub(crate) const FIXED_SCHEMES: [&str; 3] = ["apig-auth-app", "apig-auth-app-header", "apig-auth-iam"];

/// A set that scans a short list and hashes once it grows: most APIs have a handful of parameters,
/// and comparing a few is cheaper than hashing each; past [`Small::LIST`] items every operation is
/// a hash lookup again, so no shape makes it quadratic.
struct Small<T> {
    list: Vec<T>,
    set: Option<IndexSet<T>>,
}

impl<T> Default for Small<T> {
    fn default() -> Self {
        Small { list: Vec::new(), set: None }
    }
}

impl<T: std::hash::Hash + Eq + Copy> Small<T> {
    /// The longest list scanned.
    const LIST: usize = 16;

    /// Adds `v`; `false` when it was already there.
    fn insert(&mut self, v: T) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(v);
        }
        if self.contains(&v) {
            return false;
        }
        self.list.push(v);
        if self.list.len() > Self::LIST {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }

    fn contains(&self, v: &T) -> bool {
        match &self.set {
            Some(set) => set.contains(v),
            None => self.list.contains(v),
        }
    }
}

/// `{at}.{list}[{i}]`, written only when an issue needs it.
struct Item<'a> {
    at: &'a dyn fmt::Display,
    list: &'static str,
    i: usize,
}

impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}[{}]", self.at, self.list, self.i)
    }
}

/// A location written only when an issue needs it (the happy path formats none).
struct Lazy<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> From<Lazy<F>> for String {
    fn from(lazy: Lazy<F>) -> String {
        lazy.to_string()
    }
}

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

struct Checker {
    issues: Issues,
}

impl Checker {
    fn fail(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.issues.push(location.into(), message.into());
    }

    /// Indexes `items` by id, reporting empty and duplicate ids.
    fn ids<'a, T: 'a>(&mut self, what: &str, items: &'a [T], id: impl Fn(&'a T) -> &'a str, field: &str) -> Lookup {
        let mut map = Lookup::new();
        for (i, item) in items.iter().enumerate() {
            step();
            let key = id(item);
            let at = || format!("{what}[{i}].{field}");
            if key.is_empty() {
                self.fail(at(), "must not be empty");
            } else if let Some(&first) = map.get(key) {
                self.fail(at(), format!("duplicate id {key:?} (first at {what}[{first}])", key = Quoted(key)));
            } else {
                map.insert(key.to_owned().into(), i);
            }
        }
        map
    }

    /// Reports names that are empty or repeated (they become map keys in the export).
    fn unique_names<'a, L: fmt::Display>(&mut self, names: impl Iterator<Item = (L, &'a str)>) {
        let mut seen: IndexMap<&str, L> = IndexMap::new();
        for (at, name) in names {
            step();
            if name.is_empty() {
                self.fail(at.to_string(), "must not be empty");
            } else if let Some(first) = seen.get(name) {
                self.fail(at.to_string(), format!("duplicate name {name:?} (first at {first})", name = Quoted(name)));
            } else {
                seen.insert(name, at);
            }
        }
    }

    /// Reports a code read as neither 1 nor 2 (`meaning` says what each is).
    fn one_or_two(&mut self, at: &dyn fmt::Display, field: &str, value: Option<u8>, meaning: &str) {
        if let Some(value) = value {
            self.fail(format!("{at}.{field}"), format!("must be 1 or 2 ({meaning}), got {value}"));
        }
    }
}

/// Validates `data`, filling in what publications leave implicit, and builds the lookups.
pub(crate) fn validate(mut data: CatalogData) -> Result<(CatalogData, Index), CatalogError> {
    data.shrink_to_fit();
    let mut c = Checker { issues: Issues::default() };
    let mut ix = Index {
        groups: c.ids("groups", &data.groups, |g| &g.id, "id"),
        environments: c.ids("environments", &data.environments, |e| &e.id, "id"),
        apis: c.ids("apis", &data.apis, |a| &a.id, "id"),
        authorizers: c.ids("authorizers", &data.authorizers, |a| &a.id, "id"),
        vpc_channels: c.ids("vpc_channels", &data.vpc_channels, |v| &v.id, "id"),
        orchestrations: c.ids("orchestrations", &data.orchestrations, |o| &o.orchestration_id, "orchestration_id"),
        throttles: c.ids("throttles", &data.throttles, |t| &t.id, "id"),
        acls: c.ids("acls", &data.acls, |a| &a.id, "id"),
        plugins: c.ids("plugins", &data.plugins, |p| &p.plugin_id, "plugin_id"),
        ..Index::default()
    };
    c.ids("apps", &data.apps, |a| &a.id, "id");
    c.ids("certificates", &data.certificates, |a| &a.id, "id");

    ix.responses = check_groups(&mut c, &data.groups);
    check_policies(&mut c, &data);

    // Publications name their API and environment; the snapshot inherits its identity.
    let mut publications: IndexMap<Text, IndexMap<Text, usize>> = IndexMap::new();
    let mut published: IndexMap<Text, IndexMap<Text, Vec<usize>>> = IndexMap::new();
    for (i, p) in data.publications.iter_mut().enumerate() {
        step();
        let at = Lazy(|f| write!(f, "publications[{i}]"));
        let Some(draft) = ix.apis.get(&p.api_id).and_then(|&a| data.apis.get(a)) else {
            c.fail(format!("{at}.api_id"), format!("unknown API {:?}", Quoted(&p.api_id)));
            continue;
        };
        if !ix.environments.contains_key(&p.env_id) {
            c.fail(format!("{at}.env_id"), format!("unknown environment {:?}", Quoted(&p.env_id)));
            continue;
        }
        // Published as it is: the draft itself, shared.
        let def = p.definition.get_or_insert_with(|| std::sync::Arc::clone(draft));
        if def.id.is_empty() {
            std::sync::Arc::make_mut(def).id.clone_from(&p.api_id);
        } else if def.id != p.api_id {
            c.fail(
                format!("{at}.definition.id"),
                format!("{:?} differs from api_id {:?}", Quoted(&def.id), Quoted(&p.api_id)),
            );
        }
        if def.group_id.is_empty() {
            if !draft.group_id.is_empty() {
                std::sync::Arc::make_mut(def).group_id.clone_from(&draft.group_id);
            }
        } else if def.group_id != draft.group_id {
            c.fail(
                format!("{at}.definition.group_id"),
                format!("{:?} differs from the API's group {:?}", Quoted(&def.group_id), Quoted(&draft.group_id)),
            );
        }
        let per_env = publications.entry(p.env_id.clone()).or_default();
        if let Some(first) = per_env.get(&p.api_id) {
            c.fail(
                at.to_string(),
                format!(
                    "API {:?} is published in {:?} twice (first at publications[{first}])",
                    Quoted(&p.api_id),
                    Quoted(&p.env_id)
                ),
            );
        } else {
            per_env.insert(p.api_id.clone(), i);
            let per_group = published.entry(p.env_id.clone()).or_default();
            per_group.entry(def.group_id.clone()).or_default().push(i);
        }
    }
    ix.publications = publications;

    for (i, api) in data.apis.iter().enumerate() {
        step();
        check_api(&mut c, &data, &ix, &Lazy(|f| write!(f, "apis[{i}]")), api);
    }
    for (i, p) in data.publications.iter().enumerate() {
        step();
        if let (Some(def), true) = (&p.definition, ix.publication(&p.api_id, &p.env_id) == Some(i)) {
            check_api(&mut c, &data, &ix, &Lazy(|f| write!(f, "publications[{i}].definition")), def);
        }
    }
    check_routes(&mut c, &data, &ix);
    let bindings = check_bindings(&mut c, &data, &ix);
    ix.published = resolve_published(published, &bindings, &data, &ix);
    ix.drafts = super::index::drafts_in_path_order(&data, &ix);

    if c.issues.is_empty() {
        super::index::lay_out_in_export_order(&mut data, &ix);
        Ok((data, ix))
    } else {
        Err(c.issues.into_error())
    }
}

/// Checks the groups; returns each group's gateway responses by id.
fn check_groups(c: &mut Checker, groups: &[Group]) -> Vec<Lookup> {
    let mut responses = Vec::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        step();
        let at = format!("groups[{i}]");
        if g.name.is_empty() {
            c.fail(format!("{at}.name"), "must not be empty");
        }
        if g.sl_domain.is_empty() && g.url_domains.iter().all(|d| d.domain.is_empty()) {
            c.fail(at.clone(), "the group has no domain: sl_domain is empty and no url_domains[].domain is set");
        }
        for (d, dom) in g.url_domains.iter().enumerate() {
            step();
            if dom.domain.is_empty() {
                c.fail(format!("{at}.url_domains[{d}].domain"), "must not be empty");
            }
        }
        responses.push(c.ids(&format!("{at}.gateway_responses"), &g.gateway_responses, |r| &r.id, "id"));
        c.unique_names(g.gateway_responses.iter().enumerate().map(|(r, resp)| {
            let at = &at;
            (Lazy(move |f| write!(f, "{at}.gateway_responses[{r}].name")), resp.name.as_str())
        }));
        for (r, resp) in g.gateway_responses.iter().enumerate() {
            step();
            for (kind, entry) in &resp.responses {
                step();
                if !(200..=599).contains(&entry.status) || entry.status == 444 {
                    c.fail(
                        format!("{at}.gateway_responses[{r}].responses.{}.status", Cut(kind)),
                        format!("must be 200 to 599 and not 444, got {}", entry.status),
                    );
                }
            }
        }
    }
    responses
}

fn check_policies(c: &mut Checker, data: &CatalogData) {
    c.unique_names(
        data.throttles
            .iter()
            .enumerate()
            .map(|(i, t)| (Lazy(move |f| write!(f, "throttles[{i}].name")), t.name.as_str())),
    );
    for (i, t) in data.throttles.iter().enumerate() {
        step();
        c.one_or_two(&Lazy(|f| write!(f, "throttles[{i}]")), "type", t.throttle_type.invalid(), "1 per API, 2 shared");
        if t.time_interval == 0 {
            c.fail(format!("throttles[{i}].time_interval"), "must be at least 1, got 0");
        }
    }
    c.unique_names(
        data.acls
            .iter()
            .enumerate()
            .map(|(i, a)| (Lazy(move |f| write!(f, "acls[{i}].acl_name")), a.acl_name.as_str())),
    );
    c.unique_names(
        data.authorizers
            .iter()
            .enumerate()
            .map(|(i, a)| (Lazy(move |f| write!(f, "authorizers[{i}].name")), a.name.as_str())),
    );
    for (i, a) in data.authorizers.iter().enumerate() {
        step();
        if FIXED_SCHEMES.contains(&a.name.as_str()) {
            c.fail(
                format!("authorizers[{i}].name"),
                format!("{:?} is the name of a built-in security scheme", Quoted(&a.name)),
            );
        }
    }
    c.unique_names(
        data.plugins
            .iter()
            .enumerate()
            .map(|(i, p)| (Lazy(move |f| write!(f, "plugins[{i}].plugin_name")), p.plugin_name.as_str())),
    );
}

fn check_api(c: &mut Checker, data: &CatalogData, ix: &Index, at: &dyn fmt::Display, api: &Api) {
    let group_index = ix.groups.get(&api.group_id).copied();
    let group = group_index.and_then(|g| data.groups.get(g));
    if group.is_none() {
        c.fail(format!("{at}.group_id"), format!("unknown group {:?}", Quoted(&api.group_id)));
    }
    if api.name.is_empty() {
        c.fail(format!("{at}.name"), "must not be empty");
    }
    c.one_or_two(at, "type", api.api_type.invalid(), "1 public, 2 private");

    // Request parameters: unique per (name, location), well-formed values.
    let mut declared: Small<(&str, ParamLocation)> = Small::default();
    for (p, param) in api.req_params.iter().enumerate() {
        step();
        let pat = Lazy(|f| write!(f, "{at}.req_params[{p}]"));
        check_req_param(c, ix, &pat, param);
        if !declared.insert((param.name.as_str(), param.location)) {
            c.fail(
                format!("{pat}.name"),
                format!("{} parameter {:?} is declared twice", param.location, Quoted(&param.name)),
            );
        }
    }

    // Path template ⇔ PATH parameters.
    match path_variables(&api.req_uri) {
        Err(e) => c.fail(format!("{at}.req_uri"), e),
        Ok(vars) => {
            let mut seen: Small<&str> = Small::default();
            for var in &vars {
                step();
                if !seen.insert(*var) {
                    c.fail(
                        format!("{at}.req_uri"),
                        format!("{:?}: variable {var:?} appears twice", Quoted(&api.req_uri), var = Quoted(var)),
                    );
                } else if !declared.contains(&(*var, ParamLocation::Path)) {
                    c.fail(
                        format!("{at}.req_uri"),
                        format!(
                            "{:?}: variable {var:?} is not declared as a PATH parameter",
                            Quoted(&api.req_uri),
                            var = Quoted(var)
                        ),
                    );
                }
            }
            for (p, param) in api.req_params.iter().enumerate() {
                step();
                if param.location == ParamLocation::Path && !seen.contains(&param.name.as_str()) {
                    c.fail(
                        format!("{at}.req_params[{p}].name"),
                        format!(
                            "PATH parameter {:?} does not appear in req_uri {:?}",
                            Quoted(&param.name),
                            Quoted(&api.req_uri)
                        ),
                    );
                }
            }
        }
    }

    match (api.auth_type, api.authorizer_id.as_deref().filter(|s| !s.is_empty())) {
        (AuthType::Authorizer, None) => {
            c.fail(format!("{at}.authorizer_id"), "must be set when auth_type is AUTHORIZER");
        }
        (_, Some(id)) => check_authorizer_ref(c, data, ix, at, id, AuthorizerKind::Frontend),
        _ => {}
    }
    if let (Some(id), Some(group)) = (api.response_id.as_deref().filter(|s| !s.is_empty()), group) {
        step();
        if !group_index.and_then(|g| ix.responses.get(g)).is_some_and(|r| r.contains_key(id)) {
            c.fail(
                format!("{at}.response_id"),
                format!("unknown gateway response {id:?} of group {:?}", Quoted(&group.id), id = Quoted(id)),
            );
        }
    }

    // The request parameters' names, looked up by every backend parameter and condition.
    let mut names: Small<&str> = Small::default();
    for p in &api.req_params {
        names.insert(p.name.as_str());
    }
    check_backend_params(c, &Lazy(|f| write!(f, "{at}.backend_params")), &api.backend_params, &names);
    match api.backend_type {
        BackendType::Http => match &api.backend_api {
            None => c.fail(format!("{at}.backend_api"), "must be set when backend_type is HTTP"),
            Some(b) => check_backend_api(c, data, ix, &Lazy(|f| write!(f, "{at}.backend_api")), b),
        },
        BackendType::Function => match &api.func_info {
            None => c.fail(format!("{at}.func_info"), "must be set when backend_type is FUNCTION"),
            Some(func) => check_func(c, data, ix, &Lazy(|f| write!(f, "{at}.func_info")), func),
        },
        BackendType::Mock => match &api.mock_info {
            None => c.fail(format!("{at}.mock_info"), "must be set when backend_type is MOCK"),
            Some(m) => check_mock(c, data, ix, &Lazy(|f| write!(f, "{at}.mock_info")), m),
        },
        BackendType::Grpc => {}
    }

    // Backend policies: types must fit the default backend; names unique.
    let allowed = match api.backend_type {
        BackendType::Http | BackendType::Grpc => "policy_https",
        BackendType::Function => "policy_functions",
        BackendType::Mock => "policy_mocks",
    };
    for (field, len) in [
        ("policy_https", api.policy_https.len()),
        ("policy_functions", api.policy_functions.len()),
        ("policy_mocks", api.policy_mocks.len()),
    ] {
        if len > 0 && field != allowed {
            c.fail(format!("{at}.{field}"), format!("not allowed with backend_type {}", api.backend_type));
        }
    }
    let commons = api
        .policy_https
        .iter()
        .enumerate()
        .map(|(i, p)| (Item { at, list: "policy_https", i }, &p.policy))
        .chain(
            api.policy_functions.iter().enumerate().map(|(i, p)| (Item { at, list: "policy_functions", i }, &p.policy)),
        )
        .chain(api.policy_mocks.iter().enumerate().map(|(i, p)| (Item { at, list: "policy_mocks", i }, &p.policy)))
        .collect::<Vec<_>>();
    c.unique_names(commons.iter().map(|(pat, p)| (Lazy(move |f| write!(f, "{pat}.name")), p.name.as_str())));
    for (pat, policy) in &commons {
        step();
        check_backend_params(c, &Lazy(|f| write!(f, "{pat}.backend_params")), &policy.backend_params, &names);
        for (k, cond) in policy.conditions.iter().enumerate() {
            step();
            check_condition(c, &Lazy(|f| write!(f, "{pat}.conditions[{k}]")), cond, &names);
        }
    }
    for (i, p) in api.policy_https.iter().enumerate() {
        step();
        check_backend_api(c, data, ix, &Item { at, list: "policy_https", i }, &p.backend);
    }
    for (i, p) in api.policy_functions.iter().enumerate() {
        step();
        check_func(c, data, ix, &Item { at, list: "policy_functions", i }, &p.function);
    }
    for (i, p) in api.policy_mocks.iter().enumerate() {
        check_mock(c, data, ix, &Item { at, list: "policy_mocks", i }, &p.mock);
    }
}

fn check_req_param(c: &mut Checker, ix: &Index, at: &dyn fmt::Display, p: &ReqParam) {
    if p.name.is_empty() {
        c.fail(format!("{at}.name"), "must not be empty");
    }
    c.one_or_two(at, "required", p.required.invalid(), "1 required, 2 optional");
    c.one_or_two(at, "valid_enable", p.valid_enable.invalid(), "1 enabled, 2 disabled");
    c.one_or_two(at, "pass_through", p.pass_through.invalid(), "1 always, 2 never");
    if p.location == ParamLocation::Path && p.required != Requirement::Required {
        c.fail(format!("{at}.required"), format!("a PATH parameter must be required (1), got {}", p.required.code()));
    }
    if p.param_type == ParamType::Number && !p.default_value.is_empty() && parse_number(&p.default_value).is_none() {
        c.fail(
            format!("{at}.default_value"),
            format!("{:?} is not a number (the parameter is NUMBER)", Quoted(&p.default_value)),
        );
    }
    for item in split_enumerations(&p.enumerations) {
        step();
        if item.is_empty() {
            c.fail(format!("{at}.enumerations"), format!("{:?} has an empty value", Quoted(&p.enumerations)));
        } else if p.param_type == ParamType::Number && parse_number(item).is_none() {
            c.fail(
                format!("{at}.enumerations"),
                format!(
                    "{item:?} in {:?} is not a number (the parameter is NUMBER)",
                    Quoted(&p.enumerations),
                    item = Quoted(item)
                ),
            );
        }
    }
    for (o, id) in p.orchestrations.iter().enumerate() {
        step();
        if !ix.orchestrations.contains_key(id) {
            c.fail(format!("{at}.orchestrations[{o}]"), format!("unknown orchestration rule {id:?}", id = Quoted(id)));
        }
    }
}

fn check_backend_params(c: &mut Checker, at: &dyn fmt::Display, params: &[BackendParam], frontend: &Small<&str>) {
    let mut seen: Small<(&str, BackendParamLocation)> = Small::default();
    for (i, p) in params.iter().enumerate() {
        step();
        if p.name.is_empty() {
            c.fail(format!("{at}[{i}].name"), "must not be empty");
        } else if !seen.insert((p.name.as_str(), p.location)) {
            c.fail(
                format!("{at}[{i}].name"),
                format!("{} backend parameter {:?} is declared twice", p.location, Quoted(&p.name)),
            );
        }
        if p.origin == BackendParamOrigin::Request && !frontend.contains(&p.value.as_str()) {
            c.fail(format!("{at}[{i}].value"), format!("{:?} is not a request parameter of the API", Quoted(&p.value)));
        }
    }
}

fn check_condition(c: &mut Checker, at: &dyn fmt::Display, cond: &Condition, frontend: &Small<&str>) {
    step();
    let (field, name) = match cond.condition_origin {
        ConditionOrigin::Param => ("req_param_name", &cond.req_param_name),
        ConditionOrigin::System => ("sys_param_name", &cond.sys_param_name),
        ConditionOrigin::Cookie => ("cookie_param_name", &cond.cookie_param_name),
        ConditionOrigin::FrontendAuthorizer => ("frontend_authorizer_param_name", &cond.frontend_authorizer_param_name),
        ConditionOrigin::Orchestration => ("mapped_param_name", &cond.mapped_param_name),
        ConditionOrigin::Source => return,
    };
    if name.is_empty() {
        c.fail(format!("{at}.{field}"), format!("must be set for origin {}", cond.condition_origin));
    } else if cond.condition_origin == ConditionOrigin::Param && !frontend.contains(&name.as_str()) {
        c.fail(format!("{at}.{field}"), format!("{name:?} is not a request parameter of the API", name = Quoted(name)));
    }
    if cond.condition_type.is_none() {
        c.fail(format!("{at}.condition_type"), format!("must be set for origin {}", cond.condition_origin));
    }
    if cond.condition_origin == ConditionOrigin::Orchestration
        && !matches!(cond.mapped_param_location.as_str(), "header" | "query")
    {
        c.fail(
            format!("{at}.mapped_param_location"),
            format!("must be \"header\" or \"query\", got {:?}", Quoted(&cond.mapped_param_location)),
        );
    }
}

fn check_backend_api(c: &mut Checker, data: &CatalogData, ix: &Index, at: &dyn fmt::Display, b: &BackendApi) {
    c.one_or_two(at, "vpc_channel_status", b.vpc_channel_status.invalid(), "1 VPC channel, 2 address");
    if b.vpc_channel_status == VpcChannelUse::Channel {
        match &b.vpc_channel_info {
            None => c.fail(format!("{at}.vpc_channel_info"), "must be set when vpc_channel_status is 1"),
            Some(v) if !ix.vpc_channels.contains_key(&v.vpc_channel_id) => c.fail(
                format!("{at}.vpc_channel_info.vpc_channel_id"),
                format!("unknown VPC channel {:?}", Quoted(&v.vpc_channel_id)),
            ),
            Some(_) => {}
        }
    } else if b.url_domain.is_empty() {
        c.fail(format!("{at}.url_domain"), "must be set when no VPC channel is used");
    }
    if let Some(retry) = &b.retry_count {
        if !matches!(retry.parse::<i8>(), Ok(-1..=10)) {
            c.fail(
                format!("{at}.retry_count"),
                format!("must be \"-1\" to \"10\", got {retry:?}", retry = Quoted(retry)),
            );
        }
    }
    if let Some(id) = b.authorizer_id.as_deref().filter(|s| !s.is_empty()) {
        check_authorizer_ref(c, data, ix, at, id, AuthorizerKind::Backend);
    }
}

fn check_func(c: &mut Checker, data: &CatalogData, ix: &Index, at: &dyn fmt::Display, f: &FuncInfo) {
    if f.function_urn.is_empty() {
        c.fail(format!("{at}.function_urn"), "must not be empty");
    }
    if let Some(id) = f.authorizer_id.as_deref().filter(|s| !s.is_empty()) {
        check_authorizer_ref(c, data, ix, at, id, AuthorizerKind::Backend);
    }
}

fn check_mock(c: &mut Checker, data: &CatalogData, ix: &Index, at: &dyn fmt::Display, m: &MockInfo) {
    if let Some(id) = m.authorizer_id.as_deref().filter(|s| !s.is_empty()) {
        check_authorizer_ref(c, data, ix, at, id, AuthorizerKind::Backend);
    }
}

fn check_authorizer_ref(
    c: &mut Checker,
    data: &CatalogData,
    ix: &Index,
    owner: &dyn fmt::Display,
    id: &str,
    kind: AuthorizerKind,
) {
    let at = || format!("{owner}.authorizer_id");
    match ix.authorizers.get(id).and_then(|&i| data.authorizers.get(i)) {
        None => c.fail(at(), format!("unknown authorizer {id:?}", id = Quoted(id))),
        Some(a) if a.authorizer_kind != kind => {
            c.fail(at(), format!("authorizer {id:?} is {}, expected {kind}", a.authorizer_kind, id = Quoted(id)));
        }
        Some(_) => {}
    }
}

/// No two APIs of a group share method + path + match mode (drafts; definitions published in one
/// environment), and API names are unique in the same sets (they become `operationId`s).
fn check_routes(c: &mut Checker, data: &CatalogData, ix: &Index) {
    type Route<'a> = (&'a str, Method, &'a str, MatchMode);
    /// Where a definition is, written only for an issue.
    #[derive(Clone, Copy)]
    enum At {
        Draft(usize),
        Published(usize),
    }
    impl fmt::Display for At {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                At::Draft(i) => write!(f, "apis[{i}]"),
                At::Published(i) => write!(f, "publications[{i}].definition"),
            }
        }
    }
    let mut routes: IndexMap<(Option<&str>, Route<'_>), At> = IndexMap::new();
    let mut names: IndexMap<(Option<&str>, &str, &str), At> = IndexMap::new();
    let drafts = data.apis.iter().enumerate().map(|(i, a)| (None, At::Draft(i), &**a));
    let published = data
        .publications
        .iter()
        .enumerate()
        .filter(|(i, p)| ix.publication(&p.api_id, &p.env_id) == Some(*i))
        .filter_map(|(i, p)| Some((Some(p.env_id.as_str()), At::Published(i), p.definition.as_deref()?)));
    for (env, at, api) in drafts.chain(published) {
        step();
        let route = (api.group_id.as_str(), api.req_method, api.req_uri.as_str(), api.match_mode);
        if let Some(first) = routes.get(&(env, route)) {
            c.fail(
                format!("{at}.req_uri"),
                format!(
                    "{} {:?} with match mode {} is already used in group {:?} by {first}",
                    api.req_method,
                    Quoted(&api.req_uri),
                    api.match_mode,
                    Quoted(&api.group_id)
                ),
            );
        } else {
            routes.insert((env, route), at);
        }
        let key = (env, api.group_id.as_str(), api.name.as_str());
        if let Some(first) = names.get(&key) {
            c.fail(
                format!("{at}.name"),
                format!(
                    "API name {:?} is already used in group {:?} by {first}",
                    Quoted(&api.name),
                    Quoted(&api.group_id)
                ),
            );
        } else {
            names.insert(key, at);
        }
    }
}

fn check_bindings(c: &mut Checker, data: &CatalogData, ix: &Index) -> Bindings {
    let published = |api: &str, env: &str| ix.publication(api, env).is_some();
    let mut throttle_of: IndexMap<Text, IndexMap<Text, usize>> = IndexMap::new();
    for (i, b) in data.throttle_bindings.iter().enumerate() {
        step();
        let at = Lazy(|f| write!(f, "throttle_bindings[{i}]"));
        if !ix.throttles.contains_key(&b.throttle_id) {
            c.fail(format!("{at}.throttle_id"), format!("unknown throttling policy {:?}", Quoted(&b.throttle_id)));
        } else if !published(&b.api_id, &b.env_id) {
            c.fail(at, format!("API {:?} is not published in environment {:?}", Quoted(&b.api_id), Quoted(&b.env_id)));
        } else {
            let per_env = throttle_of.entry(b.env_id.clone()).or_default();
            if let Some(first) = per_env.get(&b.api_id) {
                c.fail(
                    at,
                    format!(
                        "API {:?} already has a throttling policy in environment {:?} (throttle_bindings[{first}])",
                        Quoted(&b.api_id),
                        Quoted(&b.env_id)
                    ),
                );
            } else {
                per_env.insert(b.api_id.clone(), i);
            }
        }
    }
    let acls_of = many_bindings(
        c,
        "acl_bindings",
        "ACL policy",
        &data.acl_bindings,
        |b| (&b.acl_id, &b.api_id, &b.env_id),
        &ix.acls,
        &published,
    );
    let plugins_of = many_bindings(
        c,
        "plugin_bindings",
        "plug-in",
        &data.plugin_bindings,
        |b| (&b.plugin_id, &b.api_id, &b.env_id),
        &ix.plugins,
        &published,
    );
    Bindings { throttle_of, acls_of, plugins_of }
}

fn many_bindings<'d, T>(
    c: &mut Checker,
    what: &str,
    noun: &str,
    bindings: &'d [T],
    parts: impl Fn(&'d T) -> (&'d Text, &'d Text, &'d Text),
    targets: &Lookup,
    published: &impl Fn(&str, &str) -> bool,
) -> Many {
    let mut map = Many::new();
    // (environment, API, target) of every binding kept.
    let mut bound: IndexSet<(&str, &str, &str)> = IndexSet::new();
    for (i, b) in bindings.iter().enumerate() {
        step();
        let (target, api, env) = parts(b);
        let at = Lazy(|f| write!(f, "{what}[{i}]"));
        if !targets.contains_key(target) {
            c.fail(at, format!("unknown {noun} {target:?}", target = Quoted(target)));
        } else if !published(api, env) {
            c.fail(
                at,
                format!("API {api:?} is not published in environment {env:?}", api = Quoted(api), env = Quoted(env)),
            );
        } else {
            if !bound.insert((env.as_str(), api.as_str(), target.as_str())) {
                c.fail(
                    at,
                    format!(
                        "{noun} {target:?} is bound to API {api:?} in {env:?} twice",
                        target = Quoted(target),
                        api = Quoted(api),
                        env = Quoted(env)
                    ),
                );
            } else {
                map.entry(env.clone()).or_default().entry(api.clone()).or_default().push(i);
            }
        }
    }
    map
}

/// Splits a stored `enumerations` string: comma-separated, each value trimmed; empty when unset.
pub(crate) fn split_enumerations(s: &str) -> impl Iterator<Item = &str> {
    let mut items = s.split(',').map(str::trim).peekable();
    let unset = s.trim().is_empty();
    std::iter::from_fn(move || if unset { None } else { items.next() })
}

/// Parses a NUMBER parameter's stored text: `[+-]` digits with an optional fraction and exponent,
/// finite. `"inf"`, `"NaN"`, hex and empty strings are not numbers.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["0", "-1", "+2", "1.5", ".5", "5.", "1e3", "1E-3", " 7 "] {
            assert!(parse_number(ok).is_some(), "{ok}");
        }
        for bad in ["", "-", ".", "e3", "1e", "inf", "NaN", "0x10", "1,5", "1e999", "1.2.3"] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn enumerations() {
        assert_eq!(split_enumerations("").count(), 0);
        assert_eq!(split_enumerations("  ").count(), 0);
        assert_eq!(split_enumerations("a, b ,c").collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(split_enumerations("a,,b").collect::<Vec<_>>(), ["a", "", "b"]);
    }
}
