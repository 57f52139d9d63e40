//! The shapes of the data files, as serde reads them.
//!
//! Every field is optional here so that a missing one is reported by `check` with the file and
//! the entry, instead of by serde with a line number alone.

use serde::Deserialize;
use std::path::Path;

pub const FILES: [&str; 6] = [
    "reasons.toml",
    "reply.toml",
    "enhanced.toml",
    "phrases.toml",
    "providers.toml",
    "services.toml",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonDef {
    pub id: Option<String>,
    pub summary: Option<String>,
    pub hard: Option<bool>,
    pub advice: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigitDef {
    pub digit: Option<i64>,
    pub name: Option<String>,
    pub outcome: Option<String>,
    pub meaning: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyDef {
    pub code: Option<i64>,
    pub context: Option<String>,
    pub text: Option<String>,
    pub status: Option<String>,
    pub source: Option<String>,
    pub used_by: Option<String>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    #[serde(default)]
    pub enhanced: Vec<String>,
    pub meaning: Option<String>,
    pub causes: Option<Vec<String>>,
    pub advice: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailDef {
    pub code: Option<String>,
    pub text: Option<String>,
    pub basic: Option<String>,
    pub source: Option<String>,
    pub reason: Option<String>,
    pub meaning: Option<String>,
    pub causes: Option<Vec<String>>,
    pub advice: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseDef {
    #[serde(rename = "match")]
    pub text: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceClassDef {
    pub service: Option<String>,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: Option<String>,
    pub bounce: Option<String>,
    pub meaning: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    #[serde(default)]
    class: Vec<ServiceClassDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlocklistDef {
    pub zone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderDef {
    pub id: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub host_words: Vec<String>,
    #[serde(default)]
    pub markers: Vec<String>,
    pub docs: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderReplyDef {
    pub provider: Option<String>,
    #[serde(rename = "match", default)]
    pub phrases: Vec<String>,
    pub code: Option<i64>,
    pub enhanced: Option<String>,
    pub identify: Option<String>,
    pub reason: Option<String>,
    pub bounce: Option<String>,
    /// The provider uses a registered enhanced code for a meaning of its own.
    #[serde(default)]
    pub redefines: bool,
    pub meaning: Option<String>,
    pub advice: Option<String>,
    pub example: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerDef {
    pub provider: Option<String>,
    #[serde(default)]
    pub zones: Vec<String>,
    pub answer: Option<String>,
    #[serde(default)]
    pub bitmask: bool,
    pub list: Option<String>,
    pub reason: Option<String>,
    pub meaning: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvidersFile {
    #[serde(default)]
    provider: Vec<ProviderDef>,
    #[serde(default)]
    reply: Vec<ProviderReplyDef>,
    #[serde(default)]
    answer: Vec<AnswerDef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhrasesFile {
    #[serde(default)]
    phrase: Vec<PhraseDef>,
    #[serde(default)]
    blocklist: Vec<BlocklistDef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonsFile {
    #[serde(default)]
    reason: Vec<ReasonDef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyFile {
    #[serde(default)]
    class: Vec<DigitDef>,
    #[serde(default)]
    category: Vec<DigitDef>,
    #[serde(default)]
    reply: Vec<ReplyDef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnhancedFile {
    #[serde(default)]
    class: Vec<DigitDef>,
    #[serde(default)]
    subject: Vec<DigitDef>,
    #[serde(default)]
    detail: Vec<DetailDef>,
}

/// Everything in data/, as read.
pub struct Tables {
    pub reasons: Vec<ReasonDef>,
    pub reply_classes: Vec<DigitDef>,
    pub categories: Vec<DigitDef>,
    pub replies: Vec<ReplyDef>,
    pub enhanced_classes: Vec<DigitDef>,
    pub subjects: Vec<DigitDef>,
    pub details: Vec<DetailDef>,
    pub phrases: Vec<PhraseDef>,
    pub blocklists: Vec<BlocklistDef>,
    pub providers: Vec<ProviderDef>,
    pub provider_replies: Vec<ProviderReplyDef>,
    pub answers: Vec<AnswerDef>,
    pub service_classes: Vec<ServiceClassDef>,
}

impl Tables {
    /// Reads every data file; on failure returns one message per file that could not be read.
    pub fn load(dir: &Path) -> Result<Tables, Vec<String>> {
        let mut problems = Vec::new();
        let reasons: ReasonsFile = read(dir, FILES[0], &mut problems);
        let reply: ReplyFile = read(dir, FILES[1], &mut problems);
        let enhanced: EnhancedFile = read(dir, FILES[2], &mut problems);
        let phrases: PhrasesFile = read(dir, FILES[3], &mut problems);
        let providers: ProvidersFile = read(dir, FILES[4], &mut problems);
        let services: ServicesFile = read(dir, FILES[5], &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Tables {
            reasons: reasons.reason,
            reply_classes: reply.class,
            categories: reply.category,
            replies: reply.reply,
            enhanced_classes: enhanced.class,
            subjects: enhanced.subject,
            details: enhanced.detail,
            phrases: phrases.phrase,
            blocklists: phrases.blocklist,
            providers: providers.provider,
            provider_replies: providers.reply,
            answers: providers.answer,
            service_classes: services.class,
        })
    }
}

fn read<T: Default + for<'de> Deserialize<'de>>(
    dir: &Path,
    name: &str,
    problems: &mut Vec<String>,
) -> T {
    let path = dir.join(name);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            problems.push(format!("data/{name}: cannot read: {err}"));
            return T::default();
        }
    };
    match toml::from_str(&text) {
        Ok(value) => value,
        Err(err) => {
            // toml's message spans several lines with a caret; cargo::error wants one line.
            let message = err.to_string().replace('\n', " ");
            problems.push(format!("data/{name}: {message}"));
            T::default()
        }
    }
}
