//! Splitting a chat line into prefix, command name and arguments, with quoting:
//! `!so "two words" x` → name `so`, arguments `two words` and `x`.

/// A line addressed to the router: which prefix, the command name (lowercase), the raw text
/// after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invocation<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) name: String,
    pub(crate) rest: &'a str,
}

/// The invocation in `text` if it starts with one of `prefixes` (the longest that matches)
/// directly followed by a name.
pub(crate) fn invocation<'a>(text: &'a str, prefixes: &'a [String]) -> Option<Invocation<'a>> {
    let prefix = prefixes
        .iter()
        .filter(|p| !p.is_empty() && text.starts_with(p.as_str()))
        .max_by_key(|p| p.len())?;
    let after = &text[prefix.len()..];
    let end = after.find(char::is_whitespace).unwrap_or(after.len());
    let name = &after[..end];
    if name.is_empty() {
        return None;
    }
    Some(Invocation {
        prefix,
        name: name.to_lowercase(),
        rest: after[end..].trim_start(),
    })
}

/// Arguments split on whitespace; `"…"` groups words (`\"` and `\\` escape inside quotes).
/// An unterminated quote runs to the end of the line.
pub(crate) fn split_args(rest: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return args;
        };
        let mut arg = String::new();
        if first == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' if matches!(chars.peek(), Some('"' | '\\')) => {
                        arg.extend(chars.next());
                    }
                    c => arg.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                arg.push(c);
            }
        }
        args.push(arg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_names_and_rest() {
        let prefixes = vec!["!".to_owned(), "!!".to_owned(), "?".to_owned()];
        let found = invocation("!!Hello  a b", &prefixes).unwrap();
        assert_eq!(
            (found.prefix, &*found.name, found.rest),
            ("!!", "hello", "a b")
        );
        let found = invocation("?so", &prefixes).unwrap();
        assert_eq!((found.prefix, &*found.name, found.rest), ("?", "so", ""));
        assert_eq!(invocation("hello !x", &prefixes), None);
        assert_eq!(invocation("! x", &prefixes), None);
        assert_eq!(invocation("!", &prefixes), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(split_args(""), Vec::<String>::new());
        assert_eq!(split_args("  a  b "), ["a", "b"]);
        assert_eq!(split_args(r#""two words" x"#), ["two words", "x"]);
        assert_eq!(split_args(r#""say \"hi\"" \x"#), [r#"say "hi""#, r"\x"]);
        assert_eq!(split_args(r#""" y"#), ["", "y"]);
        assert_eq!(split_args(r#""open quote runs on"#), ["open quote runs on"]);
    }
}
