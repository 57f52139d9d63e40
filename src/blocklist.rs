//! Finding the blocklist a reply names: the host name in the text that ends in a known zone
//! (data/phrases.toml), such as `zen.spamhaus.org` or `b.barracudacentral.org`.

use crate::phrase::{case_insensitive_matcher, Workload};
use crate::tables::BLOCKLIST_ZONES;
use aho_corasick::AhoCorasick;

/// The blocklist zones of data/phrases.toml, ready to search.
#[derive(Debug, Clone)]
pub struct BlocklistMatcher(AhoCorasick);

impl BlocklistMatcher {
    pub fn new(workload: Workload) -> Self {
        BlocklistMatcher(case_insensitive_matcher(BLOCKLIST_ZONES, workload))
    }

    /// The first blocklist host named in `text`, as written there.
    pub fn find<'t>(&self, text: &'t str) -> Option<&'t str> {
        find_with(&self.0, text)
    }
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

fn find_with<'t>(matcher: &AhoCorasick, text: &'t str) -> Option<&'t str> {
    matcher
        .find_iter(text)
        .find_map(|m| host_at(text, m.start(), m.end()))
}

/// The host name around a zone found at `start..end` of `text`, when the zone ends it.
pub(crate) fn host_at(text: &str, start: usize, end: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let after_ok = end == bytes.len() || !is_host_byte(bytes[end]) || {
        // A sentence may end right after the zone: "listed at zen.spamhaus.org."
        bytes[end] == b'.' && bytes.get(end + 1).is_none_or(|b| !is_host_byte(*b))
    };
    if !after_ok {
        return None;
    }
    let zone_len = end - start;
    let mut start = start;
    while start > 0 && is_host_byte(bytes[start - 1]) {
        start -= 1;
    }
    let host = text[start..end].trim_start_matches(['.', '-']);
    // The zone itself, or a name under it: "spamhaus.org" or "zen.spamhaus.org", not "xspamhaus.org".
    let whole = host.len() == zone_len || host.as_bytes()[host.len() - zone_len - 1] == b'.';
    if !whole {
        return None;
    }
    // A web address ("https://www.spamhaus.org/query/ip/...") names the list's site, not a list
    // to query: the zone stands for it.
    let web = text[..start].ends_with("//")
        || host
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("www."));
    Some(if web {
        &text[end - zone_len..end]
    } else {
        host
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_blocklist(text: &str) -> Option<&str> {
        let found = BlocklistMatcher::new(Workload::Few).find(text);
        assert_eq!(found, BlocklistMatcher::new(Workload::Many).find(text));
        found
    }

    #[test]
    fn the_host_under_a_known_zone_is_found() {
        assert_eq!(
            find_blocklist("blocked using zen.spamhaus.org; from=<a@b>"),
            Some("zen.spamhaus.org")
        );
        assert_eq!(
            find_blocklist("rejected, see https://www.spamhaus.org/query/ip/192.0.2.1"),
            Some("spamhaus.org"),
            "a web address names the list's site, not a zone"
        );
        assert_eq!(
            find_blocklist("see http://check.spamhaus.org/listed/?searchterm=192.0.2.1"),
            Some("spamhaus.org")
        );
        assert_eq!(
            find_blocklist("listed at b.barracudacentral.org."),
            Some("b.barracudacentral.org")
        );
        assert_eq!(
            find_blocklist("Listed by BL.SPAMCOP.NET"),
            Some("BL.SPAMCOP.NET")
        );
    }

    #[test]
    fn lookalike_names_are_not_blocklists() {
        assert_eq!(find_blocklist("mail from notspamhaus.org"), None);
        assert_eq!(find_blocklist("spamhaus.org.example.com"), None);
        assert_eq!(find_blocklist("nothing here"), None);
    }
}
