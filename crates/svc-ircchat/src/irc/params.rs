//! Command parameters: the space-separated middle ones, then the trailing one.

/// Iterator over a message's parameters, the trailing one (after ` :`) last.
#[derive(Debug, Clone)]
pub struct Params<'s> {
    middle: &'s str,
    trailing: Option<&'s str>,
}

impl<'s> Params<'s> {
    pub(crate) fn new(middle: &'s str, trailing: Option<&'s str>) -> Self {
        Self { middle, trailing }
    }
}

impl<'s> Iterator for Params<'s> {
    type Item = &'s str;

    fn next(&mut self) -> Option<&'s str> {
        let middle = self.middle.trim_start_matches(' ');
        if middle.is_empty() {
            self.middle = "";
            return self.trailing.take();
        }
        if let Some(at) = middle.find(' ') {
            self.middle = &middle[at..];
            Some(&middle[..at])
        } else {
            self.middle = "";
            Some(middle)
        }
    }
}
