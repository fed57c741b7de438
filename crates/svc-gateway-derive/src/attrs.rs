//! The attributes the derives read: `#[command(...)]` on types and variants,
//! `#[option(...)]` on fields, `#[choice(...)]` on choice variants, doc comments as
//! descriptions.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Ident, LitBool, LitStr, Path, Result, Token, meta::ParseNestedMeta};

/// `#[command(...)]` on a struct or enum.
#[derive(Default)]
pub(crate) struct CommandAttrs {
    pub(crate) name: Option<LitStr>,
    pub(crate) desc: Option<LitStr>,
    pub(crate) kind: Option<LitStr>,
    pub(crate) default_member_permissions: Option<LitStr>,
    pub(crate) dm_permission: Option<LitBool>,
    pub(crate) contexts: Option<LitStr>,
    pub(crate) integration_types: Option<LitStr>,
    pub(crate) nsfw: Option<LitBool>,
    pub(crate) name_localizations: Option<Path>,
    pub(crate) desc_localizations: Option<Path>,
    pub(crate) krate: Option<Path>,
}

/// `#[option(...)]` on a field.
#[derive(Default)]
pub(crate) struct OptionAttrs {
    pub(crate) name: Option<LitStr>,
    pub(crate) desc: Option<LitStr>,
    pub(crate) min_value: Option<Expr>,
    pub(crate) max_value: Option<Expr>,
    pub(crate) min_length: Option<Expr>,
    pub(crate) max_length: Option<Expr>,
    pub(crate) channel_types: Option<LitStr>,
    pub(crate) autocomplete: Option<LitBool>,
    pub(crate) name_localizations: Option<Path>,
    pub(crate) desc_localizations: Option<Path>,
}

/// `#[choice(...)]` on a variant of a choice enum (and `crate` on the enum).
#[derive(Default)]
pub(crate) struct ChoiceAttrs {
    pub(crate) name: Option<LitStr>,
    pub(crate) value: Option<syn::Lit>,
    pub(crate) name_localizations: Option<Path>,
    pub(crate) krate: Option<Path>,
}

/// A flag given bare (`nsfw`) or with a value (`nsfw = false`).
fn flag(meta: &ParseNestedMeta<'_>) -> Result<LitBool> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse()
    } else {
        Ok(LitBool::new(true, meta.path.span()))
    }
}

fn string(meta: &ParseNestedMeta<'_>) -> Result<LitStr> {
    meta.value()?.parse()
}

fn path(meta: &ParseNestedMeta<'_>) -> Result<Path> {
    let value = meta.value()?;
    if value.peek(LitStr) {
        value.parse::<LitStr>()?.parse()
    } else {
        value.parse()
    }
}

impl CommandAttrs {
    pub(crate) fn parse(attrs: &[Attribute]) -> Result<Self> {
        let mut parsed = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("command")) {
            attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                match key.as_str() {
                    "name" => parsed.name = Some(string(&meta)?),
                    "desc" | "description" => parsed.desc = Some(string(&meta)?),
                    "kind" => parsed.kind = Some(string(&meta)?),
                    "default_member_permissions" => {
                        parsed.default_member_permissions = Some(string(&meta)?);
                    }
                    "dm_permission" => parsed.dm_permission = Some(flag(&meta)?),
                    "contexts" => parsed.contexts = Some(string(&meta)?),
                    "integration_types" => parsed.integration_types = Some(string(&meta)?),
                    "nsfw" => parsed.nsfw = Some(flag(&meta)?),
                    "name_localizations" => parsed.name_localizations = Some(path(&meta)?),
                    "desc_localizations" | "description_localizations" => {
                        parsed.desc_localizations = Some(path(&meta)?);
                    }
                    "crate" => parsed.krate = Some(path(&meta)?),
                    _ => {
                        return Err(meta.error(
                            "unknown `command` attribute (name, desc, kind, default_member_permissions, \
                             dm_permission, contexts, integration_types, nsfw, name_localizations, \
                             desc_localizations, crate)",
                        ));
                    }
                }
                Ok(())
            })?;
        }
        Ok(parsed)
    }

    /// The path the generated code names the runtime crate by.
    pub(crate) fn krate(&self) -> TokenStream {
        krate(self.krate.as_ref())
    }
}

pub(crate) fn krate(path: Option<&Path>) -> TokenStream {
    path.map_or_else(|| quote!(::svc_gateway), ToTokens::to_token_stream)
}

impl OptionAttrs {
    pub(crate) fn parse(attrs: &[Attribute]) -> Result<Self> {
        let mut parsed = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("option")) {
            attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                match key.as_str() {
                    "name" | "rename" => parsed.name = Some(string(&meta)?),
                    "desc" | "description" => parsed.desc = Some(string(&meta)?),
                    "min_value" => parsed.min_value = Some(meta.value()?.parse()?),
                    "max_value" => parsed.max_value = Some(meta.value()?.parse()?),
                    "min_length" => parsed.min_length = Some(meta.value()?.parse()?),
                    "max_length" => parsed.max_length = Some(meta.value()?.parse()?),
                    "channel_types" => parsed.channel_types = Some(string(&meta)?),
                    "autocomplete" => parsed.autocomplete = Some(flag(&meta)?),
                    "name_localizations" => parsed.name_localizations = Some(path(&meta)?),
                    "desc_localizations" | "description_localizations" => {
                        parsed.desc_localizations = Some(path(&meta)?);
                    }
                    _ => {
                        return Err(meta.error(
                            "unknown `option` attribute (name, desc, min_value, max_value, min_length, \
                             max_length, channel_types, autocomplete, name_localizations, desc_localizations)",
                        ));
                    }
                }
                Ok(())
            })?;
        }
        Ok(parsed)
    }
}

impl ChoiceAttrs {
    pub(crate) fn parse(attrs: &[Attribute]) -> Result<Self> {
        let mut parsed = Self::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("choice")) {
            attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                match key.as_str() {
                    "name" => parsed.name = Some(string(&meta)?),
                    "value" => {
                        let value = meta.value()?;
                        // A negative number is an expression; fold the sign into the literal.
                        let negative = value.peek(Token![-]);
                        if negative {
                            value.parse::<Token![-]>()?;
                        }
                        let lit: syn::Lit = value.parse()?;
                        parsed.value = Some(if negative { negate(&lit)? } else { lit });
                    }
                    "name_localizations" => parsed.name_localizations = Some(path(&meta)?),
                    "crate" => parsed.krate = Some(path(&meta)?),
                    _ => {
                        return Err(meta.error(
                            "unknown `choice` attribute (name, value, name_localizations, crate)",
                        ));
                    }
                }
                Ok(())
            })?;
        }
        Ok(parsed)
    }
}

fn negate(lit: &syn::Lit) -> Result<syn::Lit> {
    match lit {
        syn::Lit::Int(int) => Ok(syn::Lit::Int(syn::LitInt::new(
            &format!("-{}", int.base10_digits()),
            int.span(),
        ))),
        syn::Lit::Float(float) => Ok(syn::Lit::Float(syn::LitFloat::new(
            &format!("-{}", float.base10_digits()),
            float.span(),
        ))),
        other => Err(syn::Error::new(
            other.span(),
            "only numbers can be negative",
        )),
    }
}

/// The doc comment's first paragraph, as one line: the description when `desc` is absent.
pub(crate) fn doc_description(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
        {
            let line = text.value();
            let line = line.trim();
            if line.is_empty() {
                if !lines.is_empty() {
                    break;
                }
                continue;
            }
            lines.push(line.to_owned());
        }
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// `"guild_text guild_voice"` (or comma-separated) → `[GuildText, GuildVoice]` identifiers.
pub(crate) fn camel_list(list: &LitStr) -> Vec<Ident> {
    list.value()
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|s| !s.is_empty())
        .map(|word| {
            let camel: String = word
                .split('_')
                .map(|part| {
                    let mut chars = part.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().chain(chars).collect()
                    })
                })
                .collect();
            Ident::new(&camel, list.span())
        })
        .collect()
}

/// `"BAN_MEMBERS | KICK_MEMBERS"` → the flag identifiers (none: no permission, admins only).
pub(crate) fn flag_list(list: &LitStr) -> Vec<Ident> {
    list.value()
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|s| !s.is_empty())
        .map(|flag| Ident::new(flag, list.span()))
        .collect()
}

/// A type name as a command name: `TicketOpen` → `ticket-open`.
pub(crate) fn kebab(ident: &Ident) -> String {
    let text = ident.to_string();
    let mut out = String::with_capacity(text.len() + 4);
    for (index, c) in text.trim_start_matches("r#").chars().enumerate() {
        if c.is_uppercase() {
            if index > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}
