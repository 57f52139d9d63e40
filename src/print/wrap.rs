//! Word wrapping for the human printer.

/// Splits `text` into lines of at most `width` characters, at spaces; a word longer than `width`
/// gets a line of its own.
pub fn wrap(text: &str, width: usize) -> Vec<&str> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut start: Option<usize> = None;
        let mut end = 0;
        let mut len = 0;
        for (index, word) in words(paragraph) {
            let word_len = word.chars().count();
            match start {
                Some(line_start) if len + 1 + word_len > width => {
                    lines.push(&paragraph[line_start..end]);
                    start = Some(index);
                    len = word_len;
                }
                Some(_) => len += 1 + word_len,
                None => {
                    start = Some(index);
                    len = word_len;
                }
            }
            end = index + word.len();
        }
        lines.push(start.map_or("", |s| &paragraph[s..end]));
    }
    lines
}

fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_spaces_within_the_width() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("short", 80), vec!["short"]);
    }

    #[test]
    fn long_words_get_their_own_line() {
        assert_eq!(wrap("a verylongword b", 5), vec!["a", "verylongword", "b"]);
    }

    #[test]
    fn width_counts_characters_not_bytes() {
        assert_eq!(wrap("é é é", 3), vec!["é é", "é"]);
    }
}
