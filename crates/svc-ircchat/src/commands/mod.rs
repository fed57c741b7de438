//! Chat commands (twitchio's commands extension): a prefix router with aliases, arguments
//! split with quoting and read as any `FromStr` type, cooldowns per bucket, permission
//! checks from badges, a help listing and one error hook. Handlers run concurrently, each in
//! its own task.
//!
//! | twitchio `commands.Bot` | here |
//! |---|---|
//! | `Bot(prefix=["!", "?"])` | [`Commands::builder`]`().prefixes(["!", "?"])` |
//! | `@commands.command(name=…, aliases=[…])` | [`ChatCommand::new`]`(name, handler).alias(…)` |
//! | typed parameters (`arg: int`) | `ctx.args.get::<i64>(0)?`, `ctx.args.opt::<T>(1)?`, `ctx.args.raw()` for the rest of the line |
//! | `@commands.cooldown(rate, per, Bucket.user)` | [`ChatCommand::cooldown`]`(`[`Cooldown::new`]`(rate, per, `[`Bucket::User`]`))` (also `Global`, `Channel`, `Member`) |
//! | checks on `ctx.author.is_mod` … | [`ChatCommand::permission`]`(`[`Permission::Moderator`]`)` (`Subscriber`, `Vip`, `Broadcaster`) |
//! | `event_command_error` | [`CommandsBuilder::on_error`] with a [`CommandFailure`] ([`CommandErrorKind`]: unknown, missing/bad argument, cooldown, permission, handler) |
//! | a help command | [`CommandsBuilder::help_command`], [`Commands::help`] |
//! | `ctx.send`, `ctx.reply` | [`Context::say`], [`Context::reply`] |

mod args;
mod cooldown;
mod error;
pub(crate) mod parse;
mod permission;
mod router;

pub use args::Args;
pub use cooldown::{Bucket, Cooldown};
pub use error::{CommandError, CommandErrorKind};
pub use permission::Permission;
pub use router::{ChatCommand, CommandFailure, Commands, CommandsBuilder, Context, HelpEntry};
