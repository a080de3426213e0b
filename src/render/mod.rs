//! Selection → typed document, one submodule per dialect plus the mapping they share.
//!
//! Nothing here writes bytes or reads a clock: the result is a [`Document`] whose structs fix the
//! key order by their field order, borrowing from the catalog.
//!
//! Rendering happens in two steps so that a large group never exists as a whole rendered tree:
//! [`render`] decides everything that can be left out or changed (and warns about it) and keeps
//! one light [`Operation`] per exported API; each path item is rendered from those while it is
//! being written ([`Paths`]) and dropped right after. Writing therefore cannot warn, and the
//! warnings are complete before the first byte is written.
//!
//! - `operation`: the mapping both dialects share (one [`Operation`] per API, its parameters,
//!   values, security, extensions, and notes of what is left out);
//! - `swagger2`, `openapi3`: each dialect's document;
//! - `ext`: the values of the `x-apigateway-*` extensions;
//! - `path_items`: the `paths` map written in order, one path item at a time;
//! - `paths`, `names`: how the Strict profile spells paths and names validators restrict;
//! - `warning`: what an export reports it left out or changed.

pub(crate) mod ext;
pub(crate) mod names;
pub(crate) mod openapi3;
mod operation;
mod path_items;
mod paths;
pub(crate) mod swagger2;
mod warning;

pub use warning::Warning;
pub(crate) use warning::MAX_LISTED;
use warning::{Conflict, Message, Quoted, Warnings};

pub(crate) use operation::*;
pub(crate) use path_items::*;

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::model::{
    Api, AppCodeAuthType, AuthType, Authorizer, BackendType, Catalog, GatewayResponse, Group, MatchMode, Method,
    ParamLocation, ParamType, ReqParam, ReqProtocol, Text,
};
use crate::select::{Selected, Selection};
use crate::{CancelToken, Dialect, Profile, Scope};

/// A rendered document: the root object and, for Swagger 2.0 `all`, the root member
/// `x-apigateway-responses` that APIG appends after the root object (emitted per profile).
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub(crate) root: Root<'a>,
    pub(crate) trailer: Option<ext::ResponsesMap<'a>>,
    /// Checked before each path item is written.
    pub(crate) cancel: Option<CancelToken>,
}

/// The root object of either dialect.
#[derive(Debug)]
pub(crate) enum Root<'a> {
    Swagger2(Box<swagger2::Root<'a>>),
    OpenApi3(Box<openapi3::Root<'a>>),
}

impl Serialize for Root<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Root::Swagger2(r) => r.serialize(serializer),
            Root::OpenApi3(r) => r.serialize(serializer),
        }
    }
}

/// Renders the selection: every decision and warning now, the path items while they are written.
pub(crate) fn render<'a>(
    sel: Selection<'a>,
    dialect: Dialect,
    scope: Scope,
    profile: Profile,
    version: Cow<'a, str>,
    cancel: Option<CancelToken>,
    warning_limit: usize,
) -> (Document<'a>, Vec<Warning>) {
    let cx = Context { catalog: sel.catalog, group: sel.group, dialect, scope, profile };
    let mut warnings = Warnings::listing(warning_limit);
    let mut ops = cx.operations(sel.apis, &mut warnings);
    if profile == Profile::Strict {
        ops = paths::plan(ops, &mut warnings);
    }
    let mut ops = in_path_order(ops);
    let shared = cx.shared(&mut ops, &mut warnings);
    let ops = cx.renderable(ops, &mut warnings);
    let mut doc = match dialect {
        Dialect::Swagger2 => swagger2::document(cx, shared, ops, version),
        Dialect::OpenApi3 => openapi3::document(cx, shared, ops, version),
    };
    if let Some(token) = cancel {
        match &mut doc.root {
            Root::Swagger2(root) => root.set_cancel(token.clone()),
            Root::OpenApi3(root) => root.set_cancel(token.clone()),
        }
        doc.cancel = Some(token);
    }
    (doc, warnings.finish())
}

/// What rendering reads besides the operations: the catalog, the group and the request's choices.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) group: &'a Group,
    pub(crate) dialect: Dialect,
    pub(crate) scope: Scope,
    pub(crate) profile: Profile,
}

/// A server URL shared by many operations.
pub(crate) type Url = Arc<str>;

/// The description of the root responses.
pub(crate) const RESPONSE_DESCRIPTION: &str = "response example";
/// The CORS header of `default-cors`.
pub(crate) const CORS_HEADER: &str = "Access-Control-Allow-Origin";
