//! The derives: the JSON Discord wants (checked against twilight-model's reading of it) and
//! the typed parse of what Discord sends back, for every option type, subcommands, groups,
//! choices and context menus.

use serde_json::json;
use svc_gateway::interactions::{
    CommandModel, CommandOption, CommandOptions, CreateCommand, Mentionable, OptionErrorKind,
    ResolvedUser,
};
use svc_gateway::model::{
    Attachment, Channel, ChannelType, CommandData, CommandOptionType, CommandType, Id,
    IntegrationType, InteractionContextType, Message, Permissions, Role, User, UserMarker,
};

fn french_name() -> [(&'static str, &'static str); 1] {
    [("fr", "tout")]
}

/// Every option type
#[derive(Debug, CommandModel, CreateCommand)]
#[command(
    name = "all",
    default_member_permissions = "MANAGE_GUILD | BAN_MEMBERS",
    contexts = "guild bot_dm",
    integration_types = "guild_install",
    nsfw,
    name_localizations = french_name
)]
struct All {
    /// Text
    #[option(min_length = 2, max_length = 20, autocomplete)]
    text: String,
    /// Integer
    #[option(min_value = -5, max_value = 5)]
    integer: i64,
    /// Small
    small: u8,
    /// Number
    #[option(min_value = 0.5)]
    number: f64,
    /// Flag
    flag: bool,
    /// User
    user: ResolvedUser,
    /// Channel
    #[option(channel_types = "guild_text guild_voice")]
    channel: Channel,
    /// Role
    role: Role,
    /// Mentionable
    mentionable: Mentionable,
    /// Attachment
    attachment: Attachment,
    /// Colour
    colour: Option<Colour>,
    /// Odds
    odds: Option<Odds>,
    /// A user id
    #[option(name = "user-id")]
    user_id: Option<Id<UserMarker>>,
    /// Plain user
    plain: Option<User>,
}

#[derive(Debug, PartialEq, CommandOption)]
enum Colour {
    #[choice(name = "Red")]
    Red,
    #[choice(name = "Sky blue", value = "blue")]
    Blue,
}

#[derive(Debug, PartialEq, CommandOption)]
enum Odds {
    #[choice(name = "Half", value = 0.5)]
    Half,
    #[choice(name = "Whole", value = 1)]
    Whole,
}

fn data(value: serde_json::Value) -> CommandData {
    serde_json::from_value(value).unwrap()
}

#[test]
fn every_option_type_is_declared_as_discord_wants() {
    let command = All::create_command();
    command.validate().unwrap();
    let json = serde_json::to_value(&command).unwrap();
    let kinds: Vec<u64> = json["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["type"].as_u64().unwrap())
        .collect();
    assert_eq!(kinds, [3, 4, 4, 10, 5, 6, 7, 8, 9, 11, 3, 10, 6, 6]);
    assert_eq!(json["name_localizations"]["fr"], "tout");
    assert_eq!(json["default_member_permissions"], (0x20 | 0x4).to_string());
    assert_eq!(json["contexts"], json!([0, 1]));
    assert_eq!(json["integration_types"], json!([0]));
    assert_eq!(json["nsfw"], true);
    let options = &json["options"];
    assert_eq!(options[0]["description"], "Text");
    assert_eq!(options[0]["min_length"], 2);
    assert_eq!(options[0]["autocomplete"], true);
    assert_eq!(options[0]["required"], true);
    assert_eq!(options[1]["min_value"], -5);
    assert_eq!(options[2]["max_value"], 255, "u8 declares its range");
    assert_eq!(options[3]["min_value"], 0.5);
    assert_eq!(options[6]["channel_types"], json!([0, 2]));
    assert_eq!(
        options[10]["choices"],
        json!([{"name": "Red", "value": "red"}, {"name": "Sky blue", "value": "blue"}])
    );
    assert_eq!(options[10].get("required"), None, "Option<T> is optional");
    assert_eq!(
        options[11]["choices"],
        json!([{"name": "Half", "value": 0.5}, {"name": "Whole", "value": 1.0}])
    );
    assert_eq!(options[12]["name"], "user-id");

    // An independent reading of the same JSON (twilight models Discord's answer, which
    // adds a version).
    let mut answered = json.clone();
    answered["version"] = json!("1");
    let twilight: twilight_model::application::command::Command =
        serde_json::from_value(answered).expect("twilight-model reads our command");
    assert_eq!(twilight.options.len(), 14);
    assert_eq!(
        serde_json::to_value(&twilight.options).unwrap()[6]["channel_types"],
        json!([0, 2])
    );
}

fn all_data() -> CommandData {
    data(json!({
        "id": "1", "name": "all", "type": 1,
        "options": [
            {"name": "text", "type": 3, "value": "hello"},
            {"name": "integer", "type": 4, "value": -3},
            {"name": "small", "type": 4, "value": 200},
            {"name": "number", "type": 10, "value": 2},
            {"name": "flag", "type": 5, "value": true},
            {"name": "user", "type": 6, "value": "42"},
            {"name": "channel", "type": 7, "value": "7"},
            {"name": "role", "type": 8, "value": "8"},
            {"name": "mentionable", "type": 9, "value": "8"},
            {"name": "attachment", "type": 11, "value": "11"},
            {"name": "colour", "type": 3, "value": "blue"},
            {"name": "odds", "type": 10, "value": 0.5},
            {"name": "user-id", "type": 6, "value": "42"},
        ],
        "resolved": {
            "users": {"42": {"id": "42", "username": "ana"}},
            "members": {"42": {"nick": "Ana", "roles": ["8"]}},
            "roles": {"8": {"id": "8", "name": "mods", "permissions": "0"}},
            "channels": {"7": {"id": "7", "type": 0, "name": "general", "permissions": "2048"}},
            "attachments": {"11": {"id": "11", "filename": "a.png", "size": 3, "url": "https://cdn.invalid/a.png"}},
        },
    }))
}

#[test]
fn every_option_type_parses_with_its_resolved_data() {
    let data = all_data();
    let all = All::from_options(CommandOptions::new(&data)).unwrap();
    assert_eq!(all.text, "hello");
    assert_eq!(all.integer, -3);
    assert_eq!(all.small, 200);
    assert!((all.number - 2.0).abs() < f64::EPSILON);
    assert!(all.flag);
    assert_eq!(all.user.user.username, "ana");
    assert_eq!(all.user.member.unwrap().nick.as_deref(), Some("Ana"));
    assert_eq!(all.channel.name.as_deref(), Some("general"));
    assert_eq!(all.channel.permissions, Some(Permissions::SEND_MESSAGES));
    assert_eq!(all.role.name, "mods");
    assert!(matches!(all.mentionable, Mentionable::Role(role) if role.name == "mods"));
    assert_eq!(all.attachment.filename, "a.png");
    assert_eq!(all.colour, Some(Colour::Blue));
    assert_eq!(all.odds, Some(Odds::Half));
    assert_eq!(all.user_id, Some(Id::new(42)));
    assert_eq!(all.plain, None);
}

fn parse_error(value: serde_json::Value) -> (String, OptionErrorKind) {
    let patch = data(value);
    let mut all = all_data();
    all.options = patch.options;
    let error = All::from_options(CommandOptions::new(&all)).unwrap_err();
    (error.option().to_owned(), error.kind().clone())
}

#[test]
fn bad_options_are_typed_errors() {
    let mut options = all_data().options;
    options.retain(|o| o.name != "text");
    let mut missing = all_data();
    missing.options = options;
    let error = All::from_options(CommandOptions::new(&missing)).unwrap_err();
    assert_eq!(
        (error.option(), error.kind()),
        ("text", &OptionErrorKind::Missing)
    );

    let replace = |name: &str, option: serde_json::Value| {
        let mut options = serde_json::to_value(&all_data().options).unwrap();
        for o in options.as_array_mut().unwrap() {
            if o["name"] == name {
                *o = option.clone();
            }
        }
        json!({"id": "1", "name": "all", "options": options})
    };
    assert_eq!(
        parse_error(replace(
            "small",
            json!({"name": "small", "type": 4, "value": 300})
        )),
        ("small".into(), OptionErrorKind::OutOfRange)
    );
    assert_eq!(
        parse_error(replace(
            "text",
            json!({"name": "text", "type": 4, "value": 1})
        )),
        (
            "text".into(),
            OptionErrorKind::WrongType {
                expected: CommandOptionType::String,
                found: CommandOptionType::Integer
            }
        )
    );
    assert_eq!(
        parse_error(replace(
            "user",
            json!({"name": "user", "type": 6, "value": "999"})
        )),
        ("user".into(), OptionErrorKind::Unresolved)
    );
    assert_eq!(
        parse_error(replace(
            "colour",
            json!({"name": "colour", "type": 3, "value": "green"})
        )),
        (
            "colour".into(),
            OptionErrorKind::UnknownChoice("green".into())
        )
    );
    assert_eq!(
        parse_error(replace(
            "colour",
            json!({"name": "extra", "type": 3, "value": "x"})
        )),
        ("extra".into(), OptionErrorKind::Unexpected)
    );
}

/// Tickets
#[derive(Debug, PartialEq, CommandModel, CreateCommand)]
#[command(name = "ticket")]
enum Ticket {
    Open(OpenTicket),
    #[command(name = "admin")]
    Admin(TicketAdmin),
    /// Lists tickets
    #[command(name = "list")]
    List,
}

/// Opens a ticket
#[derive(Debug, PartialEq, CommandModel, CreateCommand)]
#[command(name = "open")]
struct OpenTicket {
    /// What about
    topic: String,
}

/// Admin tools
#[derive(Debug, PartialEq, CommandModel, CreateCommand)]
#[command(name = "admin-tools")]
enum TicketAdmin {
    Purge(Purge),
}

/// Purges closed tickets
#[derive(Debug, PartialEq, CommandModel, CreateCommand)]
struct Purge {
    /// Older than this many days
    days: Option<u16>,
}

#[test]
fn enums_are_subcommands_and_groups() {
    let command = Ticket::create_command();
    command.validate().unwrap();
    let json = serde_json::to_value(&command).unwrap();
    assert_eq!(json["options"][0]["type"], 1);
    assert_eq!(json["options"][0]["name"], "open");
    assert_eq!(json["options"][0]["options"][0]["name"], "topic");
    assert_eq!(json["options"][1]["type"], 2, "an enum variant is a group");
    assert_eq!(
        json["options"][1]["name"], "admin",
        "renamed by the variant"
    );
    assert_eq!(json["options"][1]["options"][0]["name"], "purge");
    assert_eq!(
        json["options"][2],
        json!({"type": 1, "name": "list", "description": "Lists tickets"})
    );

    let purge = data(json!({"id": "1", "name": "ticket", "options": [
        {"name": "admin", "type": 2, "options": [{"name": "purge", "type": 1, "options": [{"name": "days", "type": 4, "value": 30}]}]},
    ]}));
    assert_eq!(
        Ticket::from_options(CommandOptions::new(&purge)).unwrap(),
        Ticket::Admin(TicketAdmin::Purge(Purge { days: Some(30) }))
    );
    let list = data(json!({"id": "1", "name": "ticket", "options": [{"name": "list", "type": 1}]}));
    assert_eq!(
        Ticket::from_options(CommandOptions::new(&list)).unwrap(),
        Ticket::List
    );
    let unknown =
        data(json!({"id": "1", "name": "ticket", "options": [{"name": "close", "type": 1}]}));
    let error = Ticket::from_options(CommandOptions::new(&unknown)).unwrap_err();
    assert_eq!(error.kind(), &OptionErrorKind::UnknownSubcommand);
    let none = data(json!({"id": "1", "name": "ticket"}));
    let error = Ticket::from_options(CommandOptions::new(&none)).unwrap_err();
    assert_eq!(error.kind(), &OptionErrorKind::MissingSubcommand);
}

#[derive(Debug, CommandModel, CreateCommand)]
#[command(kind = "user", name = "Report user", contexts = "guild")]
struct ReportUser {
    target: ResolvedUser,
}

#[derive(Debug, CommandModel, CreateCommand)]
#[command(kind = "message", name = "Quote")]
struct Quote(Message);

#[test]
fn context_menu_commands_parse_their_target() {
    let json = serde_json::to_value(ReportUser::create_command()).unwrap();
    assert_eq!(
        json,
        json!({"type": 2, "name": "Report user", "description": "", "contexts": [0]})
    );
    assert_eq!(ReportUser::create_command().kind, CommandType::User);
    let user = data(
        json!({"id": "1", "name": "Report user", "type": 2, "target_id": "42",
        "resolved": {"users": {"42": {"id": "42", "username": "ana"}}}}),
    );
    let report = ReportUser::from_options(CommandOptions::new(&user)).unwrap();
    assert_eq!(report.target.user.username, "ana");
    // A message command's data is not a user command's target.
    assert_eq!(
        Quote::from_options(CommandOptions::new(&user))
            .unwrap_err()
            .kind(),
        &OptionErrorKind::NoTarget
    );
    let message = data(
        json!({"id": "1", "name": "Quote", "type": 3, "target_id": "5",
        "resolved": {"messages": {"5": {"id": "5", "channel_id": "6", "author": {"id": "42", "username": "ana"},
            "content": "hi", "timestamp": "2024-01-01T00:00:00+00:00"}}}}),
    );
    assert_eq!(
        Quote::from_options(CommandOptions::new(&message))
            .unwrap()
            .0
            .content,
        "hi"
    );
}

#[test]
fn builders_make_the_same_definition_as_the_derive() {
    use svc_gateway::model::{Command, CommandOption as Option};
    let built = Command::chat_input("open", "Opens a ticket")
        .option(Option::string("topic", "What about").required(true));
    assert_eq!(built, OpenTicket::create_command());
    let all = Command::chat_input("x", "y")
        .option(Option::channel("c", "d").channel_types([ChannelType::GuildText]))
        .contexts([InteractionContextType::Guild])
        .integration_types([IntegrationType::UserInstall]);
    all.validate().unwrap();
}
