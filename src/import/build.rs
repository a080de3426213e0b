//! The ready operations into a copy of the base catalog: references resolved by name,
//! conflicts checked, ids given, policies created or overwritten, and (on request) the APIs
//! published with their bindings; then APIG's response from what became of each operation.

use std::borrow::Cow;
use std::sync::Arc;

use indexmap::{IndexMap, IndexSet};

use super::map::{self, At, Fail, Parsed};
use super::{ImportFailure, ImportIgnored, ImportOptions, ImportResponse, ImportSuccess, Mode, SwaggerResult};
use crate::model::{
    AclBinding, Catalog, CatalogData, GatewayResponse, Group, MatchMode, Method, PluginBinding, Publication, Text,
    ThrottleBinding,
};
use crate::quote::{Cut, Quoted};
use crate::render::names;

/// One operation of the document and what became of it.
pub(super) struct Entry {
    pub(super) method: &'static str,
    pub(super) path: String,
    pub(super) outcome: Outcome,
}

/// An operation read on its own: ready to go in, failed, or ignored (a method APIG has not).
pub(super) enum Outcome {
    Ready(Box<Parsed>),
    Failed(Fail),
    Ignored,
}

/// What a build did with a ready operation.
pub(super) enum Done {
    Created(Text),
    Updated(Text),
    Failed(Fail),
}

/// APIG's response: each operation, in document order, in `success`, `failure` or `ignore`.
pub(super) fn respond(
    entries: &[Entry],
    outcomes: IndexMap<usize, Done>,
    group_id: String,
    seed: u64,
) -> ImportResponse {
    let mut response = ImportResponse {
        group_id,
        success: Vec::new(),
        failure: Vec::new(),
        ignore: Vec::new(),
        swagger: SwaggerResult { id: hex_id(seed, u64::MAX), result: "Success" },
    };
    for (i, entry) in entries.iter().enumerate() {
        let (method, path) = (entry.method, entry.path.clone());
        let failed = |fail: &Fail| ImportFailure {
            method,
            path: path.clone(),
            error_code: fail.code,
            error_msg: fail.message.clone(),
        };
        match (&entry.outcome, outcomes.get(&i)) {
            (Outcome::Ignored, _) => response.ignore.push(ImportIgnored { method, path }),
            (Outcome::Failed(fail), _) | (_, Some(Done::Failed(fail))) => response.failure.push(failed(fail)),
            (Outcome::Ready(_), Some(Done::Created(id))) => {
                response.success.push(ImportSuccess { id: id.to_string(), method, path, action: "create" })
            }
            (Outcome::Ready(_), Some(Done::Updated(id))) => {
                response.success.push(ImportSuccess { id: id.to_string(), method, path, action: "update" })
            }
            (Outcome::Ready(_), None) => {}
        }
    }
    response
}

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub(super) fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// 32 lowercase hex digits from `seed` and `n` (`format!("{a:016x}{b:016x}")`, written digit by
/// digit: the formatter's padding costs ten times as much, once per new API and parameter).
fn hex_id(seed: u64, n: u64) -> String {
    let a = fnv(seed, &n.to_le_bytes());
    let b = fnv(a ^ 0x9e37_79b9_7f4a_7c15, &n.to_be_bytes());
    let mut id = String::with_capacity(32);
    for word in [a, b] {
        for shift in (0..16).rev() {
            let digit = (word >> (4 * shift)) & 0xf;
            id.push(char::from_digit(digit as u32, 16).unwrap_or('0'));
        }
    }
    id
}

/// Which operations each catalog item came from, to move the ones the catalog rejects.
#[derive(Default)]
pub(super) struct Attribution {
    apis: IndexMap<Text, usize>,
    throttles: IndexMap<usize, Vec<usize>>,
    acls: IndexMap<usize, Vec<usize>>,
    authorizers: IndexMap<usize, Vec<usize>>,
    responses: IndexMap<usize, Vec<usize>>,
    /// Ids of `data.apis`, `publications` and the bindings, by index, for locations.
    api_at: Vec<Text>,
    publication_api: Vec<Text>,
    throttle_binding_api: Vec<Text>,
    acl_binding_api: Vec<Text>,
    plugin_binding_api: Vec<Text>,
    group: usize,
}

impl Attribution {
    /// The operations an issue at `location` is about.
    pub(super) fn entries_of(&self, location: &str) -> Vec<usize> {
        let index = |prefix: &str| -> Option<usize> {
            let rest = location.strip_prefix(prefix)?.strip_prefix('[')?;
            rest.split(']').next()?.parse().ok()
        };
        let by_api = |ids: &[Text], i: Option<usize>| -> Vec<usize> {
            i.and_then(|i| ids.get(i)).and_then(|id| self.apis.get(id)).copied().into_iter().collect()
        };
        let users = |map: &IndexMap<usize, Vec<usize>>, i: Option<usize>| -> Vec<usize> {
            i.and_then(|i| map.get(&i)).cloned().unwrap_or_default()
        };
        if location.starts_with("apis[") {
            return by_api(&self.api_at, index("apis"));
        }
        if location.starts_with("publications[") {
            return by_api(&self.publication_api, index("publications"));
        }
        if location.starts_with("throttle_bindings[") {
            return by_api(&self.throttle_binding_api, index("throttle_bindings"));
        }
        if location.starts_with("acl_bindings[") {
            return by_api(&self.acl_binding_api, index("acl_bindings"));
        }
        if location.starts_with("plugin_bindings[") {
            return by_api(&self.plugin_binding_api, index("plugin_bindings"));
        }
        if location.starts_with("throttles[") {
            return users(&self.throttles, index("throttles"));
        }
        if location.starts_with("acls[") {
            return users(&self.acls, index("acls"));
        }
        if location.starts_with("authorizers[") {
            return users(&self.authorizers, index("authorizers"));
        }
        let group = format!("groups[{}].gateway_responses", self.group);
        if location.starts_with(&group) {
            return users(&self.responses, index(&group));
        }
        Vec::new()
    }
}

/// An imported API to publish: its id, and the throttling policy, ACLs and plug-ins to bind
/// (indices into the catalog data).
type Bound = (Text, Option<usize>, Vec<usize>, Vec<usize>);

/// One pass putting the ready operations into a copy of the base catalog.
pub(super) struct Build<'b> {
    pub(super) data: CatalogData,
    group: usize,
    pub(super) group_id: Text,
    options: &'b ImportOptions,
    root: &'b map::Root<'b>,
    used_ids: IndexSet<Text>,
    seed: u64,
    counter: u64,
    pub(super) attribution: Attribution,
    throttles: IndexMap<Text, usize>,
    acls: IndexMap<Text, usize>,
    authorizers: IndexMap<Text, usize>,
    /// Policies, authorizers and gateway responses by the Strict profile's spelling of their
    /// names, where it is not the name ([`strict_spellings`]).
    throttles_strict: IndexMap<Text, usize>,
    acls_strict: IndexMap<Text, usize>,
    authorizers_strict: IndexMap<Text, usize>,
    responses_strict: IndexMap<Text, usize>,
    plugins: IndexMap<Text, usize>,
    vpc_channels: IndexMap<Text, usize>,
    orchestrations: IndexMap<Text, usize>,
    responses: IndexMap<Text, usize>,
    /// Objects already created or overwritten by this import (by kind and index).
    touched: IndexSet<(u8, usize)>,
    routes: IndexMap<(Method, Text, MatchMode), usize>,
    names: IndexMap<Text, usize>,
}

impl<'b> Build<'b> {
    pub(super) fn new(
        base: &Catalog,
        group: &Group,
        new_group: bool,
        seed: u64,
        options: &'b ImportOptions,
        root: &'b map::Root<'b>,
    ) -> Build<'b> {
        let mut data = base.data().clone();
        let mut used_ids: IndexSet<Text> = IndexSet::new();
        used_ids.extend(data.groups.iter().map(|g| g.id.clone()));
        used_ids.extend(data.apis.iter().map(|a| a.id.clone()));
        used_ids.extend(data.throttles.iter().map(|t| t.id.clone()));
        used_ids.extend(data.acls.iter().map(|a| a.id.clone()));
        used_ids.extend(data.authorizers.iter().map(|a| a.id.clone()));
        used_ids.extend(data.groups.iter().flat_map(|g| g.gateway_responses.iter().map(|r| r.id.clone())));
        let mut build = Build {
            group: 0,
            group_id: group.id.clone(),
            options,
            root,
            used_ids,
            seed: fnv(seed, group.id.as_bytes()),
            counter: 0,
            attribution: Attribution::default(),
            throttles: data.throttles.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).rev().collect(),
            acls: data.acls.iter().enumerate().map(|(i, a)| (a.acl_name.clone(), i)).rev().collect(),
            authorizers: data.authorizers.iter().enumerate().map(|(i, a)| (a.name.clone(), i)).rev().collect(),
            throttles_strict: strict_spellings(data.throttles.iter().map(|t| &t.name), &[], names::key_name),
            acls_strict: strict_spellings(data.acls.iter().map(|a| &a.acl_name), &[], names::key_name),
            authorizers_strict: strict_spellings(
                data.authorizers.iter().map(|a| &a.name),
                &crate::render::FIXED_SCHEMES,
                names::variable_name,
            ),
            responses_strict: IndexMap::new(),
            plugins: data.plugins.iter().enumerate().map(|(i, p)| (p.plugin_name.clone(), i)).rev().collect(),
            vpc_channels: data.vpc_channels.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).rev().collect(),
            orchestrations: data
                .orchestrations
                .iter()
                .enumerate()
                .map(|(i, o)| (o.orchestration_name.clone(), i))
                .rev()
                .collect(),
            responses: IndexMap::new(),
            touched: IndexSet::new(),
            routes: IndexMap::new(),
            names: IndexMap::new(),
            data: CatalogData::default(),
        };
        if new_group {
            let id = build.new_id();
            let mut group = group.clone();
            group.sl_domain = format!("{id}.{}", options.domain_suffix).into();
            group.id.clone_from(&id);
            build.group_id = id;
            data.groups.push(group);
        }
        build.group = data.groups.iter().position(|g| g.id == build.group_id).unwrap_or(0);
        build.attribution.group = build.group;
        if let Some(g) = data.groups.get(build.group) {
            build.responses = g.gateway_responses.iter().enumerate().map(|(i, r)| (r.name.clone(), i)).rev().collect();
            build.responses_strict =
                strict_spellings(g.gateway_responses.iter().map(|r| &r.name), &[], names::key_name);
        }
        for (i, api) in data.apis.iter().enumerate() {
            if api.group_id == build.group_id {
                build.routes.entry((api.req_method, api.req_uri.clone(), api.match_mode)).or_insert(i);
                build.names.entry(api.name.clone()).or_insert(i);
            }
        }
        build.data = data;
        build
    }

    fn new_id(&mut self) -> Text {
        loop {
            let id: Text = hex_id(self.seed, self.counter).into();
            self.counter += 1;
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Puts every ready entry in; returns what became of each.
    /// The drafts written into the catalog are moved out of `entries`: a build after this one
    /// needs them read again ([`Entry::outcome`] stays `Ready`).
    pub(super) fn run(&mut self, entries: &mut [Entry]) -> IndexMap<usize, Done> {
        let mut outcomes = IndexMap::new();
        let mut doc_routes: IndexMap<(Method, Text, MatchMode), usize> = IndexMap::new();
        let mut doc_names: IndexMap<Text, usize> = IndexMap::new();
        let mut published: Vec<Bound> = Vec::new();
        for (i, entry) in entries.iter_mut().enumerate() {
            crate::work::step();
            let Outcome::Ready(parsed) = &mut entry.outcome else { continue };
            let done = match self.put(i, parsed, &mut doc_routes, &mut doc_names) {
                Ok((done, bound)) => {
                    if let Some(bound) = bound {
                        published.push(bound);
                    }
                    done
                }
                Err(fail) => Done::Failed(fail),
            };
            outcomes.insert(i, done);
        }
        self.publish(published);
        self.attribution.api_at = self.data.apis.iter().map(|a| a.id.clone()).collect();
        self.attribution.publication_api = self.data.publications.iter().map(|p| p.api_id.clone()).collect();
        self.attribution.throttle_binding_api = self.data.throttle_bindings.iter().map(|b| b.api_id.clone()).collect();
        self.attribution.acl_binding_api = self.data.acl_bindings.iter().map(|b| b.api_id.clone()).collect();
        self.attribution.plugin_binding_api = self.data.plugin_bindings.iter().map(|b| b.api_id.clone()).collect();
        outcomes
    }

    /// One entry: references resolved, conflicts checked, then written.
    fn put(
        &mut self,
        entry: usize,
        parsed: &mut Parsed,
        doc_routes: &mut IndexMap<(Method, Text, MatchMode), usize>,
        doc_names: &mut IndexMap<Text, usize>,
    ) -> Result<(Done, Option<Bound>), Fail> {
        let api = &parsed.api;
        let at = format!("{} {}", api.req_method, Cut(&api.req_uri));

        // References that must exist.
        let mut vpc_ids = Vec::new();
        for (place, name) in &parsed.vpc_channels {
            let i = self.vpc_channels.get(name.as_str()).copied().ok_or_else(|| {
                Fail::new(
                    "APIG.3023",
                    format!("The VPC channel does not exist. {at}: no VPC channel is named {}", Quoted(name)),
                )
            })?;
            vpc_ids.push((*place, self.data.vpc_channels.get(i).map(|v| v.id.clone()).unwrap_or_default()));
        }
        let mut orchestration_ids = Vec::new();
        for (p, names) in &parsed.orchestrations {
            let mut ids = Vec::new();
            for name in names {
                let i = self.orchestrations.get(name.as_str()).copied().ok_or_else(|| {
                    Fail::new(
                        "APIG.3095",
                        format!(
                            "The orchestration rule does not exist. {at}: no orchestration rule is named {}",
                            Quoted(name)
                        ),
                    )
                })?;
                ids.push(self.data.orchestrations.get(i).map(|o| o.orchestration_id.clone()).unwrap_or_default());
            }
            orchestration_ids.push((*p, ids));
        }
        let mut plugin_indices = Vec::new();
        for name in &parsed.plugins {
            let i = self.plugins.get(name.as_str()).copied().ok_or_else(|| {
                Fail::new(
                    "APIG.0104",
                    format!("The plug-in does not exist. {at}: no plug-in is named {}", Quoted(name)),
                )
            })?;
            if !plugin_indices.contains(&i) {
                plugin_indices.push(i);
            }
        }
        let throttle = match &parsed.throttle {
            None => None,
            Some(name) => Some(self.extended(Kind::Throttle, name, &at)?),
        };
        let acl = match &parsed.acl {
            None => None,
            Some(name) => Some(self.extended(Kind::Acl, name, &at)?),
        };
        let authorizer = match &parsed.authorizer {
            None => None,
            Some((name, details)) => Some(self.authorizer(name, details.as_ref(), &at)?),
        };
        let response = match &parsed.response {
            None => None,
            Some(name) => Some(self.extended(Kind::Response, name, &at)?),
        };

        // Conflicts: method + path + match mode, and the name, within the document and the group.
        let route = (api.req_method, api.req_uri.clone(), api.match_mode);
        if doc_routes.contains_key(&route) {
            return Err(Fail::new(
                "APIG.3301",
                format!("The API already exists. {at}: an API before it in the document has the same method, path and match mode"),
            ));
        }
        let target = match (self.routes.get(&route).copied(), self.options.api_mode) {
            (Some(_), Mode::Merge) => {
                return Err(Fail::new(
                    "APIG.3301",
                    format!(
                        "The API already exists. {at}: the group has an API with the same method, path and match mode"
                    ),
                ))
            }
            (Some(i), Mode::Override) => Some(i),
            (None, _) => None,
        };
        if doc_names.contains_key(&api.name) {
            return Err(Fail::new(
                "APIG.3301",
                format!(
                    "The API already exists. {at}: an API before it in the document is named {}",
                    Quoted(&api.name)
                ),
            ));
        }
        if let Some(&other) = self.names.get(&api.name) {
            if Some(other) != target {
                return Err(Fail::new(
                    "APIG.3301",
                    format!("The API already exists. {at}: the group has another API named {}", Quoted(&api.name)),
                ));
            }
        }

        // Written: the draft moves into the catalog.
        let name = api.name.clone();
        let mut api = std::mem::take(&mut parsed.api);
        for (place, id) in vpc_ids {
            let backend = match place {
                map::Place::Default => api.backend_api.as_mut(),
                map::Place::Policy(k) => api.policy_https.get_mut(k).map(|p| &mut p.backend),
            };
            if let Some(info) = backend.and_then(|b| b.vpc_channel_info.as_mut()) {
                info.vpc_channel_id = id;
            }
        }
        for (p, ids) in orchestration_ids {
            if let Some(param) = api.req_params.get_mut(p) {
                param.orchestrations = ids;
            }
        }
        for (i, param) in api.req_params.iter_mut().enumerate() {
            if param.id.is_empty() {
                param.id = hex_id(self.seed ^ 0x5bd1_e995, (entry as u64) << 16 | i as u64).into();
            }
        }
        api.authorizer_id = authorizer.and_then(|i| self.data.authorizers.get(i)).map(|a| a.id.clone());
        api.response_id = response
            .and_then(|i| self.data.groups.get(self.group).and_then(|g| g.gateway_responses.get(i)))
            .map(|r| r.id.clone());
        api.group_id.clone_from(&self.group_id);
        let done = match target {
            Some(i) => {
                let id = self.data.apis.get(i).map(|a| a.id.clone()).unwrap_or_default();
                api.id.clone_from(&id);
                if let Some(slot) = self.data.apis.get_mut(i) {
                    *slot = Arc::new(api);
                }
                Done::Updated(id)
            }
            None => {
                api.id = self.new_id();
                let id = api.id.clone();
                self.data.apis.push(Arc::new(api));
                Done::Created(id)
            }
        };
        let id = match &done {
            Done::Created(id) | Done::Updated(id) => id.clone(),
            Done::Failed(_) => Text::default(),
        };
        doc_routes.insert(route, entry);
        doc_names.insert(name, entry);
        self.attribution.apis.insert(id.clone(), entry);
        for (kind, index) in [(0u8, throttle), (1, acl), (2, authorizer), (3, response)] {
            if let Some(index) = index {
                let users = match kind {
                    0 => &mut self.attribution.throttles,
                    1 => &mut self.attribution.acls,
                    2 => &mut self.attribution.authorizers,
                    _ => &mut self.attribution.responses,
                };
                users.entry(index).or_default().push(entry);
            }
        }
        let bound =
            self.options.publish_to.is_some().then(|| (id, throttle, acl.into_iter().collect(), plugin_indices));
        Ok((done, bound))
    }

    /// A throttling policy, ACL or gateway response by name: the existing one (overwritten
    /// with the document's in `override` mode) or a new one from the document.
    fn extended(&mut self, kind: Kind, name: &str, at: &str) -> Result<usize, Fail> {
        let (existing, in_doc, what, code) = match kind {
            Kind::Throttle => (
                self.throttles.get(name).or_else(|| self.throttles_strict.get(name)).copied(),
                self.root.ratelimits,
                "x-apigateway-ratelimits",
                "APIG.3005",
            ),
            Kind::Acl => (
                self.acls.get(name).or_else(|| self.acls_strict.get(name)).copied(),
                self.root.access_controls,
                "x-apigateway-access-controls",
                "APIG.3006",
            ),
            Kind::Response => (
                self.responses.get(name).or_else(|| self.responses_strict.get(name)).copied(),
                self.root.responses,
                "x-apigateway-responses",
                "",
            ),
        };
        let definition = in_doc.and_then(|m| map::get(m, name));
        let what_at = At::text(what);
        let doc_at = what_at.key(name);
        let touched = (kind as u8, existing.unwrap_or(usize::MAX));
        match (existing, definition) {
            (Some(i), Some(def)) if self.options.extend_mode == Mode::Override && !self.touched.contains(&touched) => {
                self.touched.insert((kind as u8, i));
                match kind {
                    Kind::Throttle => {
                        let new = map::throttle(name, def, doc_at)?;
                        if let Some(t) = self.data.throttles.get_mut(i) {
                            *t = crate::model::Throttle {
                                id: t.id.clone(),
                                name: t.name.clone(),
                                remark: t.remark.clone(),
                                ..new
                            };
                        }
                    }
                    Kind::Acl => {
                        let new = map::acl(name, def, doc_at)?;
                        if let Some(a) = self.data.acls.get_mut(i) {
                            *a = crate::model::Acl { id: a.id.clone(), acl_name: a.acl_name.clone(), ..new };
                        }
                    }
                    Kind::Response => {
                        let entries = map::error_responses(def, doc_at)?;
                        if let Some(r) =
                            self.data.groups.get_mut(self.group).and_then(|g| g.gateway_responses.get_mut(i))
                        {
                            for (k, e) in entries {
                                r.responses.insert(k, e);
                            }
                        }
                    }
                }
                Ok(i)
            }
            (Some(i), _) => Ok(i),
            (None, def) => {
                let id = self.new_id();
                let index = match kind {
                    Kind::Throttle => {
                        let def = def.ok_or_else(|| {
                            Fail::new(
                                code,
                                format!(
                                    "The request throttling policy does not exist. {at}: no policy is named {}",
                                    Quoted(name)
                                ),
                            )
                        })?;
                        let new = map::throttle(name, def, doc_at)?;
                        self.data.throttles.push(crate::model::Throttle { id, ..new });
                        self.throttles.insert(name.into(), self.data.throttles.len() - 1);
                        self.data.throttles.len() - 1
                    }
                    Kind::Acl => {
                        let def = def.ok_or_else(|| {
                            Fail::new(
                                code,
                                format!(
                                    "The access control policy does not exist. {at}: no policy is named {}",
                                    Quoted(name)
                                ),
                            )
                        })?;
                        let new = map::acl(name, def, doc_at)?;
                        self.data.acls.push(crate::model::Acl { id, ..new });
                        self.acls.insert(name.into(), self.data.acls.len() - 1);
                        self.data.acls.len() - 1
                    }
                    Kind::Response => {
                        let responses = match def {
                            Some(def) => map::error_responses(def, doc_at)?,
                            None => IndexMap::new(),
                        };
                        let Some(group) = self.data.groups.get_mut(self.group) else {
                            return Err(Fail::new("APIG.3001", "API group does not exist".into()));
                        };
                        let default = name == "default" && !group.gateway_responses.iter().any(|r| r.default);
                        group.gateway_responses.push(GatewayResponse { id, name: name.into(), default, responses });
                        let i = group.gateway_responses.len() - 1;
                        self.responses.insert(name.into(), i);
                        i
                    }
                };
                self.touched.insert((kind as u8, index));
                Ok(index)
            }
        }
    }

    /// A custom authorizer by its scheme's name (or the Strict profile's spelling of it).
    fn authorizer(&mut self, name: &str, details: Option<&crate::model::Authorizer>, at: &str) -> Result<usize, Fail> {
        let existing = self.authorizers.get(name).or_else(|| self.authorizers_strict.get(name)).copied();
        match (existing, details) {
            (Some(i), Some(d)) if self.options.extend_mode == Mode::Override && !self.touched.contains(&(2, i)) => {
                self.touched.insert((2, i));
                if let Some(a) = self.data.authorizers.get_mut(i) {
                    *a = crate::model::Authorizer {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        user_data: a.user_data.clone(),
                        ..d.clone()
                    };
                }
                Ok(i)
            }
            (Some(i), _) => Ok(i),
            (None, Some(d)) => {
                let id = self.new_id();
                self.data.authorizers.push(crate::model::Authorizer { id, name: name.into(), ..d.clone() });
                let i = self.data.authorizers.len() - 1;
                self.authorizers.insert(name.into(), i);
                self.touched.insert((2, i));
                Ok(i)
            }
            (None, None) => Err(Fail::new(
                "APIG.3081",
                format!("The custom authorizer does not exist. {at}: no custom authorizer is named {}", Quoted(name)),
            )),
        }
    }

    /// Publishes the imported APIs into the environment with their bindings, replacing what
    /// they had there.
    fn publish(&mut self, published: Vec<Bound>) {
        let Some(env) = self.options.publish_to.clone() else { return };
        let ids: IndexSet<&str> = published.iter().map(|(id, ..)| id.as_str()).collect();
        let here = |api: &str, e: &str| e == env && ids.contains(api);
        self.data.publications.retain(|p| !here(&p.api_id, &p.env_id));
        self.data.throttle_bindings.retain(|b| !here(&b.api_id, &b.env_id));
        self.data.acl_bindings.retain(|b| !here(&b.api_id, &b.env_id));
        self.data.plugin_bindings.retain(|b| !here(&b.api_id, &b.env_id));
        for (api_id, throttle, acls, plugins) in published {
            self.data.publications.push(Publication {
                api_id: api_id.clone(),
                env_id: env.clone().into(),
                definition: None,
            });
            if let Some(t) = throttle.and_then(|t| self.data.throttles.get(t)) {
                self.data.throttle_bindings.push(ThrottleBinding {
                    throttle_id: t.id.clone(),
                    api_id: api_id.clone(),
                    env_id: env.clone().into(),
                });
            }
            for a in acls.into_iter().filter_map(|a| self.data.acls.get(a)) {
                self.data.acl_bindings.push(AclBinding {
                    acl_id: a.id.clone(),
                    api_id: api_id.clone(),
                    env_id: env.clone().into(),
                });
            }
            for p in plugins.into_iter().filter_map(|p| self.data.plugins.get(p)) {
                self.data.plugin_bindings.push(PluginBinding {
                    plugin_id: p.plugin_id.clone(),
                    api_id: api_id.clone(),
                    env_id: env.clone().into(),
                });
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Throttle = 0,
    Acl = 1,
    Response = 3,
}

/// Indices of `names` by the spelling the Strict profile gives each in one namespace, where that
/// is not the name itself: the namespace spelled as a whole, as the renderer does, over every name
/// of the base catalog (the first of repeated names). The export spells only the names it
/// writes, so where the base holds other names whose short forms collide with these, a suffix
/// (`-2`, …) may differ and the name is then not found by its Strict spelling.
fn strict_spellings<'n>(
    names: impl Iterator<Item = &'n Text>,
    reserved: &[&str],
    first: fn(&str) -> Cow<'_, str>,
) -> IndexMap<Text, usize> {
    let mut index: IndexMap<&str, usize> = IndexMap::new();
    for (i, name) in names.enumerate() {
        index.entry(name.as_str()).or_insert(i);
    }
    names::spell(index.keys().copied(), reserved, first)
        .into_iter()
        .filter(|(name, spelled)| spelled.written != *name)
        .filter_map(|(name, spelled)| index.get(name).map(|&i| (Text::from(spelled.written.into_owned()), i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_two_hashes_in_padded_lowercase_hex() {
        for (seed, n) in
            [(0, 0), (FNV_OFFSET, 1), (FNV_OFFSET ^ 0x5bd1_e995, 7 << 16 | 3), (u64::MAX, u64::MAX), (1, 2)]
        {
            let a = fnv(seed, &n.to_le_bytes());
            let b = fnv(a ^ 0x9e37_79b9_7f4a_7c15, &n.to_be_bytes());
            assert_eq!(hex_id(seed, n), format!("{a:016x}{b:016x}"));
        }
        // Leading zeros are kept.
        let small = (0..u64::MAX).find(|&n| fnv(0, &n.to_le_bytes()) >> 60 == 0).unwrap_or_default();
        assert!(hex_id(0, small).starts_with('0'));
        assert_eq!(hex_id(0, small).len(), 32);
    }
}
