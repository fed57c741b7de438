//! stub
use proc_macro::TokenStream;
/// x
#[proc_macro_derive(CommandModel, attributes(command, option))]
pub fn command_model(_: TokenStream) -> TokenStream { TokenStream::new() }
/// x
#[proc_macro_derive(CreateCommand, attributes(command, option))]
pub fn create_command(_: TokenStream) -> TokenStream { TokenStream::new() }
/// x
#[proc_macro_derive(CommandOption, attributes(choice))]
pub fn command_option(_: TokenStream) -> TokenStream { TokenStream::new() }
