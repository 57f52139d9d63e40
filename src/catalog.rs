//! The tables as entries to browse: basic reply codes, registered enhanced codes, providers and
//! what each provider means by its replies. `smtpcode list` prints them; `search` ranks them.

use crate::outcome::Outcome;
use crate::reason::Reason;
use crate::tables::{
    self, DetailEntry, ProviderEntry, ProviderKind, ProviderReply, ReplyEntry, ServiceClass,
};
use serde::Serialize;
use std::fmt::Write;

/// One entry of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A meaning of a basic reply code (data/reply.toml).
    Reply(&'static ReplyEntry),
    /// A registered enhanced detail; with a class it is shown as that class's code (`4.2.2`),
    /// without one as the registry writes it (`X.2.2`).
    Enhanced {
        class: Option<u8>,
        entry: &'static DetailEntry,
    },
    /// A provider, filter or blocklist (data/providers.toml).
    Provider(&'static ProviderEntry),
    /// What one provider means by one of its replies.
    ProviderReply(&'static ProviderReply),
    /// A sending service's class of a failure (data/services.toml).
    ServiceClass(&'static ServiceClass),
}

/// The kind of an entry, as JSON and `--help` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Reply,
    Enhanced,
    Provider,
    ProviderReply,
    ServiceClass,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Enhanced => "enhanced",
            Kind::Provider => "provider",
            Kind::ProviderReply => "provider_reply",
            Kind::ServiceClass => "service_class",
        }
    }
}

/// A text of an entry and how much a word found in it says about the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Advice, notes, sources of a fix: words there are incidental.
    Aside,
    /// The likely causes, or a provider's example reply.
    Causes,
    /// The meaning in our words.
    Meaning,
    /// The title: the standard text, the registry title, the provider's own words, its name.
    Title,
}

impl Entry {
    pub fn kind(&self) -> Kind {
        match self {
            Entry::Reply(_) => Kind::Reply,
            Entry::Enhanced { .. } => Kind::Enhanced,
            Entry::Provider(_) => Kind::Provider,
            Entry::ProviderReply(_) => Kind::ProviderReply,
            Entry::ServiceClass(_) => Kind::ServiceClass,
        }
    }

    /// The code as a user would type it (`550`, `X.7.26`, `4.7.26`), a provider reply's codes
    /// (`421 4.7.0`, `5.7.606-649`, or `any` for words that mean the same with any code), or a
    /// provider's or a sending service's id.
    pub fn code(&self) -> String {
        match self {
            Entry::Reply(entry) => entry.code.to_string(),
            Entry::Enhanced { class, entry } => match class {
                Some(class) => format!("{class}.{}.{}", entry.subject, entry.detail),
                None => format!("X.{}.{}", entry.subject, entry.detail),
            },
            Entry::Provider(provider) => provider.id.to_string(),
            Entry::ServiceClass(class) => class.service.to_string(),
            Entry::ProviderReply(reply) => {
                let mut code = String::new();
                if let Some(basic) = reply.code {
                    write!(code, "{basic}").expect("writing to a String");
                }
                if let Some(span) = reply.enhanced {
                    if !code.is_empty() {
                        code.push(' ');
                    }
                    write!(code, "{span}").expect("writing to a String");
                }
                if code.is_empty() {
                    code.push_str("any");
                }
                code
            }
        }
    }

    /// Whether the entry is tied to a code: all but provider replies whose words mean the same
    /// whatever code comes with them, and sending services' classes.
    pub fn has_code(&self) -> bool {
        match self {
            Entry::ProviderReply(reply) => reply.code.is_some() || reply.enhanced.is_some(),
            Entry::ServiceClass(_) => false,
            _ => true,
        }
    }

    /// What a meaning is restricted to (`STARTTLS` for one of 454's meanings); where a service's
    /// event gives a class (`bounce_class`).
    pub fn context(&self) -> Option<&'static str> {
        match self {
            Entry::Reply(entry) => entry.context,
            Entry::ServiceClass(class) => Some(class.field),
            _ => None,
        }
    }

    /// The sending service a class belongs to.
    pub fn service(&self) -> Option<&'static str> {
        match self {
            Entry::ServiceClass(class) => Some(class.service),
            _ => None,
        }
    }

    /// A line naming the entry: the standard or usual reply text, the registry title, the
    /// provider's name, the words of the provider's reply, or the service's value of a class.
    pub fn title(&self) -> &'static str {
        match self {
            Entry::Reply(entry) => entry.text,
            Entry::Enhanced { entry, .. } => entry.text,
            Entry::Provider(provider) => provider.name,
            Entry::ProviderReply(reply) => reply.phrases[0],
            Entry::ServiceClass(class) => class.value,
        }
    }

    /// The provider an entry belongs to.
    pub fn provider(&self) -> Option<&'static ProviderEntry> {
        match self {
            Entry::Provider(provider) => Some(provider),
            Entry::ProviderReply(reply) => Some(reply.provider()),
            _ => None,
        }
    }

    pub fn provider_kind(&self) -> Option<ProviderKind> {
        match self {
            Entry::Provider(provider) => Some(provider.kind),
            _ => None,
        }
    }

    /// Success, transient or permanent, when the entry's codes say it.
    pub fn outcome(&self) -> Option<Outcome> {
        match self {
            Entry::Reply(entry) => Some(entry.outcome),
            Entry::Enhanced { class, .. } => {
                class.and_then(tables::enhanced_class).map(|c| c.outcome)
            }
            Entry::Provider(_) | Entry::ServiceClass(_) => None,
            Entry::ProviderReply(reply) => reply.class().and_then(class_outcome),
        }
    }

    /// The reason the entry stands for.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Entry::Reply(entry) => entry.reason,
            Entry::Enhanced { entry, .. } => Some(entry.reason),
            Entry::Provider(_) => None,
            Entry::ProviderReply(reply) => Some(reply.reason),
            Entry::ServiceClass(class) => Some(class.reason),
        }
    }

    /// What it means, in our words; a provider's documentation address for a provider.
    pub fn meaning(&self) -> &'static str {
        match self {
            Entry::Reply(entry) => entry.meaning,
            Entry::Enhanced { entry, .. } => entry.meaning,
            Entry::Provider(provider) => provider.docs,
            Entry::ProviderReply(reply) => reply.meaning,
            Entry::ServiceClass(class) => class.meaning,
        }
    }

    pub fn source(&self) -> &'static str {
        match self {
            Entry::Reply(entry) => entry.source,
            Entry::Enhanced { entry, .. } => entry.source,
            Entry::Provider(provider) => provider.source,
            Entry::ProviderReply(reply) => reply.source,
            Entry::ServiceClass(class) => class.source,
        }
    }

    /// Every text of the entry a search looks in, with its weight.
    pub fn texts(&self) -> Vec<(Field, &'static str)> {
        let mut texts = Vec::new();
        match self {
            Entry::Reply(entry) => {
                texts.push((Field::Title, entry.text));
                texts.extend(entry.context.map(|c| (Field::Title, c)));
                texts.push((Field::Meaning, entry.meaning));
                texts.extend(entry.causes.iter().map(|c| (Field::Causes, *c)));
                texts.extend(entry.used_by.map(|u| (Field::Causes, u)));
                texts.push((Field::Aside, entry.advice));
            }
            Entry::Enhanced { entry, .. } => {
                texts.push((Field::Title, entry.text));
                texts.push((Field::Meaning, entry.meaning));
                texts.extend(entry.causes.iter().map(|c| (Field::Causes, *c)));
                texts.push((Field::Aside, entry.advice));
                texts.extend(entry.note.map(|n| (Field::Aside, n)));
            }
            Entry::Provider(provider) => {
                texts.push((Field::Title, provider.id));
                texts.push((Field::Title, provider.name));
                texts.extend(provider.aliases.iter().map(|a| (Field::Title, *a)));
            }
            Entry::ProviderReply(reply) => {
                let provider = reply.provider();
                texts.extend(reply.phrases.iter().map(|p| (Field::Title, *p)));
                texts.push((Field::Title, provider.id));
                texts.push((Field::Title, provider.name));
                texts.extend(provider.aliases.iter().map(|a| (Field::Title, *a)));
                texts.push((Field::Meaning, reply.meaning));
                texts.push((Field::Causes, reply.example));
                texts.extend(reply.advice.map(|a| (Field::Aside, a)));
            }
            Entry::ServiceClass(class) => {
                texts.push((Field::Title, class.value));
                texts.push((Field::Title, class.service));
                texts.push((Field::Title, class.field));
                texts.push((Field::Meaning, class.meaning));
            }
        }
        texts
    }
}

/// What to list. With none of `reply`, `enhanced`, `providers`, `provider_replies`, `provider` or
/// `services` set, the basic and enhanced tables are listed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    /// Basic reply codes.
    pub reply: bool,
    /// Registered enhanced codes.
    pub enhanced: bool,
    /// The providers, filters and blocklists themselves.
    pub providers: bool,
    /// What providers mean by their replies: every provider's, or only `provider`'s.
    pub provider_replies: bool,
    /// Only this provider's replies; implies `provider_replies`.
    pub provider: Option<&'static ProviderEntry>,
    /// Sending services' classes of a failure.
    pub services: bool,
    /// Only codes of this class (2 to 5): enhanced codes are then written with it. Providers
    /// themselves have no class and are listed whatever it is.
    pub class: Option<u8>,
}

impl Filter {
    /// Everything the tables hold, for a search.
    pub fn everything(provider: Option<&'static ProviderEntry>) -> Filter {
        Filter {
            reply: provider.is_none(),
            enhanced: provider.is_none(),
            providers: provider.is_none(),
            provider_replies: true,
            provider,
            services: provider.is_none(),
            class: None,
        }
    }

    fn wants_defaults(&self) -> bool {
        !self.reply
            && !self.enhanced
            && !self.providers
            && !self.provider_replies
            && self.provider.is_none()
            && !self.services
    }
}

/// The entries a filter selects, basic codes first, then enhanced codes, providers, the
/// providers' replies and the services' classes, each in table order.
pub fn list(filter: &Filter) -> Vec<Entry> {
    let defaults = filter.wants_defaults();
    let class = filter.class;
    let mut entries = Vec::new();
    if filter.reply || defaults {
        entries.extend(
            tables::all_replies()
                .iter()
                .filter(|e| class.is_none_or(|c| e.code / 100 == u16::from(c)))
                .map(Entry::Reply),
        );
    }
    if (filter.enhanced || defaults) && class.is_none_or(|c| matches!(c, 2 | 4 | 5)) {
        entries.extend(
            tables::all_details()
                .iter()
                .map(|entry| Entry::Enhanced { class, entry }),
        );
    }
    if filter.providers {
        entries.extend(
            crate::provider::all()
                .iter()
                .filter(|p| filter.provider.is_none_or(|only| std::ptr::eq(*p, only)))
                .map(Entry::Provider),
        );
    }
    if filter.provider_replies || filter.provider.is_some() {
        entries.extend(
            crate::provider::replies()
                .iter()
                .filter(|r| {
                    filter
                        .provider
                        .is_none_or(|p| std::ptr::eq(r.provider(), p))
                })
                .map(Entry::ProviderReply)
                .filter(|e| class.is_none_or(|c| e.outcome() == class_outcome(c))),
        );
    }
    if filter.services {
        entries.extend(tables::SERVICE_CLASSES.iter().map(Entry::ServiceClass));
    }
    entries
}

fn class_outcome(class: u8) -> Option<Outcome> {
    tables::reply_class(class).map(|c| c.outcome)
}

/// Serialisable view of an entry: what `list --json` and `search --json` print.
#[derive(Debug, Serialize)]
pub struct EntryRecord {
    pub kind: Kind,
    /// `null` for a provider reply that stands whatever its code.
    pub code: Option<String>,
    pub context: Option<&'static str>,
    pub provider: Option<&'static str>,
    pub provider_kind: Option<ProviderKind>,
    /// The sending service of a class.
    pub service: Option<&'static str>,
    pub title: &'static str,
    pub outcome: Option<Outcome>,
    pub reason: Option<Reason>,
    pub meaning: &'static str,
    pub source: &'static str,
    /// How well the entry matched a search; absent from lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
}

impl From<Entry> for EntryRecord {
    fn from(entry: Entry) -> Self {
        EntryRecord {
            kind: entry.kind(),
            code: entry.has_code().then(|| entry.code()),
            context: entry.context(),
            provider: entry.provider().map(|p| p.id),
            provider_kind: entry.provider_kind(),
            service: entry.service(),
            title: entry.title(),
            outcome: entry.outcome(),
            reason: entry.reason(),
            meaning: entry.meaning(),
            source: entry.source(),
            score: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(filter: Filter) -> Vec<String> {
        list(&filter).iter().map(Entry::code).collect()
    }

    #[test]
    fn by_default_the_basic_then_the_enhanced_table() {
        let entries = list(&Filter::default());
        assert_eq!(
            entries.len(),
            tables::all_replies().len() + tables::all_details().len()
        );
        assert_eq!(entries[0].kind(), Kind::Reply);
        assert_eq!(entries.last().map(Entry::kind), Some(Kind::Enhanced));
        assert!(entries.iter().any(|e| e.code() == "X.7.26"));
    }

    #[test]
    fn a_provider_keeps_its_own_entry_and_replies_only() {
        let microsoft = crate::provider::named("microsoft").expect("microsoft is known");
        let entries = list(&Filter {
            providers: true,
            provider: Some(microsoft),
            ..Filter::default()
        });
        let providers: Vec<_> = entries
            .iter()
            .filter(|e| e.kind() == Kind::Provider)
            .collect();
        assert_eq!(providers.len(), 1);
        assert!(entries.len() > 1, "its replies come too");
        assert!(entries
            .iter()
            .filter_map(|e| match e {
                Entry::ProviderReply(reply) => Some(reply.provider()),
                _ => None,
            })
            .all(|p| std::ptr::eq(p, microsoft)));
        assert!(
            list(&Filter {
                providers: true,
                ..Filter::default()
            })
            .len()
                > 50
        );
    }

    #[test]
    fn a_class_keeps_its_basic_codes_and_writes_enhanced_codes_in_it() {
        let codes = codes(Filter {
            class: Some(4),
            ..Filter::default()
        });
        assert!(codes.contains(&"421".to_string()));
        assert!(codes.contains(&"4.2.2".to_string()));
        assert!(!codes
            .iter()
            .any(|c| c.starts_with('5') || c.starts_with('X')));
    }

    #[test]
    fn class_three_has_no_enhanced_codes() {
        let entries = list(&Filter {
            class: Some(3),
            ..Filter::default()
        });
        assert!(!entries.is_empty());
        assert!(entries.iter().all(|e| e.kind() == Kind::Reply));
    }

    #[test]
    fn a_provider_lists_only_its_replies() {
        let microsoft = crate::provider::named("microsoft").unwrap();
        let entries = list(&Filter {
            provider: Some(microsoft),
            ..Filter::default()
        });
        assert!(entries.len() > 10);
        assert!(entries
            .iter()
            .all(|e| e.kind() == Kind::ProviderReply && e.provider() == Some(microsoft)));
    }

    #[test]
    fn provider_reply_codes_join_basic_and_enhanced() {
        let gmail = crate::provider::named("gmail").unwrap();
        let entries = list(&Filter {
            provider: Some(gmail),
            class: Some(5),
            ..Filter::default()
        });
        assert!(entries.iter().any(|e| e.code() == "550 5.7.26"));
        assert!(entries
            .iter()
            .all(|e| e.outcome() == Some(Outcome::Permanent)));
    }
}
