//! Parsing what a client sends: one IRC line into tags, command and parameters.

/// A client line: tags (raw), command, params with the trailing one last.
pub(super) struct Command<'s> {
    pub(super) tags: &'s str,
    pub(super) name: &'s str,
    pub(super) params: Vec<&'s str>,
}

impl<'s> Command<'s> {
    pub(super) fn parse(line: &'s str) -> Option<Self> {
        let mut rest = line.trim_end_matches(['\r', '\n']);
        let mut tags = "";
        if let Some(tagged) = rest.strip_prefix('@') {
            let (t, r) = tagged.split_once(' ')?;
            tags = t;
            rest = r.trim_start();
        }
        if rest.starts_with(':') {
            rest = rest.split_once(' ')?.1.trim_start();
        }
        let (name, mut rest) = rest.split_once(' ').unwrap_or((rest, ""));
        if name.is_empty() {
            return None;
        }
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches(' ');
            if rest.is_empty() {
                break;
            }
            if let Some(trailing) = rest.strip_prefix(':') {
                params.push(trailing);
                break;
            }
            let (param, r) = rest.split_once(' ').unwrap_or((rest, ""));
            params.push(param);
            rest = r;
        }
        Some(Self { tags, name, params })
    }
}
