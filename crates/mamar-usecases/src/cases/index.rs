//! Blind indexes of who a person is (name words, birth year, phone), keyed
//! under the organisation's linkage key: exact search and possible
//! duplicates without plaintext in the database.

use mamar_core::case::CaseReference;
use mamar_crypto::{LinkageKey, OrgKeyKind};
use mamar_linkage::clk::{Clk, ClkConfig, ClkSecret, Encoder};
use mamar_linkage::place::Gazetteer;
use mamar_linkage::record::{Record, RecordInput};
use mamar_store::Store;

use crate::records::Identity;
use crate::{Caller, CaseError};

pub(crate) const NAME: &str = "case.name-word";
pub(crate) const YEAR: &str = "case.birth-year";
pub(crate) const PHONE: &str = "case.phone";
/// A keyed Bloom-filter encoding of who the person is (`mamar_linkage::clk`), sealed: for close
/// matches that no exact index finds (a name spelt another way, a letter missing).
pub(crate) const ENCODING: &str = "case.encoding";

/// The Dice coefficient from which two encodings are shown as possibly the same person. A
/// person decides; the bar is a little below `mamar clk match`'s 0.8 because a missed
/// duplicate costs more here than one more line to look at.
pub const CLOSE_MATCH_DICE: f64 = 0.75;

/// Why a case may be the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchReason {
    Phone,
    NameAndYear,
    /// Close on the keyed encoding; the Dice coefficient in hundredths.
    Similar(u8),
}

impl MatchReason {
    pub fn code(self) -> String {
        match self {
            MatchReason::Phone => "phone".into(),
            MatchReason::NameAndYear => "name".into(),
            MatchReason::Similar(score) => format!("similar:{score}"),
        }
    }

    pub fn parse(code: &str) -> Option<MatchReason> {
        match code {
            "phone" => Some(MatchReason::Phone),
            "name" => Some(MatchReason::NameAndYear),
            other => other
                .strip_prefix("similar:")?
                .parse()
                .ok()
                .map(MatchReason::Similar),
        }
    }
}

fn encoder(key: &LinkageKey) -> Option<Encoder> {
    let secret = ClkSecret::new(key.derive_subkey("case-duplicates").expose_secret().to_vec()).ok()?;
    // Sealed at rest, so no hardening is needed against pattern attacks on stored bits.
    Encoder::new(&secret, ClkConfig::default()).ok()
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::governorates_only)
}

/// The encoding of who the person is, as compared for close matches.
pub(crate) fn encoding(key: &LinkageKey, identity: &Identity) -> Option<Clk> {
    if identity.name.trim().is_empty() {
        return None;
    }
    let input = RecordInput {
        full_name: identity.name.clone(),
        birth_year: identity.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        phone: identity.phone.clone(),
        ..RecordInput::default()
    };
    Some(encoder(key)?.encode(&Record::prepare(&input, gazetteer())))
}

/// Case `case`'s person's encoding sealed, as its index stores it.
pub(crate) fn sealed_encoding(
    key: &LinkageKey,
    case: &[u8; 16],
    clk: &Clk,
) -> Result<(String, Vec<u8>), CaseError> {
    let sealed = key.encoding_seal().seal(case, &clk.to_bytes())?;
    Ok((ENCODING.to_owned(), sealed))
}

/// Cases that may be the same person as `identity`: exact blind-index
/// matches first, then close matches of `wanted` (the person's [`encoding`]) on the sealed
/// encodings, best first.
pub(crate) async fn possible_duplicates(
    store: &dyn Store,
    key: &LinkageKey,
    identity: &Identity,
    wanted: Option<&Clk>,
) -> Result<Vec<([u8; 16], MatchReason)>, CaseError> {
    let mut found: Vec<([u8; 16], MatchReason)> = Vec::new();
    if let Some(phone) = phone_digits(&identity.phone) {
        let tag = key.blind_index_key(PHONE).index(phone.as_bytes());
        for case in store.cases_by_index(PHONE, tag.as_bytes()).await? {
            found.push((case, MatchReason::Phone));
        }
    }
    for case in by_name(store, key, identity).await? {
        if !found.iter().any(|(c, _)| *c == case) {
            found.push((case, MatchReason::NameAndYear));
        }
    }
    let Some(wanted) = wanted else {
        return Ok(found);
    };
    let seal = key.encoding_seal();
    let bits = wanted.bits();
    let mut close: Vec<([u8; 16], f64)> = Vec::new();
    for (case, sealed) in store.index_entries(ENCODING).await? {
        if found.iter().any(|(c, _)| *c == case) {
            continue;
        }
        // An encoding that does not open (another key generation, damage) is skipped, not fatal.
        let Ok(plain) = seal.open(&case, &sealed) else {
            continue;
        };
        let Ok(other) = Clk::from_bytes(plain.expose_secret(), bits) else {
            continue;
        };
        let score = mamar_linkage::clk::dice(&wanted.words, &other.words);
        if score >= CLOSE_MATCH_DICE {
            close.push((case, score));
        }
    }
    close.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (case, score) in close.into_iter().take(20) {
        let hundredths = (score * 100.0).floor().clamp(0.0, 100.0) as u8;
        found.push((case, MatchReason::Similar(hundredths)));
    }
    Ok(found)
}

/// The words of a name as they are indexed (normalised: Arabic letter
/// variants, diacritics and case folded).
fn name_words(name: &str) -> Vec<String> {
    let normalized = mamar_linkage::normalize::normalize(name);
    let mut words: Vec<String> = mamar_linkage::normalize::words(&normalized)
        .into_iter()
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The last nine digits: the same number with or without a country code.
fn phone_digits(phone: &str) -> Option<String> {
    let digits = mamar_linkage::normalize::digits(phone);
    let count = digits.chars().count();
    (count >= 6).then(|| digits.chars().skip(count.saturating_sub(9)).collect())
}

pub(crate) fn tags(key: &LinkageKey, identity: &Identity) -> Vec<(String, Vec<u8>)> {
    let mut tags = Vec::new();
    let name_key = key.blind_index_key(NAME);
    for word in name_words(&identity.name) {
        tags.push((
            NAME.to_owned(),
            name_key.index(word.as_bytes()).as_bytes().to_vec(),
        ));
    }
    if let Some(year) = identity.birth_year {
        let tag = key.blind_index_key(YEAR).index(year.to_string().as_bytes());
        tags.push((YEAR.to_owned(), tag.as_bytes().to_vec()));
    }
    if let Some(phone) = phone_digits(&identity.phone) {
        let tag = key.blind_index_key(PHONE).index(phone.as_bytes());
        tags.push((PHONE.to_owned(), tag.as_bytes().to_vec()));
    }
    tags
}

/// Cases whose index matches every word of `name`, or the phone.
pub(crate) async fn matching(
    store: &dyn Store,
    key: &LinkageKey,
    identity: &Identity,
) -> Result<Vec<[u8; 16]>, CaseError> {
    let mut found: Vec<[u8; 16]> = Vec::new();
    if let Some(phone) = phone_digits(&identity.phone) {
        let tag = key.blind_index_key(PHONE).index(phone.as_bytes());
        found.extend(store.cases_by_index(PHONE, tag.as_bytes()).await?);
    }
    found.extend(by_name(store, key, identity).await?);
    found.sort();
    found.dedup();
    Ok(found)
}

/// Cases whose index holds every word of the name (and the birth year, when known).
async fn by_name(
    store: &dyn Store,
    key: &LinkageKey,
    identity: &Identity,
) -> Result<Vec<[u8; 16]>, CaseError> {
    let words = name_words(&identity.name);
    let mut by_name: Option<Vec<[u8; 16]>> = None;
    for word in &words {
        let tag = key.blind_index_key(NAME).index(word.as_bytes());
        let cases = store.cases_by_index(NAME, tag.as_bytes()).await?;
        by_name = Some(match by_name {
            None => cases,
            Some(previous) => previous.into_iter().filter(|c| cases.contains(c)).collect(),
        });
    }
    let mut by_name = by_name.unwrap_or_default();
    if let Some(year) = identity.birth_year
        && !by_name.is_empty()
    {
        let tag = key.blind_index_key(YEAR).index(year.to_string().as_bytes());
        let same_year = store.cases_by_index(YEAR, tag.as_bytes()).await?;
        by_name.retain(|c| same_year.contains(c));
    }
    Ok(by_name)
}

/// Search the caller's cases by reference number, name or phone. Only
/// cases the caller is on are returned; a name or phone search needs the
/// linkage key.
pub async fn search(store: &dyn Store, caller: &Caller<'_>, query: &str) -> Result<Vec<[u8; 16]>, CaseError> {
    let query = query.trim();
    let mut found = Vec::new();
    if let Ok(reference) = CaseReference::parse(query) {
        if let Some(id) = store.case_by_reference(&reference.stored()).await? {
            found.push(id);
        }
    } else {
        let key = caller
            .keyring
            .org_key(OrgKeyKind::Linkage)
            .and_then(|k| k.linkage())
            .ok_or(CaseError::MissingKey("linkage"))?;
        let as_phone = Identity {
            phone: query.to_owned(),
            ..Identity::default()
        };
        let as_name = Identity {
            name: query.to_owned(),
            ..Identity::default()
        };
        found.extend(matching(store, key, &as_phone).await?);
        found.extend(matching(store, key, &as_name).await?);
    }
    let mut mine = Vec::new();
    for id in found {
        if store.case_grant(&id, caller.staff.id).await?.is_some() && !mine.contains(&id) {
            mine.push(id);
        }
    }
    Ok(mine)
}
