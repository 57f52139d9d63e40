//! Comma-separated lines, as the CSV logs of Exchange and PowerMTA write them: fields quoted when
//! they hold a comma or a quote, a quote inside written twice.

use std::borrow::Cow;

/// The most columns of a log's CSV lines that are read: a header's names past them are not
/// looked at, nor a record's fields.
pub const MAX_COLUMNS: usize = 64;

/// A record's fields up to column `last`, by column (`None` past the line's last field); the
/// line's ending and trailing blanks are not part of its last field.
pub fn columns_to(line: &str, last: u8) -> [Option<Cow<'_, str>>; MAX_COLUMNS] {
    let mut fields = [const { None }; MAX_COLUMNS];
    let count = (usize::from(last) + 1).min(MAX_COLUMNS);
    for (slot, field) in fields
        .iter_mut()
        .zip(Fields::new(line.trim_end()).take(count))
    {
        *slot = Some(field);
    }
    fields
}

/// The fields of a CSV line, unquoted (`"a, ""b"""` is `a, "b"`).
pub struct Fields<'a> {
    rest: &'a str,
}

impl<'a> Fields<'a> {
    pub fn new(line: &'a str) -> Self {
        Fields { rest: line }
    }
}

/// The fields in order; none past the last (a line's trailing comma ends it), nor from a quoted
/// field left open.
impl<'a> Iterator for Fields<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut at = 0;
            loop {
                let close = at + quoted[at..].find('"')?;
                value.push_str(&quoted[at..close]);
                if quoted[close + 1..].starts_with('"') {
                    value.push('"');
                    at = close + 2;
                } else {
                    let after = &quoted[close + 1..];
                    self.rest = after.strip_prefix(',').unwrap_or(after);
                    return Some(Cow::Owned(value));
                }
            }
        }
        match rest.find(',') {
            Some(comma) => {
                self.rest = &rest[comma + 1..];
                Some(Cow::Borrowed(&rest[..comma]))
            }
            None if rest.is_empty() => None,
            None => {
                self.rest = "";
                Some(Cow::Borrowed(rest))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_split_at_commas_outside_quotes_and_unquoted() {
        let fields: Vec<Cow<'_, str>> =
            Fields::new(r#"b,,"a, ""quoted"" one",x;y,"PIPELINING,SIZE","#).collect();
        assert_eq!(
            fields,
            ["b", "", "a, \"quoted\" one", "x;y", "PIPELINING,SIZE"]
        );
        assert!(matches!(fields[3], Cow::Borrowed(_)));
        assert_eq!(Fields::new(r#"a,"open"#).collect::<Vec<_>>(), ["a"]);
        assert_eq!(Fields::new("").count(), 0);
    }
}
