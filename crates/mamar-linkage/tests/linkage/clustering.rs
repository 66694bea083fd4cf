//! Clustering: a chain of accepted pairs does not join two records the model calls two people.

use mamar_linkage::link::{Band, LinkOptions, LinkOutcome};
use mamar_linkage::record::RecordInput;

use crate::households::{brothers, input, link_extra_with};

/// A pair written among the `extra` records: their numbers among them, its probability, band.
type Link = (usize, usize, f64, Band);

/// Links `extra` beside the generated lists with `options`: the clusters of the `extra`
/// records, the pairs written between them, and the outcome.
fn link_extra_records(
    extra: &[(u16, RecordInput)],
    options: &LinkOptions,
) -> (Vec<u32>, Vec<Link>, LinkOutcome) {
    let outcome = link_extra_with(extra, options);
    let first = outcome.cluster_of.len() - extra.len();
    let links = outcome
        .pairs
        .iter()
        .filter(|p| p.a as usize >= first && p.b as usize >= first)
        .map(|p| (p.a as usize - first, p.b as usize - first, p.probability, p.band))
        .collect();
    (outcome.cluster_of[first..].to_vec(), links, outcome)
}

/// A chain of three records: Mohammed son of Khaled, recorded with his phone; a record with no
/// father that agrees with him on the phone and with the third record on the mother's whole
/// name and the place; and Mohammed son of Ibrahim, of another mother, place and phone,
/// whom the model calls another man outright.
fn chain() -> Vec<(u16, RecordInput)> {
    // Mohammed son of Khaled son of Omar al-Hamwi, of the brothers' test.
    let mohammed = brothers().swap_remove(0);
    vec![
        mohammed,
        (
            1,
            input([
                "Mohammed",
                "",
                "Omar",
                "Al-Hamwi",
                "Zainab Al-Ali",
                "1990",
                "Aleppo",
                "0944555111",
            ]),
        ),
        (
            0,
            input([
                "محمد",
                "إبراهيم",
                "عمر",
                "الحموي",
                "زينب العلي",
                "1990",
                "حلب",
                "0955 123 456",
            ]),
        ),
    ]
}

#[test]
fn a_chain_of_three_does_not_join_its_ends_when_they_are_a_confident_non_match() {
    let extra = chain();
    let run = |apart_below: f64| {
        let options = LinkOptions {
            threads: 2,
            apart_below,
            ..LinkOptions::default()
        };
        let (clusters, links, outcome) = link_extra_records(&extra, &options);
        (clusters, links, outcome.refused_non_matches)
    };
    // Without the brake, both links are accepted and the chain joins the two Mohammeds.
    let (chained, links, _) = run(0.0);
    assert!(
        chained[0] == chained[1] && chained[1] == chained[2],
        "the test's chain is a chain: {chained:?} {links:?}"
    );
    // With the defaults, the middle record joins one end, and the other link goes to review.
    let (clusters, links, refused) = run(LinkOptions::default().apart_below);
    assert_ne!(clusters[0], clusters[2], "{clusters:?} {links:?}");
    assert!(
        clusters[1] == clusters[0] || clusters[1] == clusters[2],
        "{clusters:?}"
    );
    assert!(refused >= 1, "{refused}");
    assert!(links.iter().any(|l| l.3 == Band::Review), "{links:?}");
}

/// One man, Ahmad son of Khaled al-Halabi, on three records: the first without his
/// mother's name, the second without his birth year (the two share a phone and are accepted
/// as one man), the third with both but no father's name, place or phone.
fn three_records_of_one_man() -> Vec<(u16, RecordInput)> {
    vec![
        (
            0,
            input(["أحمد", "خالد", "", "الحلبي", "", "1987", "حلب", "0933 404 818"]),
        ),
        (
            1,
            input([
                "Ahmad",
                "Khaled",
                "",
                "Al-Halabi",
                "Fatima",
                "",
                "Aleppo",
                "+963 933404818",
            ]),
        ),
        (1, input(["Ahmad", "", "", "Halabi", "Fatima", "1987", "", ""])),
    ]
}

#[test]
fn a_record_is_weighed_with_the_fields_the_other_records_of_its_cluster_hold() {
    let extra = three_records_of_one_man();
    let run = |complete_clusters: bool| {
        let options = LinkOptions {
            threads: 2,
            complete_clusters,
            ..LinkOptions::default()
        };
        let (clusters, links, outcome) = link_extra_records(&extra, &options);
        let best_first = outcome.pairs.windows(2).all(|w| w[0].weight >= w[1].weight);
        (clusters, links, (outcome.completed, best_first))
    };
    let (apart, links, _) = run(false);
    assert_eq!(apart[0], apart[1], "{apart:?} {links:?}");
    assert_ne!(
        apart[2], apart[0],
        "the test's third record is not linked alone: {links:?}"
    );
    let (clusters, links, (completed, best_first)) = run(true);
    assert!(
        clusters[0] == clusters[1] && clusters[1] == clusters[2],
        "{clusters:?} {links:?}"
    );
    assert!(completed >= 1, "{completed}");
    assert!(
        best_first,
        "the pairs are still best first after completion raised some"
    );
    assert!(
        links
            .iter()
            .any(|l| l.3 == Band::Accepted && l.2 >= 0.9 && l.0.max(l.1) == 2),
        "{links:?}"
    );
}
