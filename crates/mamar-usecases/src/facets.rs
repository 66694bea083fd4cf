//! The statistical facets a case keeps after its identifying data is
//! destroyed: what the registry counts, and nothing that names anyone. The
//! struct is `mamar_core::facets::Facets` (the registry counts it); this
//! module fills it from everything the case key opens — answers, the
//! arrival, the outcome, the person's choice, bands of age and service —
//! and seals it to the public half of the organisation's analytics key
//! ([`seal_facets`]), so any case worker can write facets that only holders
//! of the analytics key open ([`open_facets`], [`open_all`]). A case's facets
//! are one row of `case_facets` under a random facet id that is not the case
//! id: the id is kept only in the case's own records ([`FACET_ID_KIND`],
//! under the case key), the row is sealed when the case opens and again on
//! every change of stage, outcome, arrival or choice, and once the case is
//! shredded nothing links the row back to it. Serde with every field
//! optional: fields are only ever added.

pub use mamar_core::facets::Facets;
use mamar_core::facets::YearMonth;
use mamar_core::questionnaire::{AnswerValue, Answers};
use mamar_crypto::{CaseKey, Keyring, OrgKeyKind, OrgPublicKey, SealPurpose};
use mamar_store::{NewCaseRecord, SealedFacets, Store};
use serde::{Deserialize, Serialize};

use crate::{CaseError, records};

/// What a case's facets are made from (all of it opened with the case key).
#[derive(Debug, Clone, Default)]
pub struct FacetSource<'a> {
    pub answers: Option<&'a Answers>,
    pub birth_year: Option<u16>,
    pub service_years: Option<u16>,
    /// `YYYY-MM-DD` or `YYYY-MM`, as the case file keeps it.
    pub opened_on: &'a str,
    pub arrival_at: Option<i64>,
    pub outcome: Option<&'a str>,
    /// The newest choice: (code, country).
    pub choice: Option<(&'a str, &'a str)>,
}

fn choice_answer(answers: Option<&Answers>, field: &str) -> Option<String> {
    match answers?.get(field)? {
        AnswerValue::Choice(value) if value != "prefer_not_to_say" => Some(value.clone()),
        _ => None,
    }
}

/// `under-18` … `55+` for an age in years.
pub fn age_band(age: i64) -> &'static str {
    match age {
        ..18 => "under-18",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        _ => "55+",
    }
}

/// `0-1` … `20+` for years in service.
pub fn service_years_band(years: u16) -> &'static str {
    match years {
        0..=1 => "0-1",
        2..=4 => "2-4",
        5..=9 => "5-9",
        10..=19 => "10-19",
        _ => "20+",
    }
}

/// The facets of a case, from what its key opens. The country of a relocation is not kept: at the
/// counts of one organisation it could point at a person.
pub fn facets_of(source: &FacetSource<'_>) -> Facets {
    let contact_month = source
        .opened_on
        .get(..7)
        .and_then(|m| m.parse::<YearMonth>().ok());
    let contact_year = source.opened_on.get(..4).and_then(|y| y.parse::<i64>().ok());
    let destination = match source.choice {
        Some((code, _country)) => Some(code.to_owned()),
        None => match choice_answer(source.answers, "destination").as_deref() {
            Some("stay_safe_area") => Some("stay".to_owned()),
            Some("abroad") => Some("relocate".to_owned()),
            _ => None,
        },
    };
    Facets {
        institution: choice_answer(source.answers, "institution"),
        service_type: choice_answer(source.answers, "service_type"),
        rank_class: choice_answer(source.answers, "rank_class"),
        governorate: choice_answer(source.answers, "governorate"),
        month_of_contact: contact_month,
        month_of_arrival: source
            .arrival_at
            .and_then(|at| crate::month_of(at).parse::<YearMonth>().ok()),
        outcome: source.outcome.map(str::to_owned),
        destination,
        age_band: match (contact_year, source.birth_year) {
            (Some(year), Some(born)) => Some(age_band(year - i64::from(born)).to_owned()),
            _ => None,
        },
        service_years_band: source.service_years.map(|y| service_years_band(y).to_owned()),
    }
}

/// The kind of the case record that holds the id of the case's facet row (under the case key:
/// nothing else links the row to the case).
pub const FACET_ID_KIND: &str = "case.facet-id";

#[derive(Serialize, Deserialize)]
struct FacetId {
    id: String,
}

/// The record that keeps a case's facet id.
pub(crate) fn facet_id_record(key: &CaseKey, facet_id: &[u8; 16]) -> Result<NewCaseRecord, CaseError> {
    records::encrypt(
        key,
        crate::cases::random_id()?,
        FACET_ID_KIND,
        &FacetId {
            id: hex::encode(facet_id),
        },
    )
}

/// The analytics key's public half, as stored (none in a database made before facets were
/// sealed to it, until the analytics key is rotated).
pub async fn analytics_public_key(store: &dyn Store) -> Result<Option<OrgPublicKey>, CaseError> {
    let Some(bytes) = store.org_public_key(OrgKeyKind::Analytics.code()).await? else {
        return Ok(None);
    };
    Ok(Some(OrgPublicKey::from_bytes(&bytes)?))
}

/// Seals `facets` to the analytics key's public half under the random `facet_id`. Anyone may
/// seal; only holders of the analytics key (of that generation) open.
pub fn seal_facets(
    facets: &Facets,
    public: &OrgPublicKey,
    facet_id: [u8; 16],
) -> Result<SealedFacets, CaseError> {
    let recipient = public.analytics().ok_or(CaseError::MissingKey("analytics"))?;
    let bytes = serde_json::to_vec(facets).map_err(|_| CaseError::Corrupt)?;
    Ok(SealedFacets {
        id: facet_id,
        generation: i64::from(public.generation()),
        sealed: mamar_crypto::seal(recipient, &SealPurpose::Facets { facet_id: &facet_id }, &bytes)?,
    })
}

/// Opens one facet row with the analytics key of its generation in `keyring`.
pub fn open_facets(keyring: &Keyring, row: &SealedFacets) -> Result<Facets, CaseError> {
    let generation = u32::try_from(row.generation).map_err(|_| CaseError::Corrupt)?;
    let key = keyring
        .org_key_generation(OrgKeyKind::Analytics, generation)
        .and_then(|key| key.analytics())
        .ok_or(CaseError::MissingKey("analytics"))?;
    let plain = mamar_crypto::open(
        &key.facet_key_pair(),
        &SealPurpose::Facets { facet_id: &row.id },
        &row.sealed,
    )?;
    serde_json::from_slice(plain.expose_secret()).map_err(|_| CaseError::Corrupt)
}

/// The facets of every case, open or shredded, for the registry: every stored row opened with
/// the caller's analytics keys. Fails with [`CaseError::MissingKey`] without one.
pub async fn open_all(store: &dyn Store, keyring: &Keyring) -> Result<Vec<Facets>, CaseError> {
    if keyring.org_key(OrgKeyKind::Analytics).is_none() {
        return Err(CaseError::MissingKey("analytics"));
    }
    store
        .all_sealed_facets()
        .await?
        .iter()
        .map(|row| open_facets(keyring, row))
        .collect()
}

/// Facet rows this server has already opened, so that a dashboard view opens only the rows
/// sealed since the previous view (an X25519 open each: about 0.1 ms, seconds for every view once
/// there are tens of thousands of cases). A row is reused only while its sealed bytes are the
/// same, and only for a caller whose keyring holds the analytics key of the row's generation, the
/// key that opens it: the cache saves work, never a check. What it holds is what the registry
/// counts (no name, no date finer than a month), in memory only; the panic leaves it unreachable,
/// since afterwards no keyring holds an analytics key.
#[derive(Default)]
pub struct OpenedFacets {
    rows: std::sync::Mutex<std::collections::HashMap<[u8; 16], OpenedRow>>,
}

struct OpenedRow {
    generation: i64,
    sealed: Vec<u8>,
    facets: Facets,
}

/// [`open_all`], opening only the rows `opened` has not seen as they are now. Rows that are no
/// longer stored (a case re-sealed under a new generation, say) are forgotten.
pub async fn open_all_reusing(
    store: &dyn Store,
    keyring: &Keyring,
    opened: &OpenedFacets,
) -> Result<Vec<Facets>, CaseError> {
    if keyring.org_key(OrgKeyKind::Analytics).is_none() {
        return Err(CaseError::MissingKey("analytics"));
    }
    let stored = store.all_sealed_facets().await?;
    let mut previous = opened
        .rows
        .lock()
        .map(|mut rows| std::mem::take(&mut *rows))
        .unwrap_or_default();
    let mut now = std::collections::HashMap::with_capacity(stored.len());
    let mut all = Vec::with_capacity(stored.len());
    let mut failure = None;
    for row in stored {
        let generation = u32::try_from(row.generation).map_err(|_| CaseError::Corrupt)?;
        if keyring
            .org_key_generation(OrgKeyKind::Analytics, generation)
            .is_none()
        {
            failure = Some(CaseError::MissingKey("analytics"));
            break;
        }
        let facets = match previous.remove(&row.id) {
            Some(seen) if seen.generation == row.generation && seen.sealed == row.sealed => seen.facets,
            _ => match open_facets(keyring, &row) {
                Ok(facets) => facets,
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            },
        };
        all.push(facets.clone());
        now.insert(
            row.id,
            OpenedRow {
                generation: row.generation,
                sealed: row.sealed,
                facets,
            },
        );
    }
    if failure.is_some() {
        // Keep what was known for the next caller; nothing opened is lost.
        now.extend(previous);
    }
    if let Ok(mut rows) = opened.rows.lock() {
        rows.extend(now);
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(all),
    }
}

/// The facets of a case from its records (in order), as the case key opens them, and the id of
/// its facet row if it has one. The outcome is the last close granted, unless a reopening was
/// granted after it.
pub(crate) fn facets_of_records(
    key: &CaseKey,
    records_in_order: &[NewCaseRecord],
    opened_on: &str,
) -> Result<(Facets, Option<[u8; 16]>), CaseError> {
    let mut answers = None;
    let mut birth_year = None;
    let mut arrival_at = None;
    let mut outcome: Option<String> = None;
    let mut choice: Option<(String, String)> = None;
    let mut facet_id = None;
    for record in records_in_order {
        match record.kind.as_str() {
            records::ANSWERS => {
                answers = Answers::from_bytes(&records::decrypt_bytes(key, record)?).ok();
            }
            records::IDENTITY => {
                let identity: records::Identity = records::decrypt(key, record)?;
                birth_year = identity.birth_year;
            }
            records::EVENT => {
                let event: records::Event = records::decrypt(key, record)?;
                match (event.what.as_str(), event.detail.as_deref()) {
                    ("granted", Some(detail)) if detail.starts_with("close:") => {
                        outcome = detail.strip_prefix("close:").map(str::to_owned);
                    }
                    ("granted", Some("reopen")) => outcome = None,
                    _ => {}
                }
            }
            crate::cases::ARRIVAL => {
                let arrival: crate::cases::Arrival = records::decrypt(key, record)?;
                arrival_at = Some(arrival.at);
            }
            crate::cases::CHOICE => {
                let newest: crate::cases::Choice = records::decrypt(key, record)?;
                choice = Some((newest.choice, newest.country));
            }
            FACET_ID_KIND => {
                let stored: FacetId = records::decrypt(key, record)?;
                let bytes = hex::decode(&stored.id).map_err(|_| CaseError::Corrupt)?;
                facet_id = Some(<[u8; 16]>::try_from(bytes.as_slice()).map_err(|_| CaseError::Corrupt)?);
            }
            _ => {}
        }
    }
    let service_years = match answers.as_ref().and_then(|a: &Answers| a.get("service_years")) {
        Some(AnswerValue::Number(years)) => u16::try_from(*years).ok(),
        _ => None,
    };
    let facets = facets_of(&FacetSource {
        answers: answers.as_ref(),
        birth_year,
        service_years,
        opened_on,
        arrival_at,
        outcome: outcome.as_deref(),
        choice: choice.as_ref().map(|(c, country)| (c.as_str(), country.as_str())),
    });
    Ok((facets, facet_id))
}

/// The case's facets sealed afresh after a change whose records (already encrypted) are
/// `added`: the sealed row, and the record that keeps its id if the case had none yet (a case
/// opened before facets were stored). Nothing when the analytics key has no public half
/// stored.
pub(crate) async fn reseal(
    store: &dyn Store,
    key: &CaseKey,
    file: &mamar_store::CaseFile,
    added: &[NewCaseRecord],
) -> Result<(Option<SealedFacets>, Option<NewCaseRecord>), CaseError> {
    let Some(public) = analytics_public_key(store).await? else {
        return Ok((None, None));
    };
    let mut all = store.case_records(&file.id).await?;
    all.extend_from_slice(added);
    let (facets, facet_id) = facets_of_records(key, &all, &file.opened_on)?;
    let (facet_id, record) = match facet_id {
        Some(id) => (id, None),
        None => {
            let id = crate::cases::random_id()?;
            (id, Some(facet_id_record(key, &id)?))
        }
    };
    Ok((Some(seal_facets(&facets, &public, facet_id)?), record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_have_no_gaps() {
        assert_eq!(age_band(17), "under-18");
        assert_eq!(age_band(18), "18-24");
        assert_eq!(age_band(34), "25-34");
        assert_eq!(age_band(55), "55+");
        assert_eq!(service_years_band(1), "0-1");
        assert_eq!(service_years_band(2), "2-4");
        assert_eq!(service_years_band(19), "10-19");
        assert_eq!(service_years_band(20), "20+");
    }
}
