//! Blind indexes of who a person is (name words, birth year, phone), keyed
//! under the organisation's linkage key: exact search and possible
//! duplicates without plaintext in the database.

use mamar_core::case::CaseReference;
use mamar_crypto::{LinkageKey, OrgKeyKind};
use mamar_store::Store;

use crate::records::Identity;
use crate::{Caller, CaseError};

pub(crate) const NAME: &str = "case.name-word";
pub(crate) const YEAR: &str = "case.birth-year";
pub(crate) const PHONE: &str = "case.phone";

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
    found.extend(by_name);
    found.sort();
    found.dedup();
    Ok(found)
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
