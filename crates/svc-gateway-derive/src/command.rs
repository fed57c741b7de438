//! `CommandModel` and `CreateCommand` for structs (a command's options, or a context-menu
//! command's target) and enums (subcommands and groups).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Fields, GenericArgument, LitStr, PathArguments, Result, Type};

use crate::attrs::{CommandAttrs, OptionAttrs, camel_list, doc_description, flag_list, kebab};

/// What kind of command a type defines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    ChatInput,
    User,
    Message,
}

struct Command {
    attrs: CommandAttrs,
    name: LitStr,
    kind: Kind,
}

impl Command {
    fn read(input: &DeriveInput) -> Result<Self> {
        let attrs = CommandAttrs::parse(&input.attrs)?;
        let name = attrs
            .name
            .clone()
            .unwrap_or_else(|| LitStr::new(&kebab(&input.ident), input.ident.span()));
        let kind = match attrs.kind.as_ref().map(LitStr::value).as_deref() {
            None | Some("chat_input" | "slash") => Kind::ChatInput,
            Some("user") => Kind::User,
            Some("message") => Kind::Message,
            Some(_) => {
                return Err(syn::Error::new(
                    attrs.kind.span(),
                    "kind is \"chat_input\", \"user\" or \"message\"",
                ));
            }
        };
        Ok(Self { attrs, name, kind })
    }
}

/// `#[derive(CreateCommand)]`.
pub(crate) fn create_command(input: &DeriveInput) -> Result<TokenStream> {
    let command = Command::read(input)?;
    let krate = command.attrs.krate();
    let ident = &input.ident;
    let name = &command.name;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let constructor = match command.kind {
        Kind::ChatInput => {
            let desc = description(
                command.attrs.desc.as_ref(),
                &input.attrs,
                input.ident.span(),
            )?;
            quote!(#krate::model::Command::chat_input(#name, #desc))
        }
        Kind::User => quote!(#krate::model::Command::user(#name)),
        Kind::Message => quote!(#krate::model::Command::message(#name)),
    };
    let options = match (&input.data, command.kind) {
        (Data::Struct(data), Kind::ChatInput) => struct_options(&data.fields, &krate)?,
        (Data::Struct(_), _) => Vec::new(),
        (Data::Enum(data), Kind::ChatInput) => variant_options(data, &krate)?,
        (Data::Enum(_), _) => {
            return Err(syn::Error::new(
                input.ident.span(),
                "context-menu commands are structs (with their target as the one field)",
            ));
        }
        (Data::Union(_), _) => {
            return Err(syn::Error::new(
                input.ident.span(),
                "unions cannot be commands",
            ));
        }
    };
    let settings = command_settings(&command.attrs, &krate);
    Ok(quote! {
        impl #impl_generics #krate::interactions::CreateCommand for #ident #type_generics #where_clause {
            const NAME: &'static str = #name;

            fn create_command() -> #krate::model::Command {
                let mut command = #constructor;
                #(command = command.option(#options);)*
                #settings
                command
            }
        }
    })
}

/// The description: `desc = "…"`, else the doc comment.
fn description(
    desc: Option<&LitStr>,
    attrs: &[syn::Attribute],
    span: proc_macro2::Span,
) -> Result<LitStr> {
    match desc {
        Some(desc) => Ok(desc.clone()),
        None => doc_description(attrs)
            .map(|text| LitStr::new(&text, span))
            .ok_or_else(|| {
                syn::Error::new(span, "needs a description: a doc comment or `desc = \"…\"`")
            }),
    }
}

/// Statements applying the command-level settings to `command`.
fn command_settings(attrs: &CommandAttrs, krate: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(permissions) = &attrs.default_member_permissions {
        let flags = flag_list(permissions);
        out.extend(quote! {
            command = command.default_member_permissions(
                #krate::model::Permissions::empty() #(| #krate::model::Permissions::#flags)*
            );
        });
    }
    if let Some(allowed) = &attrs.dm_permission {
        out.extend(quote!(command = command.dm_permission(#allowed);));
    }
    if let Some(contexts) = &attrs.contexts {
        let contexts = camel_list(contexts);
        out.extend(quote! {
            command = command.contexts([#(#krate::model::InteractionContextType::#contexts),*]);
        });
    }
    if let Some(types) = &attrs.integration_types {
        let types = camel_list(types);
        out.extend(quote! {
            command = command.integration_types([#(#krate::model::IntegrationType::#types),*]);
        });
    }
    if let Some(nsfw) = &attrs.nsfw {
        out.extend(quote!(command = command.nsfw(#nsfw);));
    }
    if let Some(path) = &attrs.name_localizations {
        out.extend(quote! {
            for (locale, text) in #path() {
                command = command.name_localization(locale, text);
            }
        });
    }
    if let Some(path) = &attrs.desc_localizations {
        out.extend(quote! {
            for (locale, text) in #path() {
                command = command.description_localization(locale, text);
            }
        });
    }
    out
}

/// `Option<T>` → `Some(T)`.
fn optional_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// One field as an option: its name, type, whether required.
struct FieldOption<'a> {
    ident: &'a syn::Ident,
    name: LitStr,
    ty: &'a Type,
    required: bool,
    attrs: OptionAttrs,
    field: &'a syn::Field,
}

fn field_options(fields: &Fields) -> Result<Vec<FieldOption<'_>>> {
    let Fields::Named(named) = fields else {
        return match fields {
            Fields::Unit => Ok(Vec::new()),
            _ => Err(syn::Error::new(
                fields.span(),
                "a command's options are named fields (tuple structs name no options)",
            )),
        };
    };
    named
        .named
        .iter()
        .map(|field| {
            let ident = field.ident.as_ref().expect("named fields have names");
            let attrs = OptionAttrs::parse(&field.attrs)?;
            let name = attrs.name.clone().unwrap_or_else(|| {
                LitStr::new(ident.to_string().trim_start_matches("r#"), ident.span())
            });
            let (ty, required) = match optional_inner(&field.ty) {
                Some(inner) => (inner, false),
                None => (&field.ty, true),
            };
            Ok(FieldOption {
                ident,
                name,
                ty,
                required,
                attrs,
                field,
            })
        })
        .collect()
}

/// The `CommandOption` expression of each field.
fn struct_options(fields: &Fields, krate: &TokenStream) -> Result<Vec<TokenStream>> {
    field_options(fields)?
        .into_iter()
        .map(|option| {
            let FieldOption {
                name,
                ty,
                required,
                attrs,
                field,
                ..
            } = option;
            let desc = description(attrs.desc.as_ref(), &field.attrs, field.span())?;
            let mut settings = TokenStream::new();
            let mut set = |method: &str, value: &Option<syn::Expr>| {
                if let Some(value) = value {
                    let method = syn::Ident::new(method, value.span());
                    settings.extend(quote!(let option = option.#method(#value);));
                }
            };
            set("min_value", &attrs.min_value);
            set("max_value", &attrs.max_value);
            set("min_length", &attrs.min_length);
            set("max_length", &attrs.max_length);
            if let Some(types) = &attrs.channel_types {
                let types = camel_list(types);
                settings.extend(quote! {
                    let option = option.channel_types([#(#krate::model::ChannelType::#types),*]);
                });
            }
            if let Some(autocomplete) = &attrs.autocomplete {
                settings.extend(quote!(let option = option.autocomplete(#autocomplete);));
            }
            if let Some(path) = &attrs.name_localizations {
                settings.extend(quote! {
                    let mut option = option;
                    for (locale, text) in #path() {
                        option = option.name_localization(locale, text);
                    }
                });
            }
            if let Some(path) = &attrs.desc_localizations {
                settings.extend(quote! {
                    let mut option = option;
                    for (locale, text) in #path() {
                        option = option.description_localization(locale, text);
                    }
                });
            }
            let option_type = quote_spanned!(ty.span()=> <#ty as #krate::interactions::OptionType>);
            Ok(quote! {{
                let option = #krate::model::CommandOption::new(#option_type::KIND, #name, #desc)
                    .required(#required);
                let option = #option_type::describe(option);
                #settings
                option
            }})
        })
        .collect()
}

/// The subcommand (or group) of each variant.
fn variant_options(data: &syn::DataEnum, krate: &TokenStream) -> Result<Vec<TokenStream>> {
    data.variants
        .iter()
        .map(|variant| {
            let attrs = CommandAttrs::parse(&variant.attrs)?;
            match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let ty = &fields.unnamed[0].ty;
                    let rename = attrs.name.as_ref().map(|name| quote!(command.name = #name.into();));
                    Ok(quote! {{
                        let mut command = <#ty as #krate::interactions::CreateCommand>::create_command();
                        #rename
                        #krate::model::CommandOption::from_command(command)
                    }})
                }
                Fields::Unit => {
                    let name = attrs.name.clone().ok_or_else(|| {
                        syn::Error::new(variant.span(), "a unit variant needs `#[command(name = \"…\")]`")
                    })?;
                    let desc = description(attrs.desc.as_ref(), &variant.attrs, variant.span())?;
                    Ok(quote!(#krate::model::CommandOption::subcommand(#name, #desc)))
                }
                _ => Err(syn::Error::new(
                    variant.span(),
                    "a subcommand variant holds one command type (`Open(OpenTicket)`) or nothing",
                )),
            }
        })
        .collect()
}

/// `#[derive(CommandModel)]`.
pub(crate) fn command_model(input: &DeriveInput) -> Result<TokenStream> {
    let command = Command::read(input)?;
    let krate = command.attrs.krate();
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let body = match (&input.data, command.kind) {
        (Data::Struct(data), Kind::ChatInput) => struct_model(&data.fields)?,
        (Data::Struct(data), _) => target_model(&data.fields)?,
        (Data::Enum(data), Kind::ChatInput) => enum_model(data, &krate)?,
        _ => {
            return Err(syn::Error::new(
                input.ident.span(),
                "CommandModel is derived for structs and enums of subcommands",
            ));
        }
    };
    Ok(quote! {
        impl #impl_generics #krate::interactions::CommandModel for #ident #type_generics #where_clause {
            #[allow(unused_mut)] // context-menu and option-less commands only read or finish
            fn from_options(
                mut options: #krate::interactions::CommandOptions<'_>,
            ) -> ::core::result::Result<Self, #krate::interactions::OptionError> {
                #body
            }
        }
    })
}

fn struct_model(fields: &Fields) -> Result<TokenStream> {
    let reads = field_options(fields)?.into_iter().map(|option| {
        let FieldOption {
            ident,
            name,
            ty,
            required,
            ..
        } = option;
        let method = if required {
            quote!(required)
        } else {
            quote!(optional)
        };
        quote_spanned!(ty.span()=> let #ident = options.#method::<#ty>(#name)?;)
    });
    let idents = match fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref())
            .collect(),
        _ => Vec::new(),
    };
    let construct = if let Fields::Unit = fields {
        quote!(Self)
    } else {
        quote!(Self { #(#idents),* })
    };
    Ok(quote! {
        #(#reads)*
        options.finish()?;
        ::core::result::Result::Ok(#construct)
    })
}

/// A context-menu command: its one field (if any) is the target.
fn target_model(fields: &Fields) -> Result<TokenStream> {
    let read = |ty: &Type| quote!(options.target::<#ty>()?);
    let construct = match fields {
        Fields::Unit => quote!(Self),
        Fields::Named(named) if named.named.len() == 1 => {
            let field = &named.named[0];
            let ident = field.ident.as_ref();
            let value = read(&field.ty);
            quote!(Self { #ident: #value })
        }
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
            let value = read(&unnamed.unnamed[0].ty);
            quote!(Self(#value))
        }
        _ => {
            return Err(syn::Error::new(
                fields.span(),
                "a context-menu command has one field (its target: a user or a message) or none",
            ));
        }
    };
    Ok(quote! {
        let parsed = #construct;
        options.finish()?;
        ::core::result::Result::Ok(parsed)
    })
}

fn enum_model(data: &syn::DataEnum, krate: &TokenStream) -> Result<TokenStream> {
    let arms = data
        .variants
        .iter()
        .map(|variant| {
            let attrs = CommandAttrs::parse(&variant.attrs)?;
            let ident = &variant.ident;
            match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let ty = &fields.unnamed[0].ty;
                    let name = attrs.name.as_ref().map_or_else(
                        || quote!(<#ty as #krate::interactions::CreateCommand>::NAME),
                        |name| quote!(#name),
                    );
                    Ok(quote! {
                        if name == #name {
                            Self::#ident(<#ty as #krate::interactions::CommandModel>::from_options(below)?)
                        } else
                    })
                }
                Fields::Unit => {
                    let name = attrs.name.clone().ok_or_else(|| {
                        syn::Error::new(variant.span(), "a unit variant needs `#[command(name = \"…\")]`")
                    })?;
                    Ok(quote! {
                        if name == #name {
                            below.finish()?;
                            Self::#ident
                        } else
                    })
                }
                _ => Err(syn::Error::new(
                    variant.span(),
                    "a subcommand variant holds one command type or nothing",
                )),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        let (name, below) = options.subcommand()?;
        let parsed = #(#arms)* {
            return ::core::result::Result::Err(#krate::interactions::OptionError::new(
                name,
                #krate::interactions::OptionErrorKind::UnknownSubcommand,
            ));
        };
        options.finish()?;
        ::core::result::Result::Ok(parsed)
    })
}
