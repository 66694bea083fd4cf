//! People in households, as real lists of one region hold them: brothers who share their
//! father, grandfather, family name, mother, place and often the home phone, and differ in
//! the given name and the year (twins not even there); cousins, the sons of brothers, who
//! share the grandfather and the family name; the eldest son often named after his
//! grandfather. Lists write the whole name chain (with the grandfather), sometimes in one
//! column, in other orders (the family name first, father and grandfather swapped), or joined
//! (given and father's names in the given-name column), and the place as a town or as its
//! governorate.
//!
//! The truth keeps each record's person, household and clan, so that pairs of brothers and of
//! cousins can be counted apart.

use rand::{Rng, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::{
    FAMILY, FEMALE_GIVEN, Family, ListSpec, MALE_GIVEN, Noise, Person, SyntheticRecord, Zipf, chain,
    given_name, pick, render, typo, write_lists,
};
use crate::place::{SYRIA_GOVERNORATES, Town, syria_towns};
use crate::record::RecordInput;

/// How households are drawn and written. The defaults are documented on each field.
#[derive(Debug, Clone)]
pub struct Households {
    /// Shares of households with 1, 2, 3, 4, 5 sons (default 0.35, 0.25, 0.2, 0.12, 0.08).
    pub sons: [f64; 5],
    /// Probability that a birth is of twins (default 0.03).
    pub twins: f64,
    /// Probability that a clan has one more household (a brother of the father), again and
    /// again (default 0.5: two households a clan on average).
    pub another_household: f64,
    /// Probability that the eldest son is named after his grandfather (default 0.2).
    pub named_after_grandfather: f64,
    /// Probability that a son's phone is the household's (default 0.35; else his own, or none).
    pub home_phone: f64,
    /// Probability that a household's place is a town (default 0.7), and that a record names
    /// the town rather than the governorate (default 0.5).
    pub has_town: f64,
    pub town_written: f64,
    /// Probability that a list with a column per part writes the grandfather (default 0.6).
    pub grandfather_written: f64,
    /// Probability that a full name is written family name first (default 0.1).
    pub family_first: f64,
    /// Probability that the given and father's names are written together in the given-name
    /// column (default 0.05).
    pub joined: f64,
    /// Probability that father's and grandfather's names are swapped (default 0.03).
    pub swap_father_grandfather: f64,
}

impl Default for Households {
    fn default() -> Self {
        Households {
            sons: [0.35, 0.25, 0.2, 0.12, 0.08],
            twins: 0.03,
            another_household: 0.5,
            named_after_grandfather: 0.2,
            home_phone: 0.35,
            has_town: 0.7,
            town_written: 0.5,
            grandfather_written: 0.6,
            family_first: 0.1,
            joined: 0.05,
            swap_father_grandfather: 0.03,
        }
    }
}

/// A person with the household's share of the truth.
struct Member {
    person: Person,
    grandfather: usize,
    /// An index into the towns.
    town: Option<usize>,
    household: u64,
    clan: u64,
}

/// Generates about `persons` people in households and the lists' records of them (the last
/// household may take a few more). The same seed gives the same records.
pub fn generate_households(
    persons: usize,
    lists: &[ListSpec],
    households: &Households,
    seed: u64,
) -> Vec<Vec<SyntheticRecord>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let male = Zipf::new(MALE_GIVEN.len(), 1.0);
    let female = Zipf::new(FEMALE_GIVEN.len(), 0.8);
    let family = Zipf::new(FAMILY.len(), 0.6);
    let governorate = Zipf::new(SYRIA_GOVERNORATES.len(), 0.5);
    let towns = syria_towns();
    // The towns of each governorate, weighted by the square root of their population.
    let towns_of: Vec<(Vec<usize>, Vec<f64>)> = SYRIA_GOVERNORATES
        .iter()
        .map(|g| {
            let mut total = 0.0;
            let (indices, cumulative) = towns
                .iter()
                .enumerate()
                .filter(|(_, t)| t.governorate == g.code)
                .map(|(i, t)| {
                    total += (t.population.max(1) as f64).sqrt();
                    (i, total)
                })
                .unzip();
            (indices, cumulative)
        })
        .collect();
    let draw_town = |g: usize, rng: &mut ChaCha8Rng| -> Option<usize> {
        let (indices, cumulative) = towns_of.get(g)?;
        let total = *cumulative.last()?;
        let x = rng.random::<f64>() * total;
        indices
            .get(
                cumulative
                    .partition_point(|&c| c < x)
                    .min(indices.len().saturating_sub(1)),
            )
            .copied()
    };
    let draw_family = |rng: &mut ChaCha8Rng| {
        if rng.random_bool(0.4) {
            Family::FromGiven(male.sample(rng))
        } else {
            Family::Listed(family.sample(rng))
        }
    };
    let sons_total: f64 = households.sons.iter().sum();
    let mut members: Vec<Member> = Vec::with_capacity(persons + 8);
    let (mut household_id, mut clan_id) = (0u64, 0u64);
    while members.len() < persons {
        // A clan: a grandfather, the family name, a governorate and often a town.
        let grandfather = male.sample(&mut rng);
        let family_name = draw_family(&mut rng);
        let clan_governorate = governorate.sample(&mut rng);
        let clan_town = if rng.random_bool(households.has_town.clamp(0.0, 1.0)) {
            draw_town(clan_governorate, &mut rng)
        } else {
            None
        };
        let mut fathers: Vec<usize> = Vec::new();
        loop {
            // A household: the father (a son of the grandfather), the mother, a home phone.
            let father = distinct(&male, &fathers, &mut rng);
            fathers.push(father);
            let mother = female.sample(&mut rng);
            let mother_family = draw_family(&mut rng);
            let town = if rng.random_bool(0.7) {
                clan_town
            } else if rng.random_bool(households.has_town.clamp(0.0, 1.0)) {
                draw_town(clan_governorate, &mut rng)
            } else {
                None
            };
            let home = rng
                .random_bool(0.6)
                .then(|| rng.random_range(30_000_000..100_000_000u32));
            let mut x = rng.random::<f64>() * sons_total;
            let mut sons = 1;
            for (count, share) in households.sons.iter().enumerate() {
                if x < *share {
                    sons = count + 1;
                    break;
                }
                x -= share;
            }
            let mut year: u16 = rng.random_range(1955..=1998);
            let mut given_names: Vec<usize> = Vec::new();
            let mut born = 0;
            while born < sons {
                let twins = born + 1 < sons && rng.random_bool(households.twins.clamp(0.0, 1.0));
                for _ in 0..if twins { 2 } else { 1 } {
                    let given = if born == 0
                        && grandfather != father
                        && rng.random_bool(households.named_after_grandfather.clamp(0.0, 1.0))
                    {
                        grandfather
                    } else {
                        let mut avoid = given_names.clone();
                        avoid.push(father);
                        distinct(&male, &avoid, &mut rng)
                    };
                    given_names.push(given);
                    let phone = if home.is_some() && rng.random_bool(households.home_phone.clamp(0.0, 1.0)) {
                        home
                    } else {
                        rng.random_bool(0.7)
                            .then(|| rng.random_range(30_000_000..100_000_000))
                    };
                    members.push(Member {
                        person: Person {
                            given,
                            father,
                            family: family_name,
                            mother,
                            mother_family,
                            year,
                            governorate: clan_governorate,
                            phone,
                        },
                        grandfather,
                        town,
                        household: household_id,
                        clan: clan_id,
                    });
                    born += 1;
                }
                year = year.saturating_add(rng.random_range(1..=4)).min(2004);
            }
            household_id += 1;
            if !rng.random_bool(households.another_household.clamp(0.0, 1.0)) {
                break;
            }
        }
        clan_id += 1;
    }
    let noise = Noise::default();
    write_lists(
        &members,
        lists,
        &mut rng,
        |_, member| (member.household, member.clan),
        |member, spec, rng| write(member, spec, households, &noise, &towns, rng),
    )
}

/// A name drawn from `names` that is none of `avoid` (brothers do not share a given name).
fn distinct(names: &Zipf, avoid: &[usize], rng: &mut ChaCha8Rng) -> usize {
    let mut drawn = names.sample(rng);
    for _ in 0..50 {
        if !avoid.contains(&drawn) {
            break;
        }
        drawn = names.sample(rng);
    }
    drawn
}

/// A record of `member` as `spec`'s list writes it.
fn write(
    member: &Member,
    spec: &ListSpec,
    households: &Households,
    noise: &Noise,
    towns: &[Town],
    rng: &mut ChaCha8Rng,
) -> RecordInput {
    let scale = spec.noise.max(0.0);
    let chance = |p: f64, rng: &mut ChaCha8Rng| rng.random_bool((p * scale).clamp(0.0, 1.0));
    let flip = |p: f64, rng: &mut ChaCha8Rng| rng.random_bool(p.clamp(0.0, 1.0));
    let (mut input, arabic) = render(&member.person, spec, noise, rng);
    if spec.full_name || flip(households.grandfather_written, rng) {
        let mut grandfather = given_name(MALE_GIVEN, member.grandfather, arabic, rng);
        if chance(noise.typo_per_name, rng) {
            grandfather = typo(&grandfather, arabic, rng);
        }
        input.grandfather = grandfather;
    }
    if !input.father.is_empty()
        && !input.grandfather.is_empty()
        && chance(households.swap_father_grandfather, rng)
    {
        std::mem::swap(&mut input.father, &mut input.grandfather);
    }
    if !input.place.is_empty()
        && let Some(town) = member.town.and_then(|t| towns.get(t))
        && flip(households.town_written, rng)
    {
        input.place = town_text(town, arabic, rng);
    }
    if spec.full_name {
        let family_first = flip(households.family_first, rng);
        input.full_name = chain(&mut input, family_first);
    } else if !input.father.is_empty() && chance(households.joined, rng) {
        input.given = format!("{} {}", input.given, std::mem::take(&mut input.father));
    }
    input
}

/// A town's name in the record's script: in Arabic as the gazetteer writes it; in Latin
/// letters the main name half the time, else one of its common other spellings.
fn town_text(town: &Town, arabic: bool, rng: &mut ChaCha8Rng) -> String {
    if arabic && let Some(name) = town.arabic() {
        return name.to_owned();
    }
    let latin: Vec<&str> = town
        .names
        .iter()
        .copied()
        .filter(|n| crate::normalize::script_of(n) == Some(crate::normalize::Script::Latin))
        .take(6)
        .collect();
    pick(&latin, rng).to_owned()
}
