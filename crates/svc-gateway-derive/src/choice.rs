//! `CommandOption` for enums of choices: the option's type comes from the values (all
//! strings, all integers, or numbers), each variant is one choice.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Lit, LitStr, Result};

use crate::attrs::{ChoiceAttrs, krate};

#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    String,
    Integer,
    Number,
}

/// `#[derive(CommandOption)]`.
pub(crate) fn command_option(input: &DeriveInput) -> Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "CommandOption is derived for enums of choices",
        ));
    };
    let enum_attrs = ChoiceAttrs::parse(&input.attrs)?;
    let krate = krate(enum_attrs.krate.as_ref());
    let ident = &input.ident;
    let mut choices = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            return Err(syn::Error::new(variant.span(), "choices are unit variants"));
        }
        let attrs = ChoiceAttrs::parse(&variant.attrs)?;
        let name = attrs
            .name
            .clone()
            .unwrap_or_else(|| LitStr::new(&variant.ident.to_string(), variant.ident.span()));
        let value = attrs.value.clone().unwrap_or_else(|| {
            Lit::Str(LitStr::new(
                &variant.ident.to_string().to_lowercase(),
                variant.ident.span(),
            ))
        });
        let kind = match &value {
            Lit::Str(_) => ValueKind::String,
            Lit::Int(_) => ValueKind::Integer,
            Lit::Float(_) => ValueKind::Number,
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "a choice's value is a string, an integer or a number",
                ));
            }
        };
        choices.push((&variant.ident, name, value, kind, attrs.name_localizations));
    }
    let kinds: Vec<ValueKind> = choices.iter().map(|c| c.3).collect();
    let kind = if kinds.iter().all(|k| *k == ValueKind::String) {
        ValueKind::String
    } else if kinds.iter().all(|k| *k == ValueKind::Integer) {
        ValueKind::Integer
    } else if kinds.iter().all(|k| *k != ValueKind::String) {
        ValueKind::Number
    } else {
        return Err(syn::Error::new(
            input.ident.span(),
            "choices mix strings and numbers",
        ));
    };
    let option_kind = match kind {
        ValueKind::String => quote!(String),
        ValueKind::Integer => quote!(Integer),
        ValueKind::Number => quote!(Number),
    };
    let parse = parse_body(kind, &choices, &krate);
    let declare = choices.iter().map(|(_, name, value, _, localizations)| {
        let value = match (kind, value) {
            // An integer written among numbers is declared as the number it is.
            (ValueKind::Number, Lit::Int(int)) => {
                let float = syn::LitFloat::new(&format!("{}.0", int.base10_digits()), int.span());
                quote!(#float)
            }
            (ValueKind::Integer, Lit::Int(int)) => {
                let typed = syn::LitInt::new(&format!("{}i64", int.base10_digits()), int.span());
                quote!(#typed)
            }
            (_, value) => quote!(#value),
        };
        let localize = localizations.as_ref().map(|path| {
            quote! {
                for (locale, text) in #path() {
                    choice = choice.name_localization(locale, text);
                }
            }
        });
        quote! {{
            let mut choice = #krate::model::CommandOptionChoice::new(#name, #value);
            #localize
            choice
        }}
    });
    Ok(quote! {
        impl #krate::interactions::OptionType for #ident {
            const KIND: #krate::model::CommandOptionType = #krate::model::CommandOptionType::#option_kind;

            fn from_option(
                value: &#krate::model::OptionValue,
                _: ::core::option::Option<&#krate::model::Resolved>,
            ) -> ::core::result::Result<Self, #krate::interactions::OptionErrorKind> {
                #parse
            }

            fn describe(option: #krate::model::CommandOption) -> #krate::model::CommandOption {
                option.choices([#(#declare),*])
            }
        }
    })
}

type Choice<'a> = (&'a syn::Ident, LitStr, Lit, ValueKind, Option<syn::Path>);

fn parse_body(kind: ValueKind, choices: &[Choice<'_>], krate: &TokenStream) -> TokenStream {
    let variants = choices.iter().map(|c| c.0);
    let unknown = quote!(#krate::interactions::OptionErrorKind::UnknownChoice);
    let bad = quote!(::core::result::Result::Err(#krate::interactions::OptionErrorKind::BadValue));
    match kind {
        ValueKind::String => {
            let values = choices.iter().map(|c| &c.2);
            quote! {
                let #krate::model::OptionValue::String(text) = value else { return #bad; };
                match text.as_str() {
                    #(#values => ::core::result::Result::Ok(Self::#variants),)*
                    other => ::core::result::Result::Err(#unknown(other.into())),
                }
            }
        }
        ValueKind::Integer => {
            let values = choices.iter().map(|c| &c.2);
            quote! {
                let #krate::model::OptionValue::Integer(number) = value else { return #bad; };
                match *number {
                    #(#values => ::core::result::Result::Ok(Self::#variants),)*
                    other => ::core::result::Result::Err(#unknown(other.to_string())),
                }
            }
        }
        ValueKind::Number => {
            let values = choices.iter().map(|c| match &c.2 {
                Lit::Int(int) => {
                    let float =
                        syn::LitFloat::new(&format!("{}.0", int.base10_digits()), int.span());
                    quote!(#float)
                }
                other => quote!(#other),
            });
            quote! {
                let number: f64 = match value {
                    #krate::model::OptionValue::Number(number) => *number,
                    #krate::model::OptionValue::Integer(number) => *number as f64,
                    _ => return #bad,
                };
                #(
                    #[allow(clippy::float_cmp)] // choices are exact values Discord echoes back
                    if number == #values {
                        return ::core::result::Result::Ok(Self::#variants);
                    }
                )*
                ::core::result::Result::Err(#unknown(number.to_string()))
            }
        }
    }
}
