//! The command line split into positional words and `--flags` (`--name value`,
//! `--name=value`, or a bare switch), by hand: the sandbox's needs are small.

/// Flags that take no value.
const SWITCHES: &[&str] = &["json", "resumable", "broadcast", "help", "off"];

/// Parsed words and flags, in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Args {
    pub(super) words: Vec<String>,
    flags: Vec<(String, Option<String>)>,
}

impl Args {
    /// Splits `args` (without the program name). A value-taking flag without a value is an
    /// error that names it.
    pub(super) fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(flag) = arg.strip_prefix("--") else {
                parsed.words.push(arg);
                continue;
            };
            if flag.is_empty() {
                parsed.words.extend(args.by_ref());
                break;
            }
            if let Some((name, value)) = flag.split_once('=') {
                parsed.flags.push((name.to_owned(), Some(value.to_owned())));
            } else if SWITCHES.contains(&flag) {
                parsed.flags.push((flag.to_owned(), None));
            } else {
                let value = args
                    .next()
                    .ok_or_else(|| format!("--{flag} needs a value"))?;
                parsed.flags.push((flag.to_owned(), Some(value)));
            }
        }
        Ok(parsed)
    }

    /// The last value of `--name`.
    pub(super) fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value of a repeated `--name`.
    pub(super) fn values(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// Whether the switch `--name` was given.
    pub(super) fn switch(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, v)| n == name && v.is_none())
    }

    /// Flags not in `known`: a typo should not be silently ignored.
    pub(super) fn unknown_flag(&self, known: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .map(|(n, _)| n.as_str())
            .find(|n| !known.contains(n) && *n != "help")
    }
}

#[cfg(test)]
mod tests {
    use super::Args;

    fn parse(line: &str) -> Result<Args, String> {
        Args::parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn words_flags_and_switches() {
        let args =
            parse("discord command roll --option sides=6 --option=count=2 --as bob --resumable")
                .unwrap();
        assert_eq!(args.words, ["discord", "command", "roll"]);
        assert_eq!(args.values("option"), ["sides=6", "count=2"]);
        assert_eq!(args.value("as"), Some("bob"));
        assert!(args.switch("resumable"));
        assert_eq!(args.unknown_flag(&["option", "as", "resumable"]), None);
        assert_eq!(args.unknown_flag(&["option"]), Some("as"));
        assert_eq!(
            parse("state --control").unwrap_err(),
            "--control needs a value"
        );
        assert_eq!(
            parse("say -- --not-a-flag").unwrap().words,
            ["say", "--not-a-flag"]
        );
    }
}
