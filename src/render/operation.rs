//! The mapping both dialects share: one [`Operation`] per exported API and everything decided
//! about it (parameters, values, security, extensions, notes of what is left out), and the
//! small serializable pieces the dialects write.

use super::*;

/// One exported API with what was decided about it; rendered when its path item is written.
///
/// It also carries the few facts the passes in path order need (method, CORS, schemes,
/// authorizer, warnings), so that those passes read this vector and not the catalog.
pub(crate) struct Operation<'a> {
    pub(crate) api: &'a Api,
    pub(crate) path: Cow<'a, str>,
    pub(crate) method: Method,
    /// Whether the operation before it in path order has the same path.
    pub(crate) same_path: bool,
    pub(crate) cors: bool,
    pub(crate) schemes: Schemes,
    /// The custom authorizer the API uses, if any.
    pub(crate) authorizer: Option<&'a Authorizer>,
    /// What rendering leaves out of the operation, reported in path order.
    pub(crate) notes: Vec<Note<'a>>,
    /// `NORMAL` for a prefix-match API exported under a rewritten path, else the API's own.
    pub(crate) match_mode: MatchMode,
    /// APIG's path, when the Strict profile writes another (see [`paths`]).
    pub(crate) request_path: Option<Cow<'a, str>>,
    /// Path parameters the Strict profile writes under another name (see [`paths`]).
    pub(crate) renamed: Vec<paths::Renamed>,
    /// Whether the synthetic `default_swa_path` parameter is added (a rewritten prefix-match API).
    pub(crate) swa_path: bool,
    /// The security scheme the API uses, as stored.
    pub(crate) security: Option<&'a str>,
    /// How the operation names what it refers to by key, as the profile writes those keys.
    pub(crate) keys: Keys<'a>,
    /// The definition and the policies bound to it in the environment (`all`).
    pub(crate) selected: Selected<'a>,
    /// The group's gateway response the API uses (`all`).
    pub(crate) response: Option<&'a GatewayResponse>,
}

impl<'a> Operation<'a> {
    /// The request parameters in the order they are written: by name, ties by location (a stable
    /// sort), the synthetic `default_swa_path` included.
    pub(crate) fn params(&self) -> Vec<Param<'a>> {
        let mut params: Vec<Param<'a>> = self.api.req_params.iter().map(Param::Declared).collect();
        if self.swa_path {
            params.push(Param::SwaPath);
        }
        params.sort_by(|a, b| {
            crate::work::step();
            a.order(b)
        });
        params
    }

    /// A parameter's name: as stored, but a path parameter the Strict profile renames under the
    /// name of its variable in the written path.
    pub(crate) fn param_name(&self, p: &Param<'a>) -> Cow<'a, str> {
        let name = p.name();
        if p.location() == ParamLocation::Path {
            if let Some(r) = self.renamed.iter().find(|r| r.stored == name) {
                return Cow::Owned(r.written.clone());
            }
        }
        Cow::Borrowed(name)
    }

    /// A reference to a request parameter by name (a `REQUEST` backend parameter's `value`, a
    /// `param` condition's `parameter`): the parameter's written name.
    pub(crate) fn reference(&self, name: &'a str) -> Cow<'a, str> {
        match self.renamed.iter().find(|r| r.referenced && r.stored == name) {
            Some(r) => Cow::Owned(r.written.clone()),
            None => Cow::Borrowed(name),
        }
    }
}

/// What an operation refers to by key (a security scheme, policies, a gateway response), as the
/// document writes those keys.
#[derive(Debug, Default)]
pub(crate) struct Keys<'a> {
    pub(crate) security: Option<Cow<'a, str>>,
    pub(crate) ratelimit: Option<Cow<'a, str>>,
    pub(crate) access_control: Option<Cow<'a, str>>,
    pub(crate) response: Option<Cow<'a, str>>,
}

/// A request parameter, or the synthetic `default_swa_path` of a rewritten prefix-match API.
pub(crate) enum Param<'a> {
    Declared(&'a ReqParam),
    SwaPath,
}

impl<'a> Param<'a> {
    /// The order parameters are written in: by name, ties by location.
    pub(super) fn order(&self, other: &Param<'_>) -> std::cmp::Ordering {
        self.name().as_bytes().cmp(other.name().as_bytes()).then(self.location().cmp(&other.location()))
    }

    pub(crate) fn name(&self) -> &'a str {
        match self {
            Param::Declared(p) => &p.name,
            Param::SwaPath => SWA_PARAM,
        }
    }

    pub(crate) fn location(&self) -> ParamLocation {
        match self {
            Param::Declared(p) => p.location,
            Param::SwaPath => ParamLocation::Path,
        }
    }

    /// What both dialects write of the parameter beyond name, bounds and values.
    pub(crate) fn facts(&self) -> ParamFacts<'a> {
        match self {
            Param::Declared(d) => ParamFacts {
                kind: swagger2::param_type(d.param_type),
                pass_through: if d.pass_through == crate::model::PassThrough::Never { "never" } else { "always" },
                description: &d.remark,
                required: d.required == crate::model::Requirement::Required,
            },
            Param::SwaPath => ParamFacts { kind: "string", pass_through: "always", description: "", required: true },
        }
    }
}

/// A parameter's `type`, `x-apigateway-pass-through`, `description` and whether it is required.
pub(crate) struct ParamFacts<'a> {
    pub(crate) kind: &'static str,
    pub(crate) pass_through: &'static str,
    pub(crate) description: &'a str,
    pub(crate) required: bool,
}

/// The path parameter APIG adds to a prefix-match API that shares method and path with an
/// exact-match one: the prefix-match API is written under `{req_uri}/{default_swa_path+}`.
pub(crate) const SWA_PARAM: &str = "default_swa_path";

/// The `x-apigateway-*` members of an operation, in byte order (both dialects put them last):
/// written into the operation's own object by [`OperationExt::write_fields`].
#[derive(Debug)]
pub(crate) struct OperationExt<'a> {
    pub(crate) access_control: Option<Cow<'a, str>>,
    pub(crate) backend: Option<ext::Backend<'a>>,
    pub(crate) backend_policies: Option<Vec<ext::BackendPolicy<'a>>>,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) cors: bool,
    pub(crate) is_send_fg_body_base64: bool,
    pub(crate) match_mode: &'static str,
    pub(crate) plugins: Option<Vec<&'a str>>,
    pub(crate) ratelimit: Option<Cow<'a, str>>,
    pub(crate) request_path: Option<Cow<'a, str>>,
    pub(crate) request_type: &'static str,
    pub(crate) response: Option<Cow<'a, str>>,
}

impl OperationExt<'_> {
    /// Writes the members into `s`, the operation's object: those left unset are left out.
    ///
    /// The operations call this from their own `Serialize` so that every member is a field of
    /// one struct, each name a constant.
    pub(crate) fn write_fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        opt(s, "x-apigateway-access-control", &self.access_control)?;
        opt(s, "x-apigateway-backend", &self.backend)?;
        opt(s, "x-apigateway-backend-policies", &self.backend_policies)?;
        opt(s, "x-apigateway-content-type", &self.content_type)?;
        s.serialize_field("x-apigateway-cors", &self.cors)?;
        s.serialize_field("x-apigateway-is-send-fg-body-base64", &self.is_send_fg_body_base64)?;
        s.serialize_field("x-apigateway-match-mode", self.match_mode)?;
        opt(s, "x-apigateway-plugins", &self.plugins)?;
        opt(s, "x-apigateway-ratelimit", &self.ratelimit)?;
        opt(s, "x-apigateway-request-path", &self.request_path)?;
        s.serialize_field("x-apigateway-request-type", self.request_type)?;
        opt(s, "x-apigateway-response", &self.response)
    }
}

/// Writes the field `key` when `v` is set (`skip_serializing_if = "Option::is_none"` by hand).
pub(crate) fn opt<S: SerializeStruct, T: Serialize>(
    s: &mut S,
    key: &'static str,
    v: &Option<T>,
) -> Result<(), S::Error> {
    match v {
        Some(v) => s.serialize_field(key, v),
        None => Ok(()),
    }
}

/// What both dialects' roots collect from the operations.
pub(crate) struct Shared<'a> {
    /// Custom authorizers used by exported APIs, by written name.
    pub(crate) authorizers: BTreeMap<Cow<'a, str>, Option<ext::AuthorizerDoc<'a>>>,
    pub(crate) ratelimits: BTreeMap<Cow<'a, str>, ext::RateLimit<'a>>,
    pub(crate) access_controls: BTreeMap<Cow<'a, str>, ext::AccessControl<'a>>,
    pub(crate) responses: ext::ResponsesMap<'a>,
    pub(crate) any_cors: bool,
    pub(crate) schemes: Schemes,
    /// The security schemes operations refer to, as written.
    pub(crate) security_used: std::collections::BTreeSet<Cow<'a, str>>,
}

/// Which URL schemes an API (or a set of APIs) uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Schemes {
    pub(crate) http: bool,
    pub(crate) https: bool,
}

impl Schemes {
    pub(crate) fn of(protocol: ReqProtocol) -> Schemes {
        match protocol {
            ReqProtocol::Http => Schemes { http: true, https: false },
            ReqProtocol::Https | ReqProtocol::Grpcs => Schemes { http: false, https: true },
            ReqProtocol::Both => Schemes { http: true, https: true },
        }
    }

    /// `"http"` then `"https"`, those in use.
    pub(crate) fn names(self) -> impl Iterator<Item = &'static str> {
        [(self.http, "http"), (self.https, "https")].into_iter().filter(|(on, _)| *on).map(|(_, n)| n)
    }
}

impl<'a> Context<'a> {
    /// Maps every exportable API of the selection, in selection order.
    pub(super) fn operations(&self, apis: Vec<Selected<'a>>, warnings: &mut Warnings) -> Vec<Operation<'a>> {
        // Routes of prefix-match APIs that an exact-match API shares.
        let route = |s: &Selected<'a>| (s.api.req_method, s.api.req_uri.as_str());
        let swa: std::collections::BTreeSet<(Method, &str)> =
            apis.iter().filter(|s| s.api.match_mode == MatchMode::Swa).map(route).collect();
        let normal: std::collections::BTreeSet<(Method, &str)> = if swa.is_empty() {
            std::collections::BTreeSet::new()
        } else {
            apis.iter()
                .filter(|s| s.api.match_mode == MatchMode::Normal)
                .map(route)
                .filter(|r| swa.contains(r))
                .collect()
        };
        let mut ops = Vec::with_capacity(apis.len());
        for selected in apis {
            crate::work::step();
            let api = selected.api;
            if api.req_protocol == ReqProtocol::Grpcs || api.backend_type == BackendType::Grpc {
                warnings.api(api, || Message::Grpc);
                continue;
            }
            let swa_rewrite =
                api.match_mode == MatchMode::Swa && normal.contains(&(api.req_method, api.req_uri.as_str()));
            let (path, match_mode) = if swa_rewrite {
                let sep = if api.req_uri.ends_with('/') { "" } else { "/" };
                let path = format!("{}{sep}{{{SWA_PARAM}+}}", api.req_uri);
                warnings.api(api, || Message::SwaRewrite { path: Quoted::new(&path), uri: Quoted::new(&api.req_uri) });
                (Cow::Owned(path), MatchMode::Normal)
            } else {
                (Cow::Borrowed(api.req_uri.as_str()), api.match_mode)
            };
            let authorizer = match api.auth_type {
                AuthType::Authorizer => self.catalog.authorizer(api.authorizer_id.as_deref().unwrap_or_default()),
                _ => None,
            };
            let security = security(api, authorizer);
            let notes = self.notes(api);
            let response = self.scope.has_policies().then(|| self.gateway_response(api)).flatten();
            let mut acls = selected.acls.iter();
            if let Some(first) = acls.next() {
                for acl in acls {
                    warnings.api(api, || Message::AclLeftOut {
                        acl: Quoted::new(&acl.acl_name),
                        kept: Quoted::new(&first.acl_name),
                    });
                }
            }
            ops.push(Operation {
                api,
                path,
                method: api.req_method,
                same_path: false,
                cors: api.cors,
                schemes: Schemes::of(api.req_protocol),
                authorizer,
                notes,
                match_mode,
                request_path: None,
                renamed: Vec::new(),
                swa_path: swa_rewrite,
                security,
                keys: Keys::default(),
                selected,
                response,
            });
        }
        ops
    }

    /// What rendering leaves out of an operation: cookie parameters in Swagger 2.0, and in the
    /// Strict profile defaults and examples that their own schema rejects, text examples of an
    /// object body, and repeated tags.
    pub(super) fn notes(&self, api: &'a Api) -> Vec<Note<'a>> {
        let mut notes = Vec::new();
        let has_body = matches!(api.req_method, Method::Post | Method::Put | Method::Patch | Method::Any);
        if self.profile == Profile::Strict
            && self.dialect == Dialect::OpenApi3
            && has_body
            && !api.body_remark.is_empty()
        {
            notes.push(Note::BodyExample(&api.body_remark));
        }
        if let Cow::Owned(id) = self.operation_id(api) {
            notes.push(Note::OperationId(id));
        }
        if self.profile == Profile::Strict && api.tags.len() > 1 {
            let mut seen = std::collections::BTreeSet::new();
            for tag in &api.tags {
                if !seen.insert(tag.as_str()) {
                    notes.push(Note::RepeatedTag(tag));
                }
            }
        }
        // Declared parameters only: the synthetic one is a string path parameter without a default.
        // Found in stored order (parameter names are not read unless there is something to say),
        // reported in the order the parameters are written.
        let mut found: Vec<(Param<'a>, Note<'a>)> = Vec::new();
        for d in &api.req_params {
            crate::work::step();
            let p = Param::Declared(d);
            if self.skipped(&p) {
                found.push((p, Note::Cookie(&d.name)));
                continue;
            }
            if let Some(why) = self.default_conflict(&p) {
                found.push((Param::Declared(d), Note::DefaultConflict(d, why)));
            }
            if let Some(why) = self.sample_conflict(d) {
                found.push((Param::Declared(d), Note::SampleConflict(d, why)));
            }
        }
        found.sort_by(|(a, _), (b, _)| a.order(b));
        notes.extend(found.into_iter().map(|(_, note)| note));
        notes
    }

    /// Keeps the operations that get a slot (the first of those sharing method and path), and
    /// warns about everything their rendering leaves out, in path order: what rendering would
    /// otherwise have to report while the document is being written.
    pub(super) fn renderable(&self, mut ops: Vec<Operation<'a>>, warnings: &mut Warnings) -> Vec<Operation<'a>> {
        // Sorted by path then method, so a taken slot is the last kept operation's.
        let mut last_kept: Option<Method> = None;
        ops.retain_mut(|op| {
            for note in std::mem::take(&mut op.notes) {
                warnings.api(op.api, || note.message());
            }
            if op.same_path && last_kept == Some(op.method) {
                warnings.api(op.api, || Message::SameSlot);
                return false;
            }
            last_kept = Some(op.method);
            true
        });
        ops
    }

    /// The `x-apigateway-*` members of an operation (`content_type` is the dialect's to set).
    pub(crate) fn operation_ext(&self, op: &Operation<'a>) -> OperationExt<'a> {
        let (api, selected) = (op.api, &op.selected);
        let backends = self.scope.has_backends();
        OperationExt {
            access_control: op.keys.access_control.clone(),
            backend: backends.then(|| self.backend(op)).flatten(),
            backend_policies: backends.then(|| self.backend_policies(op)).filter(|p| !p.is_empty()),
            content_type: None,
            cors: api.cors,
            is_send_fg_body_base64: api.is_send_fg_body_base64.unwrap_or(true),
            match_mode: op.match_mode.as_str(),
            plugins: Some(selected.plugins.iter().map(|p| p.plugin_name.as_str()).collect())
                .filter(|p: &Vec<_>| !p.is_empty()),
            ratelimit: op.keys.ratelimit.clone(),
            request_path: op.request_path.clone(),
            request_type: if api.api_type == crate::model::ApiType::Private { "private" } else { "public" },
            response: op.keys.response.clone(),
        }
    }

    pub(super) fn gateway_response(&self, api: &'a Api) -> Option<&'a GatewayResponse> {
        let id = api.response_id.as_deref()?;
        crate::work::step();
        self.catalog.gateway_response(&self.group.id, id)
    }

    pub(super) fn backend(&self, op: &Operation<'a>) -> Option<ext::Backend<'a>> {
        let api = op.api;
        let endpoints = match api.backend_type {
            BackendType::Http => self.http_endpoints(api.backend_api.as_ref()?)?,
            BackendType::Function => ext::Endpoints::Function(ext::function_endpoints(api.func_info.as_ref()?)),
            BackendType::Mock => ext::Endpoints::Mock(ext::mock_endpoints(api.mock_info.as_ref()?)),
            BackendType::Grpc => return None,
        };
        Some(ext::Backend {
            kind: endpoints.kind(),
            endpoints,
            parameters: ext::backend_parameters(&api.backend_params, |name| op.reference(name)),
        })
    }

    pub(super) fn http_endpoints(&self, b: &'a crate::model::BackendApi) -> Option<ext::Endpoints<'a>> {
        if b.vpc_channel_status == crate::model::VpcChannelUse::Channel {
            let id = b.vpc_channel_info.as_ref().map(|i| i.vpc_channel_id.as_str())?;
            let channel = self.catalog.vpc_channel(id)?;
            Some(ext::Endpoints::HttpVpc(ext::http_vpc_endpoints(b, channel)))
        } else {
            Some(ext::Endpoints::Http(ext::http_endpoints(b)))
        }
    }

    pub(super) fn backend_policies(&self, op: &Operation<'a>) -> Vec<ext::BackendPolicy<'a>> {
        let api = op.api;
        let http = api.policy_https.iter().filter_map(|p| Some((&p.policy, self.http_endpoints(&p.backend)?)));
        let func = api
            .policy_functions
            .iter()
            .map(|p| (&p.policy, ext::Endpoints::Function(ext::function_endpoints(&p.function))));
        let mock = api.policy_mocks.iter().map(|p| (&p.policy, ext::Endpoints::Mock(ext::mock_endpoints(&p.mock))));
        http.chain(func)
            .chain(mock)
            .map(|(policy, endpoints)| ext::BackendPolicy {
                conditions: policy.conditions.iter().map(|c| ext::condition(c, |name| op.reference(name))).collect(),
                effect_mode: policy.effect_mode.as_str(),
                kind: endpoints.kind(),
                endpoints,
                name: &policy.name,
                parameters: ext::backend_parameters(&policy.backend_params, |name| op.reference(name)),
            })
            .collect()
    }

    /// Collects what the root needs from the exported operations, spells the keys they refer to
    /// (in the Strict profile, no two alike: [`names::spell`]) and tells each operation how.
    pub(super) fn shared(&self, ops: &mut [Operation<'a>], warnings: &mut Warnings) -> Shared<'a> {
        let mut shared = Shared {
            authorizers: BTreeMap::new(),
            ratelimits: BTreeMap::new(),
            access_controls: BTreeMap::new(),
            responses: BTreeMap::new(),
            any_cors: false,
            schemes: Schemes::default(),
            security_used: std::collections::BTreeSet::new(),
        };
        let mut authorizers: BTreeMap<&'a str, &'a Authorizer> = BTreeMap::new();
        let mut throttles: BTreeMap<&'a str, &'a crate::model::Throttle> = BTreeMap::new();
        let mut acls: BTreeMap<&'a str, &'a crate::model::Acl> = BTreeMap::new();
        let mut responses: BTreeMap<&'a str, &'a GatewayResponse> = BTreeMap::new();
        for op in ops.iter() {
            shared.any_cors |= op.cors;
            shared.schemes.http |= op.schemes.http;
            shared.schemes.https |= op.schemes.https;
            if let Some(a) = op.authorizer {
                authorizers.entry(&a.name).or_insert(a);
            }
            // Bound policies and the gateway response are only set for `all`.
            if let Some(t) = op.selected.throttle {
                throttles.entry(&t.name).or_insert(t);
            }
            if let Some(a) = op.selected.acls.first() {
                acls.entry(&a.acl_name).or_insert(a);
            }
            if let Some(r) = op.response {
                if let Entry::Vacant(slot) = responses.entry(&r.name) {
                    slot.insert(r);
                    for (kind, entry) in &r.responses {
                        if !entry.default && !entry.headers.is_empty() {
                            warnings.object(RESPONSE, &r.name, &r.id, || Message::ResponseHeaders {
                                count: entry.headers.len(),
                                kind: Quoted::new(kind),
                            });
                        }
                    }
                }
            }
        }
        let schemes = self.spell(
            warnings,
            authorizers.values().map(|a| (("custom authorizer", a.name.as_str(), a.id.as_str()), a.name.as_str())),
            &FIXED_SCHEMES,
            names::variable_name,
            |written| Message::SchemeName(Quoted::new(written)),
        );
        let long_key = |written: &str| Message::LongKey(Quoted::new(written));
        let ratelimits = self.spell(
            warnings,
            throttles.values().map(|t| (("throttling policy", t.name.as_str(), t.id.as_str()), t.name.as_str())),
            &[],
            names::key_name,
            long_key,
        );
        let access_controls = self.spell(
            warnings,
            acls.values().map(|a| (("ACL policy", a.acl_name.as_str(), a.id.as_str()), a.acl_name.as_str())),
            &[],
            names::key_name,
            long_key,
        );
        let response_keys = self.spell(
            warnings,
            responses.values().map(|r| ((RESPONSE, r.name.as_str(), r.id.as_str()), r.name.as_str())),
            &[],
            names::key_name,
            long_key,
        );
        for (name, a) in authorizers {
            let details = self.scope.has_backends().then(|| ext::authorizer(a));
            shared.authorizers.insert(written(&schemes, name), details);
        }
        for (name, t) in throttles {
            shared.ratelimits.insert(written(&ratelimits, name), ext::rate_limit(t));
        }
        for (name, a) in acls {
            shared.access_controls.insert(written(&access_controls, name), ext::access_control(a));
        }
        for (name, r) in responses {
            let kinds = self.spell(
                warnings,
                r.responses
                    .iter()
                    .filter(|(_, e)| !e.default)
                    .map(|(kind, _)| ((RESPONSE, r.name.as_str(), r.id.as_str()), kind.as_str())),
                &[],
                names::key_name,
                long_key,
            );
            shared.responses.insert(written(&response_keys, name), ext::gateway_response(r, |k| written(&kinds, k)));
        }
        for op in ops.iter_mut() {
            op.keys = Keys {
                security: op.security.map(|s| written(&schemes, s)),
                ratelimit: op.selected.throttle.map(|t| written(&ratelimits, &t.name)),
                access_control: op.selected.acls.first().map(|a| written(&access_controls, &a.acl_name)),
                response: op.response.map(|r| written(&response_keys, &r.name)),
            };
            if let Some(scheme) = &op.keys.security {
                if !shared.security_used.contains(scheme) {
                    shared.security_used.insert(scheme.clone());
                }
            }
        }
        shared
    }

    /// The keys of one namespace as the profile writes them: as stored in the Apig profile (an
    /// empty map); in the Strict profile spelled by `first` and [`names::spell`], with a warning
    /// (`changed`) about the object (kind, name, id) of each key not written as stored.
    pub(super) fn spell(
        &self,
        warnings: &mut Warnings,
        keys: impl Iterator<Item = ((&'static str, &'a str, &'a str), &'a str)>,
        reserved: &[&str],
        first: fn(&str) -> Cow<'_, str>,
        changed: impl Fn(&str) -> Message,
    ) -> BTreeMap<&'a str, names::Spelled<'a>> {
        if self.profile != Profile::Strict {
            return BTreeMap::new();
        }
        let keys: Vec<((&'static str, &'a str, &'a str), &'a str)> = keys.collect();
        let spelled = names::spell(keys.iter().map(|(_, name)| *name), reserved, first);
        for ((kind, object, id), name) in keys {
            let Some(s) = spelled.get(name).filter(|s| s.written != name) else { continue };
            warnings.object(kind, object, id, || changed(&s.written));
            if let Some(taken) = &s.taken {
                warnings.object(kind, object, id, || Message::Taken {
                    what: "name",
                    name: Quoted::new(name),
                    written: Quoted::new(&s.written),
                    taken: Quoted::new(taken),
                });
            }
        }
        spelled
    }

    /// Bounds of a parameter per profile: `(maximum, minimum, maxLength, minLength)`.
    pub(crate) fn bounds(&self, p: &Param<'a>) -> Bounds {
        let (max, min, max_len, min_len, kind) = match p {
            Param::Declared(p) => (p.max_num, p.min_num, p.max_size, p.min_size, p.param_type),
            Param::SwaPath => (0, 0, 0, 0, ParamType::String),
        };
        match self.profile {
            Profile::Apig => {
                Bounds { maximum: Some(max), minimum: Some(min), max_length: Some(max_len), min_length: Some(min_len) }
            }
            Profile::Strict => {
                let number = kind == ParamType::Number;
                Bounds {
                    maximum: Some(max).filter(|v| number && *v != 0),
                    minimum: Some(min).filter(|v| number && *v != 0),
                    max_length: Some(max_len).filter(|v| !number && *v != 0),
                    min_length: Some(min_len).filter(|v| !number && *v != 0),
                }
            }
        }
    }

    /// `default` and `enum` of a parameter per profile (NUMBER values are numbers in Strict).
    ///
    /// In the Strict profile a default that its own enumeration or bounds forbid is left out
    /// (validators reject it); [`Context::notes`] says so.
    pub(crate) fn values(&self, p: &Param<'a>) -> (Option<Scalar<'a>>, Option<Vec<Scalar<'a>>>) {
        let Param::Declared(d) = p else { return (None, None) };
        let scalar = self.scalar(d);
        let default = (!d.default_value.is_empty()).then(|| scalar(&d.default_value));
        let values: Vec<Scalar<'a>> = crate::model::split_enumerations(&d.enumerations).map(scalar).collect();
        let default = default.filter(|&v| self.profile != Profile::Strict || conflict(d, v, &values).is_none());
        (default, (!values.is_empty()).then_some(values))
    }

    /// Why the Strict profile leaves the parameter's default out, if it does.
    pub(super) fn default_conflict(&self, p: &Param<'a>) -> Option<Conflict> {
        let Param::Declared(d) = p else { return None };
        if self.profile != Profile::Strict || d.default_value.is_empty() {
            return None;
        }
        let scalar = self.scalar(d);
        let values: Vec<Scalar<'a>> = crate::model::split_enumerations(&d.enumerations).map(scalar).collect();
        conflict(d, scalar(&d.default_value), &values)
    }

    /// How a stored `default` or `enum` value of `p` is written.
    pub(super) fn scalar(&self, p: &ReqParam) -> impl Fn(&'a str) -> Scalar<'a> + Copy {
        let as_number = self.profile == Profile::Strict && p.param_type == ParamType::Number;
        move |s: &'a str| {
            if as_number {
                crate::model::parse_number(s).map_or(Scalar::Str(s), Scalar::Num)
            } else {
                Scalar::Str(s)
            }
        }
    }

    /// The parameter's sample: always in the Apig profile (`""` when unset), only when set in Strict.
    pub(crate) fn sample(&self, p: &Param<'a>) -> Option<&'a str> {
        let sample = match p {
            Param::Declared(p) => p.sample_value.as_str(),
            Param::SwaPath => "",
        };
        (self.profile == Profile::Apig || !sample.is_empty()).then_some(sample)
    }

    /// The parameter's OpenAPI 3.0 `example`: the sample, which the Strict profile writes as a
    /// number for NUMBER parameters and leaves out where the parameter's own schema rejects it
    /// ([`Context::notes`] says so).
    pub(crate) fn example(&self, p: &Param<'a>) -> Option<Scalar<'a>> {
        let sample = self.sample(p)?;
        match p {
            Param::Declared(d) if self.profile == Profile::Strict => {
                self.sample_conflict(d).is_none().then(|| self.scalar(d)(sample))
            }
            _ => Some(Scalar::Str(sample)),
        }
    }

    /// Why the Strict profile leaves a parameter's OpenAPI 3.0 example out, if it does.
    pub(super) fn sample_conflict(&self, d: &'a ReqParam) -> Option<Conflict> {
        if self.profile != Profile::Strict || self.dialect != Dialect::OpenApi3 || d.sample_value.is_empty() {
            return None;
        }
        let scalar = self.scalar(d);
        let sample = scalar(&d.sample_value);
        if d.param_type == ParamType::Number && matches!(sample, Scalar::Str(_)) {
            return Some(Conflict::NotANumber);
        }
        let values: Vec<Scalar<'a>> = crate::model::split_enumerations(&d.enumerations).map(scalar).collect();
        conflict(d, sample, &values)
    }

    /// The request body's OpenAPI 3.0 `example`: the body description, as APIG writes it; the
    /// Strict profile leaves it out, since the body schema is an object and the example is text
    /// ([`Context::notes`] says so when it is not empty).
    pub(crate) fn body_example(&self, api: &'a Api) -> Option<&'a str> {
        (self.profile == Profile::Apig).then_some(api.body_remark.as_str())
    }

    /// The operation's `security`: its scheme; with none, nothing in the Apig profile and `[]`
    /// in the Strict profile (an operation without it inherits nothing, but linters ask).
    pub(crate) fn security(&self, op: &Operation<'a>) -> Option<Security<'a>> {
        match &op.keys.security {
            Some(scheme) => Some(Security(Some(Requirement(scheme.clone())))),
            None => (self.profile == Profile::Strict).then_some(Security(None)),
        }
    }

    /// The operation's `operationId`: the API's name. Linters ask for URL-safe characters (RFC 3986
    /// unreserved and reserved, but `~`), so the Strict profile writes every other character, and
    /// `~`, as `~` + its code point in hex + `~` (one way back; the `summary` keeps the name).
    pub(crate) fn operation_id(&self, api: &'a Api) -> Cow<'a, str> {
        if self.profile == Profile::Apig {
            return Cow::Borrowed(&api.name);
        }
        strict_operation_id(&api.name)
    }

    /// The operation's `summary`: the API's name in the Strict profile (APIG writes none).
    pub(crate) fn summary(&self, op: &Operation<'a>) -> Option<&'a str> {
        (self.profile == Profile::Strict).then_some(op.api.name.as_str())
    }

    /// Orchestration rule names of a parameter, in priority order.
    pub(crate) fn orchestrations(&self, p: &Param<'a>) -> Vec<&'a str> {
        let Param::Declared(p) = p else { return Vec::new() };
        p.orchestrations
            .iter()
            .filter_map(|id| self.catalog.orchestration(id))
            .map(|o| o.orchestration_name.as_str())
            .collect()
    }

    /// Whether the dialect has no place for the parameter (cookies in Swagger 2.0).
    pub(crate) fn skipped(&self, p: &Param<'a>) -> bool {
        self.dialect == Dialect::Swagger2 && p.location() == ParamLocation::Cookie
    }
}

/// The security scheme an API uses: a fixed one, or its custom authorizer's name.
pub(super) fn security<'a>(api: &Api, authorizer: Option<&'a Authorizer>) -> Option<&'a str> {
    match api.auth_type {
        AuthType::None => None,
        AuthType::App if api.auth_opt.app_code_auth_type == AppCodeAuthType::Header => Some("apig-auth-app-header"),
        AuthType::App => Some("apig-auth-app"),
        AuthType::Iam => Some("apig-auth-iam"),
        AuthType::Authorizer => authorizer.map(|a| a.name.as_str()),
    }
}

/// The spelling of `name` in a namespace spelled by [`Context::spell`]: as stored unless spelled
/// otherwise.
pub(super) fn written<'a>(spelled: &BTreeMap<&'a str, names::Spelled<'a>>, name: &'a str) -> Cow<'a, str> {
    spelled.get(name).map_or(Cow::Borrowed(name), |s| s.written.clone())
}

/// An API name as the Strict profile writes it as an `operationId`: every character outside
/// RFC 3986's unreserved and reserved ones, and `~`, as `~` + its code point in hex + `~`.
pub(crate) fn strict_operation_id(name: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._:/?#[]@!$&'()*+,;=".contains(c);
    if name.chars().all(safe) {
        return Cow::Borrowed(name);
    }
    let mut id = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if safe(c) {
            id.push(c);
        } else {
            id.push_str(&format!("~{:X}~", u32::from(c)));
        }
    }
    Cow::Owned(id)
}

/// The fixed security schemes of every export.
pub(crate) const FIXED_SCHEMES: [&str; 3] = ["apig-auth-app", "apig-auth-app-header", "apig-auth-iam"];

/// The kind of object a gateway response's warnings are about.
const RESPONSE: &str = "gateway response";

/// Something rendering leaves out of one operation, found while mapping it and reported in path
/// order; its message is built only if it is listed.
#[derive(Debug)]
pub(crate) enum Note<'a> {
    RepeatedTag(&'a str),
    Cookie(&'a str),
    DefaultConflict(&'a ReqParam, Conflict),
    SampleConflict(&'a ReqParam, Conflict),
    BodyExample(&'a str),
    OperationId(String),
}

impl Note<'_> {
    pub(super) fn message(self) -> Message {
        match self {
            Note::RepeatedTag(tag) => Message::RepeatedTag(Quoted::new(tag)),
            Note::Cookie(name) => Message::Cookie(Quoted::new(name)),
            Note::SampleConflict(p, why) => {
                Message::SampleConflict { sample: Quoted::new(&p.sample_value), param: Quoted::new(&p.name), why }
            }
            Note::BodyExample(text) => Message::BodyExample(Quoted::new(text)),
            Note::OperationId(id) => Message::OperationId(Quoted::new(&id)),
            Note::DefaultConflict(p, why) => {
                Message::DefaultConflict { default: Quoted::new(&p.default_value), param: Quoted::new(&p.name), why }
            }
        }
    }
}

/// Why a parameter's default (or sample) contradicts its own enumeration or (set) bounds, if it does.
pub(super) fn conflict(p: &ReqParam, default: Scalar<'_>, values: &[Scalar<'_>]) -> Option<Conflict> {
    let same = |a: &Scalar<'_>, b: &Scalar<'_>| match (a, b) {
        (Scalar::Num(x), Scalar::Num(y)) => x == y,
        (Scalar::Str(x), Scalar::Str(y)) => x == y,
        _ => false,
    };
    if !values.is_empty() && !values.iter().any(|v| same(v, &default)) {
        return Some(Conflict::NotInEnumeration(Quoted::new(&p.enumerations)));
    }
    match (p.param_type, default) {
        (ParamType::Number, Scalar::Num(v)) => {
            #[allow(clippy::cast_precision_loss)]
            let (min, max) = (p.min_num as f64, p.max_num as f64);
            if (p.min_num != 0 && v < min) || (p.max_num != 0 && v > max) {
                return Some(Conflict::OutsideBounds { min: p.min_num, max: p.max_num });
            }
        }
        (ParamType::String, Scalar::Str(s)) => {
            let len = s.chars().count() as u64;
            if (p.min_size != 0 && len < p.min_size) || (p.max_size != 0 && len > p.max_size) {
                return Some(Conflict::Length { len, min: p.min_size, max: p.max_size });
            }
        }
        _ => {}
    }
    None
}

/// Parameter bounds; `None` is not written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub(crate) maximum: Option<i64>,
    pub(crate) minimum: Option<i64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_length: Option<u64>,
}

/// A `default` or `enum` value: stored text, or a number (Strict, NUMBER parameters).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    Num(f64),
}

impl Serialize for Scalar<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Scalar::Str(s) => serializer.serialize_str(s),
            // Integral values within ±2^53 are written as integers (`5`, not `5.0`).
            Scalar::Num(v) if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 =>
            {
                #[allow(clippy::cast_possible_truncation)]
                serializer.serialize_i64(v as i64)
            }
            Scalar::Num(v) => serializer.serialize_f64(v),
        }
    }
}

/// An operation's `tags`: all of them, or (Strict profile) each only once, first place kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tags<'a> {
    pub(crate) all: &'a [Text],
    pub(crate) unique: bool,
}

impl Tags<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        // A single tag cannot repeat: no set needed.
        let unique = self.unique && self.all.len() > 1;
        let mut seen = std::collections::BTreeSet::new();
        for tag in self.all {
            if !unique || seen.insert(tag.as_str()) {
                seq.serialize_element(tag)?;
            }
        }
        seq.end()
    }
}

/// An operation's `security`: `[{"<scheme>": []}]`, or `[]` where the Strict profile says
/// explicitly that the operation needs no authentication.
#[derive(Debug, Clone)]
pub(crate) struct Security<'a>(Option<Requirement<'a>>);

impl Serialize for Security<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(usize::from(self.0.is_some())))?;
        if let Some(requirement) = &self.0 {
            seq.serialize_element(requirement)?;
        }
        seq.end()
    }
}

/// A security requirement `{"<scheme>": []}`.
#[derive(Debug, Clone)]
pub(crate) struct Requirement<'a>(pub(crate) Cow<'a, str>);

impl Serialize for Requirement<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&*self.0, &EmptyList)?;
        map.end()
    }
}

/// `[]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmptyList;

impl Serialize for EmptyList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_seq(Some(0))?.end()
    }
}
