//! Every occurrence of many short patterns in a short text, ASCII case-insensitively.
//!
//! A stream reads a reply's text for some 700 patterns. An Aho-Corasick automaton that size walks
//! a state graph larger than the first-level cache, at some forty instructions a byte. Here only
//! the text's four-byte windows at even offsets are read, hashed into a 128 Kibit filter that
//! holds the patterns' anchors; only where the filter says yes is a pattern itself compared.
//! Every occurrence of a pattern covers an even window at one of two neighbouring places in it,
//! so each pattern is anchored by the two windows there, chosen to be unlikely in text (rare among
//! the patterns and in sample texts such as providers' example replies); a pattern of three or
//! four bytes, by the windows its neighbouring bytes complete. The filter and the anchor lists
//! take some 50 KiB; a window costs a load, a multiplication and one bit test, and
//! half the windows are read.
//!
//! Matches come out in the order an overlapping Aho-Corasick search reports them (by end, the
//! longer first, then by pattern), so either can serve the same reader.

use rustc_hash::FxHashMap;

/// The patterns, ready to search.
#[derive(Debug, Clone)]
pub struct PatternSet {
    /// Each pattern's length and where its words start in `words`.
    patterns: Vec<(u32, u32)>,
    /// The patterns' bytes in small letters, eight to a word with the mask of their letters'
    /// case bit (`Folded`): first the last one to eight bytes, then the whole words from the
    /// start (`stands_at`).
    words: Vec<Folded>,
    /// One bit per window hash: whether some anchor hashes there.
    filter: Box<[u64; FILTER_WORDS]>,
    /// `anchors[starts[b]..starts[b + 1]]` are the anchors of bucket `b` (a hash's top bits).
    starts: Box<[u16]>,
    anchors: Vec<Anchor>,
}

/// A pattern's anchor: its folded window and where in the pattern it starts (-1: a byte before).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    window: u32,
    pattern: u16,
    offset: i16,
}

/// One occurrence of a pattern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Match {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

const FILTER_BITS: u32 = 17;
const FILTER_WORDS: usize = (1 << FILTER_BITS) / 64;
const BUCKET_BITS: u32 = 12;
const WIDTH: usize = 4;
/// The bit that makes an ASCII capital its small letter. Set on every byte of a window, it folds
/// case, and merges a few punctuation pairs (`[` and `{`) that the final comparison tells apart.
const FOLD: u32 = 0x2020_2020;

fn hash(window: u32) -> u32 {
    window.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)
}

const SEEN_BITS: u32 = 16;

fn seen_slot(window: u32) -> usize {
    (window.wrapping_mul(0x9E37_79B1) >> (32 - SEEN_BITS)) as usize
}

fn bucket(hash: u32) -> usize {
    (hash >> (FILTER_BITS - BUCKET_BITS)) as usize
}

impl PatternSet {
    /// Builds the set. Patterns must be between 3 and 32767 bytes long and at most 65535 in
    /// number.
    ///
    /// # Panics
    /// On a pattern outside those bounds: the patterns come from data checked by build.rs.
    pub fn new<'p, I>(patterns: I) -> Self
    where
        I: IntoIterator<Item = &'p str>,
    {
        Self::with_samples(patterns, [])
    }

    /// `new`, choosing anchors that are rare in `samples` too: texts like those to be searched,
    /// whose common words make poor anchors.
    pub fn with_samples<'p, 's, I, S>(patterns: I, samples: S) -> Self
    where
        I: IntoIterator<Item = &'p str>,
        S: IntoIterator<Item = &'s str>,
    {
        let patterns: Vec<Box<[u8]>> = patterns
            .into_iter()
            .map(|pattern| pattern.to_ascii_lowercase().into_bytes().into_boxed_slice())
            .collect();
        assert!(patterns.len() <= usize::from(u16::MAX));
        // How often the patterns hold each window: a window many patterns share is likely in text
        // too.
        let mut shared: FxHashMap<u32, u32> = FxHashMap::default();
        for pattern in &patterns {
            for offset in 0..(pattern.len() + 1).saturating_sub(WIDTH) {
                *shared.entry(window_at(pattern, offset)).or_default() += 1;
            }
        }
        // A window seen in sample texts is likely in the texts searched. Counted by hash, which
        // costs a fraction of a map's lookup: two windows sharing a count only makes a choice of
        // anchor a little worse.
        let mut seen = vec![0u16; 1 << SEEN_BITS];
        for sample in samples {
            let sample = sample.as_bytes();
            for offset in 0..(sample.len() + 1).saturating_sub(WIDTH) {
                let count = &mut seen[seen_slot(window_at(sample, offset))];
                *count = count.saturating_add(1);
            }
        }
        let likely = |window: u32| shared[&window] + u32::from(seen[seen_slot(window)]);
        let mut anchors = Vec::with_capacity(2 * patterns.len());
        for (index, pattern) in patterns.iter().enumerate() {
            assert!(
                (WIDTH - 1..=i16::MAX as usize).contains(&pattern.len()),
                "pattern of unsupported length: {:?}",
                String::from_utf8_lossy(pattern)
            );
            let pattern_id = index as u16;
            let mut anchor = |window: u32, offset: i16| {
                anchors.push(Anchor {
                    window,
                    pattern: pattern_id,
                    offset,
                })
            };
            // An occurrence at `s` covers the even window at `s` or at `s + 1`, whichever is even,
            // when the pattern holds both; a shorter pattern is completed by the byte before it or
            // the bytes after it (folded, so 128 kinds of byte; past the end of the text, zero).
            let with = |bytes: &[u8], at: usize, byte: u8| {
                let mut window = [0; WIDTH];
                window[..bytes.len()].copy_from_slice(bytes);
                window.copy_within(at..bytes.len(), at + 1);
                window[at] = byte;
                u32::from_le_bytes(window) | FOLD
            };
            let bytes = (0..=u8::MAX).filter(|b| b & 0x20 != 0);
            match pattern.len() {
                3 => {
                    for byte in bytes {
                        anchor(with(pattern, 3, byte), 0);
                        anchor(with(pattern, 0, byte), -1);
                    }
                }
                WIDTH => {
                    anchor(window_at(pattern, 0), 0);
                    for byte in bytes {
                        anchor(with(&pattern[1..], 3, byte), 1);
                    }
                }
                _ => {
                    let offset = rarest_pair(pattern, likely);
                    anchor(window_at(pattern, offset), offset as i16);
                    anchor(window_at(pattern, offset + 1), offset as i16 + 1);
                }
            }
        }
        anchors.sort_unstable_by_key(|anchor| (bucket(hash(anchor.window)), anchor.pattern));
        let mut filter = Box::new([0u64; FILTER_WORDS]);
        let mut starts = vec![0u16; (1 << BUCKET_BITS) + 1].into_boxed_slice();
        for anchor in &anchors {
            let h = hash(anchor.window);
            filter[(h / 64) as usize] |= 1 << (h % 64);
            starts[bucket(h) + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        assert!(anchors.len() <= usize::from(u16::MAX));
        let mut words = Vec::new();
        let patterns = patterns
            .iter()
            .map(|pattern| {
                let start = words.len() as u32;
                let whole = (pattern.len() - 1) / 8 * 8;
                words.push(Folded::of(&pattern[whole..]));
                words.extend(pattern[..whole].chunks(8).map(Folded::of));
                (pattern.len() as u32, start)
            })
            .collect();
        PatternSet {
            patterns,
            words,
            filter,
            starts,
            anchors,
        }
    }

    /// Every occurrence of every pattern in `text` (in its first 4 GiB), overlapping ones included,
    /// ordered by end, then the longer first, then by pattern index.
    pub fn find_all(&self, text: &[u8]) -> Matches {
        let mut found = Matches::default();
        let text = &text[..text.len().min(u32::MAX as usize)];
        let len = text.len();
        let filter = &*self.filter;
        let passes = |window: u32| {
            let h = hash(window);
            (filter[(h / 64) as usize] >> (h % 64)) & 1 == 1
        };
        // The windows at even offsets, four from each twelve bytes read, tested against the
        // filter together; the few it lets through are compared after.
        let mut at = 0;
        while at + 12 <= len {
            let fold = u64::from(FOLD) << 32 | u64::from(FOLD);
            let low = word(&text[at..at + 8]) | fold;
            let high = word(&text[at + 4..at + 12]) | fold;
            let windows = [
                low as u32,
                (low >> 16) as u32,
                high as u32,
                (high >> 16) as u32,
            ];
            let mut through = u32::from(passes(windows[0]))
                | u32::from(passes(windows[1])) << 1
                | u32::from(passes(windows[2])) << 2
                | u32::from(passes(windows[3])) << 3;
            while through != 0 {
                let k = through.trailing_zeros() as usize;
                through &= through - 1;
                self.check(text, at + 2 * k, windows[k], &mut found);
            }
            at += 8;
        }
        // The even windows left, the last ones running past the text (as zeros): only a short
        // pattern's anchor reaches there.
        while at + WIDTH - 1 <= len {
            let mut bytes = [0; WIDTH];
            let end = len.min(at + WIDTH);
            bytes[..end - at].copy_from_slice(&text[at..end]);
            let window = u32::from_le_bytes(bytes) | FOLD;
            if passes(window) {
                self.check(text, at, window, &mut found);
            }
            at += 2;
        }
        found.sort();
        found
    }

    /// Compares the patterns anchored at a window the filter let through.
    fn check(&self, text: &[u8], at: usize, window: u32, found: &mut Matches) {
        let b = bucket(hash(window));
        let (from, to) = (usize::from(self.starts[b]), usize::from(self.starts[b + 1]));
        for anchor in &self.anchors[from..to] {
            if anchor.window != window {
                continue;
            }
            let Some(start) = at.checked_add_signed(-isize::from(anchor.offset)) else {
                continue;
            };
            let (len, words) = self.patterns[usize::from(anchor.pattern)];
            let end = start + len as usize;
            if end <= text.len() && stands_at(text, start, end, &self.words[words as usize..]) {
                found.push(anchor.pattern, len, end as u32);
            }
        }
    }
}

/// Whether `text[start..end]` is the pattern whose words begin `words`, but for ASCII case,
/// eight bytes at a time. The caller has checked that the text is long enough.
fn stands_at(text: &[u8], start: usize, end: usize, words: &[Folded]) -> bool {
    let len = end - start;
    let whole = (len - 1) / 8 * 8;
    // The last one to eight bytes first, read as the end of an eight-byte word when the text has
    // one: a single comparison settles most patterns of a phrase or two.
    let rest = len - whole;
    let last = if end >= 8 {
        word(&text[end - 8..end]) >> (8 * (8 - rest))
    } else {
        word(&text[end - rest..end])
    };
    if !words[0].is(last) {
        return false;
    }
    let mut at = 0;
    for folded in &words[1..=whole / 8] {
        if !folded.is(word(&text[start + at..start + at + 8])) {
            return false;
        }
        at += 8;
    }
    true
}

/// Up to eight bytes of a pattern, in small letters, and the case bit of those that are letters:
/// text bytes with that bit set are the pattern's exactly when they are its bytes but for case.
#[derive(Debug, Clone, Copy)]
struct Folded {
    lower: u64,
    case: u64,
}

impl Folded {
    fn of(lower: &[u8]) -> Folded {
        let mut case = [0; 8];
        for (bit, byte) in case.iter_mut().zip(lower) {
            if byte.is_ascii_lowercase() {
                *bit = 0x20;
            }
        }
        Folded {
            lower: word(lower),
            case: u64::from_le_bytes(case),
        }
    }

    #[inline]
    fn is(self, text: u64) -> bool {
        text | self.case == self.lower
    }
}

/// Up to eight bytes as a little-endian word, zeros after them.
fn word(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(eight) => u64::from_le_bytes(eight),
        Err(_) => {
            let mut eight = [0; 8];
            eight[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(eight)
        }
    }
}

fn window_at(pattern: &[u8], offset: usize) -> u32 {
    let bytes = &pattern[offset..offset + WIDTH];
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) | FOLD
}

/// The offset of the pair of neighbouring windows least likely to be seen in text: the pair
/// fewest patterns share, then the one with punctuation, digits and rare letters rather than
/// common letters, and those rather than spaces.
fn rarest_pair(pattern: &[u8], shared: impl Fn(u32) -> u32) -> usize {
    let cost = |b: u8| -> u32 {
        match b.to_ascii_lowercase() {
            b' ' => 14,
            b'e' | b't' | b'a' | b'o' | b'i' | b'n' => 9,
            b's' | b'r' | b'h' | b'l' | b'd' => 7,
            b'c' | b'u' | b'm' | b'f' | b'p' | b'g' | b'w' | b'y' => 5,
            b'b' | b'v' | b'k' => 3,
            b'0'..=b'9' | b'.' | b'-' => 3,
            _ => 1,
        }
    };
    let costs: Vec<(u32, u32)> = (0..=pattern.len() - WIDTH)
        .map(|offset| {
            let letters = pattern[offset..offset + WIDTH]
                .iter()
                .map(|&b| cost(b))
                .sum();
            (shared(window_at(pattern, offset)), letters)
        })
        .collect();
    (0..costs.len() - 1)
        .min_by_key(|&offset| {
            let (first, second) = (costs[offset], costs[offset + 1]);
            (first.0 + second.0, first.1 + second.1)
        })
        .expect("a pattern at least two windows long")
}

/// The matches of one text: kept on the stack up to a few dozen, which real replies stay under.
/// Each is one number that sorts in the order `find_all` gives (`Matches::key`).
#[derive(Debug, Clone, Default)]
pub struct Matches {
    inline: [u64; INLINE],
    len: usize,
    more: Vec<u64>,
}

const INLINE: usize = 24;

impl Matches {
    /// The end, then the length reversed, then the pattern: texts are cut to 4 GiB
    /// (`find_all`), patterns are shorter than 32 KiB and fewer than 65536.
    fn key(pattern: u16, len: u32, end: u32) -> u64 {
        u64::from(end) << 32 | u64::from(0xFFFF - len) << 16 | u64::from(pattern)
    }

    fn push(&mut self, pattern: u16, len: u32, end: u32) {
        let key = Self::key(pattern, len, end);
        if self.len < INLINE {
            self.inline[self.len] = key;
            self.len += 1;
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.inline);
            }
            self.more.push(key);
        }
    }

    fn sort(&mut self) {
        if self.more.is_empty() {
            self.inline[..self.len].sort_unstable();
        } else {
            self.more.sort_unstable();
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Match> + '_ {
        let inline = if self.more.is_empty() {
            &self.inline[..self.len]
        } else {
            &[]
        };
        inline.iter().chain(&self.more).map(|&key| {
            let end = (key >> 32) as usize;
            Match {
                pattern: usize::from(key as u16),
                start: end - (0xFFFF - (key >> 16 & 0xFFFF)) as usize,
                end,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// The overlapping Aho-Corasick search this set stands in for.
    fn automaton(patterns: &[&'static str]) -> AhoCorasick {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap()
    }

    fn reference(automaton: &AhoCorasick, text: &[u8]) -> Vec<Match> {
        automaton
            .find_overlapping_iter(text)
            .map(|m| Match {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect()
    }

    fn found(set: &PatternSet, text: &[u8]) -> Vec<Match> {
        set.find_all(text).iter().collect()
    }

    #[test]
    fn finds_what_aho_corasick_finds_in_the_same_order() {
        let patterns: &[&'static str] = &[
            "user unknown",
            "unknown",
            "rbl",
            "spf",
            "[TSS04]",
            "TSS04",
            "zen.spamhaus.org",
            "spamhaus.org",
            "spamhaus",
            "again in ",
            "nknown u",
            "unknown",
        ];
        let set = PatternSet::new(patterns.iter().copied());
        let automaton = automaton(patterns);
        for text in [
            "550 5.1.1 User Unknown; see zen.spamhaus.org, RBL",
            "421 4.7.0 [TSS04] Messages temporarily deferred; try again in 5 minutes",
            "spf",
            "rbl ",
            "xrbl",
            "unknown user unknown unknown",
            "",
            "ab",
            "SPAMHAUS.ORG",
            "{tss04]",
        ] {
            assert_eq!(
                found(&set, text.as_bytes()),
                reference(&automaton, text.as_bytes()),
                "{text}"
            );
        }
    }

    #[test]
    fn agrees_with_aho_corasick_on_the_real_patterns() {
        let patterns: Vec<&'static str> = crate::tables::PHRASES
            .iter()
            .map(|(phrase, _)| *phrase)
            .chain(crate::tables::BLOCKLIST_ZONES.iter().copied())
            .chain(crate::retry::LEADS)
            .chain(crate::provider::patterns())
            .collect();
        // As the scanner builds it, with the providers' example replies as samples, and without.
        let sets = [
            PatternSet::new(patterns.iter().copied()),
            PatternSet::with_samples(
                patterns.iter().copied(),
                crate::provider::replies().iter().map(|reply| reply.example),
            ),
        ];
        let automaton = automaton(&patterns);
        // Texts made of pieces of patterns and filler, cut at every place, in both cases: every
        // pattern is found whole, at the edges, overlapping others and split by a byte.
        let mut state = 0x2545_f491_u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let fillers = [" ", "", "x", ".", "\u{e9}", "; ", "5", "\0"];
        for _ in 0..3000 {
            let mut text = Vec::new();
            for _ in 0..next(6) {
                let pattern = patterns[next(patterns.len())].as_bytes();
                let (from, to) = if next(3) == 0 {
                    let from = next(pattern.len());
                    (from, from + next(pattern.len() - from) + 1)
                } else {
                    (0, pattern.len())
                };
                let piece = &pattern[from..to];
                if next(2) == 0 {
                    text.extend(piece.iter().map(u8::to_ascii_uppercase));
                } else {
                    text.extend_from_slice(piece);
                }
                text.extend_from_slice(fillers[next(fillers.len())].as_bytes());
            }
            for set in &sets {
                assert_eq!(
                    found(set, &text),
                    reference(&automaton, &text),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn anchors_avoid_the_words_of_sample_texts() {
        let pattern = "sender address rejected";
        let sample = "Recipient address rejected: User unknown";
        let in_sample = |set: &PatternSet| {
            set.anchors.iter().any(|anchor| {
                (0..=sample.len() - WIDTH)
                    .any(|at| window_at(sample.as_bytes(), at) == anchor.window)
            })
        };
        // Alone, the pattern's rarest letters (`ject`) make its anchors, and a recipient's
        // refusal would be compared with it.
        assert!(in_sample(&PatternSet::new([pattern])));
        let steered = PatternSet::with_samples([pattern], [sample]);
        assert!(!in_sample(&steered));
        assert_eq!(found(&steered, sample.as_bytes()), vec![]);
        let text = b"550 5.7.1 <a@b>: Sender address rejected: Access denied";
        assert_eq!(found(&steered, text).len(), 1);
    }

    #[test]
    fn many_matches_spill_past_the_stack_in_order() {
        let set = PatternSet::new(["abc", "bcd"]);
        let text = "abcd".repeat(40);
        let all = found(&set, text.as_bytes());
        assert_eq!(all.len(), 80);
        assert_eq!(all, reference(&automaton(&["abc", "bcd"]), text.as_bytes()));
    }
}
